/** D1 faults at every call of the cron tick and of the queue consumer. A tick that
 * throws is followed by the next one (here: the same scheduled time, replayed once the
 * leases of the failed one have lapsed); a job that fails is redelivered by the queue. Each
 * must end as a clean run does: every due reminder and summary mailed once, none lost. */

import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { ReminderJob } from "../../src/core/deps";
import { tick } from "../../src/cron/tick";
import { consumeJobs } from "../../src/cron/consume";
import { atEveryCall, depsOn, dueUser, expectNoHarm, LEASES_LAPSED, MINUTE, type Run, type Scenario, T0 } from "./support";

vi.setConfig({ testTimeout: 60_000 });


/** The next tick: what the failed one left, finished (sends in flight, queued mail). */
const settle = async ({ apiKey }: Run<unknown>) => {
  await tick(depsOn(env.DB, apiKey, T0 + 10 * MINUTE, LEASES_LAPSED));
};

describe("a D1 fault at any call of the cron tick", () => {
  // (The week's claim is made in the batch that records the summary: before, a fault
  // between a claim of its own and that batch lost the week's summary, at 5 of 17 calls.)
  it("a due follow-up and a weekly summary: each mailed once", async () => {
    const s: Scenario<number> = {
      atomic: false,
      setup: (tag) => dueUser(tag, true),
      async act({ apiKey }, db, retry) {
        await tick(depsOn(db, apiKey, T0, retry ? LEASES_LAPSED : 0));
        return "ok";
      },
      settle,
    };
    expectNoHarm(await atEveryCall(s), 5);
  });
});

/** One job message for the user, as the tick enqueues it. */
function jobBatch(user: number, attempts: number) {
  return createMessageBatch<ReminderJob>("kith-reminders", [{ id: `job-${user}-${attempts}`, timestamp: new Date(T0), attempts, body: { userId: user, now: T0 } }]);
}

describe("a D1 fault at any call of the queue consumer", () => {
  it("the job is retried, and the redelivered job mails the reminder once", async () => {
    const s: Scenario<number> = {
      atomic: false,
      setup: (tag) => dueUser(tag, false),
      async act({ apiKey, ctx: user }, db, retry) {
        const batch = jobBatch(user, retry ? 2 : 1);
        await consumeJobs(batch, (now) => depsOn(db, apiKey, now, retry ? LEASES_LAPSED : 0));
        const result = await getQueueResult(batch, createExecutionContext());
        return result.explicitAcks.length === 1 ? "ok" : "retry";
      },
      settle,
    };
    expectNoHarm(await atEveryCall(s), 3);
  });
});
