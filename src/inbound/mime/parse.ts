/** Raw inbound bytes to a parsed mail, with limits that make hostile input fail fast. */
import PostalMime from "postal-mime";
import type { Email as ParsedEmail, PostalMimeOptions } from "postal-mime";
import { concat } from "../../lib/bytes";
import { htmlToText } from "../../lib/html-text";
import { mimeType } from "./content-type";
import { reflowed } from "./flowed";

/** A parsed mail. `inner` is the message this one wraps when its whole body is one
 * message/rfc822 part (an mbox-framed copy, a bare "forward as attachment"): the wrapper
 * adds nothing, so checks on who wrote the mail must also look inside. */
export interface Email extends ParsedEmail {
  inner?: Email;
}

export type ParseResult = { ok: true; email: Email } | { ok: false; reason: string };

// A Worker cannot pre-empt a synchronous parse (and its clock stands still while code
// runs), so the only defence against hostile input is limits on its shape.
const LIMITS = {
  // Real mail nests 3-8 levels (mixed > related > alternative, plus a forward or two);
  // deeper trees are made to burn the stack and CPU.
  maxNestingDepth: 32,
  // Counted across every part. 256 KB holds a 480-hop Received chain or a To: with
  // thousands of recipients; the parser's 2 MiB default lets one message spend seconds
  // in address parsing.
  maxHeadersSize: 256 * 1024,
  // A forward of a forward of a forward. Deeper copies stay attachments (flagged
  // rfc822DepthExceeded) instead of each level holding another parsed copy in memory.
  maxRfc822NestingDepth: 3,
  // Raw bytes: a base64 or utf8 string copy of every attachment would only cost memory.
  attachmentEncoding: "arraybuffer",
} satisfies PostalMimeOptions;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Parse one inbound mail. Never throws: a message the parser cannot take is refused with a
 * sentence for its sender. Every such failure is permanent, since parsing is a pure
 * function of the bytes and a retry by the sending MTA would fail the same way.
 */
export async function parseMail(raw: ArrayBuffer | Uint8Array): Promise<ParseResult> {
  return parseBytes(raw instanceof Uint8Array ? raw : new Uint8Array(raw), 0);
}

async function parseBytes(bytes: Uint8Array, depth: number): Promise<ParseResult> {
  if (isBlank(bytes)) return refuse("it is empty");
  let input: Uint8Array;
  let email: Email;
  try {
    input = repairHeaderCharset(bodyOnlyAsBody(bytes));
    email = await PostalMime.parse(input, LIMITS);
  } catch (err) {
    return refuse(failureReason(err));
  }
  if (email.text) email.text = await reflowed(input, email.text, LIMITS);
  if (depth < LIMITS.maxRfc822NestingDepth && mimeType(header(email, "content-type")) === "message/rfc822") {
    const inner = await wrappedMessage(bytes, depth);
    if (inner) email.inner = inner;
  }
  return { ok: true, email };
}

function refuse(why: string): ParseResult {
  return { ok: false, reason: `Kith could not read this message: ${why}.` };
}

/** Turns the parser's errors (limits, or a bug it hit on odd input) into plain words. */
function failureReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/nesting depth/i.test(message)) return "its MIME structure is nested too deeply";
  if (/header size/i.test(message)) return "its headers are too large";
  if (err instanceof RangeError) return "its structure is too complex to read";
  return "its MIME structure is malformed";
}

/** The message a message/rfc822 root wraps, parsed in its own right (its bytes come back
 * decoded when the parser is told to keep nested messages as attachments). */
async function wrappedMessage(bytes: Uint8Array, depth: number): Promise<Email | undefined> {
  try {
    const outer = await PostalMime.parse(repairHeaderCharset(bytes), { ...LIMITS, forceRfc822Attachments: true });
    const part = outer.attachments.find((a) => a.mimeType === "message/rfc822");
    if (!part || typeof part.content === "string") return undefined;
    const inner = await parseBytes(new Uint8Array(part.content), depth + 1);
    return inner.ok ? inner.email : undefined;
  } catch {
    return undefined; // the outer message parsed; an unreadable copy inside is not fatal
  }
}

const isBlank = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0x20 || b === 0x09 || b === CR || b === LF);

/** The parser reads everything up to the first blank line as headers, so a message that
 * has no header block at all would lose its whole text. Such input starts with a line
 * that is not "Name: value" (nor an mbox "From " line); give it an empty header block. */
function bodyOnlyAsBody(bytes: Uint8Array): Uint8Array {
  if (opensWithHeader(bytes)) return bytes;
  const framed = new Uint8Array(bytes.length + 2);
  framed.set([CR, LF]);
  framed.set(bytes, 2);
  return framed;
}

function opensWithHeader(bytes: Uint8Array): boolean {
  if (new TextDecoder().decode(bytes.subarray(0, 5)) === "From ") return true;
  let padded = false; // obsolete syntax allows "Name :"; a space inside a name is prose
  for (let i = 0; i < Math.min(bytes.length, 998); i++) {
    const b = bytes[i]!;
    if (b === 0x3a) return i > 0;
    if (b === CR || b === LF) return i === 0; // a leading blank line is an empty header block
    if (b === 0x20 || b === 0x09) padded = true;
    else if (padded || b < 0x21 || b > 0x7e) return false;
  }
  return false;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const legacy = new TextDecoder("windows-1252");
const encoder = new TextEncoder();

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Old clients put raw 8-bit Latin-1 in Subject and display names, which the parser reads
 * as UTF-8 and turns into U+FFFD. Each top-level header line that is not valid UTF-8 is
 * repaired: raw bytes inside a Q encoded-word (Eudora) are escaped so the word's own
 * charset decodes them, the rest is read as windows-1252 (the parser's own fallback for
 * unknown body charsets). Lines that are valid UTF-8 (RFC 6532) are kept as they are.
 */
function repairHeaderCharset(bytes: Uint8Array): Uint8Array {
  const end = headerBlockEnd(bytes);
  const head = bytes.subarray(0, end);
  if (isUtf8(head)) return bytes;
  const chunks: Uint8Array[] = [];
  for (let start = 0; start < end; ) {
    const lf = head.indexOf(LF, start);
    const stop = lf < 0 ? end : lf + 1;
    const line = head.subarray(start, stop);
    const escaped = isUtf8(line) ? line : escapeEncodedWords(line);
    chunks.push(isUtf8(escaped) ? escaped : encoder.encode(legacy.decode(escaped)));
    start = stop;
  }
  chunks.push(bytes.subarray(end));
  return concat(chunks);
}

function escapeEncodedWords(line: Uint8Array): Uint8Array {
  let bytes = "";
  for (const b of line) bytes += String.fromCharCode(b);
  const hex = (c: string) => `=${c.charCodeAt(0).toString(16).toUpperCase()}`;
  const fixed = bytes.replace(/=\?[^?\s]+\?[qQ]\?[^?\s]*\?=/g, (word) => word.replace(/[\x80-\xff]/g, hex));
  return Uint8Array.from(fixed, (c) => c.charCodeAt(0));
}

/** Offset just past the blank line that ends the top-level headers, within the header limit. */
function headerBlockEnd(bytes: Uint8Array): number {
  const limit = Math.min(bytes.length, LIMITS.maxHeadersSize);
  for (let lf = bytes.indexOf(LF); lf >= 0 && lf < limit; lf = bytes.indexOf(LF, lf + 1)) {
    if (bytes[lf + 1] === LF || (bytes[lf + 1] === CR && bytes[lf + 2] === LF)) return lf + 1;
  }
  return limit;
}

/** First value of a header, unfolded but not RFC 2047-decoded; name is case-insensitive. */
export function header(email: Email, name: string): string | undefined {
  const key = name.toLowerCase();
  return email.headers.find((h) => h.key === key)?.value;
}

/** Every value of a header, in message order. */
export function headers(email: Email, name: string): string[] {
  const key = name.toLowerCase();
  return email.headers.filter((h) => h.key === key).map((h) => h.value);
}

export { mimeType } from "./content-type";

/** The mail's text with "\n" line ends: the text part, or the HTML part rendered as text
 * when there is no text part (or it is blank). */
export function plainText(email: Email): string {
  const text = email.text ?? "";
  if (text.trim()) return text.replace(/\r\n?/g, "\n");
  return email.html ? htmlToText(email.html) : "";
}
