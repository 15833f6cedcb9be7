import * as chrono from "chrono-node";
import { DAY } from "../lib/time";
import { localTime, type Zone } from "../lib/zone";

/** Reading "plan PyCon on May 14: meet two people working on payments", "plan Web
 * Summit Nov 10-13", "plan PyCon from May 14 to May 16: …": the event, its first and
 * last day (local dates, YYYY-MM-DD) and the goal. */

export interface PlanWords {
  event: string;
  firstDay: string;
  lastDay: string;
  goal: string | null;
}

const MAX_EVENT = 120;
const MAX_GOAL = 500;
const MAX_DAYS = 31;

const iso = (y: number, m: number, d: number) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** The head ("PyCon on May 14") and goal of a plan: the goal follows the first colon
 * that is not inside a time ("9:30"). */
export function splitGoal(text: string): { head: string; goal: string | null } {
  const m = /^(.*?)(?::(?!\d)|(?<!\d):)\s*(.*)$/s.exec(text);
  if (!m) return { head: text.trim(), goal: null };
  return { head: m[1]!.trim(), goal: m[2]!.replace(/\s+/g, " ").trim().slice(0, MAX_GOAL) || null };
}

/** Whether the words name a day at all (read without the user's zone, to tell a plan
 * from a subject that begins with "plan"). */
export function hasDay(head: string): boolean {
  return chrono.casual.parse(head, new Date(), { forwardDate: true }).some((r) => r.start.isCertain("day") || r.start.isCertain("weekday"));
}

/** The plan, or why it cannot be one. Days count from today in the user's zone. */
export function readPlan(text: string, now: number, zone: Zone): PlanWords | { reason: string } {
  const { head, goal } = splitGoal(text);
  const l = localTime(now, zone);
  const wall = new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute));
  const days = (t: string) => chrono.casual.parse(t, { instant: wall, timezone: 0 }, { forwardDate: true }).find((r) => r.start.isCertain("day") || r.start.isCertain("weekday"));
  let found = days(head.slice(0, 200));
  // "PyCon 2026 Dec 14-16": the year is the edition's name, the days follow it.
  const edition = found && /^\d{4}\s+/.exec(found.text);
  if (found && edition) {
    const offset = found.index + edition[0].length;
    const rest = days(head.slice(offset, 200));
    if (rest) found = Object.assign(rest, { index: rest.index + offset });
  }
  if (!found) return { reason: `Kith could not find the day of the event in "${head.slice(0, 80)}".` };
  const day = (c: chrono.ParsedComponents) => Date.UTC(c.get("year")!, c.get("month")! - 1, c.get("day")!);
  const first = day(found.start);
  const last = found.end ? day(found.end) : first;
  const today = Date.UTC(l.year, l.month - 1, l.day);
  if (last < today) return { reason: `${found.text} is already over.` };
  if (last < first || (last - first) / DAY >= MAX_DAYS) return { reason: `"${found.text}" does not read as the days of one event (at most ${MAX_DAYS} days).` };
  const before = head.slice(0, found.index).replace(/\s*(?:\b(?:on|from|at|for)\b|[,(–—-])\s*$/i, "").trim();
  const after = head.slice(found.index + found.text.length).replace(/^[\s,)]+/, "").trim();
  const event = (before || after).replace(/\s+/g, " ").slice(0, MAX_EVENT);
  if (!event) return { reason: 'Which event? Try "plan PyCon on May 14: meet two people working on payments".' };
  const d = (t: number) => new Date(t);
  return { event, firstDay: iso(d(first).getUTCFullYear(), d(first).getUTCMonth() + 1, d(first).getUTCDate()), lastDay: iso(d(last).getUTCFullYear(), d(last).getUTCMonth() + 1, d(last).getUTCDate()), goal };
}

/** "May 14" or "May 14 to May 16", from local dates. */
export function dayRange(firstDay: string, lastDay: string): string {
  const words = (s: string) => new Date(`${s}T12:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  return firstDay === lastDay ? words(firstDay) : `${words(firstDay)} to ${words(lastDay)}`;
}

/** The parts of a local date. */
export function ymd(day: string): [number, number, number] {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return [y, m, d];
}
