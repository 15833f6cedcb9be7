import { z } from "zod";
import type { ReminderJob } from "../core/deps";

/** Scale-out on Cloudflare Queues. A tick with more users due than QUEUE_THRESHOLD
 * enqueues one job per user (src/cron/due.ts); the queue() consumer of this same Worker
 * runs the same per-user delivery (src/cron/consume.ts). Delivery is at-least-once, and
 * that is safe: a job records a mail only for reminders still pending (a summary only
 * for a week not yet claimed), and the mail's id is its Resend idempotency key, so a
 * duplicate job sends nothing. The only module that writes reminder_jobs
 * (the users handed to the queue, leased for JOB_LEASE_MS) and tick_marks (the watermark
 * of the last tick that handed the queue everyone due). */

export const ReminderJobSchema = z.object({
  userId: z.number().int().positive(),
  now: z.number().int().nonnegative(),
  summary: z.boolean().optional(),
}) satisfies z.ZodType<ReminderJob>;

/** How long a user handed to the queue is left to it before a tick enqueues them again. */
export const JOB_LEASE_MS = 10 * 60_000;
const SEND_BATCH = 100; // Queues' sendBatch limit

export async function enqueueJobs(db: D1Database, queue: Queue<ReminderJob>, jobs: ReminderJob[]): Promise<number> {
  for (let i = 0; i < jobs.length; i += SEND_BATCH) {
    const chunk = jobs.slice(i, i + SEND_BATCH);
    await queue.sendBatch(chunk.map((body) => ({ body, contentType: "json" as const })));
    // Leases after the send: if recording fails, a second job is harmless; the reverse
    // order could leave users leased but never enqueued.
    for (let k = 0; k < chunk.length; k += 45) {
      const part = chunk.slice(k, k + 45);
      await db
        .prepare(`INSERT OR REPLACE INTO reminder_jobs (user_id, enqueued_at) VALUES ${part.map((_, j) => `(?${2 * j + 1}, ?${2 * j + 2})`).join(", ")}`)
        .bind(...part.flatMap((job) => [job.userId, job.now]))
        .run();
    }
  }
  return jobs.length;
}

/** The consumer is done with this user's job: the next tick may enqueue them again. */
export function releaseJob(db: D1Database, userId: number, now: number): D1PreparedStatement {
  return db.prepare("DELETE FROM reminder_jobs WHERE user_id = ?1 AND enqueued_at <= ?2").bind(userId, now);
}

export function deleteJob(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM reminder_jobs WHERE user_id = ?1").bind(userId);
}

/** The watermark: a tick at `at` handed every user due by then to the queue. While their
 * leases hold (JOB_LEASE_MS), later ticks need look only at what falls due after it;
 * once they lapse, or when time runs backwards (a replayed tick), it counts for nothing.
 * Busy ticks that each enqueue again keep it alive, so once a lease after the last tick
 * that looked at everyone, a tick looks at everyone again (`rescan`): whatever came to
 * lie below the watermark (a pause lifted while jobs waited) waits one lease at most. */
export async function enqueuedMark(db: D1Database, now: number): Promise<{ mark: number; rescan: boolean }> {
  const row = await db
    .prepare("SELECT (SELECT at FROM tick_marks WHERE name = 'enqueued') AS at, (SELECT at FROM tick_marks WHERE name = 'scanned') AS scanned")
    .first<{ at: number | null; scanned: number | null }>();
  const live = (t: number | null | undefined): t is number => t !== null && t !== undefined && t <= now && now - t < JOB_LEASE_MS;
  if (!live(row?.at)) return { mark: -1, rescan: false };
  return live(row.scanned) ? { mark: row.at, rescan: false } : { mark: -1, rescan: true };
}

/** After a tick that handed the queue everyone due by `at` (null: it could not, so no
 * watermark), and whether that tick looked at everyone (`scanned`). */
export async function setEnqueuedMark(db: D1Database, at: number | null, scanned: number | null): Promise<void> {
  const statements = [
    at === null
      ? db.prepare("DELETE FROM tick_marks WHERE name = 'enqueued'")
      : db.prepare("INSERT INTO tick_marks (name, at) VALUES ('enqueued', ?1) ON CONFLICT (name) DO UPDATE SET at = excluded.at").bind(at),
  ];
  if (scanned !== null) statements.push(noteFullScan(db, scanned));
  await db.batch(statements);
}

/** A tick at `at` looked at everyone due (see enqueuedMark). */
export function noteFullScan(db: D1Database, at: number): D1PreparedStatement {
  return db.prepare("INSERT INTO tick_marks (name, at) VALUES ('scanned', ?1) ON CONFLICT (name) DO UPDATE SET at = excluded.at").bind(at);
}
