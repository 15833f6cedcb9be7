/**
 * Attached forwards ("forward as attachment"): a message/rfc822 part, read by a small
 * synchronous reader (classification is synchronous, postal-mime's parser is not). Its
 * headers are the original's own; whatever it forwards in turn, attached or inline, is
 * read too.
 */
import { addressParser, decodeWords, type Attachment, type Email } from "postal-mime";
import { deferForwardDate } from "./date";
import { forwardChain, MAX_SCAN } from "./inline";
import { firstMailbox, fromAddresses } from "./people";
import { htmlToText } from "../../lib/html-text";
import type { ForwardedMessage } from "../types";
import { latin1 } from "../../lib/bytes";

// Attached messages: a forward of a forward of a forward, each read up to this size.
const MAX_ATTACHED_DEPTH = 4;
const MAX_ATTACHED_BYTES = 512 * 1024;

/** The chain in the mail's first attached message/rfc822 part, outermost first; empty
 * when there is none (or it names no sender and forwards nothing). */
export function attachedForwards(email: Email): ForwardedMessage[] {
  const part = email.attachments.find(isMessage);
  return part ? attachedChain(binary(part), 0) : [];
}

const isMessage = (a: Attachment): boolean => a.mimeType === "message/rfc822";

/** Attachment content as a byte string (one char per byte), capped. */
function binary(a: Attachment): string {
  let bytes: Uint8Array;
  if (typeof a.content !== "string") bytes = a.content instanceof Uint8Array ? a.content : new Uint8Array(a.content);
  else if (a.encoding === "base64") return atobSafe(a.content.slice(0, (MAX_ATTACHED_BYTES * 4) / 3));
  else bytes = new TextEncoder().encode(a.content.slice(0, MAX_ATTACHED_BYTES));
  return latin1(bytes.subarray(0, MAX_ATTACHED_BYTES));
}

function atobSafe(b64: string): string {
  const clean = b64.replace(/[^A-Za-z0-9+/]/g, "");
  try {
    return atob(clean.length % 4 === 1 ? clean.slice(0, -1) : clean); // a lone last char carries no byte
  } catch {
    return "";
  }
}

interface Part {
  head: Map<string, string>;
  body: string;
}

/** An attached message and whatever it forwards in turn (attached or inline). */
function attachedChain(bin: string, depth: number): ForwardedMessage[] {
  if (depth >= MAX_ATTACHED_DEPTH || !bin) return [];
  const part = splitPart(bin);
  const message = messageOf(part);
  const inner = innerMessage(part, 0);
  const deeper = inner !== undefined ? attachedChain(inner, depth + 1) : forwardChain(message.body, message.subject);
  return message.from.email || message.from.name ? [message, ...deeper] : deeper;
}

function messageOf(part: Part): ForwardedMessage {
  const header = (key: string): string => decodeWords(utf8(part.head.get(key) ?? ""));
  const message: ForwardedMessage = {
    from: firstMailbox(addressParser(header("from"))) ?? {},
    to: fromAddresses(addressParser(header("to"))),
    cc: fromAddresses(addressParser(header("cc"))),
    body: textOf(part, 0).trim(),
  };
  const subject = header("subject").trim();
  if (subject) message.subject = subject;
  // Date.parse reads RFC 5322 dates, but also turns a stray "1" into 2001: want a year.
  const rawDate = header("date");
  const rfc = /\b\d{4}\b/.test(rawDate) ? Date.parse(rawDate) : NaN;
  if (Number.isFinite(rfc)) message.date = rfc;
  else deferForwardDate(message, rawDate); // read only if this message is picked as the original
  return message;
}

/** Headers (lower-case keys, unfolded, first value wins) and raw body of a MIME entity. */
function splitPart(bin: string): Part {
  const gap = /\r?\n\r?\n/.exec(bin);
  const headText = gap ? bin.slice(0, gap.index) : bin;
  const head = new Map<string, string>();
  let key = "";
  for (const line of headText.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && key) {
      head.set(key, `${head.get(key) ?? ""} ${line.trim()}`);
      continue;
    }
    const m = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line); // an mbox "From " line has no colon
    key = m && !head.has(m[1]!.toLowerCase()) ? m[1]!.toLowerCase() : "";
    if (m && key) head.set(key, m[2]!.trim());
  }
  return { head, body: gap ? bin.slice(gap.index + gap[0].length) : "" };
}

function contentType(part: Part): { type: string; boundary?: string; charset?: string } {
  const value = part.head.get("content-type") ?? "text/plain";
  const type = value.split(";", 1)[0]!.trim().toLowerCase();
  const param = (name: string) => new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^\\s;]+))`, "i").exec(value);
  const b = param("boundary");
  const c = param("charset");
  return { type, boundary: b?.[1] ?? b?.[2], charset: (c?.[1] ?? c?.[2])?.toLowerCase() };
}

/** Child entities of a multipart body, found by scanning forward for delimiter lines. */
function children(part: Part, boundary: string): Part[] {
  const out: Part[] = [];
  const delimiter = `\n--${boundary}`;
  const body = `\n${part.body}`;
  let at = body.indexOf(delimiter);
  while (at >= 0 && out.length < 64) {
    const start = body.indexOf("\n", at + delimiter.length);
    if (start < 0 || body.startsWith("--", at + delimiter.length)) break;
    const next = body.indexOf(delimiter, start);
    out.push(splitPart(body.slice(start + 1, next < 0 ? body.length : next)));
    at = next;
  }
  return out;
}

/** The message this entity carries: its own body when it is message/rfc822, else the
 * first message/rfc822 part inside it. */
function innerMessage(part: Part, depth: number): string | undefined {
  const { type, boundary } = contentType(part);
  if (type === "message/rfc822") return decoded(part);
  if (!type.startsWith("multipart/") || !boundary || depth > 8) return undefined;
  for (const child of children(part, boundary)) {
    const found = innerMessage(child, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The readable text of an entity: its first text/plain part, else HTML as text. */
function textOf(part: Part, depth: number): string {
  const { type, boundary, charset } = contentType(part);
  const attachment = /^\s*attachment/i.test(part.head.get("content-disposition") ?? "");
  if (type === "text/plain" && !attachment) return charsetDecode(decoded(part), charset).slice(0, MAX_SCAN);
  if (type === "text/html" && !attachment) return htmlToText(charsetDecode(decoded(part), charset).slice(0, 4 * MAX_SCAN));
  if (!type.startsWith("multipart/") || !boundary || depth > 8) return "";
  const parts = children(part, boundary);
  const plain = parts.find((p) => contentType(p).type === "text/plain");
  for (const p of plain ? [plain, ...parts] : parts) {
    const t = textOf(p, depth + 1);
    if (t.trim()) return t;
  }
  return "";
}

/** The body with its Content-Transfer-Encoding undone, as a byte string. */
function decoded(part: Part): string {
  const cte = (part.head.get("content-transfer-encoding") ?? "").trim().toLowerCase();
  if (cte === "base64") return atobSafe(part.body);
  if (cte === "quoted-printable") {
    return part.body.replace(/=\r?\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
  return part.body;
}

function charsetDecode(bin: string, charset = "utf-8"): string {
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes); // unknown label: UTF-8 keeps ASCII intact
  }
}

const utf8 = (bin: string): string => charsetDecode(bin);
