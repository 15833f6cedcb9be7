/** The file's times: DATE and DATE-TIME values, wall-time arithmetic, event lengths, and
 * the zone a TZID names (IANA, Windows, or the file's own VTIMEZONE through ical.js). */
import ICAL from "ical.js";
import { atLocal, localTime, UTC, type Zone } from "../../lib/zone";
import { all, type Comp, first } from "./lines";
import { ianaZone } from "./windows-zones";

export const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** A wall time to its instant, in one zone. */
export type Resolve = (w: Wall) => number;

export interface When {
  wall: Wall;
  date: boolean;
  resolve: Resolve;
  at: number;
}

/** Nominal days (a day is a calendar day across DST) and then exact milliseconds. */
export interface Length {
  days: number;
  ms: number;
}

/** The zones a file's times are read in: the user's (floating times, dates) and each TZID's. */
export interface Zones {
  user: Resolve;
  /** The resolver for a TZID, per calendar (each has its own VTIMEZONE blocks). */
  tzid: (id: string) => Resolve;
}

/** A series' occurrences mostly share one offset: the last one found is tried first, at the
 * cost of one Intl call instead of atLocal's several. (Walked forward, a series meets a
 * repeated autumn hour with the summer offset, so it reads it as atLocal does: the first.) */
export function inZone(zone: Zone): Resolve {
  let offset = NaN;
  return (w) => {
    const wall = wallMs(w);
    const guess = wall - offset;
    if (Number.isFinite(guess)) {
      const l = localTime(guess, zone);
      if (l.year === w.year && l.month === w.month && l.day === w.day && l.hour === w.hour && l.minute === w.minute) {
        return guess + w.second * 1000;
      }
    }
    const at = atLocal(zone, w.year, w.month, w.day, w.hour, w.minute);
    offset = wall - at;
    return at + w.second * 1000;
  };
}

const utc = inZone(UTC);

/** DATE or DATE-TIME: UTC when it ends in Z, else in its TZID, else floating (the user's). */
export function readWhen(value: string, params: Map<string, string>, ctx: Zones): When | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/i.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((d) => Number(d ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return undefined;
  const date = m[4] === undefined || params.get("VALUE")?.toUpperCase() === "DATE";
  const wall = date ? { year, month, day, hour: 0, minute: 0, second: 0 } : { year, month, day, hour, minute, second };
  const tzid = params.get("TZID");
  const resolve = date ? ctx.user : m[7] ? utc : tzid ? ctx.tzid(tzid) : ctx.user;
  const at = resolve(wall);
  return Number.isFinite(at) ? { wall, date, resolve, at } : undefined;
}

export const shiftDays = (w: Wall, days: number): Wall => moved(w, 0, days);
export const shiftMonths = (w: Wall, months: number): Wall => moved(w, months, 0);

function moved(w: Wall, months: number, days: number): Wall {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1 + months, w.day + days);
  return { ...w, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The wall time read as if it were UTC: arithmetic only, no zone. */
export function wallMs(w: Wall): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, 0, 0);
  return d.getTime();
}

export const dayNumber = (w: Wall): number => Math.floor(wallMs(w) / DAY);

/** DTEND, else DURATION, else an hour (a day for an all-day event). */
export function eventLength(comp: Comp, start: When, ctx: Zones): Length {
  const dtend = first(comp, "DTEND");
  const end = dtend && readWhen(dtend.value, dtend.params, ctx);
  if (end && end.at >= start.at) {
    return start.date && end.date ? { days: dayNumber(end.wall) - dayNumber(start.wall), ms: 0 } : { days: 0, ms: end.at - start.at };
  }
  const duration = first(comp, "DURATION");
  const m = duration && /^\+?P(?:(\d{1,4})W)?(?:(\d{1,5})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,8})M)?(?:(\d{1,9})S)?)?$/i.exec(duration.value.trim());
  if (m && m.slice(1).some((part) => part !== undefined)) {
    const [w, d, h, min, s] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number];
    return { days: w * 7 + d, ms: ((h * 60 + min) * 60 + s) * 1000 };
  }
  return start.date ? { days: 1, ms: 0 } : { days: 0, ms: HOUR };
}

export function tzidResolver(cal: Comp, user: Resolve): (id: string) => Resolve {
  const blocks = new Map<string, Comp>();
  for (const c of cal.children) {
    const id = c.name === "VTIMEZONE" ? first(c, "TZID")?.value.trim() : undefined;
    if (id && !blocks.has(id)) blocks.set(id, c);
  }
  const cache = new Map<string, Resolve>();
  return (id) => {
    const key = id.trim();
    let resolve = cache.get(key);
    if (!resolve) {
      const iana = ianaZone(key);
      const block = blocks.get(key);
      resolve = iana ? inZone({ kind: "iana", name: iana }) : block ? blockResolver(block, user) : user;
      cache.set(key, resolve);
    }
    return resolve;
  };
}

/** A custom zone by its VTIMEZONE rules; by its standard offset when ical.js cannot read them. */
function blockResolver(block: Comp, user: Resolve): Resolve {
  const standard = block.children.find((c) => c.name === "STANDARD") ?? block.children.find((c) => c.name === "DAYLIGHT");
  const offset = /^([+-])(\d{2})(\d{2})$/.exec(standard ? (first(standard, "TZOFFSETTO")?.value.trim() ?? "") : "");
  const fallback = offset ? inZone({ kind: "offset", minutes: (offset[1] === "-" ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) }) : user;
  const zone = icalTimezone(block);
  if (!zone) return fallback;
  return (w) => {
    try {
      const at = ICAL.Time.fromData({ ...w, isDate: false }, zone).toUnixTime() * 1000;
      if (Number.isFinite(at)) return at;
    } catch {
      // rules ical.js cannot apply: the standard offset is the best guess left
    }
    return fallback(w);
  };
}

const ZONE_PROPS = new Set(["TZID", "DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "RRULE", "RDATE", "TZNAME"]);

/** The block rebuilt from the lines that parsed, for ical.js. An open-ended yearly rule
 * written from 1601 (Outlook) starts from 1970 instead: same offsets, no 400 years to expand. */
function icalTimezone(block: Comp): InstanceType<typeof ICAL.Timezone> | undefined {
  const lines = ["BEGIN:VCALENDAR", "BEGIN:VTIMEZONE", `TZID:${first(block, "TZID")?.value ?? ""}`];
  for (const c of block.children) {
    if (c.name !== "STANDARD" && c.name !== "DAYLIGHT") continue;
    const openRule = all(c, "RRULE").some((r) => !/(?:UNTIL|COUNT)=/i.test(r.value));
    lines.push(`BEGIN:${c.name}`);
    for (const p of c.props) {
      if (!ZONE_PROPS.has(p.name)) continue;
      const value = p.name === "DTSTART" && openRule ? p.value.replace(/^(\d{4})/, (y) => String(Math.max(Number(y), 1970))) : p.value;
      lines.push(`${p.name}:${value}`);
    }
    lines.push(`END:${c.name}`);
  }
  lines.push("END:VTIMEZONE", "END:VCALENDAR");
  try {
    const jcal: unknown = ICAL.parse(lines.join("\r\n"));
    if (!Array.isArray(jcal)) return undefined;
    const vtimezone = new ICAL.Component(jcal).getFirstSubcomponent("vtimezone");
    return vtimezone ? new ICAL.Timezone(vtimezone) : undefined;
  } catch {
    return undefined;
  }
}
