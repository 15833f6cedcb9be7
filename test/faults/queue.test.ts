/** The reminder queue at its worst: a consumer that dies mid-batch, the same job
 * delivered again (and twice at once), and jobs that never complete (retries used up,
 * dead-lettered). Queues are at-least-once: no user may get a reminder twice, and none
 * may be forgotten; the next tick enqueues (or sends) what a lost job left. */

import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { ReminderJob } from "../../src/core/deps";
import { tick } from "../../src/cron/tick";
import { consumeJobs } from "../../src/cron/consume";
import { deliveredEmails, newApiKey } from "../mail-out/resend-control";
import { FaultyD1 } from "../support/faulty-d1";
import { uniq } from "../support/clock";
import { depsOn, dueUser, expectOneKeyPerMail, LEASES_LAPSED, MINUTE, T0 } from "./support";

vi.setConfig({ testTimeout: 30_000 });

function batchOf(users: number[], attempts: number, now = T0) {
  return createMessageBatch<ReminderJob>(
    "kith-reminders",
    users.map((userId) => ({ id: `job-${userId}-${attempts}-${uniq()}`, timestamp: new Date(now), attempts, body: { userId, now } })),
  );
}

/** The reminders Resend delivered, per user address. */
async function remindersByUser(apiKey: string): Promise<Map<string, number>> {
  const n = new Map<string, number>();
  for (const { body } of await deliveredEmails(apiKey)) {
    if ((body.headers as Record<string, string>)["X-Kith-Kind"] === "reminder") n.set(String(body.to), (n.get(String(body.to)) ?? 0) + 1);
  }
  return n;
}

const addresses = async (ids: number[]) =>
  (await env.DB.prepare("SELECT email FROM users WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY email").bind(JSON.stringify(ids)).all<{ email: string }>()).results.map((r) => r.email);

describe("a consumer that dies mid-batch", () => {
  it("at any D1 call: the batch redelivered whole, every user gets one reminder", async () => {
    // How many calls a batch of two jobs makes, clean.
    const calls = await (async () => {
      const users = [await dueUser(uniq(), false), await dueUser(uniq(), false)];
      const counted = new FaultyD1(env.DB);
      await consumeJobs(batchOf(users, 1), (now) => depsOn(counted.binding, newApiKey(), now));
      return counted.calls;
    })();
    expect(calls).toBeGreaterThanOrEqual(3);
    for (let at = 1; at <= calls; at++) {
      const apiKey = newApiKey();
      const users = [await dueUser(uniq(), false), await dueUser(uniq(), false)];
      // D1 gone from call `at` on: the jobs before it are done and acked, the rest retried.
      const dying = new FaultyD1(env.DB, { at, mode: "down" });
      const first = batchOf(users, 1);
      await consumeJobs(first, (now) => depsOn(dying.binding, apiKey, now));
      const result = await getQueueResult(first, createExecutionContext());
      expect(result.explicitAcks.length + result.retryMessages.length, `fault at ${at}`).toBe(2);
      expect(result.retryMessages.length, `fault at ${at}`).toBeGreaterThan(0);
      // At-least-once: a dying invocation's acks may be lost too; both come again.
      await consumeJobs(batchOf(users, 2), (now) => depsOn(env.DB, apiKey, now, LEASES_LAPSED));
      await tick(depsOn(env.DB, apiKey, T0 + 10 * MINUTE, LEASES_LAPSED));
      const sent = await remindersByUser(apiKey);
      expect(Object.fromEntries(sent), `fault at ${at}`).toEqual(Object.fromEntries((await addresses(users)).map((a) => [a, 1])));
      await expectOneKeyPerMail(apiKey);
    }
  });
});

describe("the same job again", () => {
  it("redelivered after it was done, or twice at once: one reminder", async () => {
    const apiKey = newApiKey();
    const [a, b] = [await dueUser(uniq(), false), await dueUser(uniq(), false)];
    // a: done, then the same job again.
    await consumeJobs(batchOf([a], 1), (now) => depsOn(env.DB, apiKey, now));
    await consumeJobs(batchOf([a], 2), (now) => depsOn(env.DB, apiKey, now));
    // b: two copies of the job delivered to two consumers at the same moment.
    const twice = [batchOf([b], 1), batchOf([b], 1)];
    await Promise.all(twice.map((batch) => consumeJobs(batch, (now) => depsOn(env.DB, apiKey, now))));
    for (const batch of twice) expect((await getQueueResult(batch, createExecutionContext())).explicitAcks).toHaveLength(1);
    expect(Object.fromEntries(await remindersByUser(apiKey))).toEqual(Object.fromEntries((await addresses([a, b])).map((x) => [x, 1])));
    await expectOneKeyPerMail(apiKey);
  });
});

describe("a dead-lettered job", () => {
  it("the user is not forgotten: once the job's lease lapses, the next tick enqueues them again", async () => {
    const apiKey = newApiKey();
    const users = [await dueUser(uniq(), false), await dueUser(uniq(), false)];
    // A queue whose messages never reach a consumer that finishes them: every try failed
    // and they went to kith-reminders-dlq, which nothing reads.
    const lost: ReminderJob[] = [];
    const queue = {
      send: async (body: ReminderJob) => void lost.push(body),
      sendBatch: async (messages: Iterable<MessageSendRequest<ReminderJob>>) => void lost.push(...[...messages].map((m) => m.body)),
    } as unknown as Queue<ReminderJob>;
    const tickAt = (t: number) => tick({ ...depsOn(env.DB, apiKey, t), queue, config: { ...depsOn(env.DB, apiKey, t).config, queueThreshold: 0 } });
    expect((await tickAt(T0)).enqueued).toBeGreaterThanOrEqual(2);
    const mine = (jobs: ReminderJob[]) => jobs.filter((j) => users.includes(j.userId));
    expect(mine(lost)).toHaveLength(2);
    // While the lease holds, ticks leave them to the queue.
    await tickAt(T0 + 5 * MINUTE);
    expect(mine(lost)).toHaveLength(2);
    // The lease lapses (ten minutes): they are enqueued again, and this time the job runs.
    lost.length = 0;
    await tickAt(T0 + 15 * MINUTE);
    const again = mine(lost);
    expect(again.map((j) => j.userId).sort()).toEqual([...users].sort());
    await consumeJobs(batchOf(again.map((j) => j.userId), 1, again[0]!.now), (now) => depsOn(env.DB, apiKey, now));
    expect(Object.fromEntries(await remindersByUser(apiKey))).toEqual(Object.fromEntries((await addresses(users)).map((x) => [x, 1])));
    await expectOneKeyPerMail(apiKey);
  });
});
