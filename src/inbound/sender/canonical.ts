/**
 * The raw mail as DKIM sees it (RFC 6376 §3.4): header fields exactly as they arrived,
 * the body as bytes, and the two canonicalizations of each.
 *
 * Everything here works on "binary strings", one character per byte (0-255), because a
 * signature is over bytes: decoding UTF-8 (or Latin-1 the WHATWG way, which remaps
 * 0x80-0x9F) would change what is hashed.
 */
import { latin1, latin1Bytes } from "../../lib/bytes";

export interface HeaderField {
  /** Lower-cased; "" for a line that is not a header field. */
  name: string;
  /** The whole field, folds included, without its final CRLF. */
  raw: string;
}

export interface RawMessage {
  /** Top first, as they arrived. */
  fields: HeaderField[];
  body: string;
}

export type Canon = "simple" | "relaxed";

export function readMessage(raw: Uint8Array): RawMessage {
  // Mail that crossed a Unix system may have bare LFs; signers sign the SMTP (CRLF) form.
  const text = latin1(raw).replace(/\r?\n/g, "\r\n");
  const end = text.startsWith("\r\n") ? 0 : text.indexOf("\r\n\r\n");
  const head = end < 0 ? text.replace(/\r\n$/, "") : text.slice(0, end);
  const body = end < 0 ? "" : text.slice(end + (end === 0 ? 2 : 4));
  const fields: HeaderField[] = [];
  for (const line of head === "" ? [] : head.split("\r\n")) {
    const last = fields[fields.length - 1];
    if ((line.startsWith(" ") || line.startsWith("\t")) && last !== undefined) last.raw += `\r\n${line}`;
    else fields.push({ name: fieldName(line), raw: line });
  }
  return { fields, body };
}

function fieldName(line: string): string {
  const colon = line.indexOf(":");
  const name = colon < 0 ? "" : line.slice(0, colon).replace(/[ \t]+$/, "");
  return /^[\x21-\x39\x3b-\x7e]+$/.test(name) ? name.toLowerCase() : "";
}

/** One header field in canonical form, without a line end. */
export function canonicalField(raw: string, canon: Canon): string {
  if (canon === "simple") return raw;
  const colon = raw.indexOf(":");
  const name = raw.slice(0, colon).replace(/[ \t]+$/, "").toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n/g, "")
    .replace(/[ \t]+/g, " ")
    .replace(/^ | $/g, "");
  return `${name}:${value}`;
}

/** The body in canonical form: trailing empty lines dropped; relaxed also folds runs of
 * spaces and tabs to one space and drops them at line ends. */
export function canonicalBody(body: string, canon: Canon): string {
  const text = canon === "simple" ? body : body.split("\r\n").map((line) => line.replace(/[ \t]+/g, " ").replace(/ $/, "")).join("\r\n");
  let end = text.length;
  while (end >= 2 && text.endsWith("\r\n", end)) end -= 2;
  // An empty body is CRLF in simple form, and empty in relaxed (RFC 6376 erratum 3871).
  if (end === 0 && canon === "relaxed") return "";
  return `${text.slice(0, end)}\r\n`;
}

/**
 * A DKIM tag list (`a=rsa-sha256; d=example.com; ...`, RFC 6376 §3.2), names to values
 * with surrounding whitespace trimmed. Undefined when it is malformed or names a tag twice.
 */
export function tagList(text: string): Map<string, string> | undefined {
  const tags = new Map<string, string>();
  for (const spec of text.split(";")) {
    if (spec.trim() === "") continue;
    const eq = spec.indexOf("=");
    if (eq < 0) return undefined;
    const name = spec.slice(0, eq).trim();
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name) || tags.has(name)) return undefined;
    tags.set(name, spec.slice(eq + 1).trim());
  }
  return tags;
}

export function fromBase64(text: string): Uint8Array | undefined {
  const clean = text.replace(/[ \t\r\n]+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return undefined;
  try {
    return latin1Bytes(atob(clean));
  } catch {
    return undefined;
  }
}

export function base64(bytes: Uint8Array): string {
  return btoa(latin1(bytes));
}
