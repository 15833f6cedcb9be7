import type { Deps } from "../core/deps";
import { log } from "../lib/log";
import { userById } from "../users/store";
import { deliverFor } from "./deliver";
import { releaseJob, ReminderJobSchema } from "./jobs";

/** The consumer: one user's reminder mail per job. A job that fails is retried with
 * backoff; after max_retries the queue moves it to the dead-letter queue. `depsAt` gives
 * the job's clock: the tick's time it was enqueued for. */
export async function consumeJobs(batch: MessageBatch<unknown>, depsAt: (now: number) => Deps): Promise<void> {
  for (const msg of batch.messages) {
    const job = ReminderJobSchema.safeParse(msg.body);
    if (!job.success) {
      log.error("reminder job dropped: not a job", { id: msg.id, body: JSON.stringify(msg.body).slice(0, 200) });
      msg.ack();
      continue;
    }
    const deps = depsAt(job.data.now);
    try {
      const user = await userById(deps.db, job.data.userId);
      if (user) await deliverFor(deps, user);
      await releaseJob(deps.db, job.data.userId, job.data.now);
      msg.ack();
    } catch (err) {
      log.error("reminder job failed", { id: msg.id, userId: job.data.userId, attempt: msg.attempts, error: err });
      msg.retry({ delaySeconds: Math.min(3600, 30 * 2 ** Math.max(0, msg.attempts - 1)) });
    }
  }
}
