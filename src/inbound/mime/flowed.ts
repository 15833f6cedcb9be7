/** RFC 3676 format=flowed, read right: postal-mime's reading, put back together. */
import PostalMime from "postal-mime";
import type { PostalMimeOptions } from "postal-mime";
import { concat } from "../../lib/bytes";
import { mimeType } from "./content-type";

const encoder = new TextEncoder();
const LF = 0x0a;
const CR = 0x0d;

/**
 * The text with each format=flowed text/plain part unfolded again by `decodeFlowed`.
 * postal-mime (4.0.0) joins a flowed line to the next whatever their quote depths, so
 * Thunderbird's bottom-posted "> Hi " + "Hello" came out as the quote "> Hi Hello", and
 * it leaves the "> " of each continuation inside a quoted paragraph. Each such part is
 * parsed alone twice, as flowed (to find the parser's rendering in the text) and as fixed
 * (its lines as sent). Any surprise leaves the parser's text as it was.
 */
export async function reflowed(input: Uint8Array, text: string, options: PostalMimeOptions): Promise<string> {
  try {
    // Each part costs a search of the text; real mail has one or two text parts.
    const parts: FlowedPart[] = [];
    for (const part of flowedParts(input, 0, input.length, 0, options.maxNestingDepth ?? 50)) {
      if (parts.push(part) === MAX_FLOWED_PARTS) break;
    }
    // Two more parses a part are most of the cost of a flowed mail: spared when no part
    // can read differently, as then every replacement below puts back what it found.
    if (parts.every(readsAlike)) return text;
    let out = text;
    let from = 0;
    for (const part of parts) {
      const theirs = (await PostalMime.parse(part.entity, options)).text;
      if (!theirs) continue; // an attachment, not body text
      const at = out.indexOf(theirs, from);
      if (at < 0) continue;
      const fixed = await PostalMime.parse(concat([encoder.encode(part.fixedHeader), part.body]), options);
      const ours = decodeFlowed(fixed.text ?? "", part.delSp);
      out = out.slice(0, at) + ours + out.slice(at + theirs.length);
      from = at + ours.length;
    }
    return out;
  } catch {
    return text; // the whole mail parsed; a part that does not parse alone keeps its text
  }
}

const MAX_FLOWED_PARTS = 16;

/**
 * Whether the parser's reading of a part is sure to be `decodeFlowed`'s: when no line
 * of its text ends in a space (nor the text itself), neither joins lines, and both only drop the one space
 * that opens a line (the parser keeps a quoted line whole, as decodeFlowed does, since
 * its first character is '>'). Told from the raw bytes when they are the text as sent
 * and read alike in every charset the two parses might use: no transfer encoding, no
 * RFC 2231 parameters (which `param` does not read), printable ASCII only, and not a
 * UTF-16 or UTF-7 label (the only ones that read ASCII otherwise).
 */
function readsAlike(part: FlowedPart): boolean {
  if (part.encoding && !/^(?:7bit|8bit|binary)$/i.test(part.encoding)) return false;
  if (part.extended || /^(?:utf-?(?:16|32|7)|ucs|unicode|csunicode|iso-10646)/i.test(part.charset)) return false;
  const body = part.body;
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    if (b === 0x20 && (i + 1 === body.length || body[i + 1] === CR || body[i + 1] === LF)) return false;
    if ((b < 0x20 || b > 0x7e) && b !== CR && b !== LF && b !== 0x09) return false;
  }
  return true;
}

interface FlowedPart {
  /** The part, headers and body, as it sits in the mail. */
  entity: Uint8Array;
  body: Uint8Array;
  /** The part's charset and transfer encoding, without format=flowed. */
  fixedHeader: string;
  delSp: boolean;
  /** The part's Content-Transfer-Encoding and charset, "" when absent. */
  encoding: string;
  charset: string;
  /** Its Content-Type has RFC 2231 parameters ("charset*=…"). */
  extended: boolean;
}

/** The text/plain format=flowed parts of the entity at bytes[start, end), in mail order,
 * through multipart and message/rfc822 containers. */
function* flowedParts(bytes: Uint8Array, start: number, end: number, depth: number, maxDepth: number): Generator<FlowedPart> {
  if (depth >= maxDepth) return;
  const bodyAt = bodyStart(bytes, start, end);
  const head = new TextDecoder().decode(bytes.subarray(start, bodyAt));
  const contentType = field(head, "content-type");
  const type = mimeType(contentType);
  if (type === "message/rfc822") {
    yield* flowedParts(bytes, bodyAt, end, depth + 1, maxDepth);
  } else if (type.startsWith("multipart/")) {
    const boundary = param(contentType, "boundary");
    if (!boundary) return;
    for (const [from, to] of bodyParts(bytes, bodyAt, end, boundary)) yield* flowedParts(bytes, from, to, depth + 1, maxDepth);
  } else if (type === "text/plain" && /^flowed$/i.test(param(contentType, "format"))) {
    const charset = param(contentType, "charset").replace(/[^\w.:-]/g, "");
    const encoding = field(head, "content-transfer-encoding").replace(/[^\w-]/g, "");
    yield {
      entity: bytes.subarray(start, end),
      body: bytes.subarray(bodyAt, end),
      fixedHeader: `Content-Type: text/plain${charset ? `; charset="${charset}"` : ""}\r\n` + (encoding ? `Content-Transfer-Encoding: ${encoding}\r\n` : "") + "\r\n",
      delSp: /^yes$/i.test(param(contentType, "delsp")),
      encoding,
      charset,
      extended: /\*\s*=/.test(contentType),
    };
  }
}

/** Offset just past the blank line that ends an entity's headers, or `end`. */
function bodyStart(bytes: Uint8Array, start: number, end: number): number {
  for (let at = start; at < end; ) {
    const lf = bytes.indexOf(LF, at);
    if (lf < 0 || lf >= end) return end;
    if (lf === at || (lf === at + 1 && bytes[at] === CR)) return lf + 1;
    at = lf + 1;
  }
  return end;
}

/** [start, end) of each body part between "--boundary" lines (RFC 2046 5.1.1: the line
 * break before a delimiter belongs to it), up to the closing "--boundary--". */
function* bodyParts(bytes: Uint8Array, bodyAt: number, end: number, boundary: string): Generator<[number, number]> {
  const delimiter = encoder.encode(`\n--${boundary}`);
  let partStart = -1; // inside the preamble until the first delimiter
  // The body opens right after a line feed, so a delimiter on its first line is found too.
  for (let at = find(bytes, delimiter, bodyAt - 1, end); at >= 0; at = find(bytes, delimiter, at + 1, end)) {
    const after = at + delimiter.length;
    const lf = bytes.indexOf(LF, after);
    const lineEnd = lf < 0 || lf >= end ? end : lf;
    const rest = new TextDecoder().decode(bytes.subarray(after, lineEnd));
    const close = /^--[ \t\r]*$/.test(rest);
    if (!close && !/^[ \t\r]*$/.test(rest)) continue; // a longer boundary that starts alike
    if (partStart >= 0) yield [partStart, at > partStart && bytes[at - 1] === CR ? at - 1 : at];
    if (close) return;
    partStart = Math.min(lineEnd + 1, end);
  }
  if (partStart >= 0) yield [partStart, end]; // no closing delimiter: the last part runs to the end
}

/** Where `needle` first starts in bytes[from, end), or -1. */
function find(bytes: Uint8Array, needle: Uint8Array, from: number, end: number): number {
  const first = needle[0]!;
  for (let at = bytes.indexOf(first, Math.max(from, 0)); at >= 0 && at + needle.length <= end; at = bytes.indexOf(first, at + 1)) {
    let k = 1;
    while (k < needle.length && bytes[at + k] === needle[k]) k++;
    if (k === needle.length) return at;
  }
  return -1;
}


/** A header of a header block, unfolded; "" when absent. */
function field(head: string, name: string): string {
  const found = new RegExp(`^${name}[ \\t]*:([^\\n]*(?:\\n[ \\t][^\\n]*)*)`, "im").exec(head);
  return found ? found[1]!.replace(/\r?\n/g, "").trim() : "";
}

/** A parameter of a Content-Type value, unquoted; "" when absent. */
function param(value: string, name: string): string {
  const found = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, "i").exec(value);
  return found ? (found[1] ?? found[2] ?? "") : "";
}

/**
 * Unfolds format=flowed text (RFC 3676 section 4): a line that ends in a space flows into
 * the next, unless the next line has another quote depth ('>' count) or either is the
 * signature separator "-- ". One space after the quote marks is stuffing and goes; with
 * DelSp=yes the space that ends a flowed line goes too. A paragraph keeps the quote marks
 * of its first line as sent.
 */
export function decodeFlowed(text: string, delSp: boolean): string {
  const lines: string[] = [];
  let paragraph: string[] = []; // the pieces of the paragraph being joined, joined once
  let flowed = false;
  let depth = 0;
  for (const line of text.split(/\r?\n/)) {
    let quotes = 0;
    while (line.charCodeAt(quotes) === 0x3e) quotes++;
    const content = line.slice(line.charCodeAt(quotes) === 0x20 ? quotes + 1 : quotes);
    const separator = content === "-- ";
    if (flowed && quotes === depth && !separator) {
      if (delSp) paragraph[paragraph.length - 1] = paragraph[paragraph.length - 1]!.slice(0, -1);
      paragraph.push(content);
    } else {
      if (paragraph.length > 0) lines.push(paragraph.join(""));
      paragraph = [quotes > 0 ? line : content];
    }
    flowed = !separator && content.endsWith(" ");
    depth = quotes;
  }
  lines.push(paragraph.join(""));
  return lines.join("\n");
}
