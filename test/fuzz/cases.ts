/**
 * One fuzz case from (seed, index) alone: a source file picked, made a mail, damaged.
 * Pure, so that workerd (which runs the case) and Node (which writes a failing one to
 * disk, scripts/fuzz.ts) make the same bytes from the same sources.
 */
import { seeded } from "../support/random";
import { BYTE_MUTATIONS, CARD_MUTATIONS, int, MAIL_MUTATIONS, mutate, pick, type Random } from "./mutate";

/** A corpus file or a test fixture: `name` is "corpus/<path>" or "fixtures/<path>", `bytes`
 * its bytes as latin1 text (one character per byte). */
export interface Source {
  name: string;
  bytes: string;
}

export interface FuzzCase {
  seed: number;
  index: number;
  source: string;
  ops: string[];
  /** Sign the sender up first, so that the mail takes the path of a user's mail, not a sign-up. */
  signUpFirst: boolean;
  raw: Uint8Array;
}

/** The seed of the short run in npm test, and of npm run fuzz unless told another. */
export const DEFAULT_SEED = 20261208;

const FUZZ_USER = "fuzz.user@example.com";
const KITH = "kith@kith.test";

/** The file names fuzzing reads, of the corpus and of test/fixtures. */
export const SOURCE_FILE = /\.(?:eml|msg|txt|html|ics|vcf|csv)$/;

/** Sources in one order whatever lists them. */
export function ordered(sources: Source[]): Source[] {
  return [...sources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function fuzzCase(sources: readonly Source[], seed: number, index: number): FuzzCase {
  const r = seeded((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const source = pick(r, sources);
  const { text: mail, ops } = asMail(source, r);
  // An attached file already damaged is left to reach its reader half the time.
  const damaged = r() < (ops.length > 0 ? 0.5 : 0.9) ? mutate(mail, r, MAIL_MUTATIONS) : { text: mail, ops: [] };
  return { seed, index, source: source.name, ops: [...ops, ...damaged.ops], signUpFirst: r() < 0.5, raw: latin1Bytes(damaged.text) };
}

/** A source as the mail that brings it: a mail as it is; a body (a forward, a reply)
 * wrapped in a mail from the user; a calendar, card or CSV file damaged, then attached. */
function asMail(source: Source, r: Random): { text: string; ops: string[] } {
  const ext = /\.(\w+)$/.exec(source.name)?.[1] ?? "";
  const body = source.name.startsWith("corpus/") && (ext === "txt" || ext === "html") && !source.name.startsWith("corpus/malformed/");
  if (ext === "eml" || ext === "msg" || (ext === "txt" && !body && !source.name.includes("/csv/"))) return { text: source.bytes, ops: [] };
  if (body) {
    const type = ext === "html" ? "text/html" : "text/plain";
    const subject = source.name.includes("/forwarded/") ? "Fwd: from the corpus" : "Re: from the corpus";
    return { text: `${headers(subject)}Content-Type: ${type}; charset=utf-8\r\n\r\n${source.bytes}`, ops: [] };
  }
  const file = mutate(source.bytes, r, ext === "csv" || ext === "txt" ? BYTE_MUTATIONS : CARD_MUTATIONS);
  return { text: attached(source.name.replace(/^.*\//, ""), ext, file.text, r), ops: file.ops.map((op) => `file: ${op}`) };
}

function headers(subject: string): string {
  return `From: Fuzz User <${FUZZ_USER}>\r\nTo: ${KITH}\r\nSubject: ${subject}\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\nMessage-ID: <fuzz.case@example.com>\r\nMIME-Version: 1.0\r\n`;
}

const TYPES: Record<string, string[]> = {
  ics: ["text/calendar; method=REQUEST; charset=utf-8", "text/calendar", "application/ics", "application/octet-stream"],
  vcf: ["text/vcard; charset=utf-8", "text/x-vcard", "text/directory", "application/octet-stream"],
  csv: ["text/csv; charset=utf-8", "text/csv", "application/vnd.ms-excel", "application/octet-stream"],
  txt: ["text/plain; charset=utf-16", "text/csv", "application/octet-stream"],
};

function attached(filename: string, ext: string, content: string, r: Random): string {
  const cte = pick(r, ["base64", "base64", "quoted-printable", "8bit"]);
  const body = cte === "base64" ? base64Lines(content) : cte === "quoted-printable" ? quotedPrintable(content) : content;
  // An invitation comes inline (as Outlook sends it) or as a file.
  const disposition = r() < 0.5 ? `attachment; filename="${filename}"` : "inline";
  const b = `fuzz-${int(r, 1e9)}`;
  return (
    `${headers("Please add these")}Content-Type: multipart/mixed; boundary="${b}"\r\n\r\n` +
    `--${b}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAttached.\r\n` +
    `--${b}\r\nContent-Type: ${pick(r, TYPES[ext] ?? ["application/octet-stream"])}; name="${filename}"\r\nContent-Disposition: ${disposition}\r\nContent-Transfer-Encoding: ${cte}\r\n\r\n${body}\r\n` +
    `--${b}--\r\n`
  );
}

function base64Lines(latin1: string): string {
  return (btoa(latin1).match(/.{1,76}/g) ?? []).join("\r\n");
}

function quotedPrintable(latin1: string): string {
  const encoded = latin1.replace(/[^\t\r\n\x20-\x3c\x3e-\x7e]/g, (c) => "=" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
  // Soft breaks keep lines under 76 characters, never inside an =XX.
  return encoded
    .split(/\r?\n/)
    .map((line) => (line.match(/(?:=[0-9A-F]{2}|[^=]){1,72}/g) ?? [""]).join("=\r\n"))
    .join("\r\n");
}

export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function latin1Text(bytes: Uint8Array): string {
  let out = "";
  // In slices: String.fromCharCode takes its bytes as arguments, and a mail has millions.
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

/** A short digest of the bytes, so that a case made again can be checked to be the same one. */
export async function fingerprint(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...hash.slice(0, 6)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
