import type { Deps } from "../core/deps";
import { log } from "../lib/log";
import { deliverFor } from "../reminders/deliver";
import { releaseJob, ReminderJobSchema } from "../reminders/jobs";
import { summaryFor } from "../summary/deliver";
import { userById } from "../users/store";

/** The consumer: one user's due mail per job, their weekly summary first when it is
 * due, then their reminder mail. A job that fails is retried with backoff; after
 * max_retries the queue moves it to the dead-letter queue, and once its lease lapses a
 * tick enqueues the user again. `depsAt` gives the job's clock: the tick's time it was
 * enqueued for. */
export async function consumeJobs(batch: MessageBatch<unknown>, depsAt: (now: number) => Deps): Promise<void> {
  for (const msg of batch.messages) {
    const job = ReminderJobSchema.safeParse(msg.body);
    if (!job.success) {
      log.error("reminder job dropped: not a job", { id: msg.id, body: JSON.stringify(msg.body).slice(0, 200) });
      msg.ack();
      continue;
    }
    const { userId, now, summary } = job.data;
    const deps = depsAt(now);
    try {
      if (summary) {
        const user = await userById(deps.db, userId);
        if (user) await summaryFor(deps, user, now);
      }
      // The lease is released in the delivery's last batch: done once its work is.
      await deliverFor(deps, userId, [releaseJob(deps.db, userId, now)]);
      msg.ack();
    } catch (err) {
      log.error("reminder job failed", { id: msg.id, userId, attempt: msg.attempts, error: err });
      msg.retry({ delaySeconds: Math.min(3600, 30 * 2 ** Math.max(0, msg.attempts - 1)) });
    }
  }
}
