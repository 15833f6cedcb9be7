/** Unsubscribe and pause through the real handlers and D1: List-Unsubscribe headers on
 * reminder mail, RFC 8058 one-click POST, the mailto address, "pause"/"resume" by mail,
 * and delivery that holds reminders while paused and loses none. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { intake } from "../../src/inbound/intake";
import { PAUSED_UNTIL_RESUMED } from "../../src/users/pause";
import { count, deps, eml, outbox, send, signUp, userId } from "../support/mail";
import { DAY, HOUR, tickAt, uniq } from "../support/clock";

vi.setConfig({ testTimeout: 30_000 });

const KITH = "kith@kith.test";

async function ticks(from: number, to: number, step = 15 * 60_000): Promise<void> {
  for (let t = from; t <= to; t += step) await tickAt(t);
}

const reminders = async (me: string) => (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder");
const lastTo = async (me: string) => (await outbox()).filter((m) => m.to === me).at(-1)!;

async function pauses(me: string) {
  return env.DB.prepare("SELECT reminders_paused_until AS reminders, summary_paused_until AS summary FROM users WHERE email = ?1")
    .bind(me)
    .first<{ reminders: number | null; summary: number | null }>();
}

/** A user in Berlin, signed up at t, with a new connection (a follow-up due next morning). */
async function userWithFollowUp(t: number, who = "Jane Smith\njane@acme.com"): Promise<string> {
  const me = `p-${uniq()}@example.com`;
  await send(eml({ From: `Ann <${me}>`, To: KITH, Subject: "hello" }, "hi"), { now: t });
  await send(eml({ From: me, To: KITH, Subject: "timezone Europe/Berlin" }, ""), { now: t });
  expect((await send(eml({ From: me, To: KITH, Subject: "Met at PyCon" }, who), { now: t })).outcome).toBe("applied");
  return me;
}

/** The reminder mail's List-Unsubscribe: its https link and its mailto address. */
async function unsubscribeOf(me: string, t0: number) {
  await ticks(t0, t0 + DAY);
  const [mail] = await reminders(me);
  const header = mail!.headers["List-Unsubscribe"]!;
  const m = /^<(https:\/\/kith\.test\/u\/([0-9a-z.]+))>, <mailto:(kith\+u\2@kith\.test)\?subject=unsubscribe>$/.exec(header);
  if (!m) throw new Error(`unexpected List-Unsubscribe: ${header}`);
  return { mail: mail!, url: m[1]!, token: m[2]!, address: m[3]! };
}

const oneClick = (url: string) =>
  exports.default.fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });

describe("List-Unsubscribe on reminder mail", () => {
  it("carries https and mailto (RFC 2369) and One-Click (RFC 8058)", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    const { mail, token } = await unsubscribeOf(me, t0);
    expect(mail.headers["List-Unsubscribe"]).toBe(`<https://kith.test/u/${token}>, <mailto:kith+u${token}@kith.test?subject=unsubscribe>`);
    expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(token).toMatch(/^r[0-9a-z]+\.[0-9a-z]{20}$/);
  });

  it("one-click POST without cookies pauses reminders, and again is fine; GET changes nothing", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    const { url } = await unsubscribeOf(me, t0);

    const page = await exports.default.fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect(await pauses(me)).toEqual({ reminders: null, summary: null });

    const first = await oneClick(url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("no more reminder mails");
    expect(await pauses(me)).toEqual({ reminders: PAUSED_UNTIL_RESUMED, summary: null });
    const again = await oneClick(url);
    expect(again.status).toBe(200);
    // A browser's empty form POST works as well.
    expect((await exports.default.fetch(url, { method: "POST" })).status).toBe(200);
    expect(await pauses(me)).toEqual({ reminders: PAUSED_UNTIL_RESUMED, summary: null });
  });

  it("a forged token, or one re-aimed at another user, is refused and changes nothing", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    const other = `o-${uniq()}@example.com`;
    await signUp(other);
    const { token } = await unsubscribeOf(me, t0);
    const otherId = (await userId(other)).toString(36);
    const reaimed = token.replace(/^r[0-9a-z]+\./, `r${otherId}.`);
    const asSummary = `s${token.slice(1)}`;
    const forged = token.replace(/\.[0-9a-z]{20}$/, `.${"0".repeat(20)}`);
    for (const bad of [reaimed, asSummary, forged, "nonsense"]) {
      expect((await oneClick(`https://kith.test/u/${bad}`)).status).toBe(400);
      expect((await exports.default.fetch(`https://kith.test/u/${bad}`)).status).toBe(400);
    }
    expect(await pauses(me)).toEqual({ reminders: null, summary: null });
    expect(await pauses(other)).toEqual({ reminders: null, summary: null });
  });
});

describe("List-Unsubscribe on the weekly summary", () => {
  it("names the summary: one click stops summaries and leaves reminders on", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    await send(eml({ From: me, To: KITH, Subject: "summary" }, ""), { now: t0 });
    const summary = (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "weekly-summary").at(-1)!;
    const m = /^<(https:\/\/kith\.test\/u\/(s[0-9a-z]+\.[0-9a-z]{20}))>, <mailto:kith\+u\2@kith\.test\?subject=unsubscribe>$/.exec(summary.headers["List-Unsubscribe"]!);
    expect(m).not.toBeNull();
    expect(summary.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect((await oneClick(m![1]!)).status).toBe(200);
    expect(await pauses(me)).toEqual({ reminders: null, summary: PAUSED_UNTIL_RESUMED });
  });
});

describe("unsubscribe by mail (kith+u…@)", () => {
  it("pauses that kind whoever sends it, and confirms to the user's own address", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    const { address } = await unsubscribeOf(me, t0);
    const t = t0 + DAY;
    // From an address Kith does not know (a work alias, say): the token is what counts.
    const mail = eml({ From: "ann.at.work@elsewhere.example", To: address, Subject: "unsubscribe" }, "This message was sent by your mail client.");
    const out = await intake(deps({}, () => t), { from: "ann.at.work@elsewhere.example", to: address, raw: new TextEncoder().encode(mail) });
    expect(out.outcome).toBe("applied");
    expect(await pauses(me)).toEqual({ reminders: PAUSED_UNTIL_RESUMED, summary: null });
    const told = await lastTo(me);
    expect(told.headers["X-Kith-Kind"]).toBe("confirmation");
    expect(told.text).toContain("no more reminder mails");
    // Nothing went to the From, and the stranger did not become a user.
    expect((await outbox()).some((m) => m.to === "ann.at.work@elsewhere.example")).toBe(false);
    expect(await count("users", "email = ?1", "ann.at.work@elsewhere.example")).toBe(0);
    // Redelivered: nothing more.
    expect((await send(mail, { now: t })).outcome).toBe("duplicate");
  });

  it("works from the To header, and for a client's automatic mail (applied, not answered)", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    const { address } = await unsubscribeOf(me, t0);
    const before = (await outbox()).length;
    const out = await send(eml({ From: me, To: address, Subject: "unsubscribe", "Auto-Submitted": "auto-generated" }, ""), { now: t0 + DAY });
    expect(out.outcome).toBe("applied");
    expect((await pauses(me))!.reminders).toBe(PAUSED_UNTIL_RESUMED);
    expect((await outbox()).length).toBe(before);
  });

  it("a forged unsubscribe address is refused and changes nothing", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    const { address } = await unsubscribeOf(me, t0);
    const forged = address.replace(/\.[0-9a-z]{20}@/, `.${"1".repeat(20)}@`);
    const out = await send(eml({ From: me, To: forged, Subject: "unsubscribe" }, ""), { now: t0 + DAY });
    expect(out.outcome).toBe("rejected");
    expect(await pauses(me)).toEqual({ reminders: null, summary: null });
  });
});

describe("pause and resume by mail", () => {
  it("'pause' stops both until resumed; 'pause until March' and 'resume' say what and until when", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    await send(eml({ From: me, To: KITH, Subject: "pause" }, ""), { now: t0 });
    expect(await pauses(me)).toEqual({ reminders: PAUSED_UNTIL_RESUMED, summary: PAUSED_UNTIL_RESUMED });
    const paused = await lastTo(me);
    expect(paused.headers["X-Kith-Kind"]).toBe("confirmation");
    expect(paused.subject).toBe("Kith: reminders and weekly summary paused");
    expect(paused.text).toMatch(/reminders +paused until you send "resume"/);

    await send(eml({ From: me, To: KITH, Subject: "resume" }, ""), { now: t0 });
    expect(await pauses(me)).toEqual({ reminders: null, summary: null });
    expect((await lastTo(me)).text).toContain("Resumed: reminders and the weekly summary are on.");

    await send(eml({ From: me, To: KITH, Subject: "Pause reminders until March" }, ""), { now: t0 });
    // March 1, 09:00 in Berlin.
    expect(await pauses(me)).toEqual({ reminders: Date.parse("2027-03-01T08:00:00Z"), summary: null });
    expect((await lastTo(me)).text).toContain("paused until Mon Mar 1 2027, 09:00 (Europe/Berlin)");
  });

  it("a paused user gets no reminders; after 'resume' they all come, none lost", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0, "Jane Smith\njane@acme.com\n\nBo Li\nbo@li.example");
    await send(eml({ From: me, To: KITH, Subject: "pause reminders" }, ""), { now: t0 });
    await ticks(t0, t0 + 3 * DAY);
    expect(await reminders(me)).toEqual([]);
    // Held back, not re-read every tick: the user's next look is after the pause.
    const uid = await userId(me);
    expect(await count("users", "id = ?1 AND remind_at > ?2", uid, t0 + 3 * DAY)).toBe(1);
    expect(await count("reminders", "user_id = ?1 AND status = 'pending' AND kind = 'follow-up'", uid)).toBe(2);

    const t1 = t0 + 3 * DAY + 2 * HOUR; // 12:00 in Berlin
    await send(eml({ From: me, To: KITH, Subject: "resume" }, ""), { now: t1 });
    await ticks(t1, t1 + HOUR, 5 * 60_000);
    const [mail, ...more] = await reminders(me);
    expect(more).toEqual([]);
    expect(mail!.created_at).toBeLessThanOrEqual(t1 + 10 * 60_000);
    expect(mail!.text).toContain("Follow up with Jane Smith");
    expect(mail!.text).toContain("Follow up with Bo Li");
  });

  it("a timed pause ends by itself: reminders come after it, not before", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    await send(eml({ From: me, To: KITH, Subject: "pause for 2 days" }, ""), { now: t0 });
    const end = (await pauses(me))!.reminders!;
    expect(end).toBe(Date.parse("2026-11-28T08:00:00Z"));
    await ticks(t0, end + DAY);
    const [mail, ...more] = await reminders(me);
    expect(more).toEqual([]);
    expect(mail!.created_at).toBeGreaterThanOrEqual(end);
    expect(mail!.created_at).toBeLessThanOrEqual(end + 15 * 60_000);
  });

  it("'pause' in reply to a reminder pauses Kith's mail rather than acting on the items", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await userWithFollowUp(t0);
    const { mail } = await unsubscribeOf(me, t0);
    const reply = eml({ From: me, To: mail.headers["Reply-To"]!, Subject: `Re: ${mail.subject}`, "In-Reply-To": mail.headers["Message-ID"]! }, "pause for 2 weeks");
    expect((await send(reply, { now: t0 + DAY })).outcome).toBe("applied");
    expect((await pauses(me))!.reminders).toBeGreaterThan(t0 + 13 * DAY);
    expect((await lastTo(me)).subject).toBe("Kith: reminders and weekly summary paused");
  });
});
