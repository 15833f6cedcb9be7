import { DAY, DAY_NAMES } from "../lib/time";
import { atLocal, localTime, type Zone } from "../lib/zone";
import { prefsOf, zoneOf } from "../users/delivery";
import { PAUSED_UNTIL_RESUMED } from "../users/pause";
import { setNextSummaryAt } from "../users/store";
import type { User } from "../users/user";

/** When a user's weekly summary is due: their ISO weekday (1 = Monday) and local hour
 * (the delivery hour unless they chose one), in their zone, across DST changes. Pure
 * functions over an injected instant. */

/** "summary off": paused until 9999-12-31, a time no tick reaches ("summary on" clears it). */
export const SUMMARY_OFF = PAUSED_UNTIL_RESUMED;

/** Ticks missed for longer than this: that week's summary is dropped, not sent days late
 * (the next one is by then only a few days away). Sparse ticks, hours apart, are well
 * within it. */
export const SUMMARY_GRACE = 2 * DAY;

export function summaryZone(u: User): Zone {
  return zoneOf(prefsOf(u));
}

/** 1..7; a stored value out of range reads as Monday. */
export function summaryDay(u: User): number {
  return Number.isInteger(u.summary_day) && u.summary_day >= 1 && u.summary_day <= 7 ? u.summary_day : 1;
}

export function summaryHour(u: User): number {
  const h = u.summary_hour ?? u.deliver_hour;
  return Number.isInteger(h) && h >= 0 && h <= 23 ? h : 9;
}

/** The slot on the local date k days from t's local date. */
function slotAt(u: User, z: Zone, t: number, k: number): number {
  const l = localTime(t, z);
  return atLocal(z, l.year, l.month, l.day + k, summaryHour(u));
}

/** The first summary slot strictly after t. */
export function nextSummarySlot(u: User, t: number): number {
  const z = summaryZone(u);
  const ahead = (summaryDay(u) - localTime(t, z).weekday + 7) % 7;
  // A slot earlier today is past: a week on. The third try is for zones that skip a date.
  for (const k of [ahead, ahead + 7, ahead + 14]) {
    const slot = slotAt(u, z, t, k);
    if (slot > t) return slot;
  }
  return t + 7 * DAY;
}

/** The latest summary slot at or before t. */
export function lastSummarySlot(u: User, t: number): number {
  const z = summaryZone(u);
  const back = (localTime(t, z).weekday - summaryDay(u) + 7) % 7;
  for (const k of [back, back + 7, back + 14]) {
    const slot = slotAt(u, z, t, -k);
    if (slot <= t) return slot;
  }
  return t - 7 * DAY;
}

/** The local ISO week of t ("2026-W48"): the key that allows one summary per week. */
export function isoWeek(t: number, z: Zone): string {
  const l = localTime(t, z);
  // The ISO year and week are those of the Thursday of t's (Monday-based) week.
  const thursday = new Date(0);
  thursday.setUTCFullYear(l.year, l.month - 1, l.day + 4 - l.weekday);
  const year = thursday.getUTCFullYear();
  const jan1 = new Date(0);
  jan1.setUTCFullYear(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1.getTime()) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export function summaryOff(u: Pick<User, "summary_paused_until">): boolean {
  return u.summary_paused_until !== null && u.summary_paused_until >= SUMMARY_OFF;
}

/** For the settings mail: "Mondays at 09:00", "off". */
export function describeSummary(u: User): string {
  if (summaryOff(u)) return "off";
  const when = `${DAY_NAMES[summaryDay(u) - 1]}s at ${String(summaryHour(u)).padStart(2, "0")}:00`;
  if (u.summary_paused_until === null) return when;
  const l = localTime(u.summary_paused_until, summaryZone(u));
  return `${when}, paused until ${l.year}-${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`;
}

/** Store when the next summary is due, from the user's current preferences: at sign-up
 * and whenever a setting it depends on changes. */
export function scheduleSummary(db: D1Database, u: User, now: number): D1PreparedStatement {
  return setNextSummaryAt(db, u.id, nextSummarySlot(u, now));
}

/** "summary friday", "summary at 8", "summary off", "summary on": the user with the new
 * values and the next slot they give (users/store setSummarySchedule stores them).
 * Choosing a day or an hour turns an "off" summary back on (a pause until a date stays). */
export function withSummarySetting(user: User, cmd: { day?: number; hour?: number; off?: boolean }, now: number): User {
  const u: User = { ...user };
  if (cmd.day !== undefined) u.summary_day = cmd.day;
  if (cmd.hour !== undefined) u.summary_hour = cmd.hour;
  if (cmd.off === true) u.summary_paused_until = SUMMARY_OFF;
  else if (cmd.off === false || summaryOff(u)) u.summary_paused_until = null;
  u.next_summary_at = nextSummarySlot(u, now);
  return u;
}
