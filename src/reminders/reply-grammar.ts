/**
 * How people type commands on the numbered items of a mail, whatever the commands are:
 * "done", "1 done, 3 snooze 2 weeks", "1-3 skip", "2, 4 done", "skip 2", a note that runs
 * on to the next blank line, greetings and sign-offs around them. The actions come in as
 * a list (reminders/item-actions.ts): each reads its own phrase; this reads the rest.
 * Pure: the clock and the user's zone come in as arguments.
 */
import { localTime, type LocalTime, type Zone } from "../lib/zone";
import { escapeRegExp } from "../lib/regexp";

export interface PieceContext {
  now: number;
  zone: Zone;
  /** The user's wall clock at `now`. */
  local: LocalTime;
  /** Phrases already read (a piece is read more than once while a line is split, and a
   * time costs a chrono parse and a dozen Intl calls), by whoever reads them. */
  memo: Map<string, unknown>;
}

/** One action as the grammar sees it. */
export interface ItemReader<A extends { kind: string }> {
  kind: A["kind"];
  /** The action in one piece of a line, item numbers already taken off: `raw` as typed,
   * `clean` without a trailing "please"/"thanks" and punctuation. */
  read(piece: { raw: string; clean: string }, ctx: PieceContext): A | { reason: string } | null;
  /** Words that start it, so that "1 done 2 skip" splits before "2". */
  verbs: readonly string[];
  /** Its verbs' first letters: a last line starting so is a misspelt command, not a name. */
  stems: readonly string[];
  /** It takes item numbers after it too: "skip 2", "done 1 and 3". */
  trailingItems?: boolean;
  /** It takes the rest of its line and the lines after it, up to a blank one (a note). */
  rest?: { opens: RegExp; extend(action: A, more: string[]): A };
}

export interface ItemCommand<A> {
  items: number[] | "all";
  action: A;
}
export type ParsedItems<A> = { ok: true; commands: ItemCommand<A>[] } | { ok: false; reason: string };

// Bounds on hostile replies: work is linear in these, and a person never needs more.
const MAX_LINES = 200;
const MAX_LINE = 500;
const MAX_COMMANDS = 50;
const MAX_TYPED_LINE = 4000;

export const quote = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

// Greetings and thanks on a line of their own.
const FILLER_LINE = /^(?:(?:hi|hello|hey|dear|thanks|thank you|thx|ty|cheers|best|regards|kind regards|best regards|many thanks|ok|okay|sure)\b[\s,]*(?:kith)?|kith)\s*[,.!:)]*$/i;
const FILLER_HEAD = /^(?:please|pls|plz|ok(?:ay)?|kith)\b[,:]?\s*/i;
const FILLER_TAIL = /[\s,;]*(?:\b(?:please|pls|plz|thanks|thank you|thx|ty|cheers))?[\s.!?]*$/i;

interface Grammar<A extends { kind: string }> {
  readers: readonly ItemReader<A>[];
  separators: RegExp;
  stems: RegExp;
}

const grammars = new WeakMap<readonly ItemReader<{ kind: string }>[], Grammar<{ kind: string }>>();


function grammarOf<A extends { kind: string }>(readers: readonly ItemReader<A>[]): Grammar<A> {
  const hit = grammars.get(readers);
  if (hit) return hit as unknown as Grammar<A>;
  const verbs = readers.flatMap((r) => r.verbs).map(escapeRegExp).join("|");
  const g: Grammar<A> = {
    readers,
    // Between commands: punctuation, "and", or just a space before "2 skip" in "1 done 2 skip".
    separators: new RegExp(`(\\s*[,;]\\s*|\\s+(?:and|then|also)\\s+|\\s*&\\s*|(?<!\\b(?:items?|no\\.?|number))\\s+(?=#?\\d{1,4}[.):]?\\s+(?:${verbs})))`, "i"),
    stems: new RegExp(`^(?:${readers.flatMap((r) => r.stems).map(escapeRegExp).join("|")})`, "i"),
  };
  grammars.set(readers, g as unknown as Grammar<{ kind: string }>);
  return g;
}

interface Context<A extends { kind: string }> extends PieceContext {
  g: Grammar<A>;
  itemCount: number;
}

/** The commands of a typed reply, on a mail with `itemCount` numbered items. `examples`
 * ends every "did not understand" answer. */
export function readItemCommands<A extends { kind: string }>(
  typed: string,
  opts: { now: number; zone: Zone; itemCount: number; examples: string },
  readers: readonly ItemReader<A>[],
): ParsedItems<A> {
  const ctx: Context<A> = { now: opts.now, zone: opts.zone, itemCount: opts.itemCount, local: localTime(opts.now, opts.zone), memo: new Map(), g: grammarOf(readers) };
  // Runs of spaces are folded first: several patterns below are quadratic in a run's length.
  const lines = typed
    .slice(0, 64 * 1024)
    .split(/\r?\n|\r/)
    .slice(0, MAX_LINES)
    .map((l) => l.slice(0, MAX_TYPED_LINE).replace(/\s+/g, " ").trim());
  const commands: ItemCommand<A>[] = [];
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
      if (commands.length > 0 && (pause || signsOff(lines, i, ctx))) break;
      return { ok: false, reason: `Kith did not understand "${quote(line)}". ${opts.examples}` };
    }
    if ("reason" in read) return { ok: false, reason: read.reason };
    const last = read.commands[read.commands.length - 1];
    const rest = last ? readerOf(ctx, last.action).rest : undefined;
    if (last && rest) {
      // It runs on to the next blank line.
      const more: string[] = [];
      while (i + 1 < lines.length && lines[i + 1] !== "") more.push(lines[++i]!);
      if (more.length > 0) last.action = rest.extend(last.action, more);
    }
    commands.push(...read.commands);
    if (commands.length > MAX_COMMANDS) return { ok: false, reason: `Kith reads at most ${MAX_COMMANDS} commands in one reply.` };
    pause = false;
  }
  if (commands.length === 0) return { ok: false, reason: `Kith found no command in your reply. ${opts.examples}` };
  return { ok: true, commands };
}

function readerOf<A extends { kind: string }>(ctx: Context<A>, action: A): ItemReader<A> {
  return ctx.g.readers.find((r) => r.kind === action.kind)!;
}

type Line<A> = { commands: ItemCommand<A>[] } | { reason: string } | { unreadable: true };

/** The last line, and short and capitalized like a name ("Alex", "-A."), not a misspelled verb. */
function signsOff<A extends { kind: string }>(lines: string[], i: number, ctx: Context<A>): boolean {
  if (lines.slice(i + 1).some((l) => l !== "")) return false;
  const t = lines[i]!;
  return /^(?:[-–—~]\s*)?\p{Lu}[\p{L}.' -]{0,30}$/u.test(t) && t.split(/\s+/).length <= 3 && !ctx.g.stems.test(t);
}

/** A piece that starts an action taking the rest of the line (a note). */
function opensRest<A extends { kind: string }>(text: string, ctx: Context<A>): boolean {
  return ctx.g.readers.some((r) => r.rest?.opens.test(text));
}

/** One line: commands separated by commas, semicolons or "and". A piece that is no
 * command on its own belongs to the one before ("until Dec 3, 2027"), and bare item
 * numbers to the one after ("1, 2 done"); a note takes the rest of the line. */
function readLine<A extends { kind: string }>(line: string, ctx: Context<A>): Line<A> {
  if (line.length > MAX_LINE && !opensRest(line.replace(/^\W*/, ""), ctx)) return { unreadable: true };
  const parts = line.split(ctx.g.separators);
  const pieces: { items: number[]; text: string }[] = [];
  let pending: number[] = [];
  let restOpen = false;
  for (let k = 0; k < parts.length; k += 2) {
    const text = parts[k]!;
    const before = pieces[pieces.length - 1];
    const items = restOpen ? null : itemsOnly(text);
    if (items && commandFollows(parts, k + 2, ctx)) pending = pending.concat(items);
    else if (!before || (!restOpen && readPiece([], text, ctx) !== null)) {
      pieces.push({ items: pending, text });
      pending = [];
      restOpen = opensRest(text.trim().replace(FILLER_HEAD, ""), ctx);
    } else before.text += parts[k - 1]! + text;
  }
  const commands: ItemCommand<A>[] = [];
  for (const p of pieces) {
    const read = readPiece(p.items, p.text, ctx);
    if (read === null) return { unreadable: true };
    if ("reason" in read) return read;
    commands.push(read);
  }
  return { commands };
}

function commandFollows<A extends { kind: string }>(parts: string[], k: number, ctx: Context<A>): boolean {
  for (; k < parts.length; k += 2) if (!itemsOnly(parts[k]!)) return readPiece([], parts[k]!, ctx) !== null;
  return false;
}

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

function readAction<A extends { kind: string }>(raw: string, ctx: Context<A>): A | { reason: string } | null {
  const clean = raw.replace(FILLER_TAIL, "").replace(/\s+/g, " ").trim();
  for (const r of ctx.g.readers) {
    const read = r.read({ raw, clean }, ctx);
    if (read !== null) return read;
  }
  return null;
}

/** One command with the items before it, null when it is not one at all. */
function readPiece<A extends { kind: string }>(pending: number[], text: string, ctx: Context<A>): ItemCommand<A> | { reason: string } | null {
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
    if (!after || !verb || "reason" in verb || !readerOf(ctx, verb).trailingItems) return null;
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
