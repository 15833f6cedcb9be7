/**
 * Business-card notes a user types or pastes into a mail to Kith: one or more people,
 * each as labelled fields ("Name: ... / Email: ..."), a card-like block of lines, or
 * "Jane Smith <jane@acme.com>, Acme" one-liners. Conservative: a person is taken only
 * with an address, a phone number or an explicit "Name:" label.
 */
import { cleanName, nameFromAddress } from "../people/names";
import {
  eventFromSubject,
  eventInLine,
  type Field,
  hasCompanyWord,
  hasTitleWord,
  isFamilyGiven,
  isLikelyName,
  isNoise,
  isSeparator,
  labelled,
  looksLikeCompany,
  roleParts,
  segments,
  tidyEvent,
  withoutEvent,
} from "./card-lines";
import { findEmails, normalisePhone, unique } from "./contact-fields";
import { type ContactFacts, NameRank } from "./types";

export { eventFromSubject } from "./card-lines";

const MAX_TEXT = 100_000;
const MAX_CONTACTS = 500;
// A run of digits and phone punctuation long enough to be a number ("+1 (415) 555-0100").
const PHONE_RUN = /(?:\+|\(\+?)?\d[\d\s().-]{5,}\d/g;
// A word that labels the number right after it ("Mobile +1 ...", "(m) 415 ...", "tel. 030 ...").
const PHONE_WORDS = /(?:\b(?:tel|phone|mobile|mob|cell|office|direct|work|home|whatsapp|ph|[mtpcod])\b\.?|\([mtpcod]\))\s*:?\s*(?=\u0000)/gi;

interface Draft {
  name?: string;
  /** Set by a "Name:" label: the person counts even without an address or number. */
  labelledName: boolean;
  emails: string[];
  phones: string[];
  company?: string;
  /** The company was named by a legal form or a label, not guessed from capitals. */
  companySure?: boolean;
  title?: string;
  event?: string;
}

/**
 * Contacts in a note's text. The event they were met at comes from a "Met at ..." line
 * beside the person, else one elsewhere in the note, else the subject ("Met at PyCon",
 * "PyCon contacts"). `defaultRegion` is assumed for numbers without a country code.
 */
export function parseCardText(text: string, subject?: string, defaultRegion = "US"): ContactFacts[] {
  const drafts: Draft[] = [];
  let noteEvent: string | undefined;
  for (const block of blocks(text.slice(0, MAX_TEXT))) {
    const read = readBlock(block, defaultRegion);
    noteEvent ??= read.event;
    drafts.push(...read.drafts);
  }
  const event = noteEvent ?? eventFromSubject(subject);
  return drafts.slice(0, MAX_CONTACTS).map((d) => facts(d, event));
}

/** Groups of lines, split at blank lines and separator lines; client noise dropped. */
function blocks(text: string): string[][] {
  const out: string[][] = [[]];
  for (const raw of text.replace(/[\u200b-\u200f\ufeff]/g, "").split(/\r?\n|\r/)) {
    const line = raw.replace(/[\s\u00a0]+/g, " ").replace(/^(?:>\s?)+/, "").trim();
    if (line === "" || isSeparator(line)) out.push([]);
    else if (!isNoise(line)) out[out.length - 1]?.push(line);
  }
  return out.filter((b) => b.length > 0);
}

/** The people in one block, and an event the block names outside any person. */
function readBlock(lines: string[], region: string): { drafts: Draft[]; event?: string } {
  const done: Draft[] = [];
  let cur = emptyDraft();
  let blockEvent: string | undefined;
  const next = (): void => {
    done.push(cur);
    cur = emptyDraft();
  };
  const segs = lines.flatMap(segments);
  // contactAfter[i]: a later line carries an address or number, so a name at i can start a person.
  const contactAfter = segs.map(() => false);
  for (let i = segs.length - 2; i >= 0; i--) contactAfter[i] = !!contactAfter[i + 1] || carriesContact(segs[i + 1] ?? "", region);

  segs.forEach((seg, index) => {
    const event = eventInLine(seg);
    if (event) blockEvent ??= event;
    const line = event ? withoutEvent(seg) : seg;
    if (!line) return;
    const field = labelled(line);
    if (field) return applyLabel(field.field, field.value);
    const emails = findEmails(line);
    const withoutEmails = emails.reduce((l, e) => l.replace(new RegExp(escapeRegExp(e), "i"), " "), line);
    const phones = phonesIn(withoutEmails, region);
    if (emails.length > 0 || phones.length > 0) return contactLine(emails, phones, rest(withoutEmails));
    freeLine(line, index === 0, !!contactAfter[index]);
  });

  function applyLabel(field: Field, value: string): void {
    if (field === "name") {
      const name = cleanName(value);
      if (!name) return;
      if (cur.labelledName || (cur.name && hasContact(cur))) next();
      cur.name = name;
      cur.labelledName = true;
    } else if (field === "email") cur.emails.push(...findEmails(value));
    else if (field === "phone") cur.phones.push(...phonesIn(value, region));
    else if (field === "company" && !cur.companySure) {
      cur.company = short(value);
      cur.companySure = cur.company !== undefined;
    }
    else if (field === "title") cur.title ??= short(value);
    else if (field === "event") blockEvent ??= tidyEvent(value);
  }

  function contactLine(emails: string[], phones: string[], restText: string): void {
    // A quoted display name is one name even with a comma in it ("Chen, Wei" <wei@...>).
    const quoted = /^["“'](.+?)["”']\s*(.*)$/.exec(restText);
    const [first = "", ...role] = quoted ? [quoted[1] ?? "", ...roleParts(quoted[2] ?? "")] : roleParts(restText);
    const name = personName(first) ?? (quoted ? undefined : personName(restText));
    if (name && cur.name !== name && hasContact(cur)) next();
    // A list of bare addresses is a list of people, not one person's many addresses.
    else if (!name && !cur.name && emails.length > 0 && phones.length === 0 && cur.emails.length > 0) next();
    if (name) {
      cur.name = name;
      applyRole(role);
    }
    cur.emails.push(...emails);
    cur.phones.push(...phones);
  }

  function freeLine(line: string, first: boolean, contactFollows: boolean): void {
    const parts = roleParts(line);
    const whole = personName(line, first);
    const name = whole ?? (parts.length > 1 ? personName(parts[0] ?? "") : undefined);
    // A second name starts a second person only when an address or number follows it;
    // otherwise "Acme Robotics" after Jane's details is her company, not someone new.
    const startsPerson = name && cur.name && hasContact(cur) && contactFollows;
    if (name && (!cur.name || startsPerson)) {
      if (startsPerson) next();
      cur.name = name;
      return applyRole(whole ? [] : parts.slice(1));
    }
    // Role lines belong to a person already named, or say so by their words ("CTO", "Inc.").
    if (cur.name || parts.some((p) => hasTitleWord(p) || hasCompanyWord(p))) applyRole(parts);
  }

  function applyRole(parts: string[]): void {
    for (const part of parts.filter(isRolePhrase)) {
      if (hasTitleWord(part)) cur.title ??= part;
      // A legal form ("GmbH", "Inc.") beats a guess from capitals made on an earlier line.
      else if (hasCompanyWord(part) && !cur.companySure) {
        cur.company = part;
        cur.companySure = true;
      } else if (looksLikeCompany(part)) cur.company ??= part;
    }
  }

  done.push(cur);
  const drafts = done.filter((d) => hasContact(d) || d.labelledName).map((d) => ({ ...d, event: blockEvent }));
  return { drafts, event: drafts.length === 0 ? blockEvent : undefined };
}

function carriesContact(segment: string, region: string): boolean {
  const field = labelled(segment)?.field;
  return field === "email" || field === "phone" || findEmails(segment).length > 0 || phonesIn(segment, region).length > 0;
}

function personName(text: string, single = false): string | undefined {
  if (isLikelyName(text, single) || isFamilyGiven(text)) return cleanName(text);
  return undefined;
}

/** "CTO", "Head of Developer Relations", "acme corp": short, and capitalised unless typed all in lower case. */
function isRolePhrase(part: string): boolean {
  const words = part.split(/\s+/);
  if (words.length > 6 || /[.!?]$/.test(part.replace(/\b(?:inc|ltd|co|corp|jr|sr)\.$/i, ""))) return false;
  if (part === part.toLowerCase()) return words.length <= 4;
  return words.every((w) => /^[\p{Lu}\p{N}&(]/u.test(w) || /^(?:of|and|for|the|at|in|de|und|&|to)$/.test(w));
}

function phonesIn(text: string, region: string): string[] {
  return unique((text.match(PHONE_RUN) ?? []).flatMap((run) => normalisePhone(run, region) ?? []));
}

/** What a line says beside its addresses and numbers: possibly a name, title, company. */
function rest(line: string): string {
  return line
    .replace(PHONE_RUN, "\u0000")
    .replace(PHONE_WORDS, "")
    .replace(/\u0000/g, " ")
    .replace(/mailto:/gi, "")
    .replace(/<\s*>|\(\s*\)|\[\s*\]/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^[\s,;:|/<>()\-–—]+|[\s,;:|/<>()\-–—]+$/g, "")
    .trim();
}

function facts(d: Draft, noteEvent: string | undefined): ContactFacts {
  const emails = unique(d.emails);
  const derived = d.name ? undefined : emails.map(nameFromAddress).find(Boolean);
  const out: ContactFacts = {
    nameRank: d.name ? NameRank.card : derived ? NameRank.address : NameRank.none,
    emails,
    phones: unique(d.phones),
  };
  const name = d.name ?? derived;
  if (name) out.name = name;
  if (d.company) out.company = d.company;
  if (d.title) out.title = d.title;
  const metAt = d.event ?? noteEvent;
  if (metAt) out.metAt = metAt;
  return out;
}

function emptyDraft(): Draft {
  return { labelledName: false, emails: [], phones: [] };
}

function hasContact(d: Draft): boolean {
  return d.emails.length > 0 || d.phones.length > 0;
}

function short(value: string): string | undefined {
  const v = value.replace(/\s+/g, " ").trim();
  return /[\p{L}\p{N}]/u.test(v) ? v.slice(0, 120) : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
