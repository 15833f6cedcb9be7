/**
 * The original message inside a forward: an inline block a mail client wrote into the
 * body ("---------- Forwarded message ---------", "From: … Sent: …", "Begin forwarded
 * message:", …) or a message/rfc822 part ("forward as attachment").
 *
 * Inline blocks are read by `email-forward-parser` (client separators and header labels
 * in ~20 languages). This module adds what it lacks: header blocks with no separator
 * ("-----Original Message-----", new Outlook), forwards nested in forwards, attached
 * messages, dates as instants, clean addresses, and limits for hostile input.
 */
import * as chrono from "chrono-node";
import EmailForwardParser, { type EmailForwardMailbox, type EmailForwardResult } from "email-forward-parser";
import { addressParser, decodeWords, type Address, type Attachment, type Email } from "postal-mime";
import { header, htmlToText, mimeType, plainText } from "./parse";
import type { ForwardedMessage, Person } from "./types";

// Without its optional native RE2 engine (never, in a Worker) the library's regexes are
// polynomial in line length and in whitespace runs: 64 KB of spaces took 6 s, one 64 KB
// crafted line took minutes. Text is cut and reshaped (see `prepare`) so no single
// regex run can get there; the worst shape measured costs ~0.2 s per 64 KB level.
const MAX_SCAN = 64 * 1024;
const MAX_LINE = 300;
// Each nesting level hands the library what is left; the total is bounded.
const MAX_WORK = 128 * 1024;
const MAX_LEVELS = 16; // the corpus's longest Outlook chain has 11
// Attached messages: a forward of a forward of a forward, each read up to this size.
const MAX_ATTACHED_DEPTH = 4;
const MAX_ATTACHED_BYTES = 512 * 1024;

const library = new EmailForwardParser();

/**
 * The forwarded message in a plain-text body, or null when the text holds no forward.
 * `subject` is the forwarding mail's: a "Fwd:"-style subject lets a bare "From:" line
 * count as a forward header, and stands in when the block itself names no subject.
 */
export function parseForwardedBody(text: string, subject?: string): ForwardedMessage | null {
  return pickOriginal(forwardChain(text, subject));
}

/**
 * The forwarded message in a mail parsed by postal-mime: an attached message/rfc822
 * part if there is one (its headers are the original's own), else an inline forward in
 * the text (or the HTML rendered as text). Synchronous because classification is; an
 * attached message is read by the small reader at the end of this file rather than by
 * postal-mime's async parser. postal-mime itself inlines a message/rfc822 part without
 * `Content-Disposition: attachment` into `text` as a "From:/Subject:/Date:/To:" block,
 * which the inline reader handles, so any parse options work.
 */
export function extractForward(email: Email): ForwardedMessage | null {
  // A delivery, read or abuse report carries a message as evidence, not as a forward.
  if (mimeType(header(email, "content-type")) === "multipart/report") return null;
  try {
    return pickOriginal(mailChain(email), firstMailbox(email.from)?.email);
  } catch {
    return null; // hostile or broken input: no forward rather than a failed mail
  }
}

/**
 * Which message of a nested chain (outermost first) is "the original": the innermost
 * one, since that is where the thread began and whose sender the user met, except that
 * a message the user wrote is skipped outward (a reply quoted under the forwarded mail
 * is often the user's own). The user is the forwarding mail's sender when known, and the
 * sole recipient of the outermost forwarded message (people forward mail they received).
 */
function pickOriginal(chain: ForwardedMessage[], forwarder?: string): ForwardedMessage | null {
  const outer = chain[0];
  if (!outer) return null;
  const self = new Set<string>();
  if (forwarder) self.add(forwarder);
  if (outer.to.length === 1 && outer.to[0]?.email) self.add(outer.to[0].email);
  for (let i = chain.length - 1; i >= 0; i--) {
    const m = chain[i]!;
    if (!m.from.email || !self.has(m.from.email)) return m;
  }
  return chain[chain.length - 1]!;
}

// ---- inline forwards ----------------------------------------------------------------

/** Every forwarded message in the text, outermost first. */
function forwardChain(raw: string, subject?: string): ForwardedMessage[] {
  const chain: ForwardedMessage[] = [];
  let text = prepare(raw);
  let work = MAX_WORK;
  const says = subject === undefined ? undefined : subjectPrefixes(subject);
  let hinted = says?.forward ?? false;
  // A reply quotes its thread with the same header blocks and separators a forward uses
  // (Outlook writes "From: … Sent: …" under both); under "Re:" only a line that says
  // "forwarded" (in some language) makes it a forward.
  if (says?.reply && !hinted && !FORWARD_WORD.test(text)) return chain;
  while (chain.length < MAX_LEVELS && work > 0 && text.trim()) {
    if (text.length > work) text = text.slice(0, work);
    work -= text.length;
    const level = readLevel(text, hinted);
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
function readLevel(text: string, hinted: boolean): Level | null {
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

function read(text: string, subject?: string): EmailForwardResult | null {
  try {
    const r = library.read(text, subject);
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
  const date = parseForwardDate(e.date ?? undefined);
  if (date !== undefined) message.date = date;
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

// Header labels as clients write them, in the languages the library knows.
const LABELS: [number, string][] = [
  [1, "from|von|de|van|da|od|fra|från|от|від|lähettäjä|feladó|kimden|expeditorul|šalje|mittente|nadawca|отправитель|gönderen|de la|saatja|送信元|发件人|寄件者|差出人"],
  [2, "date|sent|datum|gesendet|envoyé|enviado|fecha|data|dato|sendt|skickat|verzonden|inviato|дата|отправлено|wysłano|päivämäärä|päiväys|lähetetty|dátum|tarih|gönderildi|odesláno|odoslané|elküldve|trimis|dată|надіслано|日付|日期|发送时间"],
  [4, "to|an|à|a|para|aan|til|till|do|komu|кому|címzett|kime|pour|vastaanottaja|prima|pre|către|destinatarul|adresat|送信先|收件人|宛先"],
  [8, "subject|betreff|objet|asunto|oggetto|onderwerp|assunto|emne|ämne|temat|předmět|predmet|тема|aihe|tárgy|konu|sujet|naslov|subiectul|subiect|件名|主题|主旨"],
  [16, "cc|kopie|kopio|kopi|kopia|копия|копія|dw|bilgi|másolat|kópia|copie à"],
];
const FROM = 1;
const DATE = 2;
const TO_OR_SUBJECT = 4 | 8;
// Optional quote marks and bold stars around a label, as HTML-to-text leaves them.
const HEADER_LINE = new RegExp(`^[>\\s]*\\*{0,2}(?:${LABELS.map(([, l]) => `(${l})`).join("|")})\\*{0,2}\\s?\\*{0,2}[:：]`, "i");

function headerKind(line: string): number {
  const m = HEADER_LINE.exec(line);
  if (!m) return 0;
  const i = m.findIndex((g, k) => k > 0 && g !== undefined);
  return LABELS[i - 1]?.[0] ?? 0;
}

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
    for (const piece of wrap(line)) lines.push(piece.replace(MAILTO_AFTER_ADDRESS, "$1"));
  }
  return lines.join("\n");
}

const MAILTO_AFTER_ADDRESS = /([^\s<>[\]()"',;:@]+@[^\s<>[\]()"',;:@]+)\s?<mailto:[^<>\s]*>/gi;

/** A line cut into pieces of at most MAX_LINE, preferably after a list separator or space. */
function wrap(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > MAX_LINE) {
    const window = rest.slice(0, MAX_LINE);
    const cut = Math.max(window.lastIndexOf(", "), window.lastIndexOf("; "), window.lastIndexOf(" "));
    const at = cut > MAX_LINE / 2 ? cut + 1 : MAX_LINE;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at);
  }
  out.push(rest);
  return out;
}

// Subject prefixes: forward in en, de (WG), fr (TR), es/pt (RV, ENC), it (I), nordic
// (VS, VB, VL), pl (PD), tr (İLT), ru; reply in en, de (AW), nordic (SV), nl, pl, tr, es,
// it, zh.
const FORWARD_PREFIXES = new Set(["fwd", "fw", "wg", "tr", "rv", "enc", "i", "vs", "vb", "vl", "pd", "videresend", "i̇lt", "ilt", "пересл"]);
const REPLY_PREFIXES = new Set(["re", "aw", "sv", "antw", "odp", "ynt", "res", "rif", "ref", "回复", "答复"]);
const PREFIX = /^\s*\[?\s*([^\s:：[\]]{1,12})\s*(?:\[\d+\])?\s*[:：]\s*/;

/** What a subject's prefixes say ("Re: Fwd: x" replies to a forward), and the rest. */
function subjectPrefixes(subject: string): { forward: boolean; reply: boolean; rest: string } {
  let rest = subject;
  let forward = false;
  let reply = false;
  for (let i = 0; i < 8; i++) {
    const m = PREFIX.exec(rest);
    const token = m?.[1]?.toLowerCase() ?? "";
    if (FORWARD_PREFIXES.has(token)) forward = true;
    else if (REPLY_PREFIXES.has(token)) reply = true;
    else break;
    rest = rest.slice(m![0].length);
  }
  return { forward, reply, rest: rest.replace(/\]\s*$/, "").trim() };
}

// A line that says "forwarded", in the languages of the library's separators.
const FORWARD_WORD =
  /forwarded|weitergeleitet|transféré|réexpédié|transmis|reenviado|inoltrat|doorgestuurd|videresend|vidarebefordra|przekazan|encaminhad|переадрес|пересыла|перенаправ|přeposlan|továbbított|iletil|välitetty|edelleenlähetetty|proslijeđen|redirecționat|preposlan|転送/i;

// ---- people and dates -----------------------------------------------------------------

const ADDRESS = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]+$/;

function toPerson(box: { address?: string | null; name?: string | null } | undefined): Person {
  const addr = (box?.address ?? "").trim().replace(/^mailto:/i, "").replace(/^[<[]|[>\]]$/g, "").toLowerCase();
  const email = ADDRESS.test(addr) ? addr : undefined;
  let name = (box?.name ?? "").replace(/<>|\[\]/g, "").replace(/\s+/g, " ").trim().replace(/^(["'])(.*)\1$/, "$2").trim();
  if (!email && !name && addr) name = addr; // "user0": a local name, not an address
  const person: Person = {};
  if (name && name.toLowerCase() !== email) person.name = name;
  if (email) person.email = email;
  return person;
}

function toPeople(list: EmailForwardMailbox | EmailForwardMailbox[] | null | undefined): Person[] {
  const boxes = Array.isArray(list) ? list : list ? [list] : [];
  return boxes.map(toPerson).filter((p) => p.email || p.name);
}

function fromAddresses(list: Address[] | Address | undefined): Person[] {
  const flat = (Array.isArray(list) ? list : list ? [list] : []).flatMap((a) => (a.group ? a.group : [a]));
  return flat.map((m) => toPerson({ address: m.address, name: m.name })).filter((p) => p.email || p.name);
}

const firstMailbox = (list: Address[] | Address | undefined): Person | undefined => fromAddresses(list)[0];

// Locales whose month and weekday names forwarded headers use; en (month first) before
// en-GB, so "02/10/2023" is read the US way unless that cannot be a date.
const DATE_LOCALES = [chrono.en, chrono.en.GB, chrono.de, chrono.fr, chrono.es, chrono.it, chrono.nl, chrono.pt, chrono.sv, chrono.ru, chrono.uk];
// A fixed reference keeps parsing pure; a zone-less time is read as UTC.
const DATE_REF = { instant: new Date(0), timezone: 0 };

/**
 * Epoch ms for a date as a forwarded header writes it ("Mon, Jan 5, 2026 at 10:12 AM",
 * "Montag, 5. Januar 2026 10:12", "5 janv. 2026 à 10:12"), or undefined. Only a reading
 * with a certain day, month and a year written out in digits counts: anything vaguer is
 * a guess.
 */
export function parseForwardDate(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const text = raw.slice(0, 120).replace(/\s(?:г\.|в)(?=\s)/g, ""); // Russian "2021 г. в 14:25"
  const year = /\b(1[89]\d\d|2\d\d\d)\b/.exec(text)?.[1];
  if (!year) return undefined;
  // Some locales cannot read a weekday ("mer. 27 oct."): also try without it.
  const variants = [text, text.replace(/^[^\d\s,.]{1,15}[.,]\s*(?=\d)/, "")];
  let best: { at: number; share: number } | undefined;
  for (const variant of variants) {
    for (const locale of DATE_LOCALES) {
      const r = locale.parse(variant, DATE_REF)[0];
      if (!r || r.index > 4 || !r.start.isCertain("day") || !r.start.isCertain("month")) continue;
      if (String(r.start.get("year")) !== year) continue;
      const share = r.text.length / variant.length;
      if (!best || share > best.share) best = { at: r.start.date().getTime(), share };
    }
  }
  return best && Number.isFinite(best.at) ? best.at : undefined;
}

// ---- attached messages ------------------------------------------------------------------

function mailChain(email: Email): ForwardedMessage[] {
  const part = email.attachments.find(isMessage);
  const attached = part ? attachedChain(binary(part), 0) : [];
  if (attached.length > 0) return attached;
  return forwardChain(plainText(email), email.subject);
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

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
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
  const rawDate = header("date");
  const date = Date.parse(rawDate);
  const at = Number.isFinite(date) ? date : parseForwardDate(rawDate);
  if (at !== undefined) message.date = at;
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
