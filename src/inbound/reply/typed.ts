/**
 * The part of a reply the user typed: what sits above the quoted mail, without the
 * client's signature or a mail server's "external sender" banner.
 *
 * Our own scanner, not a library. Both candidates were run against the 43 replies in
 * ../shared/corpus/replies: email-reply-parser 2.3.9 got 10 wrong (Hungarian, Japanese
 * and wrapped German headers, Outlook blocks under a rule, caution banners; on Gmail's
 * leftover quoted-printable it returns scrambled text) and, without the native re2 it
 * cannot have in workerd, runs whole-body regexes that are cubic: 24 KB of " on at"
 * took 53 s in Node. planer 1.2.0 needs a DOM for HTML (workerd has none) and got 10
 * plain-text replies wrong (signatures, localized headers, bottom posting). Here every
 * line is looked at a bounded number of times with regexes that cannot backtrack far.
 */
import { htmlToText } from "../../lib/html-text";

// A reply worth reading is short; past this the rest is the quote.
const MAX_TEXT = 64 * 1024;
// HTML carries several times its text in markup (Outlook's style block alone is ~3 KB).
const MAX_HTML = 256 * 1024;
// No quote header is longer than this; longer lines are never tested as one.
const MAX_HEADER = 500;
// An attribution ("On <date>, <name> <address> wrote:") is wrapped onto at most 3 lines.
const HEADER_LINES = 3;
// An Outlook header block: "From:" then other fields within this many lines.
const BLOCK_LINES = 6;

/**
 * What the user typed: the text part, or the HTML rendered when there is none, cut at the
 * first quote header, '>' line, Outlook separator or header block, or client signature.
 * When nothing is above the quote and the original is '>'-quoted, the unquoted lines
 * between and below the quoted blocks are the reply (bottom posting, inline answers); a
 * body that opens with an unquoted original (an Outlook header block) has nothing typed.
 */
export function typedReply(text: string, html?: string): string {
  const source = text.trim() !== "" ? text : html ? htmlAsText(html) : "";
  const lines = withoutBanner(normalize(source).split("\n"));
  const quote = findQuote(lines);
  const top = tidy(lines.slice(0, quote.start));
  if (top !== "" || !quote.cited) return top;
  // Nothing above the quote: a bottom-posted or inline reply (Thunderbird's default).
  // Only when the original is '>'-quoted can the unquoted lines be told apart from it.
  return tidy(unquotedBelow(lines, quote.end), true);
}

function normalize(s: string): string {
  return s
    .slice(0, MAX_TEXT)
    .replace(/\r\n?/g, "\n")
    .replace(/[\ufeff\u200b-\u200d\u2060]/g, "") // BOMs and zero-width spaces (Zimbra, iOS)
    .replace(/\u00a0/g, " ");
}

/** A corporate "this mail came from outside" notice the user's server put on top. */
const BANNER = /^\W{0,3}(?:caution|external|warning|attention|notice|security notice)\b[^\n]{0,40}?(?:originated|outside|external|do not click|sender)|^(?:this (?:e-?mail|message) (?:originated|came|was sent) from outside|you don'?t often get email from)/i;
const BANNER_TAG = /^\W{0,3}(?:external|caution|external (?:e-?mail|sender|message))\W{0,3}$/i;

function withoutBanner(lines: string[]): string[] {
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === "") first++;
  const head = (lines[first] ?? "").trim().slice(0, MAX_HEADER);
  if (BANNER_TAG.test(head)) return lines.slice(first + 1);
  if (!BANNER.test(head)) return lines;
  // A banner's sentence may be wrapped over a few lines, and the reply can follow at once:
  // the banner ends with its paragraph or its sentence.
  let end = first + 1;
  const goesOn = (i: number): boolean => lines[i]!.trim() !== "" && !/[.!]$/.test(lines[i - 1]!.trim());
  // Outlook's "You don't often get email from …" notice is always one line.
  const wraps = !/^you don'?t often/i.test(head);
  while (wraps && end < lines.length && end - first < 8 && goesOn(end)) end++;
  return lines.slice(end);
}

interface Quote {
  /** First line of the quote (or of the signature). */
  start: number;
  /** First line after its attribution header. */
  end: number;
  /** The original is '>'-quoted, so text typed below it can be found. */
  cited: boolean;
}

function findQuote(lines: string[]): Quote {
  for (let i = 0; i < lines.length; i++) {
    const header = attributionEndingAt(lines, i);
    if (header >= 0) return { start: header, end: i + 1, cited: citedAfter(lines, i + 1) };
    const t = lines[i]!.trim();
    if (t.startsWith(">")) return { start: i, end: i, cited: true };
    if (endsTyping(lines, i)) return { start: i, end: i, cited: false };
  }
  return { start: lines.length, end: lines.length, cited: false };
}

/** A signature, an "Original Message" rule or an Outlook header block starts here. */
function endsTyping(lines: string[], i: number): boolean {
  const t = lines[i]!.trim().slice(0, MAX_HEADER);
  return SIGNATURE.some((re) => re.test(t)) || SEPARATOR.test(t) || headerBlockAt(lines, i);
}

function citedAfter(lines: string[], from: number): boolean {
  let i = from;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  return i < lines.length && lines[i]!.trim().startsWith(">");
}

/** Unquoted lines between and after '>'-quoted blocks, up to a signature. */
function unquotedBelow(lines: string[], from: number): string[] {
  const kept: { at: number; line: string }[] = [];
  for (let i = from; i < lines.length; i++) {
    const header = attributionEndingAt(lines, i);
    if (header >= 0) {
      while (kept.length > 0 && kept[kept.length - 1]!.at >= header) kept.pop();
      continue;
    }
    const t = lines[i]!.trim();
    if (t.startsWith(">")) kept.push({ at: i, line: "" });
    else if (endsTyping(lines, i)) break;
    else kept.push({ at: i, line: lines[i]! });
  }
  return kept.map((k) => k.line);
}

/** Trailing spaces and blank or rule lines at either end go; `squeeze` also folds runs of
 * blank lines into one (they stand where quoted blocks were). */
function tidy(lines: string[], squeeze = false): string {
  const out: string[] = [];
  for (const line of lines) {
    const l = line.trimEnd();
    if (squeeze && l === "" && out[out.length - 1] === "") continue;
    out.push(l);
  }
  const rule = (l: string): boolean => l.trim() === "" || /^[-_=*~]{3,}$/.test(l.trim());
  while (out.length > 0 && rule(out[out.length - 1]!)) out.pop();
  while (out.length > 0 && out[0]!.trim() === "") out.shift();
  return out.join("\n");
}

// Signature lines clients add; a line that is one of these ends what the user typed.
const SIGNATURE: RegExp[] = [
  /^--$/, // "-- " (trimmed), the standard delimiter
  /^(?:sent|envoyé|enviado|inviato|gesendet|verzonden|verstuurd|skickat|sendt|lähetetty|wysłane|odesláno|отправлено|надіслано)\s+(?:from|with|via|using|de|depuis|desde|do|da|von|vanaf|met|från|fra|med|z|с|з)\s.{1,80}$/i,
  /^von meinem .{1,40} gesendet$/i,
  /^(?:get|download|holen sie sich|télécharger|obtener|scarica|baixe o) outlook (?:for|für|pour|para|per) \S/i,
  /^(?:iPhone|iPad|Android)から送信$/i,
  /^(?:从我的|發自我的|从|發自)\s?(?:iPhone|iPad|Android)/i,
];

// "-----Original Message-----" and its translations; forwards below a reply too.
const SEPARATOR = new RegExp(
  "^[-_=* ]{2,}\\s*(?:original message|message d'origine|ursprüngliche nachricht|originalnachricht|" +
    "oprindelig (?:besked|meddelelse)|opprinnelig melding|originalmeddelande|ursprungligt meddelande|" +
    "oorspronkelijk bericht|origineel bericht|mensaje original|messaggio originale|mensagem original|" +
    "wiadomość oryginalna|oryginalna wiadomość|původní zpráva|alkuperäinen viesti|исходное сообщение|" +
    "eredeti üzenet|orijinal mesaj|forwarded message|weitergeleitete nachricht|message transféré|" +
    "mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|vidarebefordrat meddelande)\\s*[-_=* ]*$",
  "i",
);

// Outlook's header block, in the languages of the corpus and their neighbours; Outlook's
// HTML-to-text conversion writes the labels bold ("*From:*").
const FROM_LABEL = /^\*?(?:from|von|de|od|fra|från|van|da|feladó|lähettäjä|kimden|от|від|差出人|发件人|寄件者|보낸 사람)\s*:/i;
const FIELD_LABEL = new RegExp(
  "^\\*?(?:sent|date|to|subject|cc|gesendet|datum|an|betreff|envoyé|à|objet|enviado|fecha|para|asunto|" +
    "inviato|data|a|oggetto|wysłano|do|temat|dato|til|emne|sendt|skickat|till|ämne|verzonden|aan|onderwerp|" +
    "elküldve|címzett|tárgy|dátum|lähetetty|vastaanottaja|aihe|päivämäärä|gönderildi|kime|konu|tarih|" +
    "odesláno|komu|předmět|отправлено|кому|тема|дата|надіслано|送信日時|宛先|件名|日付|发送时间|收件人|主题|日期|" +
    "寄件日期|收件者|主旨)\\s*:",
  "i",
);

/** "From: …" followed by at least two more header fields before a blank line. */
function headerBlockAt(lines: string[], i: number): boolean {
  if (!FROM_LABEL.test(lines[i]!.trim().slice(0, MAX_HEADER))) return false;
  let fields = 0;
  for (let j = i + 1; j < lines.length && j <= i + BLOCK_LINES; j++) {
    const t = lines[j]!.trim();
    if (t === "") break;
    if (FIELD_LABEL.test(t.slice(0, 40)) && ++fields >= 2) return true;
  }
  return false;
}

// How attributions end: "… wrote:" and its translations ...
const WROTE = new RegExp(
  "(?:wrote|a écrit|escribió|escrito|ha scritto|scrisse|escreveu|kirjoitti|napisał\\(a\\)|napisała?|pisze|" +
    "írta|написал\\(а\\)|написала?|пише|napsal\\(a\\)|napsala?|yazdı|έγραψε|a scris|写道|寫道|작성|のメッセージ|" +
    "skrev følgende|schreef het volgende)\\s*(?:[:：]|-{2,})[-\\s]*$",
  "i",
);
// ... "Am <date> schrieb <name>:" where the verb comes before the name ...
const VERB_FIRST = /(?:^|\s)(?:schrieb|skrev|schreef|kirjoitti|írta)\s[^:：]{1,160}[:：]\s*$/i;
// ... or Gmail's localized "<date>, <name> <address>:" with no verb at all.
const ADDRESS_END = /<\s*[^<>\s@]+@[^<>\s@]+\s*>\s*[:：]\s*$/;
// An attribution opens with its date: a time, a year, "Dec 9", "9. Jan" or "01/03/11".
const DATEISH = /\d{1,2}:\d{2}|(?:^|\D)(?:19|20)\d\d(?:\D|$)|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\p{L}{3}\.?,?\s\d{1,2}(?:\D|$)|\d{1,2}\.?\s\p{L}{3}/u;
// ... and somewhere names who wrote with an address or gives a time or year.
const WHO_OR_WHEN = /@|\d{1,2}[:.]\d{2}|(?:19|20)\d\d/;

/** The first line of an attribution header whose last line is `end`, or -1. Of the ways
 * to read it, the fewest lines win, so a typed line above a header is never part of it. */
function attributionEndingAt(lines: string[], end: number): number {
  const last = lines[end]!.trim();
  if (last === "" || last.length > MAX_HEADER) return -1;
  // Gmail's wrap can leave the closing ">:" alone on a line; no other line may be quoted.
  if (last.startsWith(">") && !/^>\s*[:：]$/.test(last)) return -1;
  for (let start = end; start > end - HEADER_LINES && start >= 0; start--) {
    const first = lines[start]!.trim();
    if (first === "" || first.length > MAX_HEADER || (start < end && first.startsWith(">"))) return -1;
    const header = joinWrapped(lines.slice(start, end + 1));
    if (isAttribution(header) && DATEISH.test(first.slice(0, 200))) return start;
  }
  return -1;
}

function isAttribution(header: string): boolean {
  return header.length <= MAX_HEADER && (WROTE.test(header) || VERB_FIRST.test(header) || ADDRESS_END.test(header)) && WHO_OR_WHEN.test(header);
}

/** Wrapped lines as one; a quoted-printable soft break left in the text ("w=" / "rote:")
 * joins without a space. */
function joinWrapped(parts: string[]): string {
  let out = "";
  for (const p of parts) {
    const t = p.trim();
    out = out === "" ? t : out.endsWith("=") ? out.slice(0, -1) + t : `${out} ${t}`;
  }
  return out;
}

/** An HTML-only reply as text: cut at the quote's container when the client marks it
 * (Gmail, Thunderbird, Apple, Outlook, Yahoo), since rendered text loses the '>' marks. */
function htmlAsText(html: string): string {
  const src = html.slice(0, MAX_HTML);
  const marker = HTML_QUOTE.exec(src);
  if (marker && marker.index > 0) {
    const above = htmlToText(src.slice(0, marker.index));
    if (above.trim() !== "") return above;
  }
  return htmlToText(src);
}

// Each alternative starts at a "<" and scans a bounded stretch of one tag.
const HTML_QUOTE = new RegExp(
  "<blockquote\\b|<div\\b[^>]{0,300}?\\b(?:class|id)\\s*=\\s*[\"']?(?:gmail_quote|moz-cite-prefix|yahoo_quoted|" +
    "divRplyFwdMsg|appendonsend|protonmail_quote|zmail_extra)|<div\\b[^>]{0,300}?border-top:\\s*solid\\s+#(?:B5C4DF|E1E1E1)|" +
    "<hr\\b[^>]{0,100}?id\\s*=\\s*[\"']?zwchr",
  "i",
);
