import { indexOutsideQuotes, splitOutsideQuotes } from "../../lib/quoted";
import { latin1, latin1Bytes } from "../../lib/bytes";
import { textOf } from "../../lib/text";

/**
 * The vCard content-line layer: unfolding, properties with their parameters, card
 * nesting and value decoding (quoted-printable, per-property CHARSET). Tolerant of what
 * phones and mail clients really write (2.1 bare parameters, '#' lines, QP soft breaks
 * across comment-like lines), bounded, and it never throws on input.
 */

export interface VProperty {
  /** Upper-cased property name without its group ("item1.EMAIL" is EMAIL). */
  name: string;
  /** Upper-cased parameter names to their values; 2.1 bare parameters ("TEL;CELL") are TYPE. */
  params: Map<string, string[]>;
  /** Value as text, transfer encoding and charset undone, vCard escapes still in place. */
  value: string;
}

const MAX_INPUT = 12_000_000; // above the 10 MB an inbound mail may have (MAX_MESSAGE_BYTES)
const MAX_CARDS = 5_000;
const MAX_PROPERTIES = 1_000; // per card
const MAX_DEPTH = 4; // nested BEGIN:VCARD (2.1 AGENT cards, broken exports)
const MAX_LINE = 200_000; // longer logical lines are inline photos: cut, never read
// A QP soft break never swallows the card's own end (a broken export's last "=").
const CARD_MARKER = /^(?:BEGIN|END):VCARD\s*$/i;
const BARE_ENCODINGS = new Set(["QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"]);

/**
 * The cards in a file, each a list of properties, innermost card first when nested.
 * Bytes are read as bytes, so a 2.1 card's CHARSET=SHIFT_JIS value decodes correctly;
 * a string is taken as already-decoded text.
 */
export function readVCards(input: string | Uint8Array): VProperty[][] {
  const binary = typeof input !== "string";
  const text = binary ? latin1(input.subarray(0, MAX_INPUT)) : input.slice(0, MAX_INPUT);
  const cards: VProperty[][] = [];
  const open: VProperty[][] = [];
  for (const line of logicalLines(text)) {
    if (cards.length >= MAX_CARDS) break;
    const prop = parseLine(line);
    if (!prop) continue;
    const marker = prop.value.trim().toUpperCase();
    if (prop.name === "BEGIN" && marker === "VCARD") {
      if (open.length < MAX_DEPTH) open.push([]);
    } else if (prop.name === "END" && marker === "VCARD") {
      const done = open.pop();
      if (done) cards.push(done);
    } else {
      const card = open[open.length - 1];
      if (card && card.length < MAX_PROPERTIES) card.push(decodeProperty(prop, binary));
    }
  }
  // A file cut short still says something about the cards it opened.
  while (open.length > 0 && cards.length < MAX_CARDS) cards.push(open.pop() ?? []);
  return cards;
}

/** Physical lines joined into content lines: RFC 6350 folding and 2.1 QP soft breaks. */
function* logicalLines(text: string): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  let qp = false;
  const flush = (): string => {
    const line = parts.join("");
    parts = [];
    size = 0;
    return line;
  };
  // "\r\r\n" (iOS exports) is one line break, not two.
  for (const line of text.split(/\r*\n|\r/)) {
    const last = parts[parts.length - 1];
    if (qp && last?.endsWith("=") && line !== "" && !CARD_MARKER.test(line)) {
      parts[parts.length - 1] = last.slice(0, -1);
      append(line);
    } else if (parts.length > 0 && (line.startsWith(" ") || line.startsWith("\t"))) {
      append(line.slice(1));
    } else {
      if (parts.length > 0) yield flush();
      if (line !== "") {
        append(line);
        const colon = line.indexOf(":");
        qp = /QUOTED-PRINTABLE/i.test(colon < 0 ? line : line.slice(0, colon));
      }
    }
  }
  if (parts.length > 0) yield flush();

  function append(piece: string): void {
    if (size >= MAX_LINE) return;
    parts.push(piece.slice(0, MAX_LINE - size));
    size += piece.length;
  }
}

interface RawProperty {
  name: string;
  params: Map<string, string[]>;
  value: string;
}

/** `[group.]NAME[;PARAM...]:value`; anything else ('#' comments, stray base64) is skipped. */
function parseLine(line: string): RawProperty | undefined {
  const colon = indexOutsideQuotes(line, ":");
  if (colon <= 0) return undefined;
  const [head = "", ...paramTokens] = splitOutsideQuotes(line.slice(0, colon), ";");
  const name = head.slice(head.lastIndexOf(".") + 1).trim().toUpperCase();
  if (!/^[A-Z0-9-]+$/.test(name)) return undefined;
  const params = new Map<string, string[]>();
  for (const token of paramTokens) {
    const eq = token.indexOf("=");
    let key = eq < 0 ? "TYPE" : token.slice(0, eq).trim().toUpperCase();
    const raw = eq < 0 ? token : token.slice(eq + 1);
    const values = splitOutsideQuotes(raw, ",").map((v) => v.trim().replace(/^"(.*)"$/s, "$1"));
    if (eq < 0 && BARE_ENCODINGS.has(raw.trim().toUpperCase())) key = "ENCODING";
    params.set(key, [...(params.get(key) ?? []), ...values]);
  }
  return { name, params, value: line.slice(colon + 1) };
}

function decodeProperty(prop: RawProperty, binary: boolean): VProperty {
  const encoding = prop.params.get("ENCODING")?.[0]?.toUpperCase();
  const charset = prop.params.get("CHARSET")?.[0];
  let value: string;
  if (encoding === "QUOTED-PRINTABLE") {
    value = textOf(quotedPrintableBytes(prop.value, binary), charset);
  } else if (encoding === "B" || encoding === "BASE64") {
    value = ""; // photos, keys, sounds: nothing a contact's facts need
  } else if (binary) {
    value = textOf(latin1Bytes(prop.value), charset);
  } else {
    value = prop.value;
  }
  return { name: prop.name, params: prop.params, value };
}

function quotedPrintableBytes(value: string, binary: boolean): Uint8Array {
  // In already-decoded text, non-ASCII characters stand for their UTF-8 bytes.
  const source = binary ? latin1Bytes(value) : new TextEncoder().encode(value);
  const out = new Uint8Array(source.length);
  let n = 0;
  for (let i = 0; i < source.length; i++) {
    const byte = source[i] ?? 0;
    const hex = byte === 0x3d ? hexByte(source[i + 1], source[i + 2]) : undefined;
    if (hex !== undefined) {
      out[n++] = hex;
      i += 2;
    } else if (byte !== 0x3d) {
      out[n++] = byte;
    }
  }
  return out.subarray(0, n);
}

function hexByte(a: number | undefined, b: number | undefined): number | undefined {
  const hi = hexDigit(a);
  const lo = hexDigit(b);
  return hi === undefined || lo === undefined ? undefined : hi * 16 + lo;
}

function hexDigit(c: number | undefined): number | undefined {
  if (c === undefined) return undefined;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : undefined;
}

/**
 * A structured value's components, each a list: `;` separates components, `,` list
 * items, backslash escapes either (and `\n` is a line break).
 */
export function splitStructured(value: string): string[][] {
  const components: string[][] = [[]];
  let current = "";
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "\\" && i + 1 < value.length) {
      const next = value[++i] ?? "";
      current += next === "n" || next === "N" ? "\n" : next;
    } else if (c === ";" || c === ",") {
      components[components.length - 1]?.push(current);
      current = "";
      if (c === ";") components.push([]);
    } else {
      current += c;
    }
  }
  components[components.length - 1]?.push(current);
  return components;
}

/** A plain text value with its escapes undone. */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,:nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}
