import { atLocal, canonicalTimeZone, clampOffset, localTime, UTC, type Zone } from "../lib/zone";
import type { User } from "./user";

/** When Kith's mail may reach a user: their zone, delivery hour and quiet hours. Pure rules
 * over an injected instant; every value here is user input, so nothing throws. */

/** A user's delivery preferences. */
export interface DeliveryPrefs {
  /** IANA name, when the user set one. */
  timeZone: string | null;
  /** UTC offset of their last mail's Date header (e.g. +120): the guess until they set a zone. */
  tzOffsetMin: number | null;
  /** 0..23: the local hour reminder digests go out. */
  deliverHour: number;
  /** 0..23: quiet from quietStart:00 to quietEnd:00, wrapping midnight when start > end;
   * start === end means no quiet hours. */
  quietStart: number;
  quietEnd: number;
}

/** A user's row, as the delivery rules read it. */
export function prefsOf(user: User): DeliveryPrefs {
  return {
    timeZone: user.time_zone,
    tzOffsetMin: user.tz_offset_min,
    deliverHour: user.deliver_hour,
    quietStart: user.quiet_start,
    quietEnd: user.quiet_end,
  };
}

export const DEFAULT_PREFS: Readonly<DeliveryPrefs> = Object.freeze({
  timeZone: null,
  tzOffsetMin: null,
  deliverHour: 9,
  quietStart: 21,
  quietEnd: 8,
});

/** An hour from user input: clamped to 0..23, the default when not a number at all. */
function hourOr(h: number, fallback: number): number {
  if (!Number.isFinite(h)) return fallback;
  return Math.min(23, Math.max(0, Math.floor(h)));
}

/** The zone the user set if Intl knows it, else the offset of their mail, else UTC. */
export function zoneOf(p: DeliveryPrefs): Zone {
  const name = p.timeZone === null ? null : canonicalTimeZone(p.timeZone);
  if (name !== null) return { kind: "iana", name };
  if (p.tzOffsetMin !== null && Number.isFinite(p.tzOffsetMin)) return { kind: "offset", minutes: clampOffset(p.tzOffsetMin) };
  return UTC;
}

/** The local-day slot at `hour` on each of the days from t's local date on, first one >= t.
 * One slot per local day: on a fall-back day a repeated hour counts once (its first time),
 * so a digest cannot go out twice; in a spring-forward gap the slot is the transition. */
function nextAtHour(t: number, z: Zone, hour: number): number {
  const l = localTime(t, z);
  let slot = NaN;
  // Three days cover any zone, even one that skipped a whole date (Samoa, 2011).
  for (let k = 0; k < 3; k++) {
    slot = atLocal(z, l.year, l.month, l.day + k, hour);
    if (slot >= t) return slot;
  }
  return slot;
}

/** The smallest instant >= t at deliverHour:00 local. */
export function nextSlot(t: number, p: DeliveryPrefs): number {
  return nextAtHour(t, zoneOf(p), hourOr(p.deliverHour, DEFAULT_PREFS.deliverHour));
}

function quietHours(p: DeliveryPrefs): { start: number; end: number } {
  return { start: hourOr(p.quietStart, DEFAULT_PREFS.quietStart), end: hourOr(p.quietEnd, DEFAULT_PREFS.quietEnd) };
}

export function inQuiet(t: number, p: DeliveryPrefs): boolean {
  const { start, end } = quietHours(p);
  if (start === end) return false;
  const h = localTime(t, zoneOf(p)).hour;
  return start < end ? h >= start && h < end : h >= start || h < end;
}

/** t when not quiet, else the instant the quiet hours end. */
export function quietEndAfter(t: number, p: DeliveryPrefs): number {
  if (!inQuiet(t, p)) return t;
  const z = zoneOf(p);
  const { end } = quietHours(p);
  let at = nextAtHour(t, z, end);
  // Defensive: a zone whose clock falls back across the end hour would be quiet again.
  for (let i = 0; i < 3 && inQuiet(at, p); i++) at = nextAtHour(at + 1, z, end);
  return at;
}
