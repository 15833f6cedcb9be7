/**
 * Inline forwards: the block a mail client wrote into the body ("---------- Forwarded
 * message ---------", "From: … Sent: …", "Begin forwarded message:", …), read by
 * `email-forward-parser`, plus what it lacks: header blocks with no separator
 * ("-----Original Message-----", new Outlook), forwards nested in forwards, and limits
 * for hostile input.
 */
import EmailForwardParser, { type EmailForwardResult } from "email-forward-parser";
import { deferForwardDate } from "./date";
import { PatternLists, type Usable } from "./prefilter";
import { toPeople, toPerson } from "./people";
import { CJK_SEPARATOR, DATE, FORWARD_WORD, FROM, HEADER_LABELS, isCjkLabel, mayTellForward, SEPARATOR_WORD, SUBJECT, subjectPrefixes, TO } from "./words";
import type { ForwardedMessage } from "../types";

// Without its optional native RE2 engine (never, in a Worker) the library's regexes are
// polynomial in line length and in whitespace runs: 64 KB of spaces took 6 s, one 64 KB
// crafted line took minutes. Text is cut and reshaped (see `prepare`) so no single
// regex run can get there; the worst shape measured costs ~0.2 s per 64 KB level.
export const MAX_SCAN = 64 * 1024;
const MAX_LINE = 300;
// Each nesting level hands the library what is left; the total is bounded.
const MAX_WORK = 128 * 1024;
const MAX_LEVELS = 16; // the corpus's longest Outlook chain has 11

// The library runs `createRequire(import.meta.url)` when loaded (to look for RE2), and a
// wrangler bundle leaves import.meta.url undefined (cloudflare/workerd#6986): the Worker
// then fails to start unless wrangler.toml defines it. Tests pass either way, since the
// vitest plugin rewrites import.meta.url itself.
const library = new EmailForwardParser();
// Its patterns, so that each text is read with only those that can match it. (The
// parser's lists are not in its types; test/inbound/forward-prefilter.test.ts fails on
// a version that moves them.)
const patterns = new PatternLists((library as unknown as { parser?: { regexes?: Record<string, unknown> } }).parser?.regexes);

/** Every forwarded message in the text, outermost first. */
export function forwardChain(raw: string, subject?: string): ForwardedMessage[] {
  const chain: ForwardedMessage[] = [];
  const says = subject === undefined ? undefined : subjectPrefixes(subject);
  let hinted = says?.forward ?? false;
  // A reply quotes its thread with the same header blocks and separators a forward uses
  // (Outlook writes "From: … Sent: …" under both); under "Re:" only a line that says
  // "forwarded" (in some language) makes it a forward. Asked of the raw text first, to
  // spare a reply `prepare`.
  if (says?.reply && !hinted && !mayTellForward(raw.slice(0, MAX_SCAN))) return chain;
  let text = prepare(raw);
  let work = MAX_WORK;
  if (says?.reply && !hinted && !FORWARD_WORD.test(text)) return chain;
  // Every level reads a part of this text: what can match it can match them.
  const usable = patterns.usableIn(text);
  while (chain.length < MAX_LEVELS && work > 0 && text.trim()) {
    if (text.length > work) text = text.slice(0, work);
    work -= text.length;
    const level = readLevel(text, hinted, usable);
    if (!level) break;
    if (chain.length === 0 && hinted && !level.message.subject && says?.rest) level.message.subject = says.rest;
    chain.push(level.message);
    text = level.rest;
    hinted = false;
  }
  return chain;
}

interface Level {
  message: ForwardedMessage;
  /** The text after this level's From line, where a nested forward would be. */
  rest: string;
}

/** The first forwarded message in the text. */
function readLevel(text: string, hinted: boolean, usable: Usable): Level | null {
  const read = (t: string, subject?: string) => readWith(usable, t, subject);
  const bySeparator = read(text);
  const separatorAt = bySeparator ? messageEnd(text, bySeparator) : -1;
  const block = findHeaderBlock(text);
  // A header block above the first separator is a level of its own (an Outlook forward
  // whose body holds a Gmail forward); the library would jump to the separator.
  if (bySeparator && hasSender(bySeparator) && (block < 0 || separatorAt <= block)) {
    return level(bySeparator, text, separatorAt);
  }
  if (block >= 0) {
    // The library splits at a From: line only when told the mail is a forward, and
    // still prefers a separator below: hand it just this block's text.
    const end = separatorAt > block ? separatorAt : text.length;
    const r = read(unquote(text.slice(block, end)), "Fwd:");
    if (r && hasSender(r)) return level(r, text, block);
  }
  if (hinted) {
    const r = read(text, "Fwd:");
    if (r && hasSender(r)) return level(r, text, messageEnd(text, r));
  }
  return null;
}

function readWith(usable: Usable, text: string, subject?: string): EmailForwardResult | null {
  // Without a subject the library finds a forward only at one of its separator lines;
  // the scan for them is the dearest part of a note or reply, and most have none.
  if (subject === undefined && !SEPARATOR_WORD.test(text)) return null;
  try {
    const r = patterns.with(usable, () => library.read(text, subject));
    return r.forwarded ? r : null;
  } catch {
    return null;
  }
}

/** One level of "> " quoting off every line: the library splits at a From: line only
 * when it opens the line. */
const unquote = (text: string): string => (/^[ \t]*>/.test(text) ? text.replace(/^[ \t]*> ?/gm, "") : text);

const hasSender = (r: EmailForwardResult): boolean => Boolean(r.email.from.address || r.email.from.name);

/** Where the forwarder's own note ends, i.e. where the library found the forward. */
function messageEnd(text: string, r: EmailForwardResult): number {
  const note = r.message ?? "";
  const at = note ? text.indexOf(note) : 0;
  return at < 0 ? 0 : at + note.length;
}

function level(r: EmailForwardResult, text: string, start: number): Level {
  const e = r.email;
  const message: ForwardedMessage = {
    from: toPerson(e.from),
    to: toPeople(e.to),
    cc: toPeople(e.cc),
    body: withoutRenderedHeader((e.body ?? "").trim()),
  };
  deferForwardDate(message, e.date); // read only if this message is picked as the original
  const subject = e.subject?.trim();
  if (subject) message.subject = subject;
  return { message, rest: text.slice(afterFromLine(text, start)) };
}

/** postal-mime renders an inlined message/rfc822 part as header lines closed by a dashed
 * line, which the library leaves at the top of the body. */
function withoutRenderedHeader(body: string): string {
  const lines = body.split("\n", 24);
  let i = 0;
  while (i < lines.length && (headerKind(lines[i]!) || (i > 0 && /^\s+\S/.test(lines[i]!)))) i++;
  if (i === 0 || !/^-{3,}$/.test(lines[i] ?? "")) return body;
  return body.split("\n").slice(i + 1).join("\n").trim();
}

/**
 * The offset just past the From line of the block that starts at `start` (after the
 * separator line and any header lines before From). A separator with the sender on
 * it ("On … wrote:", Yahoo's one-line header) has no such line: then past the separator.
 */
function afterFromLine(text: string, start: number): number {
  let at = start;
  let firstLineEnd = -1;
  for (let n = 0; n < 16 && at < text.length; n++) {
    const nl = text.indexOf("\n", at);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(at, end);
    if ((headerKind(line) & FROM) !== 0 && /[:：]\s*\S/.test(line)) return end;
    if (!isBlank(line)) {
      if (firstLineEnd < 0) firstLineEnd = end;
      else if (!headerKind(line)) break; // past the header lines
    }
    at = end;
  }
  return firstLineEnd < 0 ? text.length : firstLineEnd;
}

const TO_OR_SUBJECT = TO | SUBJECT;

// Optional quote marks and bold stars around a label, as HTML-to-text leaves them.
const HEADER_LINE = new RegExp(`^[>\\s]*\\*{0,2}(?:${HEADER_LABELS.map(([, l]) => `(${l.join("|")})`).join("|")})\\*{0,2}\\s?\\*{0,2}[:：]`, "i");

interface Field {
  kind: number;
  /** Where the label and its colon end. */
  end: number;
  /** A CJK label or a full-width colon: a line the library cannot read. */
  cjk: boolean;
}

function headerField(line: string): Field | null {
  const m = HEADER_LINE.exec(line);
  if (!m) return null;
  const i = m.findIndex((g, k) => k > 0 && g !== undefined);
  const kind = HEADER_LABELS[i - 1]?.[0];
  return kind === undefined ? null : { kind, end: m[0].length, cjk: isCjkLabel(m[i]!) || m[0].endsWith("：") };
}

const headerKind = (line: string): number => headerField(line)?.kind ?? 0;

const isBlank = (line: string): boolean => /^[>\s]*$/.test(line);

/**
 * Offset of the first forwarded header block with no separator line: a run of header
 * lines (one blank line allowed between them) holding a From, a date and a To or
 * Subject. Or -1.
 */
function findHeaderBlock(text: string): number {
  let offset = 0;
  let runStart = -1;
  let kinds = 0;
  let blanks = 0;
  for (const line of text.split("\n")) {
    const kind = headerKind(line);
    if (kind) {
      if (runStart < 0) [runStart, kinds] = [offset, 0];
      kinds |= kind;
      blanks = 0;
      if ((kinds & FROM) !== 0 && (kinds & DATE) !== 0 && (kinds & TO_OR_SUBJECT) !== 0) return runStart;
    } else if (!(runStart >= 0 && isBlank(line) && blanks++ < 1)) {
      runStart = -1;
      blanks = 0;
    }
    offset += line.length + 1;
  }
  return -1;
}

/**
 * Text the library can scan safely: capped, "\n" line ends, no BOM or NBSP, whitespace
 * runs and blank-line runs shortened, long lines wrapped. Also drops the link that
 * HTML-to-text conversion glues to an address ("a@x.com<mailto:a@x.com>"): the address
 * shown is what the header said; the link target can differ and is markup.
 */
function prepare(raw: string): string {
  const lines: string[] = [];
  let blankRun = 0;
  for (const full of raw.slice(0, MAX_SCAN).replace(/\r\n?/g, "\n").replace(/\uFEFF/g, "").split("\n")) {
    const line = full.replace(/\u00A0/g, " ").replace(/[ \t]{9,}/g, "        ").trimEnd();
    if (isBlank(line) && ++blankRun > 2) continue;
    if (!isBlank(line)) blankRun = 0;
    for (const piece of wrap(line)) lines.push(MAILTO.test(piece) ? piece.replace(MAILTO_AFTER_ADDRESS, "$1") : piece);
  }
  // English labels and separators can be longer than the CJK ones: cut again.
  return withEnglishLabels(lines.join("\n")).slice(0, MAX_SCAN);
}

// Kana, CJK ideographs, hangul, or a full-width colon: text without any has no CJK block.
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff1a]/;
const GMAIL_SEPARATOR = "---------- Forwarded message ---------";

/**
 * The text with its CJK forwarded blocks written as the library reads them: each CJK
 * separator line as Gmail's English one, and each header line of a run that uses a CJK
 * label (or a full-width colon) with the English label of its field ("差出人：" →
 * "From:"). Only runs of header lines that hold a From and some other field (one blank
 * line allowed between them, as in `findHeaderBlock`) are touched, so a CJK letter whose
 * body says "件名: …" keeps its words.
 */
function withEnglishLabels(text: string): string {
  if (!CJK.test(text)) return text;
  const lines = text.split("\n");
  let run: [number, Field][] = [];
  let kinds = 0;
  let cjk = false;
  let blanks = 0;
  const close = () => {
    if (cjk && (kinds & FROM) !== 0 && kinds !== FROM) for (const [i, field] of run) lines[i] = inEnglish(lines[i]!, field);
    [run, kinds, cjk, blanks] = [[], 0, false, 0];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (CJK_SEPARATOR.test(line)) {
      close();
      lines[i] = /^[>\s]*/.exec(line)![0] + GMAIL_SEPARATOR;
      continue;
    }
    const field = headerField(line);
    if (field) {
      run.push([i, field]);
      kinds |= field.kind;
      cjk ||= field.cjk;
      blanks = 0;
    } else if (!(run.length > 0 && isBlank(line) && blanks++ < 1)) close();
  }
  close();
  return lines.join("\n");
}

/** A header line with the English label of its field, its quote marks kept. */
function inEnglish(line: string, field: Field): string {
  const english = HEADER_LABELS.find(([kind]) => kind === field.kind)![2];
  return `${/^[>\s]*/.exec(line)![0]}${english}: ${line.slice(field.end).replace(/^\**\s*/, "")}`;
}

const MAILTO_AFTER_ADDRESS = /([^\s<>[\]()"',;:@]+@[^\s<>[\]()"',;:@]+)\s?<mailto:[^<>\s]*>/gi;
// What MAILTO_AFTER_ADDRESS cannot match without: its scan is slow on long words.
const MAILTO = /<mailto:/i;

/**
 * A line cut into pieces of at most MAX_LINE, preferably after a list separator (so a
 * long To: line loses its last recipients whole, not half a name), else at a space.
 */
function wrap(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > MAX_LINE) {
    const window = rest.slice(0, MAX_LINE);
    const separator = Math.max(window.lastIndexOf(", "), window.lastIndexOf("; "));
    const cut = separator > MAX_LINE / 2 ? separator : window.lastIndexOf(" ");
    const at = cut > MAX_LINE / 2 ? cut + 1 : MAX_LINE;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at);
  }
  out.push(rest);
  return out;
}
