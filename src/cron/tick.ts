import type { Deps } from "../core/deps";
import { HOUR, MINUTE } from "../lib/time";
import { pruneLimits } from "../account/limits";
import { pruneLoginLinks } from "../account/login";
import { pruneSessions } from "../account/sessions";
import { expireHeld } from "../received/held";
import { flushOutbound } from "../mail-out/outbound";
import { deliverDue } from "./due";

export interface TickResult {
  reminders: number;
  enqueued: number;
  summaries: number;
  sent: number;
  expired: number;
}

/** Everything due by the tick's time (the cron's scheduledTime, deps.clock.now): any
 * tick does all due work and catches up on missed ones, whatever cron expression fired
 * it. Held mail expires, reminders and summaries go out, failed sends are retried. */
/** The first five minutes of each hour: one tick of the five-minute cron. */
const PRUNE_WINDOW = 5 * MINUTE;

export async function tick(deps: Deps): Promise<TickResult> {
  const now = deps.clock.now();
  const expired = await expireHeld(deps.db, now);
  const { reminders, summaries, enqueued } = await deliverDue(deps);
  const sent = await flushOutbound(deps.db, deps.mailer, now, deps.clock.wall(), deps.attach);
  // Sign-in state past its use (expired sessions, old links, old rate-limit windows),
  // once an hour: the cron fires every five minutes, and an idle tick stays a handful
  // of rows.
  if (now % HOUR < PRUNE_WINDOW) await deps.db.batch([pruneLimits(deps.db, now), pruneSessions(deps.db, now), pruneLoginLinks(deps.db, now)]);
  return { reminders, enqueued, summaries, sent, expired };
}
