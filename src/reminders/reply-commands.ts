/**
 * Commands a user types in reply to a reminder mail: "done", "skip", "stop", "snooze 3
 * days", "every 2 months", "note …", each optionally after item numbers ("1 done, 3
 * snooze 2 weeks"). Pure: the clock and the user's zone come in as arguments. The span and
 * cadence grammar here is also what settings commands use ("cadence 60 days").
 */
import * as chrono from "chrono-node";
import { atLocal, localTime, type LocalTime, type Zone } from "../lib/zone";
import { parseCadence, parseSpan } from "../lib/spans";

export type ItemAction =
  | { kind: "done" }
  | { kind: "skip" }
  | { kind: "stop" }
  | { kind: "snooze"; until: number /* epoch ms */ }
  | { kind: "cadence"; days: number }
  | { kind: "note"; text: string };
export interface ReplyCommand {
  items: number[] | "all";
  action: ItemAction;
}
export type ParsedReply = { ok: true; commands: ReplyCommand[] } | { ok: false; reason: string };

interface Context {
  now: number;
  zone: Zone;
  itemCount: number;
  /** The user's wall clock at `now`. */
  local: LocalTime;
  /** Snooze phrases already read: a piece is read more than once while a line is split,
   * and each reading costs a chrono parse and a dozen Intl calls. */
  snoozes: Map<string, Snooze>;
}

// Bounds on hostile replies: work is linear in these, and a person never needs more.
const MAX_LINES = 200;
const MAX_LINE = 500;
const MAX_COMMANDS = 50;
const MAX_NOTE = 4000;
// A date without a time is the user's morning; the caller moves it to their delivery hour.
const MORNING = 9;

const EXAMPLES = `Reply with "done", "skip", "stop", "snooze 3 days", "every 2 months" or "note …", with item numbers when the mail lists several: "1 done, 3 snooze 2 weeks".`;

export function parseReplyCommands(typed: string, opts: { now: number; timeZone: string; itemCount: number }): ParsedReply {
  const zone: Zone = { kind: "iana", name: opts.timeZone };
  const ctx: Context = { now: opts.now, zone, itemCount: opts.itemCount, local: localTime(opts.now, zone), snoozes: new Map() };
  // Runs of spaces are folded first: several patterns below are quadratic in a run's length.
  const lines = typed
    .slice(0, 64 * 1024)
    .split(/\r?\n|\r/)
    .slice(0, MAX_LINES)
    .map((l) => l.slice(0, MAX_NOTE).replace(/\s+/g, " ").trim());
  const commands: ReplyCommand[] = [];
  let pause = false; // a blank or filler line since the last command
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "--") break; // a signature follows
    if (line === "" || FILLER_LINE.test(line)) {
      pause = true;
      continue;
    }
    const read = readLine(line, ctx);
    if ("unreadable" in read) {
      // Below the commands: a sign-off, a name, a disclaimer. Above or among them: a typo.
      if (commands.length > 0 && (pause || signsOff(lines, i))) break;
      return { ok: false, reason: `Kith did not understand "${quote(line)}". ${EXAMPLES}` };
    }
    if ("reason" in read) return { ok: false, reason: read.reason };
    const last = read.commands[read.commands.length - 1];
    if (last?.action.kind === "note") {
      // A note runs on to the next blank line.
      const more: string[] = [];
      while (i + 1 < lines.length && lines[i + 1] !== "") more.push(lines[++i]!);
      if (more.length > 0) last.action = { kind: "note", text: [last.action.text, ...more].join("\n").slice(0, MAX_NOTE) };
    }
    commands.push(...read.commands);
    if (commands.length > MAX_COMMANDS) return { ok: false, reason: `Kith reads at most ${MAX_COMMANDS} commands in one reply.` };
    pause = false;
  }
  if (commands.length === 0) return { ok: false, reason: `Kith found no command in your reply. ${EXAMPLES}` };
  return { ok: true, commands };
}

type Read = { commands: ReplyCommand[] } | { reason: string } | { unreadable: true };
type Action = ItemAction | { reason: string } | null;

const quote = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

// Greetings and thanks on a line of their own.
const FILLER_LINE = /^(?:(?:hi|hello|hey|dear|thanks|thank you|thx|ty|cheers|best|regards|kind regards|best regards|many thanks|ok|okay|sure)\b[\s,]*(?:kith)?|kith)\s*[,.!:)]*$/i;
const FILLER_HEAD = /^(?:please|pls|plz|ok(?:ay)?|kith)\b[,:]?\s*/i;
const FILLER_TAIL = /[\s,;]*(?:\b(?:please|pls|plz|thanks|thank you|thx|ty|cheers))?[\s.!?]*$/i;

/** The last line, and short and capitalized like a name ("Alex", "-A."), not a misspelled verb. */
function signsOff(lines: string[], i: number): boolean {
  if (lines.slice(i + 1).some((l) => l !== "")) return false;
  const t = lines[i]!;
  return /^(?:[-–—~]\s*)?\p{Lu}[\p{L}.' -]{0,30}$/u.test(t) && t.split(/\s+/).length <= 3 && !/^(?:sno|ski|don|sto|mut|not|rem|lat|eve)/i.test(t);
}

/** One line: commands separated by commas, semicolons or "and". A piece that is no
 * command on its own belongs to the one before ("until Dec 3, 2027"), and bare item
 * numbers to the one after ("1, 2 done"); a note takes the rest of the line. */
function readLine(line: string, ctx: Context): Read {
  if (line.length > MAX_LINE && !/^\W*(?:add\s+(?:a\s+)?)?(?:note|notes|memo)\b/i.test(line)) return { unreadable: true };
  const parts = line.split(SEPARATORS);
  const pieces: { items: number[]; text: string }[] = [];
  let pending: number[] = [];
  let noteOpen = false;
  for (let k = 0; k < parts.length; k += 2) {
    const text = parts[k]!;
    const before = pieces[pieces.length - 1];
    const items = noteOpen ? null : itemsOnly(text);
    if (items && commandFollows(parts, k + 2, ctx)) pending = pending.concat(items);
    else if (!before || (!noteOpen && readPiece([], text, ctx) !== null)) {
      pieces.push({ items: pending, text });
      pending = [];
      noteOpen = isNote(text);
    } else before.text += parts[k - 1]! + text;
  }
  const commands: ReplyCommand[] = [];
  for (const p of pieces) {
    const read = readPiece(p.items, p.text, ctx);
    if (read === null) return { unreadable: true };
    if ("reason" in read) return read;
    commands.push(read);
  }
  return { commands };
}

// Between commands: punctuation, "and", or just a space before "2 skip" in "1 done 2 skip".
const SEPARATORS = /(\s*[,;]\s*|\s+(?:and|then|also)\s+|\s*&\s*|(?<!\b(?:items?|no\.?|number))\s+(?=#?\d{1,4}[.):]?\s+(?:done|did|skip|ignore|stop|mute|never|snooze|remind|later|note|every|[✓✔☑✅])))/i;

function commandFollows(parts: string[], k: number, ctx: Context): boolean {
  for (; k < parts.length; k += 2) if (!itemsOnly(parts[k]!)) return readPiece([], parts[k]!, ctx) !== null;
  return false;
}

const isNote = (text: string): boolean => NOTE.test(text.trim().replace(FILLER_HEAD, ""));

// Item numbers before a command: "1", "#2", "1-3", "item 2:", "2.", "2)".
const ITEMS = /^(?:items?\s*|no\.?\s*|number\s*)?#?(\d{1,4})(?:\s*(?:-|–|—|to|through|thru)\s*#?(\d{1,4}))?(?:\s*[:.)]|\s+|$)/i;

function itemsOnly(text: string): number[] | null {
  const { items, rest } = takeItems(text.trim());
  return items.length > 0 && rest === "" ? items : null;
}

function takeItems(text: string): { items: number[]; rest: string } {
  const items: number[] = [];
  let rest = text;
  for (let m = ITEMS.exec(rest); m && items.length < 100; m = ITEMS.exec(rest)) {
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    // A range is listed as its ends when it cannot be valid; the check below names them.
    if (hi >= lo && hi - lo < 100) for (let n = lo; n <= hi; n++) items.push(n);
    else items.push(lo, hi);
    rest = rest.slice(m[0].length).replace(/^\s*(?:,|&|and\b)?\s*/i, "");
  }
  return { items, rest };
}

// "skip 2", "done 1 and 3". Each separator can match a run of spaces in one way only:
// with "\s*(?:,|\s)\s*" a run of n doubled spaces had 2^n and took minutes to fail.
const TRAILING_ITEMS = /^(.*?)\s+(?:for\s+)?((?:items?\s*|#)?\d{1,4}(?:(?:\s*(?:-|–|to|,|&|and)\s*|\s+)#?\d{1,4})*)[.!]?$/i;

/** One command with the items before it, null when it is not one at all. */
function readPiece(pending: number[], text: string, ctx: Context): ReplyCommand | { reason: string } | null {
  const clean = text.trim().replace(FILLER_HEAD, "");
  // The command alone first, so that "2 weeks" is a snooze, not item 2.
  let items = pending;
  let action = readAction(clean, ctx);
  if (action === null) {
    const taken = takeItems(clean);
    items = pending.concat(taken.items);
    action = taken.items.length > 0 ? readAction(taken.rest, ctx) : null;
  }
  if (action === null) {
    // "skip 2", "done 1 and 3": numbers after a verb that takes nothing else.
    const after = TRAILING_ITEMS.exec(clean);
    const verb = after ? readAction(after[1]!, ctx) : null;
    if (!after || !verb || !("kind" in verb) || !["done", "skip", "stop"].includes(verb.kind)) return null;
    items = pending.concat(takeItems(after[2]!).items);
    action = verb;
  }
  if ("reason" in action) return action;
  // The highest wrong number names the mistake best ("2-7 skip" on three items: 7).
  const wrong = items.filter((n) => n < 1 || n > ctx.itemCount);
  if (wrong.length > 0) return { reason: noSuchItem(Math.max(...wrong), ctx.itemCount) };
  return { items: items.length > 0 ? [...new Set(items)] : "all", action };
}

function noSuchItem(n: number, count: number): string {
  const lists = count === 0 ? "lists no numbered items" : count === 1 ? "lists one item" : `lists items 1 to ${count}`;
  return `There is no item ${n}: the mail you replied to ${lists}.`;
}

const NOTE = /^(?:add\s+(?:a\s+)?)?(?:note|notes|memo)\b\s*[:\-–—]?\s*/i;
const DONE = /^(?:done|did it|did that|✓|✔|✔️|☑️|✅|followed up|completed?|finished|reached out|handled)$/i;
const SKIP = /^(?:skip(?: it| this(?: one)?| for now)?|skipped|ignore(?: it| this(?: one)?)?|not now|not this time|pass|dismiss)$/i;
const STOP = /^(?:stop|mute|never|never again|mute (?:it|them|this(?: one| contact)?)|stop (?:it|reminding me|reminders|check(?:ing)?[- ]?ins?)|no more(?: reminders| check-?ins)?|don'?t remind me(?: again)?)$/i;
// A reply cannot switch Kith off; these wordings would read as muting every contact.
const UNSUBSCRIBE = /^(?:unsubscribe|stop all|stop everything|stop (?:e-?mailing|mailing|sending)(?: me)?(?: e-?mails| mails)?|cancel(?: my)? account|delete my account)$/i;
const SNOOZE = /^(?:snooze|remind me(?: again)?|remind|later|postpone|defer|delay|push(?: it)?(?: back)?|ask me again|wait)\b\s*(.*)$/i;
// A time with no verb snoozes when it cannot be anything else ("2 next week").
const BARE_WHEN = /^(?:(?:in|until|till|til|for)\s|tomorrow|next\s|this\s|a\s+(?:week|month|year|fortnight|couple|few)\b|an\s+hour\b|\d{1,4}\s*(?:h|hrs?|hours?|d|days?|w|wks?|weeks?|fortnights?|mo|mos|mths?|months?|y|yrs?|years?)$)/i;

function readAction(raw: string, ctx: Context): Action {
  const note = NOTE.exec(raw);
  if (note) {
    const text = raw.slice(note[0].length).trim().slice(0, MAX_NOTE);
    return text ? { kind: "note", text } : { reason: `A note needs some text, e.g. "note met at PyCon, into sailing".` };
  }
  const t = raw.replace(FILLER_TAIL, "").replace(/\s+/g, " ").trim();
  if (t === "") return null;
  if (DONE.test(t)) return { kind: "done" };
  if (SKIP.test(t)) return { kind: "skip" };
  if (STOP.test(t)) return { kind: "stop" };
  if (UNSUBSCRIBE.test(t))
    return { reason: `Kith cannot unsubscribe you by a reply to a reminder. To stop check-ins about one person reply "stop" with their item number ("2 stop"); to see or change your settings, send "settings".` };
  const cadence = parseCadence(t.replace(/^(?:check in|ping me|remind me|reminders?)\s+/i, ""));
  if (cadence !== null) return "error" in cadence ? { reason: cadence.error } : { kind: "cadence", days: cadence.days };
  const snooze = SNOOZE.exec(t);
  if (snooze) {
    const when = snooze[1]!.trim();
    if (!when) return { reason: `Snooze until when? Try "snooze 3 days", "snooze until Monday" or "snooze until Dec 3".` };
    const until = snoozeUntil(when, ctx);
    return "notATime" in until ? { reason: until.reason } : until;
  }
  if (BARE_WHEN.test(t)) {
    const until = snoozeUntil(t, ctx);
    // A bare phrase that is no time is no command either ("1 done" is item 1, done).
    return "notATime" in until ? null : until;
  }
  return null;
}

// ---- Snooze times.

const HOUR = 3_600_000;
// Words that give a date its own time of day ("tonight" is 22:00, not the morning).
const DAYPART = /\b(?:tonight|morning|afternoon|evening|night|noon|midday|midnight|lunch)\b/i;

type Snooze = ItemAction | { reason: string } | { reason: string; notATime: true };

function snoozeUntil(phrase: string, ctx: Context): Snooze {
  let read = ctx.snoozes.get(phrase);
  if (read === undefined) ctx.snoozes.set(phrase, (read = readSnooze(phrase, ctx)));
  return read;
}

function readSnooze(phrase: string, ctx: Context): Snooze {
  const when = readWhen(phrase, ctx.now, ctx.zone, ctx.local);
  if ("at" in when) return { kind: "snooze", until: when.at };
  if (when.problem === "not-a-time")
    return { notATime: true, reason: `Kith could not read "${quote(phrase)}" as a time. Try "snooze 3 days", "snooze until next Tuesday" or "snooze until Dec 3".` };
  if (when.problem === "past") return { reason: `"${quote(phrase)}" is not in the future. Try "snooze 3 days" or "snooze until next Tuesday".` };
  return { reason: `"${quote(phrase)}" is more than two years away; Kith snoozes for at most two years.` };
}

export type When = { at: number } | { problem: "not-a-time" | "past" | "too-far" };

/** The instant a time phrase means in the user's zone: "3 days", "2h", "next Tuesday",
 * "until Dec 3", "Monday 9am". Hours and minutes count from now; days and longer land on a
 * local date, at the hour given or else at MORNING. At most two years ahead. Snoozes read
 * their times with it, and so does "pause until March". */
export function readWhen(phrase: string, now: number, zone: Zone, l: LocalTime = localTime(now, zone)): When {
  const t = phrase.toLowerCase().replace(/^(?:(?:for|until|till|til|'til|to|on|by|me|it)\s+)+/, "");
  const span = parseSpan(t.replace(/^in\s+/, ""));
  let until: number;
  if (span?.unit === "minute" || span?.unit === "hour") until = now + span.count * (span.unit === "hour" ? HOUR : 60_000);
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
