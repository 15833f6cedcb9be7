/**
 * Ways to damage a mail, each a pure function of the text and a seeded generator, so
 * that a case replays from its seed alone (in workerd and in Node alike). Text is
 * "binary" latin1: one character per byte, so any byte can be written and none is lost.
 */

export type Random = () => number;

export const int = (r: Random, n: number): number => Math.floor(r() * n);
export const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, items.length)]!;

/** A mutation: what it did (for the failure report) and the text it made. */
export type Mutation = (text: string, r: Random) => { name: string; text: string };

// The characters the parsers give meaning to, spliced in anywhere.
const SPECIALS = [
  "\r", "\n", "\r\n", "\r\n\r\n", " ", "\t", "=", "?", '"', "(", ")", "<", ">", "@", ",", ";", ":", "\\",
  "--", "=?utf-8?Q?", "=?utf-8?B?", "?=", "=\r\n", "%", "*", "\x00", "\xff", "\xef\xbb\xbf", "\xe2\x80\xa8",
  "boundary=", "Content-Type: ", "Content-Transfer-Encoding: ", "BEGIN:VCARD\r\n", "END:VEVENT\r\n", "\r\n ",
];
const CHARSETS = ["utf-8", "us-ascii", "iso-8859-1", "windows-1252", "utf-16", "utf-16le", "utf-7", "iso-2022-jp", "shift_jis", "gb2312", "big5", "koi8-r", "x-unknown", "none", "", '"', "utf-8\x00", "unicode-1-1-utf-7"];
const ENCODINGS = ["base64", "quoted-printable", "7bit", "8bit", "binary", "x-uuencode", "uuencode", "base64; x=y", "BASE64 ", "bogus", ""];
const LINE_ENDINGS = ["\n", "\r", "\n\r", "\r\r\n"];
// What a huge line is made of: plain filler, and the pieces whose repetition is costly
// to a regex or an address parser.
const RUNS = ["a", " ", "=", "=?utf-8?q?a?= ", "a@b.c, ", '"', "<", "\t", "Re: ", "--", "\\", "\xe9", "1 done, ", "BEGIN:VEVENT\r\n"];

/** Lines with their ends kept: joining them gives the text back. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Where the header block ends (the index of its blank line), or the text's length. */
function headerEnd(text: string): number {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? m.index + 1 : text.length;
}

/** The top-level header fields, each with its folded continuation lines. */
function headerFields(text: string): { fields: string[]; rest: string } {
  const end = headerEnd(text);
  const fields: string[] = [];
  for (const line of lines(text.slice(0, end))) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += line;
    else fields.push(line);
  }
  return { fields, rest: text.slice(end) };
}

function withEnd(field: string): string {
  return /\n$/.test(field) ? field : field + "\r\n";
}

/** The boundaries a text declares, but those a huge line has stretched past any real
 * one (RFC 2046 allows 70 characters), which no regex can be built from. */
function boundaries(text: string): string[] {
  return [...text.matchAll(/boundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))/gi)].map((m) => m[1] ?? m[2] ?? "").filter((b) => b && b.length <= 200);
}

/** Offsets worth cutting at: line starts, and delimiter lines above all. */
function cutPoints(text: string): number[] {
  const points: number[] = [];
  let at = 0;
  for (const line of lines(text)) {
    if (line.startsWith("--") || points.length < 2000) points.push(at);
    at += line.length;
  }
  return points;
}

const byteFlip: Mutation = (t, r) => {
  const at = int(r, t.length);
  const byte = r() < 0.5 ? t.charCodeAt(at) ^ (1 << int(r, 8)) : int(r, 256);
  return { name: `flip@${at}`, text: t.slice(0, at) + String.fromCharCode(byte & 0xff) + t.slice(at + 1) };
};

const special: Mutation = (t, r) => {
  const at = int(r, t.length + 1);
  return { name: `special@${at}`, text: t.slice(0, at) + pick(r, SPECIALS) + t.slice(at) };
};

const cut: Mutation = (t, r) => {
  const at = int(r, t.length);
  const n = 1 + int(r, r() < 0.8 ? 20 : 2000);
  return { name: `delete@${at}+${n}`, text: t.slice(0, at) + t.slice(at + n) };
};

const repeat: Mutation = (t, r) => {
  const at = int(r, t.length);
  const n = int(r, 400);
  return { name: `repeat@${at}+${n}`, text: t.slice(0, at) + t.slice(at, at + n) + t.slice(at) };
};

/** Cut short at a line or MIME boundary (either side of its line end), or anywhere. */
const truncate: Mutation = (t, r) => {
  const points = cutPoints(t);
  const at = r() < 0.8 && points.length > 0 ? pick(r, points) + pick(r, [0, 0, -1, -2, 1, 2]) : int(r, t.length);
  return { name: `truncate@${at}`, text: t.slice(0, Math.max(0, at)) };
};

const swapLines: Mutation = (t, r) => {
  const ls = lines(t);
  const a = int(r, ls.length);
  const b = int(r, ls.length);
  [ls[a], ls[b]] = [ls[b]!, ls[a]!];
  return { name: `swap-lines ${a} ${b}`, text: ls.join("") };
};

const lineEndings: Mutation = (t, r) => {
  const end = pick(r, LINE_ENDINGS);
  return { name: `line-ends ${JSON.stringify(end)}`, text: t.replace(/\r\n/g, end) };
};

const duplicateHeader: Mutation = (t, r) => {
  const { fields, rest } = headerFields(t);
  if (fields.length === 0) return { name: "duplicate-header (none)", text: t };
  const i = int(r, fields.length);
  const field = withEnd(fields[i]!);
  // The copy goes before or after, or far away, sometimes with its value damaged.
  const copy = r() < 0.3 ? field.replace(/:.*/s, ": " + pick(r, ["", "x", "<>", "=?utf-8?B?", "a@b"]) + "\r\n") : field;
  fields.splice(int(r, fields.length + 1), 0, copy);
  return { name: `duplicate-header ${field.split(":", 1)[0]}`, text: fields.map(withEnd).join("") + rest };
};

const reorderHeaders: Mutation = (t, r) => {
  const { fields, rest } = headerFields(t);
  for (let i = fields.length - 1; i > 0; i--) {
    const j = int(r, i + 1);
    [fields[i], fields[j]] = [fields[j]!, fields[i]!];
  }
  return { name: "reorder-headers", text: fields.map(withEnd).join("") + rest };
};

/** A delimiter line or a boundary parameter damaged: the closing "--" gone, one char off,
 * the quotes lost, the parameter emptied, or the delimiter lines all removed. */
const breakBoundary: Mutation = (t, r) => {
  const bs = boundaries(t);
  if (bs.length === 0) return { name: "break-boundary (none)", text: t };
  const b = pick(r, bs);
  const how = int(r, 6);
  const esc = b.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  switch (how) {
    case 0:
      return { name: `boundary ${b}: no close`, text: t.replace(new RegExp(`--${esc}--`, "g"), `--${b}`) };
    case 1:
      return { name: `boundary ${b}: param off by one`, text: t.replace(new RegExp(`(boundary\\s*=\\s*"?)${esc}`, "i"), `$1${b.slice(0, -1)}`) };
    case 2:
      return { name: `boundary ${b}: param empty`, text: t.replace(new RegExp(`boundary\\s*=\\s*"?${esc}"?`, "i"), 'boundary=""') };
    case 3:
      return { name: `boundary ${b}: delimiters gone`, text: t.replace(new RegExp(`^--${esc}(--)?\\s*$`, "gm"), "") };
    case 4:
      return { name: `boundary ${b}: prefix clash`, text: t.replace(new RegExp(`(boundary\\s*=\\s*"?)${esc}`, "i"), `$1${b.slice(0, Math.max(1, b.length >> 1))}`) };
    default:
      return { name: `boundary ${b}: delimiter doubled`, text: t.replace(new RegExp(`^--${esc}\\s*$`, "m"), (d) => `${d}\r\n${d}`) };
  }
};

const wrongCharset: Mutation = (t, r) => {
  const to = pick(r, CHARSETS);
  const re = /charset\s*=\s*("?)[^\s;"]*\1/gi;
  const hits = t.match(re)?.length ?? 0;
  if (hits === 0) return { name: `charset ${to} (added)`, text: t.replace(/^(Content-Type:[^\r\n]*)/im, `$1; charset=${to}`) };
  let n = int(r, hits);
  return { name: `charset ${to}`, text: t.replace(re, (m) => (n-- === 0 ? `charset=${to}` : m)) };
};

const wrongEncoding: Mutation = (t, r) => {
  const to = pick(r, ENCODINGS);
  const re = /^Content-Transfer-Encoding:[^\r\n]*/gim;
  const hits = t.match(re)?.length ?? 0;
  if (hits === 0) return { name: `cte ${to} (added)`, text: `Content-Transfer-Encoding: ${to}\r\n${t}` };
  let n = int(r, hits);
  return { name: `cte ${to}`, text: t.replace(re, (m) => (n-- === 0 ? `Content-Transfer-Encoding: ${to}` : m)) };
};

/** One line of tens to hundreds of kilobytes, in a header or the body. */
const hugeLine: Mutation = (t, r) => {
  const run = pick(r, RUNS);
  const bytes = 1000 * (1 + int(r, r() < 0.9 ? 64 : 900));
  const line = run.repeat(Math.ceil(bytes / run.length));
  const inHeader = r() < 0.5;
  const at = inHeader ? headerEnd(t) : int(r, t.length + 1);
  const text = inHeader ? `${t.slice(0, at)}${pick(r, ["Subject: ", "To: ", "X-Long: ", "References: ", " "])}${line}\r\n${t.slice(at)}` : t.slice(0, at) + line + t.slice(at);
  return { name: `huge-line ${JSON.stringify(run)} x${bytes} ${inHeader ? "header" : "body"}`, text };
};

/** The message (headers and all) wrapped `depth` times, in multiparts or as message/rfc822,
 * under the outer From: past the parser's limits as well as within them. */
const deepNesting: Mutation = (t, r) => {
  const depth = 1 + int(r, r() < 0.7 ? 8 : 60);
  const rfc822 = r() < 0.5;
  const from = /^From:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*/im.exec(t)?.[0] ?? "From: fuzz.user@example.com";
  let body = t;
  for (let level = 0; level < depth; level++) {
    if (rfc822) {
      body = `${from}\r\nTo: kith@kith.test\r\nSubject: Fwd: level ${level}\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n${body}`;
    } else {
      const b = `nest${level}`;
      const part = level === 0 ? body : `Content-Type: text/plain\r\n\r\nlevel ${level}\r\n--${b}\r\n${body}`;
      body = `${level === depth - 1 ? `${from}\r\nTo: kith@kith.test\r\nSubject: nested\r\nMIME-Version: 1.0\r\n` : ""}Content-Type: multipart/mixed; boundary="${b}"\r\n\r\n--${b}\r\n${part}\r\n--${b}--\r\n`;
    }
  }
  return { name: `nest ${rfc822 ? "rfc822" : "multipart"} x${depth}`, text: body };
};

/** Byte-level damage: any text. */
export const BYTE_MUTATIONS: readonly Mutation[] = [byteFlip, special, cut, repeat, truncate, swapLines, lineEndings, hugeLine];
/** Damage to a mail's structure. */
export const MAIL_MUTATIONS: readonly Mutation[] = [
  ...BYTE_MUTATIONS, duplicateHeader, reorderHeaders, breakBoundary, breakBoundary, wrongCharset, wrongEncoding, deepNesting,
];

/** Damage to an iCalendar or vCard text: its structure as well as its bytes. */
export const CARD_MUTATIONS: readonly Mutation[] = [
  ...BYTE_MUTATIONS,
  (t, r) => ({ name: "unfolded wrong", text: t.replace(/\r?\n/g, (m) => (r() < 0.2 ? m + " " : m)) }),
  (t, r) => {
    const name = pick(r, ["END:VEVENT", "END:VCALENDAR", "END:VCARD", "BEGIN:VEVENT", "BEGIN:VCARD", "END:VTIMEZONE"]);
    return { name: `drop ${name}`, text: t.replace(new RegExp(`^${name}\\r?\\n?`, "m"), "") };
  },
  (t, r) => {
    const name = pick(r, ["DTSTART", "DTEND", "DURATION", "RRULE", "EXDATE", "TZID", "EMAIL", "TEL", "FN", "N", "ORG", "CHARSET", "ENCODING"]);
    const value = pick(r, ["", ":", ";", "19700101T000000Z", "99991231T235959", "20261301T250000", "FREQ=DAILY;BYMONTHDAY=30;BYMONTH=2", "FREQ=SECONDLY;COUNT=999999999", "P999999W", "-P1D", "Mars/Olympus", "a@", "+", "QUOTED-PRINTABLE", "=\r\n=\r\n"]);
    return { name: `${name} = ${JSON.stringify(value)}`, text: t.replace(new RegExp(`^(${name}[;:][^\\r\\n]*?)([:=])[^\\r\\n]*`, "mi"), `$1$2${value}`) };
  },
  (t, r) => {
    // A component nested in itself: an event inside an event, a card inside a card.
    const m = /^BEGIN:(VEVENT|VCARD)\r?\n/m.exec(t);
    if (!m) return { name: "nest (none)", text: t };
    const at = m.index + m[0].length;
    return { name: `nest ${m[1]}`, text: t.slice(0, at) + t.slice(m.index, m.index + 1 + int(r, 2000)) + t.slice(at) };
  },
];

/** 1 to 6 mutations drawn from `pool`, applied in turn. */
export function mutate(text: string, r: Random, pool: readonly Mutation[]): { text: string; ops: string[] } {
  const ops: string[] = [];
  const n = 1 + int(r, 6);
  for (let i = 0; i < n; i++) {
    const m = pick(r, pool)(text, r);
    ops.push(m.name);
    text = m.text;
  }
  return { text, ops };
}
