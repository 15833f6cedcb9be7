/** The part of a mail its writer typed: quotes, thread headers, signatures and sign-offs
 * cut off, in the languages Kith reads. */

// The typed part of a mail sits at its top; past this it is old thread. The cap keeps
// a 5,000-line thread as quick as a short note.
const MAX_TEXT = 8_000;

/** The lines the writer typed: '>' quotes are blank, and nothing is kept from a quote
 * header, "Original Message" rule, Outlook header block, signature or sign-off onward. */
export function typedLines(text: string): string[] {
  const lines = text.slice(0, MAX_TEXT).replace(/\r\n?/g, "\n").replace(/[\u2018\u2019\u02bc]/g, "'").split("\n");
  const typed: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (SIGNATURE.test(t) || SEPARATOR.test(t) || attributionAt(lines, i) || headerBlockAt(lines, i) || signOffAt(lines, i)) break;
    // A quoted line stands in as a paragraph break, so the text either side stays apart.
    typed.push(t.startsWith(">") ? "" : t);
  }
  return typed;
}

const SIGNATURE = /^--$|^(?:sent|envoyé|enviado|gesendet) (?:from|with|via|de|depuis|desde|von|mit) .{1,60}$|^von meinem .{1,40} gesendet$|^get outlook for /i;
const SEPARATOR = /^[-_=*\s]{2,}(?:original message|forwarded message|message d'origine|message transféré|ursprüngliche nachricht|weitergeleitete nachricht|mensaje original|mensaje reenviado)\b|^_{10,}$|^begin forwarded message:?$/i;

// "On Thu, Dec 3, 2026 at 3 PM Jane <jane@x.com> wrote:", "Le … a écrit :", "Am … schrieb
// Jane <…>:", "El … escribió:": wrapped onto at most three lines, ending in a colon, and
// with a date or an address in it (so "On Friday I'll send what Raj wrote:" is typed text).
const HEADER_LINES = 3;
const MAX_HEADER = 500;
const WROTE = /(?:wrote|a écrit|schrieb|escribió)[^:]{0,160}:\s*$/i;
const OPENS_WITH_DATE = /^(?:on|le|am|el)\s.*\d/i;

function attributionAt(lines: string[], i: number): boolean {
  let header = "";
  for (let j = i; j < Math.min(i + HEADER_LINES, lines.length); j++) {
    const t = lines[j]!.trim();
    if (t === "" || t.startsWith(">") || header.length + t.length > MAX_HEADER) return false;
    header = header === "" ? t : `${header} ${t}`;
    if (WROTE.test(header) && (OPENS_WITH_DATE.test(header) || header.includes("@"))) return true;
  }
  return false;
}

// Outlook's "From: … Sent: … To: … Subject: …" block, in the languages Kith reads.
const FROM_LABEL = /^\*?(?:from|von|de|da)\s?:\s*\S/i;
const FIELD_LABEL = /^\*?(?:sent|date|to|subject|cc|gesendet|datum|an|betreff|envoyé|à|objet|enviado|fecha|para|asunto)\s?:/i;
const BLOCK_LINES = 5;

function headerBlockAt(lines: string[], i: number): boolean {
  if (!FROM_LABEL.test(lines[i]!.trim())) return false;
  let fields = 0;
  for (let j = i + 1; j < Math.min(i + 1 + BLOCK_LINES, lines.length); j++) {
    if (FIELD_LABEL.test(lines[j]!.trim()) && ++fields === 2) return true;
  }
  return false;
}

// A closing line followed by a name or by nothing: below it are the writer's name, title
// and footer ("I'll reply within 24 hours" there is a motto, not a promise). "Thanks!" on
// top of a mail is followed by a sentence, not a name, and ends nothing.
const SIGN_OFF = /^(?:(?:best|kind|warm|warmest)?\s*regards|best(?: wishes)?|all the best|cheers|thanks(?: again| so much)?|thank you|many thanks|sincerely|yours(?: truly| sincerely)?|warmly|talk soon|speak soon|take care|mit freundlichen grüßen|viele grüße|beste grüße|liebe grüße|cordialement|bien cordialement|bien à vous|amicalement|saludos|un saludo|atentamente|un abrazo)\s*[,.!]?$/i;
const NAME_LINE = /^[-–—~]?\s*\p{Lu}[\p{L}.'-]*(?:\s+\p{Lu}[\p{L}.'-]*){0,3}$/u;

function signOffAt(lines: string[], i: number): boolean {
  if (!SIGN_OFF.test(lines[i]!.trim())) return false;
  let j = i + 1;
  while (j < lines.length && lines[j]!.trim() === "") j++;
  return j === lines.length || NAME_LINE.test(lines[j]!.trim());
}
