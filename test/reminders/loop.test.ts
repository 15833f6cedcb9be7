/** The reminder loop through the real handlers and D1: follow-ups within 24 hours,
 * check-ins by cadence, batching and caps, claims, and replies that act. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { deliverDue } from "../../src/cron/due";
import { DUE_REMINDERS } from "../../src/users/store";
import { EXPIRE_HELD } from "../../src/received/held";
import { contactsOf, count, deps, eml, outbox, send, userId } from "../support/mail";
import { DAY, HOUR, tickAt, ticks, uniq } from "../support/clock";

// Each test simulates days of 5-minute cron ticks.
vi.setConfig({ testTimeout: 30_000 });

const KITH = "kith@kith.test";

/** A user in Berlin (set by command), signed up at `t`. */
async function berliner(t: number): Promise<string> {
  const me = `b-${uniq()}@example.com`;
  await send(eml({ From: `Ann <${me}>`, To: KITH, Subject: "hello", Date: new Date(t).toUTCString() }, "hi"), { now: t });
  await send(eml({ From: me, To: KITH, Subject: "timezone Europe/Berlin" }, ""), { now: t });
  return me;
}

const reminders = async (me: string) => (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder");

/** The user writes to Zed Zero, Kith in Bcc: a connection with a check-in a cadence on. */
const wroteZed = (me: string, t: number) => send(eml({ From: me, To: "Zed Zero <zed@zero.org>", Bcc: KITH, Subject: "hi", Date: new Date(t).toUTCString() }, "hello"), { now: t });

async function note(me: string, t: number, who: string, subject = "Met at PyCon"): Promise<void> {
  const out = await send(eml({ From: me, To: KITH, Subject: subject, Date: new Date(t).toUTCString() }, who), { now: t });
  expect(out.outcome).toBe("applied");
}

describe("follow-ups", () => {
  it("reach the user within 24 hours of a new connection, not in the first hour, not at night", async () => {
    // 20:30 in Berlin (CET, UTC+1): the follow-up waits for the morning.
    const t0 = Date.parse("2026-11-26T19:30:00Z");
    const me = await berliner(t0 - HOUR);
    await note(me, t0, "Jane Smith\njane@acme.com");
    await ticks(t0, t0 + 24 * HOUR);
    const [mail, ...more] = await reminders(me);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("Kith: follow up with Jane Smith");
    const sentAt = mail!.created_at;
    expect(sentAt - t0).toBeGreaterThanOrEqual(HOUR);
    expect(sentAt - t0).toBeLessThanOrEqual(24 * HOUR);
    // 09:00 Berlin = 08:00 UTC, the default delivery hour.
    expect(new Date(sentAt).toISOString()).toBe("2026-11-27T08:00:00.000Z");
    expect(mail!.headers["Reply-To"]).toMatch(/^kith\+r[0-9a-z]+\.[0-9a-z]{16}@kith\.test$/);
    expect(mail!.text).toMatch(/Done: https:\/\/kith\.test\/r\//);
  });

  it("batches several due items into one numbered mail, follow-ups first, capped", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await berliner(t0 - HOUR);
    await send(eml({ From: me, To: KITH, Subject: "cap 2" }, ""), { now: t0 });
    for (const n of ["Ada One <ada@one.io>", "Bo Two <bo@two.io>", "Cy Three <cy@three.io>"]) await note(me, t0, `Name: ${n.split(" <")[0]}\nEmail: ${n.split("<")[1]!.slice(0, -1)}`);
    await ticks(t0, t0 + 24 * HOUR, 15 * 60_000);
    const mails = await reminders(me);
    // Two items in the morning mail; the third rolls over but still arrives within 24 hours.
    expect(mails.map((m) => m.subject)).toEqual(["Kith: 2 people to get back to", expect.stringMatching(/^Kith: follow up with /)]);
    expect(mails[0]!.text).toMatch(/^1\. Follow up with [\s\S]*^2\. Follow up with /m);
    const all = mails.map((m) => m.text).join("\n");
    for (const name of ["Ada One", "Bo Two", "Cy Three"]) expect(all).toContain(`Follow up with ${name}`);
    expect(mails[1]!.created_at - t0).toBeLessThanOrEqual(24 * HOUR);
  });
});

describe("replies", () => {
  async function oneReminder() {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await berliner(t0 - HOUR);
    await note(me, t0, "Jane Smith\njane@acme.com");
    await ticks(t0, t0 + 24 * HOUR);
    const [mail] = await reminders(me);
    return { me, mail: mail!, t: t0 + 24 * HOUR };
  }

  it("'done' above the quote marks it done, logs an interaction and confirms", async () => {
    const { me, mail, t } = await oneReminder();
    const reply = eml(
      { From: me, To: mail.headers["Reply-To"]!, Subject: `Re: ${mail.subject}`, "In-Reply-To": mail.headers["Message-ID"]!, References: mail.headers["Message-ID"]! },
      `Done!\n\nOn Fri, Nov 27, 2026 at 9:00 AM Kith <${KITH}> wrote:\n> ${mail.text.split("\n")[0]}\n`,
    );
    expect((await send(reply, { now: t })).outcome).toBe("applied");
    const uid = await userId(me);
    expect(await count("reminders", "user_id = ?1 AND kind = 'follow-up' AND status = 'done'", uid)).toBe(1);
    expect(await count("interactions", "user_id = ?1 AND kind = 'follow-up'", uid)).toBe(1);
    const confirm = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(confirm.headers["X-Kith-Kind"]).toBe("confirmation");
    expect(confirm.text).toContain("Done: Jane Smith.");
    // Redelivered: nothing more.
    expect((await send(reply, { now: t })).outcome).toBe("duplicate");
  });

  it("'snooze 3 days' works through the signed Reply-To when threading headers are gone", async () => {
    const { me, mail, t } = await oneReminder();
    const reply = eml({ From: me, To: mail.headers["Reply-To"]!, Subject: "Re: Kith" }, "snooze 3 days");
    expect((await send(reply, { now: t })).outcome).toBe("applied");
    const row = await env.DB.prepare("SELECT due_at FROM reminders WHERE user_id = ?1 AND status = 'pending' AND kind = 'follow-up'").bind(await userId(me)).first<{ due_at: number }>();
    expect(row!.due_at).toBeGreaterThanOrEqual(t + 3 * DAY - DAY / 2);
    expect(row!.due_at).toBeLessThanOrEqual(t + 3 * DAY + DAY);
  });

  it("a forged reply address is not accepted", async () => {
    const { me, mail, t } = await oneReminder();
    const forged = mail.headers["Reply-To"]!.replace(/\.[0-9a-z]{16}@/, ".0000000000000000@");
    await send(eml({ From: me, To: forged, Subject: "Re: Kith" }, "stop"), { now: t });
    expect(await count("contacts", "user_id = ?1 AND muted_at IS NOT NULL", await userId(me))).toBe(0);
  });

  it("an unreadable reply gets help, and Kith never answers an auto-reply", async () => {
    const { me, mail, t } = await oneReminder();
    await send(eml({ From: me, To: KITH, Subject: "Re", "In-Reply-To": mail.headers["Message-ID"]! }, "purple monkey dishwasher"), { now: t });
    expect((await outbox()).filter((m) => m.to === me).at(-1)!.headers["X-Kith-Kind"]).toBe("help");
    const before = (await outbox()).length;
    await send(eml({ From: me, To: KITH, Subject: "Automatic reply: Kith", "Auto-Submitted": "auto-replied", "In-Reply-To": mail.headers["Message-ID"]! }, "I am out of office"), { now: t });
    expect((await outbox()).length).toBe(before);
  });
});

describe("check-ins", () => {
  it("come after the cadence, reset by any interaction, and stop on 'stop'", async () => {
    const t0 = Date.parse("2026-06-01T08:00:00Z");
    const me = await berliner(t0 - HOUR);
    await send(eml({ From: me, To: KITH, Subject: "cadence 30 days" }, ""), { now: t0 });
    await wroteZed(me, t0);
    // Day 20: another mail to Zed resets the clock.
    const t20 = t0 + 20 * DAY;
    await send(eml({ From: me, To: "zed@zero.org", Bcc: KITH, Subject: "again", Date: new Date(t20).toUTCString() }, "hello again"), { now: t20 });
    await ticks(t0, t0 + 45 * DAY, 12 * HOUR);
    expect(await reminders(me)).toEqual([]);
    await ticks(t0 + 45 * DAY, t0 + 52 * DAY, 2 * HOUR);
    const [mail, ...more] = await reminders(me);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("Kith: check in with Zed Zero");
    expect(mail!.created_at).toBeGreaterThanOrEqual(t20 + 30 * DAY);
    await send(eml({ From: me, To: KITH, Subject: "Re", "In-Reply-To": mail!.headers["Message-ID"]! }, "stop"), { now: t0 + 52 * DAY });
    await ticks(t0 + 52 * DAY, t0 + 200 * DAY, DAY);
    expect(await reminders(me)).toHaveLength(1);
    expect((await contactsOf(me))[0]!.name).toBe("Zed Zero");
  });
});

describe("a check-in mailed", () => {
  const checkInsOf = async (me: string) =>
    (
      await env.DB.prepare("SELECT r.id, r.status, r.due_at FROM reminders r WHERE r.user_id = ?1 AND r.kind = 'check-in' ORDER BY r.created_at, r.id")
        .bind(await userId(me))
        .all<{ id: number; status: string; due_at: number }>()
    ).results;
  const replyTo = (me: string, mail: { headers: Record<string, string> }, t: number, text: string) =>
    send(eml({ From: me, To: KITH, Subject: "Re", "In-Reply-To": mail.headers["Message-ID"]! }, text), { now: t });

  it("moves on by a cadence, unanswered or skipped, and 'done' or 'skip' never leave the person without one", async () => {
    const t0 = Date.parse("2026-06-01T08:00:00Z");
    const me = await berliner(t0 - HOUR);
    await send(eml({ From: me, To: KITH, Subject: "cadence 30 days" }, ""), { now: t0 });
    await wroteZed(me, t0);
    await ticks(t0 + 29 * DAY, t0 + 32 * DAY, 2 * HOUR);
    const [first] = await reminders(me);
    // The one check-in row, still pending, a cadence on: no new row per mail.
    const [row, ...others] = await checkInsOf(me);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ status: "pending" });
    expect(row!.due_at).toBeGreaterThanOrEqual(first!.created_at + 29 * DAY);
    // Unanswered, it comes back a cadence later.
    await ticks(first!.created_at, first!.created_at + 33 * DAY, 6 * HOUR);
    const [, second, ...more] = await reminders(me);
    expect(more).toEqual([]);
    expect(second!.created_at - first!.created_at).toBeGreaterThanOrEqual(29 * DAY);
    // "done": logged, and the next comes a cadence from now. The first mail's item is the
    // same check-in, so it is done too.
    const t1 = second!.created_at + HOUR;
    await replyTo(me, second!, t1, "done");
    expect((await outbox()).at(-1)!.text).toContain("Done: Zed Zero.");
    expect(await count("interactions", "user_id = ?1 AND kind = 'follow-up'", await userId(me))).toBe(1);
    await replyTo(me, first!, t1, "done");
    expect((await outbox()).at(-1)!.text).toContain("already done");
    const pending = (await checkInsOf(me)).filter((r) => r.status === "pending");
    expect(pending).toHaveLength(1);
    expect(pending[0]!.due_at).toBeGreaterThanOrEqual(t1 + 29 * DAY);
    // "skip" on the next: this time's only; the next comes a cadence on, once.
    await ticks(t1, t1 + 33 * DAY, 6 * HOUR);
    const third = (await reminders(me))[2]!;
    expect(third.created_at - t1).toBeGreaterThanOrEqual(29 * DAY);
    const t2 = third.created_at + HOUR;
    await replyTo(me, third, t2, "skip");
    expect((await outbox()).at(-1)!.text).toContain("Skipped Zed Zero.");
    await replyTo(me, third, t2, "skip");
    expect((await outbox()).at(-1)!.text).toContain("already skipped");
    const after = (await checkInsOf(me)).filter((r) => r.status === "pending");
    expect(after).toHaveLength(1);
    expect(after[0]!.due_at).toBeGreaterThanOrEqual(t2 + 29 * DAY);
  });

  it("stays its mail's item when check-ins with the person are stopped elsewhere", async () => {
    const t0 = Date.parse("2026-06-01T08:00:00Z");
    const me = await berliner(t0 - HOUR);
    await wroteZed(me, t0);
    await ticks(t0 + 89 * DAY, t0 + 92 * DAY, 2 * HOUR);
    const [checkIn] = await reminders(me);
    const t1 = checkIn!.created_at + HOUR;
    // "stop" on a lookup's answer, not on the check-in mail.
    await send(eml({ From: me, To: KITH, Subject: "who is zed" }, ""), { now: t1 });
    const lookup = (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "lookup").at(-1)!;
    await replyTo(me, lookup, t1, "1 stop");
    await replyTo(me, checkIn!, t1, "note met at the cafe");
    expect((await outbox()).at(-1)!.text).toContain('Noted for Zed Zero: "met at the cafe".');
    expect((await checkInsOf(me)).map((r) => r.status)).toEqual(["stopped"]);
  });

  it("is sent once when deliveries overlap, though it stays pending", async () => {
    const t0 = Date.parse("2026-06-01T08:00:00Z");
    const me = await berliner(t0 - HOUR);
    await wroteZed(me, t0);
    const [row] = await checkInsOf(me);
    await Promise.all([deliverDue(deps({}, () => row!.due_at)), deliverDue(deps({}, () => row!.due_at)), tickAt(row!.due_at)]);
    expect(await reminders(me)).toHaveLength(1);
    // A later tick does not send it again either: it is a cadence away now.
    await ticks(row!.due_at, row!.due_at + 10 * DAY, 6 * HOUR);
    expect(await reminders(me)).toHaveLength(1);
  });
});

describe("delivery", () => {
  it("never sends twice when ticks overlap", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await berliner(t0 - HOUR);
    await note(me, t0, "Jane Smith\njane@acme.com");
    const due = await env.DB.prepare("SELECT due_at FROM reminders WHERE user_id = ?1 AND kind = 'follow-up'").bind(await userId(me)).first<{ due_at: number }>();
    await Promise.all([deliverDue(deps({}, () => due!.due_at)), deliverDue(deps({}, () => due!.due_at)), tickAt(due!.due_at)]);
    const [mail] = await reminders(me);
    expect(await reminders(me)).toHaveLength(1);
    // The deliveries that lost the claim left nothing behind: one numbered item, of the
    // mail that went, and the follow-up sent once.
    const uid = await userId(me);
    const items = await env.DB.prepare("SELECT items FROM outbound_messages WHERE message_id = ?1").bind(mail!.headers["Message-ID"]).first<{ items: string }>();
    const followUp = await env.DB.prepare("SELECT id FROM reminders WHERE user_id = ?1 AND kind = 'follow-up'").bind(uid).first<{ id: number }>();
    expect(JSON.parse(items!.items)).toEqual([followUp!.id]);
    expect(await count("outbound_messages", "user_id = ?1 AND items IS NOT NULL", uid)).toBe(1);
    expect(await count("reminders", "user_id = ?1 AND kind = 'follow-up' AND status = 'sent'", uid)).toBe(1);
  });

  it("never sends more than two reminder mails a day", async () => {
    const t0 = Date.parse("2026-11-26T07:00:00Z");
    const me = await berliner(t0 - HOUR);
    await send(eml({ From: me, To: KITH, Subject: "cap 1" }, ""), { now: t0 });
    for (let i = 0; i < 6; i++) await note(me, t0 + i * 3 * HOUR, `Name: Person ${i}\nEmail: p${i}@people.org`);
    await ticks(t0, t0 + 4 * DAY, 15 * 60_000);
    const sent = (await reminders(me)).map((m) => m.created_at).sort();
    for (const s of sent) expect(sent.filter((x) => x > s - DAY && x <= s).length).toBeLessThanOrEqual(2);
    // Nothing is lost: every item went out, one per mail, over the days.
    expect(sent.length).toBe(6);
  });

  it("a tick with nothing due reads the indexes, not the tables", async () => {
    const plan = async (sql: string, ...binds: unknown[]) =>
      (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...binds).all<{ detail: string }>()).results.map((r) => r.detail).join(" | ");
    expect(await plan(DUE_REMINDERS, Date.now(), 200, -1, 0)).toMatch(/^SEARCH users USING COVERING INDEX users_remind_at \(remind_at>\? AND remind_at<\?\)/);
    expect(await plan(EXPIRE_HELD, Date.now())).toMatch(/^SEARCH held_messages USING INDEX held_messages_expiry \(expires_at<\?\)/);
    // Even after ANALYZE has given the planner statistics.
    await env.DB.prepare("ANALYZE").run();
    expect(await plan(DUE_REMINDERS, Date.now(), 200, -1, 0)).toMatch(/^SEARCH users USING COVERING INDEX users_remind_at/);
  });
});

describe("one-click links", () => {
  it("GET shows a page, POST marks done", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await berliner(t0 - HOUR);
    await note(me, t0, "Jane Smith\njane@acme.com");
    await ticks(t0, t0 + DAY);
    const [mail] = await reminders(me);
    const done = /Done: (https:\/\/kith\.test\/r\/\S+)/.exec(mail!.text)![1]!;
    const page = await (await exports.default.fetch(done)).text();
    expect(page).toContain('<form method="post">');
    // The page names the person and the reminder it acts on.
    expect(page).toContain("Mark the follow-up with Jane Smith done?");
    expect(await count("reminders", "user_id = ?1 AND status = 'done'", await userId(me))).toBe(0);
    const res = await exports.default.fetch(done, { method: "POST" });
    expect(await res.text()).toContain("Done");
    expect(await count("reminders", "user_id = ?1 AND status = 'done'", await userId(me))).toBe(1);
  });
});

describe("settings by mail", () => {
  it("answers 'settings' with the current values and changes them by command", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = `s-${uniq()}@example.com`;
    await send(eml({ From: me, To: KITH, Subject: "hello", Date: "Thu, 26 Nov 2026 10:00:00 +0100" }, "hi"), { now: t0 });
    await send(eml({ From: me, To: KITH, Subject: "settings" }, ""), { now: t0 });
    const first = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(first.headers["X-Kith-Kind"]).toBe("settings");
    // Until set, the zone is guessed from the offset of the user's mail.
    expect(first.text).toMatch(/timezone\s+UTC\+01:00/);
    await send(eml({ From: me, To: KITH, Subject: "deliver at 7am" }, ""), { now: t0 });
    await send(eml({ From: me, To: KITH, Subject: "timezone America/Los_Angeles" }, ""), { now: t0 });
    const last = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(last.text).toMatch(/timezone\s+America\/Los_Angeles/);
    expect(last.text).toMatch(/deliver at\s+07:00/);
    await send(eml({ From: me, To: KITH, Subject: "timezone Mars/Olympus" }, ""), { now: t0 });
    const err = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(err.headers["X-Kith-Kind"]).toBe("help");
    expect(err.text).toContain("Mars/Olympus");
  });

  it("a reminder mail tells the user about mail Kith could not deliver", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await berliner(t0 - HOUR);
    await env.DB.prepare(
      "INSERT INTO outbound_messages (id, user_id, message_id, kind, to_address, subject, status, error, created_at) VALUES (?1, ?2, ?3, 'confirmation', ?4, 'x', 'failed', 'Resend 422: invalid recipient', ?5)",
    )
      .bind(Math.floor(Math.random() * 1e12), await userId(me), `<f-${uniq()}@kith.test>`, me, t0)
      .run();
    await note(me, t0, "Jane Smith\njane@acme.com");
    await ticks(t0, t0 + DAY, 15 * 60_000);
    const [mail] = await reminders(me);
    expect(mail!.text).toMatch(/^Note: Kith could not deliver 1 earlier mail to you \(Resend 422: invalid recipient\)/);
  });
});

describe("edge cases found in review", () => {
  it("a snoozed follow-up waits for the morning like any reminder", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z"); // 10:00 in Berlin
    const me = await berliner(t0 - HOUR);
    await note(me, t0, "Jane Smith\njane@acme.com");
    await ticks(t0, t0 + DAY, 15 * 60_000);
    const [first] = await reminders(me);
    const t1 = first!.created_at;
    await send(eml({ From: me, To: KITH, Subject: "Re", "In-Reply-To": first!.headers["Message-ID"]! }, "snooze 36 hours"), { now: t1 });
    await ticks(t1, t1 + 2 * DAY, 15 * 60_000);
    const [, again] = await reminders(me);
    const berlinHour = (Date.parse(new Date(again!.created_at).toISOString()) / HOUR + 1) % 24;
    expect(berlinHour >= 8 && berlinHour < 21).toBe(true);
  });

  it("'every 3 weeks' on a check-in does not send it again at once, and 'stop' is not undone by a later snooze", async () => {
    const t0 = Date.parse("2026-06-01T08:00:00Z");
    const me = await berliner(t0 - HOUR);
    await wroteZed(me, t0);
    await ticks(t0 + 89 * DAY, t0 + 92 * DAY, 2 * HOUR);
    const [checkIn] = await reminders(me);
    const t1 = checkIn!.created_at;
    await send(eml({ From: me, To: KITH, Subject: "Re", "In-Reply-To": checkIn!.headers["Message-ID"]! }, "every 3 weeks"), { now: t1 });
    await ticks(t1, t1 + 20 * DAY, 6 * HOUR);
    expect(await reminders(me)).toHaveLength(1);
    await ticks(t1 + 20 * DAY, t1 + 23 * DAY, 2 * HOUR);
    const [, second] = await reminders(me);
    expect(second!.created_at - t1).toBeGreaterThan(20 * DAY);
    // "stop" on the second mail, then "snooze" on the first: still muted.
    await send(eml({ From: me, To: KITH, Subject: "Re", "In-Reply-To": second!.headers["Message-ID"]! }, "stop"), { now: second!.created_at });
    await send(eml({ From: me, To: KITH, Subject: "Re", "In-Reply-To": checkIn!.headers["Message-ID"]! }, "snooze 2 days"), { now: second!.created_at });
    await ticks(second!.created_at, second!.created_at + 60 * DAY, DAY);
    expect(await reminders(me)).toHaveLength(2);
  });

  it("three connections in one morning: every follow-up within 24 hours, at most two mails", async () => {
    const t0 = Date.parse("2026-11-26T06:00:00Z");
    const me = await berliner(t0 - HOUR);
    const times = ["06:30", "07:05", "07:30"].map((hm) => Date.parse(`2026-11-26T${hm}:00Z`));
    for (const [i, t] of times.entries()) await note(me, t, `Name: Person ${i}\nEmail: p${i}@people.org`);
    await ticks(t0, t0 + 30 * HOUR, 10 * 60_000);
    const mails = await reminders(me);
    for (const [i, t] of times.entries()) {
      const carrying = mails.find((m) => m.text.includes(`Person ${i}`))!;
      expect(carrying.created_at - t).toBeLessThanOrEqual(24 * HOUR);
      expect(carrying.created_at - t).toBeGreaterThanOrEqual(HOUR);
    }
    expect(mails.length).toBeLessThanOrEqual(2);
  });

  it("another user can neither use my links nor act on my reminders by reply", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await berliner(t0 - HOUR);
    const other = await berliner(t0 - HOUR);
    await note(me, t0, "Jane Smith\njane@acme.com");
    await ticks(t0, t0 + DAY, 15 * 60_000);
    const [mail] = await reminders(me);
    await send(eml({ From: other, To: mail!.headers["Reply-To"]!, Subject: "Re", "In-Reply-To": mail!.headers["Message-ID"]! }, "stop"), { now: t0 + DAY });
    expect(await count("contacts", "user_id = ?1 AND muted_at IS NOT NULL", await userId(me))).toBe(0);
    expect(await count("reminders", "user_id = ?1 AND status IN ('done', 'stopped', 'skipped')", await userId(me))).toBe(0);
  });
});
