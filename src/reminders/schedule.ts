import { DAY, HOUR, MINUTE } from "../lib/time";
import { type DeliveryPrefs, inQuiet, nextSlot, quietEndAfter } from "../users/delivery";

/** When a new connection's follow-up is due: the 24-hour rule, in the user's zone. */

/** A follow-up is never due in the first hour after the connection ... */
export const FOLLOW_UP_MIN_DELAY = HOUR;
/** ... and must reach the user within 24 h: the cron runs every 5 minutes, so a reminder
 * due at T goes out by T+5min; 10 minutes leaves as much again for slow delivery. */
export const FOLLOW_UP_MAX_DELAY = DAY - 10 * MINUTE;

/** When to remind the user to follow up with a connection made at `connectedAt`: within
 * [connectedAt + 1h, connectedAt + 24h - 10min]; at the user's delivery hour if one falls
 * in that window outside quiet hours, else at the earliest non-quiet instant in it, and
 * only if all of it is quiet (odd prefs, e.g. quiet 0→23) at its end. */
export function followUpDue(connectedAt: number, p: DeliveryPrefs): number {
  const from = connectedAt + FOLLOW_UP_MIN_DELAY;
  const to = connectedAt + FOLLOW_UP_MAX_DELAY;
  // At most one slot fits a window shorter than any local day; the bound is for odd zones.
  let slot = nextSlot(from, p);
  for (let i = 0; i < 3 && slot <= to; i++) {
    if (!inQuiet(slot, p)) return slot;
    slot = nextSlot(slot + 1, p);
  }
  const awake = quietEndAfter(from, p);
  return awake <= to ? awake : to;
}
