/**
 * How settings read, one per subject or first line: "settings", "timezone Europe/Berlin",
 * "deliver at 8am", "quiet hours 22-7", "cadence 60 days", "cap 5", "summary friday at 8",
 * "summary off". A line that starts like a setting but whose value does not read as one
 * is not a setting (a subject such as "Timezone question for you"); one whose value reads
 * as one but is wrong gets an error the user can act on. The commands themselves are in
 * commands.ts.
 */
import { parseCadence } from "../lib/spans";
import { DAY_NAMES } from "../lib/time";
import { canonicalTimeZone } from "../lib/zone";

export type Parsed<T> = T | { error: string } | null;

export const MAX_CAP = 20;

/** Spaces folded, trailing punctuation dropped. Each setting's reader asks it of the
 * same line in turn, so the last answer is kept (a pure function of the line). */
function tidy(line: string): string {
  if (line !== tidiedLine) {
    tidied = line
      .slice(0, 200)
      .trim()
      .replace(/\s+/g, " ")
      .replace(/[\s.!]+$/, "");
    tidiedLine = line;
  }
  return tidied;
}
let tidiedLine: string | undefined;
let tidied = "";

/** The value after a setting's name, or null when the line does not start with it. */
function after(line: string, name: RegExp): string | null {
  const m = name.exec(tidy(line));
  return m ? m[1]! : null;
}

export const readShowSettings = (line: string): Parsed<{ name: "settings" }> =>
  /^(?:(?:show|my|current)\s+)?(?:settings|preferences|prefs)\??$/i.test(tidy(line)) ? { name: "settings" } : null;

export function readTimezone(line: string): Parsed<{ name: "timezone"; zone: string }> {
  const v = after(line, /^(?:set\s+(?:my\s+)?)?(?:time ?zone|tz)\b\s*(?:[:=]|to\b|is\b)?\s*(.*)$/i);
  return v === null ? null : timeZone(v);
}

export function readDeliver(line: string): Parsed<{ name: "deliver"; hour: number }> {
  const v = after(line, /^(?:deliver(?:y)?|send (?:reminders|mails?))(?:\s+(?:at|hour|time))?\b\s*[:=]?\s*(.*)$/i);
  return v === null ? null : deliver(v);
}

export function readQuiet(line: string): Parsed<{ name: "quiet"; start: number; end: number }> {
  const v = after(line, /^(?:quiet(?:\s+hours)?|do not disturb|dnd)\b\s*[:=]?\s*(.*)$/i);
  return v === null ? null : quiet(v);
}

export function readCadence(line: string): Parsed<{ name: "cadence"; days: number }> {
  const v = after(line, /^(?:(?:default\s+)?cadence|default|check[- ]?ins?)\b\s*[:=]?\s*(.*)$/i);
  return v === null ? null : cadence(v);
}

export function readCap(line: string): Parsed<{ name: "cap"; items: number }> {
  const v = after(line, /^(?:(?:item\s+)?cap|max(?:imum)?|items per mail|items|at most)\b\s*[:=]?\s*(.*)$/i);
  return v === null ? null : cap(v);
}

/** The weekly summary's day (ISO weekday, 1 = Monday), hour, off or back on. */
export type SummarySchedule = { name: "summary-schedule"; day?: number; hour?: number; off?: boolean };

export function readSummarySchedule(line: string): Parsed<SummarySchedule> {
  const v = after(line, /^(?:weekly\s+)?summary\b\s*[:=]?\s*(.*)$/i);
  return v === null ? null : summary(v);
}

// ---- timezone

// Abbreviations name an offset, not a place: most change twice a year under another
// name, and some (IST, CST) mean several places. Kith keeps a place so that daylight
// saving comes out right, so it asks for one; Intl's legacy zones EST and MST (fixed
// offsets, no daylight saving) are caught here too, since the user meant New York or Denver.
const ABBREVIATIONS: Record<string, string> = {
  pst: "America/Los_Angeles", pdt: "America/Los_Angeles", pt: "America/Los_Angeles",
  mst: "America/Denver", mdt: "America/Denver", mt: "America/Denver",
  cst: "America/Chicago", cdt: "America/Chicago", ct: "America/Chicago",
  est: "America/New_York", edt: "America/New_York", et: "America/New_York",
  akst: "America/Anchorage", hst: "Pacific/Honolulu",
  bst: "Europe/London", ist: "Asia/Kolkata or Europe/Dublin", wet: "Europe/Lisbon", west: "Europe/Lisbon",
  cet: "Europe/Berlin", cest: "Europe/Berlin", met: "Europe/Berlin", eet: "Europe/Athens", eest: "Europe/Athens",
  msk: "Europe/Moscow", jst: "Asia/Tokyo", kst: "Asia/Seoul", sgt: "Asia/Singapore", hkt: "Asia/Hong_Kong",
  aest: "Australia/Sydney", aedt: "Australia/Sydney", acst: "Australia/Adelaide", awst: "Australia/Perth",
  nzst: "Pacific/Auckland", nzdt: "Pacific/Auckland",
};
const UTC_NAMES = new Set(["utc", "gmt", "z", "zulu", "etc/utc", "etc/gmt", "universal"]);

function timeZone(value: string): Parsed<{ name: "timezone"; zone: string }> {
  // "America/New York" as typed with a space.
  const v = value.trim().replace(/(\/[^/\s]+)\s+(?=[^/\s])/g, "$1_");
  if (v === "") return { error: `Which timezone? Send a name like "timezone Europe/Berlin" or "timezone America/New_York".` };
  if (/\s/.test(v)) return null; // prose, not a zone name
  const lower = v.toLowerCase();
  if (UTC_NAMES.has(lower)) return { name: "timezone", zone: "UTC" };
  const hint = ABBREVIATIONS[lower];
  if (hint) return { error: `"${v}" is an abbreviation, not a timezone Kith can follow through daylight saving. Use a place name such as ${hint}.` };
  if (/^(?:utc|gmt)?\s*[+-]\d/i.test(v)) return { error: `Kith needs a place, not an offset, so that daylight saving comes out right: send a name like "timezone Europe/Berlin".` };
  const zone = canonicalTimeZone(v) ?? (v.includes("/") ? null : zoneOfCity(v));
  if (zone) return { name: "timezone", zone };
  // A misspelt zone is an error; a plain word ("timezone question") is no setting at all.
  return v.includes("/") ? { error: `Unknown timezone '${v.slice(0, 60)}'. Use a name like Europe/Berlin.` } : null;
}

/** "Berlin" → "Europe/Berlin" when exactly one zone is named after that city. */
function zoneOfCity(city: string): string | null {
  const want = `/${city.toLowerCase()}`;
  const found = Intl.supportedValuesOf("timeZone").filter((z) => z.toLowerCase().endsWith(want));
  return found.length === 1 ? found[0]! : null;
}

// ---- hours

/** "8", "8am", "8 pm", "17:00", "08h", "noon", "midnight" as 0..23; null when the text is
 * no time at all, an error when it is a time Kith cannot use. */
function hourOf(text: string): number | { error: string } | null {
  const t = text.trim().toLowerCase().replace(/^(?:at|from)\s+/, "");
  if (t === "noon" || t === "midday") return 12;
  if (t === "midnight") return 0;
  const m = /^(\d{1,2})(?:[:.h](\d{2}))?\s*(?:h|(a\.?m\.?|p\.?m\.?))?$/.exec(t);
  if (!m) return null;
  let hour = Number(m[1]);
  const minute = m[2] === undefined ? 0 : Number(m[2]);
  const meridiem = m[3]?.[0];
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return { error: `"${text.trim()}" is not a time of day: use 1-12 with am/pm, or 0-23.` };
    hour = (hour % 12) + (meridiem === "p" ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return { error: `"${text.trim()}" is not a time of day: use an hour from 0 to 23, or 1-12 with am/pm.` };
  if (minute !== 0) return { error: `Kith works in whole hours: try "${text.trim().replace(/[:.h]\d{2}/, "")}" instead of "${text.trim()}".` };
  return hour;
}

function deliver(value: string): Parsed<{ name: "deliver"; hour: number }> {
  if (value.trim() === "") return { error: `At what hour? Send "deliver at 8am" or "deliver at 17:00".` };
  const hour = hourOf(value);
  if (hour === null) return null;
  return typeof hour === "number" ? { name: "deliver", hour } : hour;
}

function quiet(value: string): Parsed<{ name: "quiet"; start: number; end: number }> {
  const v = value.trim().toLowerCase();
  if (/^(?:off|none|no|disable|disabled|0)$/.test(v)) return { name: "quiet", start: 0, end: 0 };
  if (v === "") return { error: `Which hours? Send "quiet hours 22-7" (or "quiet hours off").` };
  const m = /^(?:from\s+)?(.+?)\s*(?:-|–|—|to|until|till)\s*(.+)$/.exec(v);
  if (!m) return null;
  const start = hourOf(m[1]!);
  const end = hourOf(m[2]!);
  if (start === null || end === null) return null;
  if (typeof start !== "number") return start;
  if (typeof end !== "number") return end;
  return { name: "quiet", start, end };
}

// ---- default cadence and item cap

function cadence(value: string): Parsed<{ name: "cadence"; days: number }> {
  if (value.trim() === "") return { error: `How often? Send "cadence 60 days" or "default every 2 months".` };
  const read = parseCadence(value, true);
  if (read === null) return null;
  return "error" in read ? read : { name: "cadence", days: read.days };
}

function cap(value: string): Parsed<{ name: "cap"; items: number }> {
  const m = /^(\d{1,6})(?:\s+(?:items?|people|per mail|a mail))*$/i.exec(value.trim());
  if (!m) return value.trim() === "" ? { error: `How many items per mail? Send "cap 5" (1 to ${MAX_CAP}).` } : null;
  const items = Number(m[1]);
  if (items < 1 || items > MAX_CAP) return { error: `A mail can list 1 to ${MAX_CAP} items; "${m[1]}" is outside that.` };
  return { name: "cap", items };
}

// ---- weekly summary

const WEEKDAYS = DAY_NAMES.map((d) => d.toLowerCase());

/** "fri", "Friday", "fridays" as an ISO weekday (1 = Monday); null when no day. */
function weekday(text: string): number | null {
  const t = text.trim().replace(/\.$/, "").replace(/s$/, "");
  const i = t.length >= 3 ? WEEKDAYS.findIndex((d) => d.startsWith(t)) : -1;
  return i < 0 ? null : i + 1;
}

/** "friday", "day friday", "at 8", "hour 8", "fridays at 8am", "off", "on". Bare "summary"
 * is the command that sends one now; anything else ("summary of our call") is no setting. */
function summary(value: string): Parsed<SummarySchedule> {
  const v = value.trim().toLowerCase();
  if (/^(?:off|stop|disable|disabled|none|no)$/.test(v)) return { name: "summary-schedule", off: true };
  if (/^(?:on|resume|enable|enabled|start|yes)$/.test(v)) return { name: "summary-schedule", off: false };
  let m = /^day\s+(.+)$/.exec(v);
  if (m) {
    const day = weekday(m[1]!);
    return day ? { name: "summary-schedule", day } : { error: `Which day? Send "summary day friday" (any day of the week).` };
  }
  m = /^(?:at|hour|time)\s+(.+)$/.exec(v);
  if (m) {
    const hour = hourOf(m[1]!);
    if (hour === null) return { error: `"${m[1]!.slice(0, 40)}" is not an hour: send "summary at 8am" or "summary at 17:00".` };
    return typeof hour === "number" ? { name: "summary-schedule", hour } : hour;
  }
  m = /^(?:on\s+|every\s+)?(\S+)(?:\s+(.+))?$/.exec(v);
  const day = m ? weekday(m[1]!) : null;
  if (!m || day === null) return null;
  if (m[2] === undefined) return { name: "summary-schedule", day };
  const hour = hourOf(m[2]);
  if (hour === null) return null;
  return typeof hour === "number" ? { name: "summary-schedule", day, hour } : hour;
}
