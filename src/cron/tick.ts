import type { Deps } from "../inbound/intake";
import { flushOutbound } from "../mail-out/outbound";
import { deliverSummaries } from "../summary/deliver";
import { deliverReminders } from "../reminders/deliver";

/** Uses the partial index held_messages_expiry: no scan of old held mail. */
export const EXPIRE_HELD = "UPDATE held_messages SET status = 'expired' WHERE status = 'held' AND expires_at < ?1";

/** Everything due by `now` (the cron's scheduledTime): any tick does all due work and
 * catches up on missed ones, whatever cron expression fired it. */
export async function tick(deps: Deps, now: number): Promise<{ reminders: number; enqueued: number; sent: number; expired: number }> {
  const expired = await deps.db
    .prepare(EXPIRE_HELD)
    .bind(now)
    .run();
  const { mails, enqueued } = await deliverReminders(deps, now);
  await deliverSummaries(deps, now);
  const sent = await flushOutbound(deps.db, deps.mailer, now);
  return { reminders: mails, enqueued, sent, expired: expired.meta.changes };
}
