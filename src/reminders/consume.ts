import type { Deps } from "../inbound/intake";
import { userById } from "../users/store";
import { deliverFor } from "./deliver";
import { ReminderJob } from "./jobs";

/** The consumer: one user's reminder mail per job. A job that fails is retried with
 * backoff; after max_retries the queue moves it to the dead-letter queue. */
export async function consumeJobs(batch: MessageBatch<unknown>, depsAt: (now: number) => Deps): Promise<void> {
  for (const msg of batch.messages) {
    const job = ReminderJob.safeParse(msg.body);
    if (!job.success) {
      console.error(`reminder job ${msg.id}: not a job, dropped: ${JSON.stringify(msg.body).slice(0, 200)}`);
      msg.ack();
      continue;
    }
    const deps = depsAt(job.data.now);
    try {
      const user = await userById(deps.db, job.data.userId);
      if (user) await deliverFor(deps, user, job.data.now);
      await deps.db.prepare("DELETE FROM reminder_jobs WHERE user_id = ?1 AND enqueued_at <= ?2").bind(job.data.userId, job.data.now).run();
      msg.ack();
    } catch (err) {
      console.error(`reminder job ${msg.id} for user ${job.data.userId} failed (attempt ${msg.attempts}): ${String(err)}`);
      msg.retry({ delaySeconds: Math.min(3600, 30 * 2 ** Math.max(0, msg.attempts - 1)) });
    }
  }
}
