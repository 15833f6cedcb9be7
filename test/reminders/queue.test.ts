/** Scale-out: a tick over the threshold hands per-user jobs to the Queue (simulated by
 * the Workers runtime) and this Worker's queue() consumer sends them, once each. */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect, it, vi } from "vitest";
import worker from "../../src/index";
import type { Deps, ReminderJob } from "../../src/core/deps";
import { consumeJobs } from "../../src/cron/consume";
import { enqueuedMark } from "../../src/reminders/jobs";
import { DUE_REMINDERS } from "../../src/users/store";
import { tick } from "../../src/cron/tick";
import { newId } from "../../src/lib/ids";
import { at, config, count, deps, eml, outbox, send, userId } from "../support/mail";
import { DAY, uniq } from "../support/clock";

vi.setConfig({ testTimeout: 30_000 });

const KITH = "kith@kith.test";
const queue = env.REMINDER_QUEUE as Queue<ReminderJob>;

/** `n` users, each with a follow-up due; returns their addresses and the due time. */
async function dueUsers(n: number, t0: number): Promise<{ users: string[]; due: number }> {
  const users: string[] = [];
  for (let i = 0; i < n; i++) {
    const me = `q${i}-${uniq()}@example.com`;
    await send(eml({ From: me, To: KITH, Subject: "hello", Date: new Date(t0).toUTCString() }, "hi"), { now: t0 });
    await send(eml({ From: me, To: KITH, Subject: "Met at PyCon", Date: new Date(t0).toUTCString() }, "Jane Smith\njane@acme.com"), { now: t0 });
    users.push(me);
  }
  const ids = await Promise.all(users.map(userId));
  const row = await env.DB.prepare("SELECT max(due_at) AS due FROM reminders WHERE kind = 'follow-up' AND user_id IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(ids)).first<{ due: number }>();
  return { users, due: row!.due };
}

const remindersTo = async (users: string[]) => (await outbox()).filter((m) => users.includes(m.to) && m.headers["X-Kith-Kind"] === "reminder");

it("enqueues one job per user over the threshold, and the consumer sends each once", async () => {
  const t0 = Date.parse("2026-11-26T09:00:00Z");
  const { users, due } = await dueUsers(4, t0);
  const d: Deps = { ...deps({ queueThreshold: 2 }, () => due), queue };
  const first = await tick(d);
  expect(first).toMatchObject({ reminders: 0, enqueued: 4 });
  // Leased to the queue: the next tick does not enqueue them again.
  expect((await tick(at(d, due + 5 * 60_000))).enqueued).toBe(0);

  // The runtime delivers the jobs to this Worker's queue() handler.
  await vi.waitUntil(async () => (await remindersTo(users)).length === 4, { timeout: 20_000, interval: 250 });
  expect(await count("reminder_jobs", `user_id IN (${(await Promise.all(users.map(userId))).join(",")})`)).toBe(0);

  // At-least-once: the same jobs delivered again send nothing more.
  const ids = await Promise.all(users.map(userId));
  const batch = createMessageBatch<ReminderJob>("kith-reminders", ids.map((id, i) => ({ id: `dup-${i}`, timestamp: due, attempts: 2, body: { userId: id, now: due } })));
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  expect(result.explicitAcks.sort()).toEqual(ids.map((_, i) => `dup-${i}`).sort());
  expect(await remindersTo(users)).toHaveLength(4);
});

it("while jobs wait in the queue, a tick reads only what fell due since it enqueued them", async () => {
  const t0 = Date.parse("2026-11-28T09:00:00Z");
  const { users, due } = await dueUsers(4, t0);
  const d: Deps = { ...deps({ queueThreshold: 2 }, () => due), queue };
  expect((await tick(d)).enqueued).toBe(4);
  // Measured while the leased reminders are still pending (before the consumer has run).
  const later = due + 5 * 60_000;
  const { mark } = await enqueuedMark(env.DB, later);
  expect(mark).toBe(due);
  const rows = async (after: number) => (await env.DB.prepare(DUE_REMINDERS).bind(later, 20_000, after, 0).all()).meta.rows_read;
  // From the watermark: next to nothing, however many leased reminders wait below it.
  expect(await rows(mark)).toBeLessThanOrEqual(2);
  expect(await rows(-1)).toBeGreaterThanOrEqual(4);
  await vi.waitUntil(async () => (await remindersTo(users)).length === 4, { timeout: 20_000, interval: 250 });
  // Someone who falls due after it is still found, and the watermark lapses with the leases.
  const { users: late, due: lateDue } = await dueUsers(1, t0 + 60_000);
  expect(lateDue).toBeGreaterThan(due);
  expect(await dueUsersAfter(lateDue, mark)).toContain(await userId(late[0]!));
  expect((await enqueuedMark(env.DB, due + 11 * 60_000)).mark).toBe(-1);
  // (Its follow-up is sent here, so that the tests after this one start with nothing due.)
  await tick({ ...deps({ queueThreshold: 5 }, () => lateDue), queue });
});

const dueUsersAfter = async (now: number, after: number) => (await env.DB.prepare(DUE_REMINDERS).bind(now, 20_000, after, 0).all<{ user_id: number }>()).results.map((r) => r.user_id);

it("keeps small ticks inline", async () => {
  const t0 = Date.parse("2026-11-27T09:00:00Z");
  const { users, due } = await dueUsers(2, t0);
  const result = await tick({ ...deps({ queueThreshold: 5 }, () => due), queue });
  expect(result).toMatchObject({ reminders: 2, enqueued: 0 });
  expect(await remindersTo(users)).toHaveLength(2);
});

it("retries a job that fails with backoff, and drops a message that is not a job", async () => {
  const broken = new Proxy(env.DB, {
    get: (db, key) => (key === "prepare" ? () => { throw new Error("D1_ERROR: overloaded"); } : Reflect.get(db, key)),
  });
  const batch = createMessageBatch<unknown>("kith-reminders", [
    { id: "job", timestamp: Date.now(), attempts: 3, body: { userId: 42, now: Date.now() } },
    { id: "junk", timestamp: Date.now(), attempts: 1, body: "hello" },
  ]);
  await consumeJobs(batch, () => ({ ...deps(), db: broken }));
  const result = await getQueueResult(batch, createExecutionContext());
  expect(result.explicitAcks).toEqual(["junk"]);
  // (The local runtime does not report the retry's delay; the queue applies it.)
  expect(result.retryMessages).toEqual([expect.objectContaining({ msgId: "job" })]);
});

it("weekly summaries over the threshold go through the queue too, and each is sent once", async () => {
  // Tuesday 5 January 2027, 10:00 UTC: every user's summary slot.
  const slot = Date.parse("2027-01-05T10:00:00Z");
  const users: string[] = [];
  for (let i = 0; i < 4; i++) {
    const me = `s${i}-${uniq()}@example.com`;
    const date = new Date(slot - 3 * 86_400_000).toUTCString().replace("GMT", "+0000");
    for (const subject of ["hello", "summary tuesday at 10am"]) {
      expect((await send(eml({ From: me, To: KITH, Subject: subject, Date: date }, "hi"), { now: slot - 3 * 86_400_000 })).outcome).toBe("applied");
    }
    users.push(me);
  }
  const ids = await Promise.all(users.map(userId));
  const summariesTo = async () => (await outbox()).filter((m) => users.includes(m.to) && m.headers["X-Kith-Kind"] === "weekly-summary");
  const d: Deps = { ...deps({ queueThreshold: 2 }, () => slot), queue };
  // Two ticks for the same scheduled time at once: one enqueues everyone, the other
  // finds them leased.
  const [a, b] = await Promise.all([tick(d), tick(d)]);
  expect(a.summaries + b.summaries).toBe(0);
  expect(a.enqueued + b.enqueued).toBeGreaterThanOrEqual(4);
  expect((await tick(at(d, slot + 5 * 60_000))).enqueued).toBe(0);
  await vi.waitUntil(async () => (await summariesTo()).length === 4, { timeout: 20_000, interval: 250 });

  // The same jobs delivered again, and a late tick: nothing more.
  const batch = createMessageBatch<ReminderJob>("kith-reminders", ids.map((id, i) => ({ id: `sdup-${i}`, timestamp: slot, attempts: 2, body: { userId: id, now: slot, summary: true } })));
  await worker.queue(batch, env);
  expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toHaveLength(4);
  await tick({ ...deps({ queueThreshold: 50 }, () => slot + 20 * 60_000), queue });
  const sent = await summariesTo();
  expect(sent).toHaveLength(4);
  expect(new Set(sent.map((m) => m.to))).toEqual(new Set(users));
});

it("a user whose job still waits when more of theirs falls due is not hidden by the watermark", async () => {
  // The Queues service is not under test here: a stand-in that keeps the jobs, so that
  // they run when the test says.
  const held: ReminderJob[] = [];
  const slow = { sendBatch: async (msgs: { body: ReminderJob }[]) => void held.push(...msgs.map((m) => m.body)) } as unknown as Queue<ReminderJob>;
  const t0 = Date.parse("2026-12-01T09:00:00Z");
  const { users, due } = await dueUsers(3, t0);
  const d: Deps = { ...deps({ queueThreshold: 2 }, () => due), queue: slow };
  expect((await tick(d)).enqueued).toBe(3);
  // Ann's job waits; meanwhile another reminder of hers falls due, and three new users
  // make the next tick enqueue again (and move the watermark).
  const ann = await userId(users[0]!);
  const later = due + 2 * 60_000;
  // (A follow-up: unlike other kinds, it never rides along with an earlier mail.)
  await env.DB.prepare(
    "INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at) SELECT ?1, ?2, id, 'follow-up', ?3, 'pending', ?3 FROM contacts WHERE user_id = ?2 LIMIT 1",
  )
    .bind(newId(), ann, later)
    .run();
  await dueUsers(3, t0 + 60_000);
  expect((await tick(at(d, due + 5 * 60_000))).enqueued).toBe(3);
  // Ann's first job runs (at its tick's time, before the new reminder), then the next tick.
  const batch = createMessageBatch<ReminderJob>("kith-reminders", held.filter((j) => j.userId === ann).map((body, i) => ({ id: `ann-${i}`, timestamp: due, attempts: 1, body })));
  await consumeJobs(batch, (now) => at(deps(), now));
  await tick({ ...at(d, due + 9 * 60_000), config: config({ queueThreshold: 50 }) });
  const row = await env.DB.prepare(
    "SELECT r.status, u.remind_at FROM reminders r JOIN users u ON u.id = r.user_id WHERE r.user_id = ?1 AND r.kind = 'follow-up' AND r.created_at = ?2",
  )
    .bind(ann, later)
    .first<{ status: string; remind_at: number }>();
  // Handled by that tick: sent, or waiting for her next delivery slot; not left behind.
  expect(row!.status !== "pending" || row!.remind_at > due + 9 * 60_000).toBe(true);
});

it("a user the watermark passed over (a pause lifted while jobs waited) is looked at within a lease, however busy the ticks", async () => {
  const held: ReminderJob[] = [];
  const slow = { sendBatch: async (msgs: { body: ReminderJob }[]) => void held.push(...msgs.map((m) => m.body)) } as unknown as Queue<ReminderJob>;
  const t0 = Date.parse("2026-12-03T09:00:00Z");
  const { users, due } = await dueUsers(1, t0);
  const bea = await userId(users[0]!);
  await send(eml({ From: users[0]!, To: KITH, Subject: "pause reminders" }, ""), { now: due - 60_000 });
  const d: Deps = { ...deps({ queueThreshold: 0 }, () => due), queue: slow };
  // Every tick enqueues someone new, so the watermark moves on each time.
  const busy = async (t: number) => {
    const someone = `busy-${uniq()}@example.com`;
    await send(eml({ From: someone, To: KITH, Subject: "hello" }, "hi"), { now: t - DAY });
    await env.DB.prepare("INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at, what) VALUES (?1, ?2, NULL, 'remind', ?3, 'pending', ?3, 'call')")
      .bind(newId(), await userId(someone), t - 1000)
      .run();
    return tick(at(d, t));
  };
  await busy(due);
  await send(eml({ From: users[0]!, To: KITH, Subject: "resume" }, ""), { now: due + 60_000 });
  for (let t = due + 5 * 60_000; t <= due + 20 * 60_000; t += 5 * 60_000) await busy(t);
  expect(held.filter((j) => j.userId === bea && j.now > due)).not.toHaveLength(0);
});
