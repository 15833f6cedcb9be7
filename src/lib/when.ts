import * as chrono from "chrono-node";
import { HOUR, MINUTE } from "./time";
import { atLocal, localTime, type LocalTime, type Zone } from "./zone";
import { parseSpan } from "./spans";

/** Reading a time phrase the user typed ("3 days", "next Tuesday", "until March") as an
 * instant in their zone. Snoozes and "pause until …" read their times with it. */

// A date without a time is the user's morning; the caller moves it to their delivery hour.
const MORNING = 9;
// Words that give a date its own time of day ("tonight" is 22:00, not the morning).
const DAYPART = /\b(?:tonight|morning|afternoon|evening|night|noon|midday|midnight|lunch)\b/i;

export type When = { at: number } | { problem: "not-a-time" | "past" | "too-far" };

/** The instant a time phrase means in the user's zone: "3 days", "2h", "next Tuesday",
 * "until Dec 3", "Monday 9am". Hours and minutes count from now; days and longer land on a
 * local date, at the hour given or else at MORNING. At most two years ahead. */
export function readWhen(phrase: string, now: number, zone: Zone, l: LocalTime = localTime(now, zone)): When {
  const t = phrase.toLowerCase().replace(/^(?:(?:for|until|till|til|'til|to|on|by|me|it)\s+)+/, "");
  const span = parseSpan(t.replace(/^in\s+/, ""));
  let until: number;
  if (span?.unit === "minute" || span?.unit === "hour") until = now + span.count * (span.unit === "hour" ? HOUR : MINUTE);
  else if (span) {
    const days = span.unit === "day" ? span.count : span.unit === "week" ? 7 * span.count : 0;
    const months = span.unit === "month" ? span.count : span.unit === "year" ? 12 * span.count : 0;
    // Same day of the month, or the month's last when it is shorter (Jan 31 + 1 month).
    const last = new Date(Date.UTC(l.year, l.month - 1 + months + 1, 0)).getUTCDate();
    until = atLocal(zone, l.year, l.month + months, Math.min(l.day, last) + days, MORNING);
  } else {
    const r = chronoReads(t, l);
    if (!r) return { problem: "not-a-time" };
    const timed = r.start.isCertain("hour") || DAYPART.test(r.text);
    const get = (c: chrono.Component): number => r.start.get(c) ?? 0;
    until = atLocal(zone, get("year"), get("month"), get("day"), timed ? get("hour") : MORNING, timed ? get("minute") : 0);
  }
  if (!(until > now)) return { problem: "past" };
  // Up to the same calendar day two years on, whatever its hour.
  if (until >= atLocal(zone, l.year + 2, l.month, l.day + 1, 0)) return { problem: "too-far" };
  return { at: until };
}

/** chrono's reading of the whole phrase, from the user's wall clock. chrono knows only
 * fixed offsets, so it gets the local time as if it were UTC and returns local fields. */
function chronoReads(text: string, l: LocalTime): chrono.ParsedResult | null {
  const t = text.trim().slice(0, 80);
  const wall = new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute));
  const r = chrono.casual.parse(t, { instant: wall, timezone: 0 }, { forwardDate: true })[0];
  return r && r.index === 0 && r.text.length === t.length ? r : null;
}
