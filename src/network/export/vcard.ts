/** The user's people as vCard 4.0 (RFC 6350): one .vcf that phones and address books import. */
import { type ExportPerson, noteText, present, splitName } from "./person";

const CRLF = "\r\n";
// RFC 6350 §3.2: lines SHOULD be at most 75 octets, line break excluded.
const MAX_OCTETS = 75;

/** Every person as one card, in the order given; "" when there is nobody. */
export function toVCards(people: readonly ExportPerson[]): string {
  // Physical lines gathered in one array and joined once: an export of 10,000 people
  // is some 100,000 lines, and growing one string line by line would copy it over and over.
  const lines: string[] = [];
  for (const person of people) writeCard(person, lines);
  return lines.length === 0 ? "" : lines.join(CRLF) + CRLF;
}

function writeCard(person: ExportPerson, lines: string[]): void {
  const add = (line: string): void => fold(line, lines);
  add("BEGIN:VCARD");
  add("VERSION:4.0");
  add(`UID:urn:kith:contact:${person.id}`);
  add(`FN:${text(displayName(person))}`);
  if (present(person.name)) {
    const { given, family } = splitName(person.name);
    add(`N:${compound(family)};${compound(given)};;;`);
  }
  for (const email of person.emails) if (present(email)) add(`EMAIL:${text(email.trim())}`);
  for (const phone of person.phones) {
    // A tel: URI has no spaces or line breaks; Kith holds E.164, so this only keeps a
    // stray character from breaking the card's structure.
    const number = phone.replace(/[^+\d]/g, "");
    if (number) add(`TEL;VALUE=uri:tel:${number}`);
  }
  if (present(person.company)) add(`ORG:${compound(person.company.trim())}`);
  if (present(person.title)) add(`TITLE:${text(person.title.trim())}`);
  const note = noteText(person);
  if (note) add(`NOTE:${text(note)}`);
  add("END:VCARD");
}

/** FN is required: the name, else how the user reaches them, else a placeholder. */
function displayName(person: ExportPerson): string {
  if (present(person.name)) return person.name.trim();
  const reach = [...person.emails, ...person.phones].find(present);
  return reach?.trim() ?? "(no name)";
}

/**
 * A TEXT value (RFC 6350 §3.4): backslash, comma and line breaks escaped. A semicolon
 * is left as it is: §3.4 lets it be escaped only in compound values, the §4 grammar of
 * TEXT has no "\;", and readers that follow it (ical.js) would show the backslash.
 */
function text(value: string): string {
  return value.replace(/\r\n?|\n|[\\,]/g, escapeChar);
}

/** One component of a compound value (N, ORG), where ";" separates components. */
function compound(value: string): string {
  return value.replace(/\r\n?|\n|[\\,;]/g, escapeChar);
}

function escapeChar(match: string): string {
  return match === "\\" || match === "," || match === ";" ? "\\" + match : "\\n";
}

/**
 * A content line as physical lines of at most 75 UTF-8 octets, each continuation
 * starting with one space (which counts). Cuts fall between characters, never inside
 * one: a surrogate pair is one 4-octet character.
 */
function fold(line: string, out: string[]): void {
  // Every UTF-16 unit is at most 3 octets, so a short line needs no counting.
  if (line.length * 3 <= MAX_OCTETS) {
    out.push(line);
    return;
  }
  let start = 0;
  let octets = 0;
  let limit = MAX_OCTETS;
  for (let i = 0; i < line.length; ) {
    const unit = line.charCodeAt(i);
    const pair = unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(line.charCodeAt(i + 1));
    const size = unit < 0x80 ? 1 : unit < 0x800 ? 2 : pair ? 4 : 3;
    if (octets + size > limit) {
      out.push(start === 0 ? line.slice(0, i) : " " + line.slice(start, i));
      start = i;
      octets = 0;
      limit = MAX_OCTETS - 1;
    }
    octets += size;
    i += pair ? 2 : 1;
  }
  out.push(start === 0 ? line : " " + line.slice(start));
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
