import { MONTHS } from "./time";

/** Wall-clock arithmetic in a user's time zone, DST-correct, over Intl alone (workerd
 * ships full ICU). Every function is total: zone names and offsets come from users, so
 * an unknown name reads as UTC, and a non-finite instant gives NaN instead of a throw. */

export type Zone = { kind: "iana"; name: string } | { kind: "offset"; minutes: number };

/** Local calendar fields. `month` is 1..12; `weekday` is ISO, 1 = Monday .. 7 = Sunday. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

export const UTC: Zone = Object.freeze({ kind: "iana", name: "UTC" });

const MINUTE = 60_000;
const DAY = 86_400_000;
/** No real zone is further than 14 hours from UTC; a Date header that says so is noise. */
export const MAX_OFFSET_MIN = 14 * 60;
/** ECMAScript's Date range; Intl throws outside it. */
const MAX_INSTANT = 8.64e15;

/** Names are user input: the cache is bounded so that junk cannot grow it without end. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const MAX_CACHED = 256;

function formatter(name: string): Intl.DateTimeFormat | null {
  const cached = formatters.get(name);
  if (cached !== undefined) return cached;
  let made: Intl.DateTimeFormat | null;
  try {
    // Gregorian calendar and Latin digits whatever the host's defaults; h23 so that
    // midnight is 0, not 24. The era makes years before 1 AD come out right.
    made = new Intl.DateTimeFormat("en-US-u-ca-gregory-nu-latn", {
      timeZone: name,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    made = null;
  }
  if (formatters.size >= MAX_CACHED) formatters.clear();
  formatters.set(name, made);
  return made;
}

let listed: Map<string, string> | null = null;

/** Intl's own zone list, by lower-case name, for fixing the case of what users type. */
function listedZones(): Map<string, string> {
  if (listed) return listed;
  listed = new Map();
  for (const name of Intl.supportedValuesOf("timeZone")) listed.set(name.toLowerCase(), name);
  return listed;
}

/** The name a user typed, trimmed and in its usual case ("europe/berlin" → "Europe/Berlin"),
 * or null when Intl does not know it. Aliases stay as typed: ICU would turn Asia/Kolkata
 * into Asia/Calcutta, which is not what the user wrote nor what they expect to read back. */
export function canonicalTimeZone(name: string): string | null {
  const trimmed = name.trim();
  const f = trimmed === "" ? null : formatter(trimmed);
  if (!f) return null;
  const known = listedZones().get(trimmed.toLowerCase());
  if (known) return known;
  const resolved = f.resolvedOptions().timeZone;
  return resolved.toLowerCase() === trimmed.toLowerCase() ? resolved : trimmed;
}

/** Offsets in whole minutes within ±14 h; anything non-finite is 0. */
export function clampOffset(minutes: number): number {
  if (!Number.isFinite(minutes)) return 0;
  return Math.max(-MAX_OFFSET_MIN, Math.min(MAX_OFFSET_MIN, Math.round(minutes)));
}

/** Date.UTC without its two-digit-year quirk; out-of-range fields roll over. */
function utcMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** The local wall clock at `t`, encoded as the UTC instant that shows the same digits. */
function wallOf(t: number, z: Zone): number {
  if (!Number.isFinite(t) || Math.abs(t) > MAX_INSTANT) return NaN;
  if (z.kind === "offset") return t + clampOffset(z.minutes) * MINUTE;
  const f = formatter(z.name);
  if (!f) return t;
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(t)) parts[p.type] = p.value;
  const era = Number(parts.year);
  const year = parts.era === "BC" || parts.era === "B" ? 1 - era : era;
  const hour = Number(parts.hour) % 24;
  const wholeSecond = Math.floor(t / 1000) * 1000;
  return utcMs(year, Number(parts.month), Number(parts.day), hour, Number(parts.minute), Number(parts.second)) + (t - wholeSecond);
}

function offsetAt(t: number, z: Zone): number {
  return wallOf(t, z) - t;
}

/** The instant whose local wall clock is `wall`. A wall time skipped by a DST gap maps to
 * the first instant after the gap (the transition); one repeated by an overlap maps to
 * its first occurrence. */
function instantOf(z: Zone, wall: number): number {
  if (!Number.isFinite(wall)) return NaN;
  if (z.kind === "offset") return wall - clampOffset(z.minutes) * MINUTE;
  if (!formatter(z.name)) return wall;
  // Real offsets lie within ±14 h, so offsets a day either side bracket every candidate;
  // the offsets at the first guesses catch a second transition close by.
  const before = offsetAt(wall - DAY, z);
  const after = offsetAt(wall + DAY, z);
  const offsets = new Set([before, after, offsetAt(wall - before, z), offsetAt(wall - after, z)]);
  let best = NaN;
  for (const off of offsets) {
    const u = wall - off;
    if (wallOf(u, z) === wall && !(u >= best)) best = u;
  }
  if (!Number.isNaN(best)) return best;
  // Not a gap either: only a zone with two changes within hours; the earlier offset will do.
  if (!(after > before)) return wall - before;
  // In the gap: the wall clock jumps from below `wall` to above it at the transition;
  // find that instant by bisection (the clock only rises in this span).
  let lo = wall - after;
  let hi = wall - before;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallOf(mid, z) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

export function localTime(t: number, z: Zone): LocalTime {
  const d = new Date(wallOf(t, z));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay() || 7,
  };
}

/** The instant of a local wall time (month 1..12; out-of-range fields roll over, so day 32
 * is the next month's first). Gap → the first valid instant after it; overlap → the earlier. */
export function atLocal(z: Zone, year: number, month: number, day: number, hour: number, minute = 0): number {
  return instantOf(z, utcMs(year, month, day, hour, minute, 0));
}

/** Calendar days in the zone: 09:00 stays 09:00 across DST changes. */
export function addDays(t: number, days: number, z: Zone): number {
  const whole = Math.trunc(days) || 0;
  // Zero days is the same instant, even inside an overlap (where the wall clock is ambiguous).
  if (whole === 0) return t;
  return instantOf(z, wallOf(t, z) + whole * DAY);
}

/** The first instant of t's local day (later than midnight where DST skips midnight). */
export function startOfLocalDay(t: number, z: Zone): number {
  return instantOf(z, Math.floor(wallOf(t, z) / DAY) * DAY);
}

/** For the user: "Europe/Berlin", or "UTC+05:30 (from your mail)" while it is a guess. */
export function describeZone(z: Zone): string {
  if (z.kind === "iana") return formatter(z.name) ? z.name : "UTC";
  const m = clampOffset(z.minutes);
  const abs = Math.abs(m);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `UTC${m < 0 ? "-" : "+"}${hh}:${mm} (from your mail)`;
}

/** "Dec 4" in the zone; with the year ("Dec 4 2025") when it is not the year of `now`. */
export function shortDate(t: number, z: Zone, now?: number): string {
  const l = localTime(t, z);
  const year = now !== undefined && localTime(now, z).year !== l.year ? ` ${l.year}` : "";
  return `${MONTHS[l.month - 1]} ${l.day}${year}`;
}
