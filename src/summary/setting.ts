import type { User } from "../users/store";
import { nextSummarySlot, SUMMARY_OFF, summaryOff } from "./schedule";

/** "summary friday", "summary at 8", "summary off", "summary on": the new values and the
 * one statement that stores them with the next slot they give. Choosing a day or an hour
 * turns an "off" summary back on (a pause until a date stays). */
export function summarySetting(
  db: D1Database,
  user: User,
  cmd: { day?: number; hour?: number; off?: boolean },
  now: number,
): { user: User; statement: D1PreparedStatement } {
  const u: User = { ...user };
  if (cmd.day !== undefined) u.summary_day = cmd.day;
  if (cmd.hour !== undefined) u.summary_hour = cmd.hour;
  if (cmd.off === true) u.summary_paused_until = SUMMARY_OFF;
  else if (cmd.off === false || summaryOff(u)) u.summary_paused_until = null;
  u.next_summary_at = nextSummarySlot(u, now);
  const statement = db
    .prepare("UPDATE users SET summary_day = ?2, summary_hour = ?3, summary_paused_until = ?4, next_summary_at = ?5 WHERE id = ?1")
    .bind(u.id, u.summary_day, u.summary_hour, u.summary_paused_until, u.next_summary_at);
  return { user: u, statement };
}
