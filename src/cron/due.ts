import type { Deps } from "../core/deps";
import { JOB_LEASE_MS, enqueuedMark, enqueueJobs, noteFullScan, setEnqueuedMark } from "../reminders/jobs";
import { deliverFor } from "../reminders/deliver";
import { summaryFor } from "../summary/deliver";
import { dueReminderUsers, dueSummaryUsers, userById } from "../users/store";

/** Everyone with mail due at the tick: reminders (users.remind_at) and weekly summaries
 * (users.next_summary_at), each an index range over the users due. A few are served here, one after
 * another. More than QUEUE_THRESHOLD, with a queue bound: one job per user goes on the
 * queue (their summary flagged), each user leased in reminder_jobs so that ticks while
 * the job waits do not enqueue them again, and the watermark set. */

const USERS_PER_TICK = 200;
const SUMMARIES_PER_TICK = 100;
const MAX_JOBS_PER_TICK = 20_000;

export async function deliverDue(deps: Deps): Promise<{ reminders: number; summaries: number; enqueued: number }> {
  const { db } = deps;
  const now = deps.clock.now();
  // Users due by the last enqueuing tick are leased to the queue: only what fell due
  // since counts. (A lease that lapses unanswered is seen once the watermark lapses too,
  // or at the look at everyone due once a lease: at most one lease later.)
  const { mark, rescan } = deps.queue ? await enqueuedMark(db, now) : { mark: -1, rescan: false };
  const cap = deps.queue ? MAX_JOBS_PER_TICK : USERS_PER_TICK;
  const [dueReminders, dueSummaries] = await Promise.all([dueReminderUsers(db, now, cap, mark, now - JOB_LEASE_MS), dueSummaryUsers(db, now, cap, mark, now - JOB_LEASE_MS)]);
  // A user whose job still waits is left to it.
  const free = (rows: { user_id: number; leased: number }[]) => rows.filter((r) => !r.leased).map((r) => r.user_id);
  const reminderUsers = free(dueReminders);
  const summaryUsers = free(dueSummaries);
  const users = new Set([...reminderUsers, ...summaryUsers]);
  if (deps.queue && users.size > deps.config.queueThreshold) {
    const withSummary = new Set(summaryUsers);
    const jobs = [...users].slice(0, MAX_JOBS_PER_TICK).map((userId) => ({ userId, now, ...(withSummary.has(userId) && { summary: true }) }));
    const enqueued = await enqueueJobs(db, deps.queue, jobs);
    // Everyone due by now is in the queue, unless a cap left some for the next tick. A
    // user whose job was still waiting was left to a job made for an earlier time: what
    // fell due for them since must be seen once it is done, so the watermark does not
    // move past it (it stays where it was, and lapses with it).
    const capped = dueReminders.length >= MAX_JOBS_PER_TICK || dueSummaries.length >= MAX_JOBS_PER_TICK || users.size > MAX_JOBS_PER_TICK;
    const waiting = [...dueReminders, ...dueSummaries].some((r) => r.leased);
    if (!waiting || capped) await setEnqueuedMark(db, capped ? null : now, mark === -1 ? now : null);
    else if (rescan) await db.batch([noteFullScan(db, now)]);
    return { reminders: 0, summaries: 0, enqueued };
  }
  if (rescan) await db.batch([noteFullScan(db, now)]);
  let reminders = 0;
  for (const id of reminderUsers.slice(0, USERS_PER_TICK)) if (await deliverFor(deps, id)) reminders++;
  let summaries = 0;
  for (const id of summaryUsers.slice(0, SUMMARIES_PER_TICK)) {
    const user = await userById(db, id);
    if (user && (await summaryFor(deps, user, now))) summaries++;
  }
  return { reminders, summaries, enqueued: 0 };
}
