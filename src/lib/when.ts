import * as chrono from "chrono-node";
import { HOUR, MINUTE, MONTHS } from "./time";
import { atLocal, localTime, type LocalTime, type Zone } from "./zone";
import { parseSpan, type Span } from "./spans";

/** Reading a time phrase the user typed ("3 days", "next Tuesday", "until March", and
 * FollowUpThen's compact "weds930am", "april3rdAt1300") as an instant in their zone.
 * Snoozes and "pause until …" read a whole phrase with `readWhen`; "remind me" commands
 * find the phrase inside a sentence with `findWhen`. */

// A date without a time is the user's morning; the caller moves it to their delivery hour.
const MORNING = 9;
// Words that give a date its own time of day ("tonight" is 22:00, not the morning).
const DAYPART = /\b(?:tonight|morning|afternoon|evening|night|noon|midday|midnight|lunch)\b/i;
const LEADING = /^(?:(?:for|until|till|til|'til|to|on|by|me|it)\s+)+/;
// A time phrase is short; a "remind me" sentence longer than MAX_FIND is no command.
const MAX_PHRASE = 80;
const MAX_FIND = 1000;

export type When = { at: number } | { problem: "not-a-time" | "past" | "too-far" };
export type Found = { at: number; phrase: string; rest: string } | { problem: "no-time" | "past" | "too-far"; phrase?: string };

/** The instant a time phrase means in the user's zone: "3 days", "2h", "next Tuesday",
 * "until Dec 3", "Monday 9am", "weds930am", "the 15th". Hours and minutes count from now;
 * days and longer land on a local date, at the hour given or else at MORNING. At most two
 * years ahead. */
export function readWhen(phrase: string, now: number, zone: Zone, l: LocalTime = localTime(now, zone)): When {
  const t = phrase.toLowerCase().replace(LEADING, "");
  const read = readText(t, now, zone, l);
  // Only a phrase that reads as nothing is tried in its compact reading, so whatever read
  // before keeps its meaning.
  if (!("problem" in read) || read.problem !== "not-a-time" || t.length > MAX_PHRASE) return read;
  const compact = joinWords(wordsOf(t, l)).text;
  return compact === t.trim() ? read : readText(compact, now, zone, l);
}

/** The time phrase inside `text` ("to call Bob next Tuesday", "about the lease 3days") and
 * the text without it. Of several, the one at the end wins, then one right after "on",
 * "in", "by", "remind me" or at the start. Emails and links are never read; a lone month
 * or short weekday ("April", "Sun") counts only after a preposition, a bare span ("3 days")
 * only at the end. */
export function findWhen(text: string, now: number, zone: Zone): Found {
  const l = localTime(now, zone);
  const words = wordsOf(text.slice(0, MAX_FIND), l);
  const { text: joined, at } = joinWords(words);
  const found: Candidate[] = [];
  for (const r of chrono.casual.parse(joined, reference(l), { forwardDate: true })) {
    const range = wordRange(words, at, r.index, r.index + r.text.length);
    if (range) found.push(...candidate(words, at, joined, range, now, zone, l));
  }
  // Spans chrono does not know ("in a fortnight", "in 2 mths").
  words.forEach((w, i) => {
    if (w.core !== "in") return;
    for (let n = Math.min(4, words.length - 1 - i); n >= 1; n--) {
      const span = words.slice(i + 1, i + 1 + n).map((x) => x.core).join(" ");
      if (/\d|\s/.test(span) && parseSpan(span)) found.push(...candidate(words, at, joined, [i, i + n], now, zone, l));
    }
  });
  const best = found.sort((x, y) => y.score - x.score || Number("at" in y.when) - Number("at" in x.when) || y.b - x.b || x.a - y.a)[0];
  if (!best) return { problem: "no-time" };
  const phrase = text.slice(words[best.a]!.start, words[best.b]!.end);
  if (!("at" in best.when)) return { problem: best.when.problem === "not-a-time" ? "no-time" : best.when.problem, phrase };
  const rest = `${text.slice(0, words[best.a]!.start)} ${text.slice(words[best.b]!.end, MAX_FIND)}`
    .replace(/\(\s*\)/g, "")
    .replace(/\s+/g, " ")
    .replace(/\s+([.,;:!?])/g, "$1")
    .replace(/([,;:])[,;:]+/g, "$1")
    .replace(/^[\s,;:-]+|[\s,;:-]+$/g, "");
  return { at: best.when.at, phrase, rest };
}

/** A lower-case phrase read whole: a span, else chrono. */
function readText(t: string, now: number, zone: Zone, l: LocalTime): When {
  const span = parseSpan(t.replace(/^in\s+/, ""));
  if (span) return checked(spanEnd(span, now, zone, l), now, zone, l);
  const r = chronoReads(t, l);
  return r ? checked(chronoEnd(r, now, zone), now, zone, l) : { problem: "not-a-time" };
}

function checked(until: number, now: number, zone: Zone, l: LocalTime): When {
  if (!(until > now)) return { problem: "past" };
  // Up to the same calendar day two years on, whatever its hour.
  if (until >= atLocal(zone, l.year + 2, l.month, l.day + 1, 0)) return { problem: "too-far" };
  return { at: until };
}

function spanEnd(span: Span, now: number, zone: Zone, l: LocalTime): number {
  if (span.unit === "minute" || span.unit === "hour") return now + span.count * (span.unit === "hour" ? HOUR : MINUTE);
  const days = span.unit === "day" ? span.count : span.unit === "week" ? 7 * span.count : 0;
  const months = span.unit === "month" ? span.count : span.unit === "year" ? 12 * span.count : 0;
  // Same day of the month, or the month's last when it is shorter (Jan 31 + 1 month).
  const last = new Date(Date.UTC(l.year, l.month - 1 + months + 1, 0)).getUTCDate();
  return atLocal(zone, l.year, l.month + months, Math.min(l.day, last) + days, MORNING);
}

function chronoEnd(r: chrono.ParsedResult, now: number, zone: Zone): number {
  const timed = r.start.isCertain("hour") || DAYPART.test(r.text);
  const get = (c: chrono.Component): number => r.start.get(c) ?? 0;
  const [y, mo, d, h, mi] = [get("year"), get("month"), get("day"), timed ? get("hour") : MORNING, timed ? get("minute") : 0];
  const until = atLocal(zone, y, mo, d, h, mi);
  // A bare clock time said in its own minute ("3pm" at 15:00:30) is tomorrow's: chrono
  // moves it forward only when it is before chrono's minute-rounded clock.
  const dated = (["day", "weekday", "month", "year"] as const).some((c) => r.start.isCertain(c));
  return timed && !dated && !(until > now) ? atLocal(zone, y, mo, d + 1, h, mi) : until;
}

/** chrono knows only fixed offsets, so it gets the local time as if it were UTC and
 * returns local fields. */
function reference(l: LocalTime): chrono.ParsingReference {
  return { instant: new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute)), timezone: 0 };
}

/** chrono's reading of the whole phrase. */
function chronoReads(text: string, l: LocalTime): chrono.ParsedResult | null {
  const t = text.trim().slice(0, MAX_PHRASE);
  const r = chrono.casual.parse(t, reference(l), { forwardDate: true })[0];
  return r && r.index === 0 && r.text.length === t.length ? r : null;
}

// ---- Words: the text split at spaces, each compact form spelled out for chrono ----

interface Word {
  /** The word without its punctuation, where it stands in the original text. */
  start: number;
  end: number;
  /** Lower case, without punctuation. */
  core: string;
  /** What chrono reads in its place, punctuation kept; "" when it is dropped ("the" 15th). */
  norm: string;
  /** The length of the punctuation before and after it in `norm`. */
  lead: number;
  trail: number;
  /** Spelled differently from its core, so chrono may read a part of it. */
  changed: boolean;
}

const DAYS = "monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun";
const MONTH_NAMES = "january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec";
const CLOCK = "(\\d{1,4}(?::\\d{2})?(?:am|pm)?)";
const ORD = "(?:st|nd|rd|th)?";
// FollowUpThen's glued forms: "weds930am", "tomorrow9am", "april3rdat1300", "21jan2018".
const DAY_AT = new RegExp(`^(today|tonight|tomorrow|${DAYS})(at)?${CLOCK}$`);
const MONTH_DAY = new RegExp(`^(${MONTH_NAMES})(\\d{1,2}${ORD})(?:(at)${CLOCK})?$`);
const DAY_MONTH = new RegExp(`^(\\d{1,2}${ORD})(${MONTH_NAMES})(\\d{4})?(?:(at)${CLOCK})?$`);
const NEXT = new RegExp(`^next(week|month|year|${DAYS})$`);
const MERIDIEM_CLOCK = /^\d{1,4}(?::\d{2})?(?:am|pm)$/;
// chrono knows "wed", "tue" and "thu", not every way people shorten them.
const SHORT_DAY: Record<string, string> = { tues: "tue", weds: "wed", thur: "thu", thurs: "thu" };
// A lone month or short weekday is as often a name or a verb ("ask Sun", "call April").
const WEAK = new RegExp(`^(?:now|${MONTH_NAMES}|mon|tue|wed|thu|thur|fri|sat|sun)$`);
// chrono reads "the week" as a week from now; in a sentence it is "the week ahead".
const NOT_TIME = /^the (?:minute|hour|day|week|month|year)$/;
const PREPOSITIONS = new Set(["on", "in", "at", "by", "until", "till", "til", "before", "from", "for"]);
// What may follow "the 15th" when it is a date rather than "the 15th floor".
const AFTER_ORDINAL = new Set(["at", "to", "about", "and", "for", "so", "please", "then"]);

/** "930am" → "9:30am", "1300" → "13:00"; a bare number is a time only after "at". */
function clock(c: string, at: boolean): string | null {
  const m = /^(\d{1,4})(?::(\d{2}))?(am|pm)?$/.exec(c);
  if (!m) return null;
  let [hours, minutes] = [m[1]!, m[2]];
  if (minutes === undefined && hours.length > 2) [hours, minutes] = [hours.slice(0, -2), hours.slice(-2)];
  if (hours.length > 2 || (!m[3] && minutes === undefined && !at)) return null;
  const h = Number(hours);
  if (Number(minutes ?? 0) > 59 || (m[3] ? h < 1 || h > 12 : h > 23)) return null;
  return `${h}${minutes === undefined ? "" : `:${minutes}`}${m[3] ?? ""}`;
}

/** One word spelled out, or null when it stays as typed. */
function spelled(core: string, previous: string | undefined): string | null {
  // Addresses and links hold digits and month-like letters that are no time.
  if (/@|:\/\/|^www\./.test(core)) return "_";
  const day = SHORT_DAY[core];
  if (day) return day;
  const next = NEXT.exec(core);
  if (next) return `next ${SHORT_DAY[next[1]!] ?? next[1]}`;
  let m = DAY_AT.exec(core);
  if (m) {
    const c = clock(m[3]!, m[2] !== undefined);
    return c && `${SHORT_DAY[m[1]!] ?? m[1]} ${m[2] ? "at " : ""}${c}`;
  }
  m = MONTH_DAY.exec(core);
  const dm = m ? null : DAY_MONTH.exec(core);
  // Both as [day or month, month or day, year, clock]: "april 3rd at 13:00", "21 jan 2018".
  const date = m ? [m[1], m[2], undefined, m[4]] : dm ? [dm[1], dm[2], dm[3], dm[5]] : null;
  if (date) {
    const c = date[3] === undefined ? undefined : clock(date[3], true);
    return c === null ? null : [date[0], date[1], date[2], c && `at ${c}`].filter(Boolean).join(" ");
  }
  // "at 1300" is a 24-hour time; "at 101" is more likely a street number.
  if (MERIDIEM_CLOCK.test(core) || (previous === "at" && /^\d{4}$/.test(core))) return clock(core, previous === "at");
  return null;
}

/** The next local date that is day `n` of a month, after today ("the 31st" skips short months). */
function nextDayOfMonth(n: number, l: LocalTime): string | null {
  for (let k = 0; k <= 12; k++) {
    const y = l.year + Math.floor((l.month - 1 + k) / 12);
    const month = ((l.month - 1 + k) % 12) + 1;
    const length = new Date(Date.UTC(y, month, 0)).getUTCDate();
    if (n <= length && (k > 0 || n > l.day)) return `${MONTHS[month - 1]!.toLowerCase()} ${n} ${y}`;
  }
  return null;
}

// chrono takes seconds over a long run of commas; one stands for the run.
const squeeze = (s: string): string => s.replace(/([^\p{L}\p{N}\s])\1+/gu, "$1");

function wordsOf(text: string, l: LocalTime): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(/\S+/g)) {
    const [, lead, core, trail] = /^([("'[]*)(.*?)([.,;:!?)"'\]]*)$/s.exec(m[0])!;
    const start = m.index + lead!.length;
    const lower = core!.toLowerCase();
    const norm = spelled(lower, words.at(-1)?.core) ?? squeeze(lower);
    const [before, after] = [squeeze(lead!), squeeze(trail!)];
    words.push({ start, end: start + core!.length, core: lower, norm: `${before}${norm}${after}`, lead: before.length, trail: after.length, changed: norm !== lower });
  }
  // "the 15th", "until the 15th": chrono has no such reading, so it gets the date itself.
  words.forEach((w, i) => {
    const ordinal = /^(\d{1,2})(?:st|nd|rd|th)$/.exec(w.core);
    if (!ordinal) return;
    const first = words[i - 1]?.core === "the" ? i - 1 : i;
    const before = words[first - 1];
    const after = words[i + 1];
    if (before && !PREPOSITIONS.has(before.core)) return;
    // "the 15th of the month" is the next 15th, whatever chrono makes of "the month".
    const ofMonth = after?.core === "of" && /^(?:the|this|each|every)$/.test(words[i + 2]?.core ?? "") && words[i + 3]?.core === "month";
    // chrono reads "15th of january" itself, but not after "the".
    if (after?.core === "of" && w.trail === 0 && !ofMonth) {
      if (first < i) words[first] = { ...words[first]!, norm: "", changed: true };
      return;
    }
    if (after && w.trail === 0 && !AFTER_ORDINAL.has(after.core) && !ofMonth) return;
    const date = nextDayOfMonth(Number(ordinal[1]), l);
    if (!date) return;
    words[i] = { ...w, norm: `${w.norm.slice(0, w.lead)}${date}${w.norm.slice(w.norm.length - w.trail)}`, changed: true };
    if (first < i) words[first] = { ...words[first]!, norm: "", changed: true };
    if (ofMonth) for (let k = i + 1; k <= i + 3; k++) words[k] = { ...words[k]!, norm: "", changed: true };
  });
  return words;
}

/** The words as chrono reads them, and where each starts in that text (-1 when dropped). */
function joinWords(words: Word[]): { text: string; at: number[] } {
  let text = "";
  const at = words.map((w) => {
    if (w.norm === "") return -1;
    if (text !== "") text += " ";
    text += w.norm;
    return text.length - w.norm.length;
  });
  return { text, at };
}

/** The words chrono's match from `s` to `e` covers; null when it cuts a word as typed
 * ("3d" of "3d-model") or touches an address. */
function wordRange(words: Word[], at: number[], s: number, e: number): [number, number] | null {
  let a = -1;
  let b = -1;
  words.forEach((w, i) => {
    if (at[i]! < 0 || at[i]! >= e || at[i]! + w.norm.length <= s) return;
    if (a < 0) a = i;
    b = i;
  });
  if (a < 0) return null;
  const first = words[a]!;
  const last = words[b]!;
  if (!first.changed && s > at[a]! + first.lead) return null;
  if (!last.changed && e < at[b]! + last.norm.length - last.trail) return null;
  if (words.slice(a, b + 1).some((w) => w.norm.includes("_"))) return null;
  // Words dropped around a spelled-out ordinal ("the", "of the month") belong to the phrase.
  while (a > 0 && at[a - 1]! < 0) a--;
  while (b < words.length - 1 && at[b + 1]! < 0) b++;
  return [a, b];
}

interface Candidate {
  a: number;
  b: number;
  when: When;
  score: number;
}

/** The words from a to b as a candidate, with its place's score; none when it reads as
 * nothing or is a weak reading in the wrong place. */
function candidate(words: Word[], at: number[], joined: string, [a, b]: [number, number], now: number, zone: Zone, l: LocalTime): Candidate[] {
  // The first and last words chrono saw (not the dropped "the" or "of the month").
  const f = a + at.slice(a).findIndex((x) => x >= 0);
  const z = at.slice(0, b + 1).findLastIndex((x) => x >= 0);
  const text = joined.slice(at[f]! + words[f]!.lead, at[z]! + words[z]!.norm.length - words[z]!.trail).toLowerCase();
  const when = readText(text.replace(LEADING, ""), now, zone, l);
  if ("problem" in when && when.problem === "not-a-time") return [];
  const spoken = text.replace(/^(?:on|in|at|by|until|till|til|from)\s+/, "");
  const opensWithPreposition = spoken !== text;
  // A preposition before the phrase is part of it ("on Dec 12"), so the rest reads cleanly.
  if (!opensWithPreposition && a > 0 && PREPOSITIONS.has(words[a - 1]!.core)) a--;
  const afterPreposition = PREPOSITIONS.has(words[a]!.core);
  const afterRemindMe = words[a - 1]?.core === "me" && words[a - 2]?.core === "remind";
  const atEnd = words.slice(b + 1).every((w) => w.core === "");
  if ((WEAK.test(spoken) && !afterPreposition) || NOT_TIME.test(spoken)) return [];
  const counted = /^(?:in|within)$/.test(words[a]!.core);
  if (!counted && parseSpan(text.replace(LEADING, "")) && !atEnd) return [];
  return [{ a, b, when, score: (atEnd ? 2 : 0) + (afterPreposition || afterRemindMe || a === 0 ? 1 : 0) }];
}
