/** Weekly summaries through the real cron handler and D1: one a week per user, on their
 * day and hour in their zone, over months of simulated time and daylight-saving changes;
 * sparse, missed and overlapping ticks; "summary" now; "summary off". */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { tick } from "../../src/cron/tick";
import { deliverDue } from "../../src/cron/due";
import { DUE_SUMMARIES } from "../../src/users/store";
import { count, deps, eml, outbox, send, userId } from "../support/mail";
import { DAY, HOUR, tickAt, uniq } from "../support/clock";

vi.setConfig({ testTimeout: 180_000 });

const KITH = "kith@kith.test";

/** Ticks of the whole cron work (tick: reminders, summaries, retries), without the
 * handler's per-tick log line. */
async function ticks(from: number, to: number, step: number): Promise<void> {
  for (let t = from; t <= to; t += step) await tick(deps({}, () => t));
}

/** Months of hourly ticks run only the summary part, to keep the test quick. */
async function summaryTicks(from: number, to: number, step: number): Promise<void> {
  for (let t = from; t <= to; t += step) await deliverDue(deps({}, () => t));
}

/** A user signed up at `t` with a mail dated in `offset`, then the given commands. */
async function user(t: number, commands: string[] = [], offset = "+0000"): Promise<string> {
  const me = `w-${uniq()}@example.com`;
  const date = `${new Date(t).toUTCString().replace(/ GMT$/, "")} ${offset}`;
  expect((await send(eml({ From: `Wen <${me}>`, To: KITH, Subject: "hello", Date: date }, "hi"), { now: t })).outcome).toBe("applied");
  for (const c of commands) expect((await send(eml({ From: me, To: KITH, Subject: c }, ""), { now: t })).outcome).toBe("applied");
  return me;
}

const summaries = async (me: string) => (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "weekly-summary");

/** Weekday and hour on the wall clock of `zone` ("Mon 09:00"), by Intl alone (not the code under test). */
function wall(t: number, zone: string): string {
  return new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(t).replace(",", "");
}

/** How long after the latest `label` ("Sun 20:00") on the wall clock of `zone` `t` is. */
function sinceWall(t: number, zone: string, label: string): number {
  for (let x = Math.floor(t / HOUR) * HOUR; x > t - 8 * DAY; x -= HOUR) if (wall(x, zone) === label) return t - x;
  return Infinity;
}

describe("scheduled summaries", () => {
  it("reach every active user once a week on their day and hour, across DST, for ten weeks", async () => {
    // Thursday Oct 1 to Thursday Dec 10, 2026: Europe leaves summer time on Oct 25, the US on Nov 1.
    const t0 = Date.parse("2026-10-01T00:00:00Z");
    const end = t0 + 70 * DAY;
    const berlin = await user(t0, ["timezone Europe/Berlin"]);
    const la = await user(t0, ["timezone America/Los_Angeles", "summary friday at 5pm"]);
    const guessed = await user(t0, [], "-0500");
    const off = await user(t0, ["timezone Europe/Berlin", "summary off"]);
    await summaryTicks(t0, end, HOUR);

    const b = await summaries(berlin);
    expect(b).toHaveLength(10);
    for (const m of b) expect(wall(m.created_at, "Europe/Berlin")).toBe("Mon 09:00");
    expect(new Date(b[2]!.created_at).toISOString()).toBe("2026-10-19T07:00:00.000Z");
    expect(new Date(b[3]!.created_at).toISOString()).toBe("2026-10-26T08:00:00.000Z");

    const l = await summaries(la);
    expect(l).toHaveLength(10);
    for (const m of l) expect(wall(m.created_at, "America/Los_Angeles")).toBe("Fri 17:00");
    expect(l.map((m) => new Date(m.created_at).toISOString()).slice(4, 6)).toEqual(["2026-10-31T00:00:00.000Z", "2026-11-07T01:00:00.000Z"]);

    // No zone set: the offset of the user's mail (UTC-5), Monday at 09:00 there.
    const g = await summaries(guessed);
    expect(g).toHaveLength(10);
    for (const m of g) expect(wall(m.created_at, "Etc/GMT+5")).toBe("Mon 09:00");

    expect(await summaries(off)).toEqual([]);
    for (const me of [berlin, la, guessed]) {
      const rows = (await env.DB.prepare("SELECT ref FROM outbound_messages WHERE user_id = ?1 AND kind = 'weekly-summary'").bind(await userId(me)).all<{ ref: string }>()).results;
      expect(new Set(rows.map((r) => r.ref)).size).toBe(10);
      for (const m of await summaries(me)) {
        expect(m.subject).toMatch(/^Kith: your week, /);
        expect(m.headers["Reply-To"]).toMatch(/^kith\+r[0-9a-z]+\.[0-9a-z]{16}@kith\.test$/);
        expect(m.html).toContain('<meta name="color-scheme" content="light dark">');
      }
    }
  });

  it("sparse ticks, hours apart and off the hour, still deliver each week's summary, once", async () => {
    const t0 = Date.parse("2026-03-02T00:00:00Z");
    const berlin = await user(t0, ["timezone Europe/Berlin", "summary sunday at 20"]);
    const ny = await user(t0, ["timezone America/New_York", "summary at 7"]);
    // Every 5 hours and 17 minutes for five weeks (the US springs forward on Mar 8, Europe on Mar 29).
    await ticks(t0 + 17 * 60_000, t0 + 35 * DAY, 5 * HOUR + 17 * 60_000);
    for (const [me, zone, slot] of [
      [berlin, "Europe/Berlin", "Sun 20:00"],
      [ny, "America/New_York", "Mon 07:00"],
    ] as const) {
      const got = await summaries(me);
      expect(got).toHaveLength(5);
      for (const m of got) expect(sinceWall(m.created_at, zone, slot)).toBeLessThan(5 * HOUR + 17 * 60_000);
      const gaps = got.slice(1).map((m, i) => m.created_at - got[i]!.created_at);
      for (const gap of gaps) expect(Math.abs(gap - 7 * DAY)).toBeLessThan(6 * HOUR);
    }
  });

  it("a tick that comes a day late catches up; one three days late skips that week only", async () => {
    const t0 = Date.parse("2026-06-01T10:00:00Z"); // Monday, after the 09:00 slot
    const me = await user(t0);
    // Signed up after Monday's slot: the first is next Monday's, Jun 8.
    await tickAt(t0 + DAY + 2 * HOUR);
    expect(await summaries(me)).toHaveLength(0);
    // The cron is down from then until Tuesday noon, Jun 9: Monday's summary goes out then.
    await tickAt(Date.parse("2026-06-09T12:00:00Z"));
    const [late] = await summaries(me);
    expect(new Date(late!.created_at).toISOString()).toBe("2026-06-09T12:00:00.000Z");
    // Then the cron is down from Jun 15 to Jun 18: that week is dropped, the next comes on time.
    await tickAt(Date.parse("2026-06-18T12:00:00Z"));
    await ticks(Date.parse("2026-06-22T08:00:00Z"), Date.parse("2026-06-22T10:00:00Z"), HOUR);
    expect((await summaries(me)).map((m) => new Date(m.created_at).toISOString())).toEqual(["2026-06-09T12:00:00.000Z", "2026-06-22T09:00:00.000Z"]);
  });

  it("a user scheduled by the backfill (next_summary_at 0) gets no stale summary", async () => {
    const me = await user(Date.parse("2026-06-01T10:00:00Z"));
    await env.DB.prepare("UPDATE users SET next_summary_at = 0 WHERE email = ?1").bind(me).run();
    await tickAt(Date.parse("2026-06-05T12:00:00Z")); // Friday: Monday's slot is four days gone
    expect(await summaries(me)).toEqual([]);
    const row = await env.DB.prepare("SELECT next_summary_at FROM users WHERE email = ?1").bind(me).first<{ next_summary_at: number }>();
    expect(new Date(row!.next_summary_at).toISOString()).toBe("2026-06-08T09:00:00.000Z");
  });

  it("overlapping and repeated ticks never send a week twice", async () => {
    const t0 = Date.parse("2026-11-23T00:00:00Z");
    const me = await user(t0);
    const slot = Date.parse("2026-11-23T09:00:00Z");
    await Promise.all([deliverDue(deps({}, () => slot)), deliverDue(deps({}, () => slot)), tickAt(slot), tickAt(slot + 60_000)]);
    await tickAt(slot);
    await tickAt(slot + 5 * 60_000);
    expect(await summaries(me)).toHaveLength(1);
    // A new hour that still falls in the same local week (the user moves it to Friday): skipped.
    await send(eml({ From: me, To: KITH, Subject: "summary friday" }, ""), { now: slot + HOUR });
    await ticks(Date.parse("2026-11-27T08:00:00Z"), Date.parse("2026-11-27T10:00:00Z"), HOUR);
    expect(await summaries(me)).toHaveLength(1);
    await ticks(Date.parse("2026-12-04T08:00:00Z"), Date.parse("2026-12-04T10:00:00Z"), HOUR);
    expect(await summaries(me)).toHaveLength(2);
  });

  it("a tick with nothing due reads the partial index only", async () => {
    // (The leases are read only once a due user is found.)
    const plan = async () => (await env.DB.prepare(`EXPLAIN QUERY PLAN ${DUE_SUMMARIES}`).bind(Date.now(), 100, -1, Date.now() - 600_000).all<{ detail: string }>()).results.map((r) => r.detail).join(" | ");
    const range = /^SEARCH users USING (?:COVERING )?INDEX users_next_summary \(next_summary_at>\? AND next_summary_at<\?\) \| LIST SUBQUERY 1 \| SCAN reminder_jobs/;
    expect(await plan()).toMatch(range);
    await env.DB.prepare("ANALYZE").run();
    expect(await plan()).toMatch(range);
    expect((await env.DB.prepare(DUE_SUMMARIES).bind(Date.parse("2020-01-01"), 100, -1, 0).all()).meta.rows_read).toBeLessThanOrEqual(1);
  });
});

describe("summary by command, and settings", () => {
  it("'summary' answers with one now, threaded; the week's scheduled one still comes", async () => {
    const t0 = Date.parse("2026-11-25T15:00:00Z");
    const me = await user(t0);
    const ask = eml({ From: me, To: KITH, Subject: "summary", "Message-ID": `<ask-${uniq()}@example.com>` }, "");
    expect((await send(ask, { now: t0 })).outcome).toBe("applied");
    const [now] = await summaries(me);
    expect(now!.created_at).toBe(t0);
    expect(now!.headers["In-Reply-To"]).toMatch(/^<ask-/);
    expect(now!.text).toMatch(/^Your week with Kith, Nov 18 to Nov 25/);
    const row = await env.DB.prepare("SELECT last_summary_week, next_summary_at FROM users WHERE email = ?1").bind(me).first<{ last_summary_week: string | null; next_summary_at: number }>();
    expect(row!.last_summary_week).toBeNull();
    expect(new Date(row!.next_summary_at).toISOString()).toBe("2026-11-30T09:00:00.000Z");
    await ticks(Date.parse("2026-11-30T08:00:00Z"), Date.parse("2026-11-30T10:00:00Z"), HOUR);
    expect(await summaries(me)).toHaveLength(2);
  });

  it("'summary off' stops them, 'summary on' brings them back; a pause skips its weeks", async () => {
    const t0 = Date.parse("2026-09-01T00:00:00Z"); // Tuesday
    const me = await user(t0, ["summary off"]);
    await summaryTicks(t0, t0 + 21 * DAY, 3 * HOUR);
    expect(await summaries(me)).toEqual([]);
    await send(eml({ From: me, To: KITH, Subject: "summary on" }, ""), { now: t0 + 21 * DAY });
    const settings = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(settings.headers["X-Kith-Kind"]).toBe("settings");
    expect(settings.text).toMatch(/weekly summary\s+Mondays at 09:00/);
    await summaryTicks(t0 + 21 * DAY, t0 + 28 * DAY, 3 * HOUR);
    expect(await summaries(me)).toHaveLength(1);
    // Paused until the Wednesday after next Monday: that Monday is skipped, not delayed.
    const pausedUntil = Date.parse("2026-10-07T00:00:00Z");
    await env.DB.prepare("UPDATE users SET summary_paused_until = ?2 WHERE id = ?1").bind(await userId(me), pausedUntil).run();
    await summaryTicks(t0 + 28 * DAY, t0 + 42 * DAY, 3 * HOUR);
    expect((await summaries(me)).map((m) => new Date(m.created_at).toISOString())).toEqual(["2026-09-28T09:00:00.000Z", "2026-10-12T09:00:00.000Z"]);
  });

  it("shows the summary in 'settings' and the help, and 'summary at' moves the hour", async () => {
    const t0 = Date.parse("2026-11-25T15:00:00Z");
    const me = await user(t0, ["timezone Europe/Berlin", "summary day friday", "summary at 8"]);
    const saved = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(saved.text).toMatch(/weekly summary\s+Fridays at 08:00/);
    const next = await env.DB.prepare("SELECT next_summary_at FROM users WHERE email = ?1").bind(me).first<{ next_summary_at: number }>();
    expect(new Date(next!.next_summary_at).toISOString()).toBe("2026-11-27T07:00:00.000Z");
    await send(eml({ From: me, To: KITH, Subject: "summary day funday" }, ""), { now: t0 });
    const err = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(err.headers["X-Kith-Kind"]).toBe("help");
    expect(err.text).toContain("Which day?");
    expect(err.text).toMatch(/summary friday\s+the day it comes/);
    expect(await count("users", "email = ?1 AND summary_day = 5", me)).toBe(1);
  });
});
