/** What a weekly summary says after a real week of mail, reminders and replies, in text
 * and HTML; and that its numbered items take replies and one-click links like a
 * reminder's. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { tick } from "../../src/cron/tick";
import type { OutboxEntry } from "../../src/mail-out/outbox";
import { count, deps, eml, outbox, send, userId } from "../support/mail";
import { HOUR, uniq } from "../support/clock";

vi.setConfig({ testTimeout: 120_000 });

const KITH = "kith@kith.test";
const at = (s: string) => Date.parse(s);

async function ticks(from: number, to: number, step = HOUR): Promise<void> {
  for (let t = from; t <= to; t += step) await tick(deps({}, () => t));
}

async function mail(me: string, t: number, headers: Record<string, string>, body: string): Promise<void> {
  const out = await send(eml({ From: `Ann <${me}>`, To: KITH, Date: new Date(t).toUTCString(), ...headers }, body), { now: t });
  expect(out.outcome).toBe("applied");
}

const bcc = (me: string, t: number, to: string, subject: string, body: string) => mail(me, t, { To: to, Bcc: KITH, Subject: subject }, body);

async function reply(me: string, to: OutboxEntry, t: number, text: string): Promise<void> {
  await mail(me, t, { Subject: `Re: ${to.subject}`, "In-Reply-To": to.headers["Message-ID"]! }, `${text}\n\n> quoted`);
}

const mailsTo = async (me: string, kind: string) => (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === kind);

async function statuses(uid: number): Promise<string> {
  const { results } = await env.DB.prepare("SELECT id, status, due_at FROM reminders WHERE user_id = ?1 ORDER BY id").bind(uid).all();
  return JSON.stringify(results);
}

describe("the week in a summary", () => {
  it("lists connections, interactions, follow-ups, intros, what is coming and who is slipping away", async () => {
    const me = `c-${uniq()}@example.com`;
    // May: Ann signs up and writes to three people; then nothing for six months.
    const may = at("2026-05-01T10:00:00Z");
    await mail(me, may, { Subject: "hello" }, "hi");
    await mail(me, may, { Subject: "timezone Europe/Berlin" }, "");
    await bcc(me, may, "Olga Old <olga@old.org>, Una Up <una@up.org>, Mo Muted <mo@muted.org>", "Catching up", "Hello all");
    const uid = await userId(me);
    // "stop" for Mo, as act.ts does it.
    await env.DB.prepare("UPDATE contacts SET muted_at = ?2 WHERE user_id = ?1 AND name = 'Mo Muted'").bind(uid, may).run();
    await env.DB.prepare("DELETE FROM reminders WHERE user_id = ?1 AND kind = 'check-in' AND contact_id = (SELECT id FROM contacts WHERE user_id = ?1 AND name = 'Mo Muted')").bind(uid).run();

    // The week of Monday Nov 16 (Berlin, UTC+1).
    const t1 = at("2026-11-16T10:00:00Z");
    await mail(me, t1, { Subject: "Met at PyCon" }, "Name: Jane Smith\nCompany: Acme\nEmail: jane@acme.com\n\nName: Ken Lee\nEmail: ken@lee.io");
    const forward = ["---------- Forwarded message ---------", "From: Dev Patel <dev@gamma.ai>", "Date: Mon, Nov 16, 2026 at 9:42 AM", "Subject: Intro: Ann <> Erin", `To: Ann <${me}>, Erin Wu <erin@gamma.ai>`, "", "Ann, meet Erin. Erin runs partnerships at Gamma."];
    await mail(me, t1 + 60_000, { Subject: "Fwd: Intro: Ann <> Erin" }, forward.join("\n"));
    await bcc(me, t1 + 120_000, "Bob Stone <bob@beta.io>, Carol Diaz <carol@diaz.org>", "Bob <> Carol", "Bob, meet Carol! You two should talk.");
    for (let i = 1; i <= 3; i++) await bcc(me, t1 + i * HOUR, "Zed Zero <zed@zero.org>", `Plans ${i}`, "See you soon");

    // The reminder loop runs: overdue check-ins (Olga, Una) at once, follow-ups on Tuesday
    // morning, the intro check on Thursday.
    await ticks(t1, at("2026-11-20T12:00:00Z"));
    const [followUps] = (await mailsTo(me, "reminder")).filter((m) => m.text.includes("Follow up with"));
    expect(followUps!.text).toMatch(/^4\. Follow up with /m);
    const doneNames = [1, 2].map((n) => new RegExp(`^${n}\\. Follow up with ([A-Za-z]+(?: [A-Za-z]+)*)(?: \\(|:)`, "m").exec(followUps!.text)![1]!);
    const openNames = ["Jane Smith", "Ken Lee", "Dev Patel", "Erin Wu"].filter((n) => !doneNames.includes(n));
    await reply(me, followUps!, at("2026-11-17T12:00:00Z"), "1 done, 2 done");
    const introCheck = (await mailsTo(me, "reminder")).find((m) => m.subject === "Kith: did your intro connect?");
    await reply(me, introCheck!, at("2026-11-19T12:00:00Z"), "done");
    // Una's next check-in falls in the coming week.
    await env.DB.prepare("UPDATE reminders SET due_at = ?2 WHERE user_id = ?1 AND kind = 'check-in' AND status = 'pending' AND contact_id = (SELECT id FROM contacts WHERE user_id = ?1 AND name = 'Una Up')")
      .bind(uid, at("2026-11-26T08:00:00Z"))
      .run();
    // Friday: another intro, not yet checked.
    await bcc(me, at("2026-11-20T12:00:00Z"), "Sam Stein <sam@stein.io>, Tia Tam <tia@tam.io>", "Sam <> Tia", "Sam, meet Tia.");
    await ticks(at("2026-11-20T13:00:00Z"), at("2026-11-23T07:00:00Z"));
    // The first tick in months came two hours after the Nov 16 slot: that summary caught up.
    expect((await mailsTo(me, "weekly-summary")).map((m) => m.created_at)).toEqual([t1]);

    const before = await statuses(uid);
    await ticks(at("2026-11-23T08:00:00Z"), at("2026-11-23T08:00:00Z"));
    expect(await statuses(uid)).toBe(before);
    const [, summary, ...more] = await mailsTo(me, "weekly-summary");
    expect(more).toEqual([]);
    expect(summary!.created_at).toBe(at("2026-11-23T08:00:00Z"));
    const text = summary!.text;

    expect(summary!.subject).toBe("Kith: your week, Nov 16 to Nov 23 (5 things to act on)");
    expect(text).toMatch(/^NEW CONNECTIONS \(9\)$/m);
    expect(text).toContain("  * Erin Wu (introduced by Dev Patel)");
    expect(text).toContain("  * Jane Smith (Acme, met at PyCon)");
    expect(text).toContain("  * and 4 more");
    expect(text).toMatch(/^INTERACTIONS\n {2}\d+ interactions logged, most with Zed Zero \(3\), /m);
    expect(text).toContain("FOLLOW-UPS\n  2 follow-ups done this week. Still open:");
    // The two still open, in either order (they came in the same mail).
    const itemNames = [1, 2].map((n) => new RegExp(`^ {2}${n}\\. Follow up with ([A-Za-z]+(?: [A-Za-z]+)*)(?: \\(|:)`, "m").exec(text)?.[1]);
    expect([...itemNames].sort()).toEqual([...openNames].sort());
    expect(text).toContain("INTROS YOU MADE\n  * Bob Stone and Carol Diaz (Nov 16): connected.");
    expect(text).toContain("  3. Did Sam Stein and Tia Tam connect? You introduced them on Nov 20.");
    expect(text).toContain("COMING UP NEXT WEEK\n  4. Check in with Una Up by Nov 26.");
    expect(text).toMatch(/^LOSING TOUCH\n.*\n {2}5\. Check in with Olga Old: quiet for 206 days, against a 90-day cadence\.\n {5}Last: "Catching up" on May 1\n {5}Write to them: mailto:olga%40old\.org\?subject=It's%20been%20a%20while&body=Hi%20Olga%2C%0A%0A$/m);
    expect(text).not.toContain("Mo Muted");
    expect(text.match(/^ {5}Done: https:\/\/kith\.test\/r\/\S+$/gm)).toHaveLength(5);

    // The HTML says the same, and each numbered item has its links.
    const html = summary!.html!;
    expect(html).toContain("<strong>3.</strong> Did Sam Stein and Tia Tam connect?");
    expect(html.match(/<a href="https:\/\/kith\.test\/r\/[^"]+">Done<\/a> &middot; <a href="https:\/\/kith\.test\/r\/[^"]+">Snooze<\/a>/g)).toHaveLength(5);
    expect(html).toContain("Erin Wu (introduced by Dev Patel)");

    // "1 done" acts on item 1 (the first open follow-up); nothing else changes.
    const first = await env.DB.prepare(
      `SELECT r.id, c.name FROM outbound_messages o JOIN reminders r ON r.id = o.items ->> 0 JOIN contacts c ON c.id = r.contact_id
       WHERE o.message_id = ?1`,
    )
      .bind(summary!.headers["Message-ID"])
      .first<{ id: number; name: string }>();
    expect(first!.name).toBe(itemNames[0]);
    // A bare "done" on a summary is taken for a slip: it asks for numbers, changes nothing.
    await reply(me, summary!, at("2026-11-23T08:30:00Z"), "done");
    expect((await outbox()).filter((m) => m.to === me).at(-1)!.text).toContain("start your reply with the item numbers");
    expect(await count("reminders", "user_id = ?1 AND kind = 'follow-up' AND status = 'done'", uid)).toBe(2);
    await reply(me, summary!, at("2026-11-23T09:00:00Z"), "1 done");
    expect(await count("reminders", "id = ?1 AND status = 'done'", first!.id)).toBe(1);
    const answer = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(answer.headers["X-Kith-Kind"]).toBe("confirmation");
    expect(answer.text).toContain(`Done: ${itemNames[0]}.`);
    expect(await count("reminders", "user_id = ?1 AND kind = 'follow-up' AND status = 'done'", uid)).toBe(3);
  });
});

describe("the HTML part", () => {
  it("escapes what people are called, keeps to simple markup, and its links work", async () => {
    const me = `h-${uniq()}@example.com`;
    const t = at("2026-11-25T10:00:00Z");
    await mail(me, t, { Subject: "hello" }, "hi");
    await mail(me, t, { Subject: "Met at a meetup" }, "Name: Eve Hacker\nEmail: eve@evil.io");
    const evil = `<script>alert("x")</script> & 'Co'`;
    await env.DB.prepare("UPDATE contacts SET name = ?2 WHERE user_id = ?1").bind(await userId(me), evil).run();
    await mail(me, t + 60_000, { Subject: "summary" }, "");
    const [summary] = await mailsTo(me, "weekly-summary");
    const html = summary!.html!;
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;");
    expect(summary!.text).toContain(`1. Follow up with ${evil}: new from a meetup on Nov 25.`);
    expect(html).toContain('<meta name="color-scheme" content="light dark">');
    for (const banned of ["<table", "<style", "background", "<link", "color:"]) expect(html).not.toContain(banned);

    const done = /<a href="([^"]+)">Done<\/a>/.exec(html)![1]!.replace(/&amp;/g, "&");
    expect(await (await exports.default.fetch(done)).text()).toContain('<form method="post">');
    await exports.default.fetch(done, { method: "POST" });
    expect(await count("reminders", "user_id = ?1 AND kind = 'follow-up' AND status = 'done'", await userId(me))).toBe(1);
  });

  it("says so when the week was quiet", async () => {
    const me = `q-${uniq()}@example.com`;
    const t = at("2026-11-25T10:00:00Z");
    await mail(me, t, { Subject: "hello" }, "hi");
    await mail(me, t, { Subject: "summary" }, "");
    const [summary] = await mailsTo(me, "weekly-summary");
    expect(summary!.subject).toBe("Kith: your week, Nov 18 to Nov 25");
    expect(summary!.text).toContain("A quiet week");
    expect(summary!.html).toContain("A quiet week");
  });
});
