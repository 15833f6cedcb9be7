/** When a promise is due: the date its sentence names, read in the user's zone against
 * when the mail was sent, or a few mornings on when it names none. */
import * as chrono from "chrono-node";
import { DAY } from "../lib/time";
import { atLocal, localTime, type LocalTime, type Zone } from "../lib/zone";

/** When and where a mail was sent: all a due date is read against. */
export interface Sent {
  sentAt: number;
  zone: Zone;
}

// An undated promise is looked at again three days on, in the user's morning.
const UNDATED_DAYS = 3;
const MORNING = 9;
// "End of day" and "end of week" are the close of business.
const CLOSE = 17;
// A date this far out is likelier chrono misreading a word than a promise.
const MAX_AHEAD = 366 * DAY;

export interface Said {
  /** Where in the text the date starts. */
  index: number;
  at: number;
}

// Times chrono does not know, or reads otherwise than a promise means them.
const DUE_WORDS: { re: RegExp; at: (l: LocalTime, o: Sent) => number }[] = [
  { re: /\b(?:eod|cob|end of (?:the |to)?day|close of (?:business|play))\b/i, at: (l, o) => endOfDay(l, o) },
  { re: /\b(?:eow|end of (?:the |this )?week|(?:later )?this week)\b/i, at: (l, o) => endOfWeek(l, o) },
  // "Next week" is its Monday; chrono would say a week from today.
  { re: /\bnext week\b/i, at: (l, o) => atLocal(o.zone, l.year, l.month, l.day + 8 - l.weekday, MORNING) },
  // Day 0 of the next month is this month's last.
  { re: /\b(?:eom|end of (?:the |this )?month)\b/i, at: (l, o) => orNextMorning(atLocal(o.zone, l.year, l.month + 1, 0, CLOSE), l, o) },
];
// Month names that are also first names ("introduce you to April") count only as a date
// after a word that asks for one ("by April").
const BARE_MONTH = /^(?:january|february|march|april|may|june|july|august|september|october|november|december)$/i;
const UNIT_NOUN = /^the (?:seconds?|minutes?|hours?|weeks?|months?|years?)\b/i;
const ASKS_FOR_DATE = /\b(?:by|in|before|until|till|end of|early|mid|late)\s*$/i;
// Words that give a date its own time of day; "morning" is the user's MORNING.
const DAYPART = /\b(?:tonight|afternoon|evening|night|noon|midday|midnight|lunch)\b/i;

/** The due dates a text names, in the order they stand. */
export function datesSaid(text: string, o: Sent): Said[] {
  const l = localTime(o.sentAt, o.zone);
  const said: Said[] = [];
  for (const w of DUE_WORDS) {
    const m = w.re.exec(text);
    if (m) said.push({ index: m.index, at: w.at(l, o) });
  }
  // chrono knows fixed offsets only: it reads the local wall clock as UTC (as in lib/when.ts).
  const wall = new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute));
  for (const r of chrono.casual.parse(text, { instant: wall, timezone: 0 }, { forwardDate: true })) {
    if (BARE_MONTH.test(r.text) && !ASKS_FOR_DATE.test(text.slice(0, r.index))) continue;
    // "Friday's meeting", "today's call" name an occasion, not when the promise is due;
    // "the minutes", "the week 3 report" are things, which chrono reads as "in a minute".
    if (text.startsWith("'s", r.index + r.text.length) || UNIT_NOUN.test(r.text)) continue;
    const at = instantOf(r, l, o);
    if (at > o.sentAt && at <= o.sentAt + MAX_AHEAD) said.push({ index: r.index, at });
  }
  // Stable: on a tie the DUE_WORDS reading wins.
  return said.sort((a, b) => a.index - b.index);
}

function instantOf(r: chrono.ParsedResult, l: LocalTime, o: Sent): number {
  const get = (k: chrono.Component): number => r.start.get(k) ?? 0;
  const [year, month, day] = [get("year"), get("month"), get("day")];
  if (r.start.isCertain("hour") || DAYPART.test(r.text)) {
    // "Call you at 3" means the afternoon, not 3 a.m.
    const hour = get("hour") < 7 && !r.start.isCertain("meridiem") ? get("hour") + 12 : get("hour");
    return atLocal(o.zone, year, month, day, hour, get("minute"));
  }
  // "Today" is due by the close of business, not at a morning already gone.
  if (year === l.year && month === l.month && day === l.day) return endOfDay(l, o);
  return atLocal(o.zone, year, month, day, MORNING);
}

/** Today's close of business, or tomorrow morning when it has passed. */
function endOfDay(l: LocalTime, o: Sent): number {
  return orNextMorning(atLocal(o.zone, l.year, l.month, l.day, CLOSE), l, o);
}

/** This week's Friday close, or next week's when it has passed. */
function endOfWeek(l: LocalTime, o: Sent): number {
  const toFriday = (12 - l.weekday) % 7;
  const at = atLocal(o.zone, l.year, l.month, l.day + toFriday, CLOSE);
  return at > o.sentAt ? at : atLocal(o.zone, l.year, l.month, l.day + toFriday + 7, CLOSE);
}

function orNextMorning(at: number, l: LocalTime, o: Sent): number {
  return at > o.sentAt ? at : atLocal(o.zone, l.year, l.month, l.day + 1, MORNING);
}

export function undated(o: Sent): number {
  const l = localTime(o.sentAt, o.zone);
  return atLocal(o.zone, l.year, l.month, l.day + UNDATED_DAYS, MORNING);
}
