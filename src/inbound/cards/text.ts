/**
 * Business-card notes a user types or pastes into a mail to Kith: one or more people,
 * each as labelled fields ("Name: ... / Email: ..."), a card-like block of lines, or
 * "Jane Smith <jane@acme.com>, Acme" one-liners. Conservative: a person is taken only
 * with an address, a phone number or an explicit "Name:" label.
 */
import { cleanName, nameFromAddress } from "../../people/names";
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
} from "./lines";
import { normalisePhone } from "../../lib/phone";
import { findEmails, mayBePhone, unique } from "./fields";
import { type ContactFacts, NameRank } from "../types";
import { escapeRegExp } from "../../lib/regexp";

export { eventFromSubject } from "./lines";

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
  const phones = new PhoneReader(defaultRegion);
  for (const block of blocks(text.slice(0, MAX_TEXT))) {
    const read = withoutPeople(block) ?? new BlockReader(phones).read(block);
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

/**
 * What a block says when it cannot name a person, or undefined when it might: most
 * blocks are prose and quoted mail, and reading them line by line as cards is the
 * dearest part of a note. A person needs an address, a number or a "Name:" label; with
 * no "@" and no run of digits in its lines, only a "Name:" label could make one, since
 * fields are pieces of lines. A "met at" phrase is cut out of its line before the line
 * is read, which could join digits around it into a number: such blocks are read in
 * full too. Otherwise the block gives no one, and the event an "Event:" label names.
 */
function withoutPeople(lines: string[]): { drafts: Draft[]; event?: string } | undefined {
  if (lines.some((line) => line.includes("@") || DIGIT_RUN.test(line))) return undefined;
  let event: string | undefined;
  for (const line of lines) {
    if (!/[:：]/.test(line) && !MET.test(line)) continue; // no label, no event
    for (const seg of segments(line)) {
      if (eventInLine(seg)) return undefined;
      const field = labelled(seg);
      if (field?.field === "name") return undefined;
      if (field?.field === "event") event ??= tidyEvent(field.value);
    }
  }
  return { drafts: [], event };
}

// PHONE_RUN without its optional prefix: has the text a run at all?
const DIGIT_RUN = /\d[\d\s().-]{5,}\d/;
// What eventInLine cannot match without.
const MET = /met/iu;

/**
 * The phone numbers in pieces of one note. A note's lines are looked at more than once
 * (does a contact follow this name? what does this line hold?, asked of a segment with
 * and without its addresses) and libphonenumber is the dearest step, so each run of
 * digits is read once per note.
 */
class PhoneReader {
  private readonly runs = new Map<string, string[]>();
  constructor(readonly region: string) {}

  in(text: string): string[] {
    return unique((text.match(PHONE_RUN) ?? []).flatMap((run) => this.number(run)));
  }

  private number(run: string): string[] {
    let phone = this.runs.get(run);
    if (!phone) {
      const e164 = mayBePhone(run, this.region) ? normalisePhone(run, this.region) : undefined;
      phone = e164 ? [e164] : [];
      this.runs.set(run, phone);
    }
    return phone;
  }
}

/**
 * The people in one block, and an event the block names outside any person. A class
 * rather than closures: a Worker bundle keeps function names (esbuild keepNames), which
 * costs a call per nested function each time one is created.
 */
class BlockReader {
  private readonly done: Draft[] = [];
  private cur: Draft = emptyDraft();
  private blockEvent: string | undefined;
  private segs: string[] = [];
  /** The first segment past the last asked index that carries a contact (or the end). */
  private nextCarrier = -1;

  constructor(private readonly phones: PhoneReader) {}

  read(lines: string[]): { drafts: Draft[]; event?: string } {
    this.segs = lines.flatMap(segments);
    this.segs.forEach((seg, index) => this.segment(seg, index));
    this.done.push(this.cur);
    const event = this.blockEvent;
    const drafts = this.done.filter((d) => hasContact(d) || d.labelledName).map((d) => ({ ...d, event }));
    return { drafts, event: drafts.length === 0 ? event : undefined };
  }

  /** Whether a segment after `index` carries an address or number, so that a name at
   * `index` can start a person. Asked with rising indexes, and seldom: each segment is
   * looked at once at most. */
  private contactAfter(index: number): boolean {
    if (this.nextCarrier <= index) {
      let j = index + 1;
      while (j < this.segs.length && !this.carriesContact(this.segs[j]!)) j++;
      this.nextCarrier = j;
    }
    return this.nextCarrier < this.segs.length;
  }

  private segment(seg: string, index: number): void {
    const event = eventInLine(seg);
    if (event) this.blockEvent ??= event;
    const line = event ? withoutEvent(seg) : seg;
    if (!line) return;
    const field = labelled(line);
    if (field) return this.applyLabel(field.field, field.value);
    const emails = findEmails(line);
    const withoutEmails = emails.reduce((l, e) => l.replace(new RegExp(escapeRegExp(e), "i"), " "), line);
    const phones = this.phones.in(withoutEmails);
    if (emails.length > 0 || phones.length > 0) return this.contactLine(emails, phones, rest(withoutEmails));
    this.freeLine(line, index);
  }

  private carriesContact(segment: string): boolean {
    const field = labelled(segment)?.field;
    return field === "email" || field === "phone" || findEmails(segment).length > 0 || this.phones.in(segment).length > 0;
  }

  private next(): void {
    this.done.push(this.cur);
    this.cur = emptyDraft();
  }

  private applyLabel(field: Field, value: string): void {
    const cur = this.cur;
    if (field === "name") {
      const name = cleanName(value);
      if (!name) return;
      if (cur.labelledName || (cur.name && hasContact(cur))) this.next();
      this.cur.name = name;
      this.cur.labelledName = true;
    } else if (field === "email") cur.emails.push(...findEmails(value));
    else if (field === "phone") cur.phones.push(...this.phones.in(value));
    else if (field === "company" && !cur.companySure) {
      cur.company = short(value);
      cur.companySure = cur.company !== undefined;
    }
    else if (field === "title") cur.title ??= short(value);
    else if (field === "event") this.blockEvent ??= tidyEvent(value);
  }

  private contactLine(emails: string[], phones: string[], restText: string): void {
    // A quoted display name is one name even with a comma in it ("Chen, Wei" <wei@...>).
    const quoted = /^["“'](.+?)["”']\s*(.*)$/.exec(restText);
    const [first = "", ...role] = quoted ? [quoted[1] ?? "", ...roleParts(quoted[2] ?? "")] : roleParts(restText);
    const name = personName(first) ?? (quoted ? undefined : personName(restText));
    if (name && this.cur.name !== name && hasContact(this.cur)) this.next();
    // A list of bare addresses is a list of people, not one person's many addresses.
    else if (!name && !this.cur.name && emails.length > 0 && phones.length === 0 && this.cur.emails.length > 0) this.next();
    if (name) {
      this.cur.name = name;
      this.applyRole(role);
    }
    this.cur.emails.push(...emails);
    this.cur.phones.push(...phones);
  }

  private freeLine(line: string, index: number): void {
    const parts = roleParts(line);
    const whole = personName(line, index === 0);
    const name = whole ?? (parts.length > 1 ? personName(parts[0] ?? "") : undefined);
    // A second name starts a second person only when an address or number follows it;
    // otherwise "Acme Robotics" after Jane's details is her company, not someone new.
    const startsPerson = name && this.cur.name && hasContact(this.cur) && this.contactAfter(index);
    if (name && (!this.cur.name || startsPerson)) {
      if (startsPerson) this.next();
      this.cur.name = name;
      return this.applyRole(whole ? [] : parts.slice(1));
    }
    // Role lines belong to a person already named, or say so by their words ("CTO", "Inc.").
    if (this.cur.name || parts.some((p) => hasTitleWord(p) || hasCompanyWord(p))) this.applyRole(parts);
  }

  private applyRole(parts: string[]): void {
    const cur = this.cur;
    for (const part of parts.filter(isRolePhrase)) {
      if (hasTitleWord(part)) cur.title ??= part;
      // A legal form ("GmbH", "Inc.") beats a guess from capitals made on an earlier line.
      else if (hasCompanyWord(part) && !cur.companySure) {
        cur.company = part;
        cur.companySure = true;
      } else if (looksLikeCompany(part)) cur.company ??= part;
    }
  }
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

