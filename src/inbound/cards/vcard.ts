/** Contacts from vCards (2.1, 3.0, 4.0): .vcf files and vCard attachments of a mail. */
// ical.js was tried first and left out: on the corpus it throws on 13 of 33 files (every
// 2.1 card with bare parameters like TEL;WORK;VOICE, quoted-printable continuations,
// '#' lines), knows no CHARSET, and one bad line loses the whole file.
import type { Email } from "postal-mime";
import { cleanName, nameFromAddress } from "../../people/names";
import { normalisePhone } from "../../lib/phone";
import { normaliseEmail, unique } from "./fields";
import { type ContactFacts, NameRank } from "../types";
import { readVCards, splitStructured, unescapeText, type VProperty } from "./vcard-lines";

const VCARD_TYPES = new Set(["text/vcard", "text/x-vcard", "text/directory"]);
// Numbers nobody calls: a fax line or pager is not how the user reaches this person.
const UNCALLABLE = new Set(["FAX", "PAGER", "MODEM", "BBS"]);
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * One ContactFacts per card that names a person or gives an address or number; cards
 * with none of these (custom-property-only, broken) yield nothing. `defaultRegion` is
 * assumed for phone numbers written without a country code.
 */
export function parseVCards(input: string | Uint8Array, defaultRegion = "US"): ContactFacts[] {
  const out: ContactFacts[] = [];
  for (const card of readVCards(input)) {
    const facts = cardFacts(card, defaultRegion);
    if (facts) out.push(facts);
  }
  return out;
}

/** Contacts from every vCard attached to a parsed mail (by MIME type or .vcf name). */
export function vcardAttachments(email: Email, defaultRegion = "US"): ContactFacts[] {
  const out: ContactFacts[] = [];
  for (const attachment of email.attachments) {
    const type = attachment.mimeType.toLowerCase();
    const name = attachment.filename?.toLowerCase() ?? "";
    if (!VCARD_TYPES.has(type) && !/\.(?:vcf|vcard)$/.test(name)) continue;
    // postal-mime does not hand on the part's charset parameter; the card's bytes go in
    // as bytes, read as UTF-8 unless a property's CHARSET says otherwise (see vcard-lines).
    out.push(...parseVCards(attachmentBytes(attachment.content, attachment.encoding), defaultRegion));
  }
  return out;
}

function attachmentBytes(content: ArrayBuffer | Uint8Array | string, encoding?: string): Uint8Array {
  if (content instanceof Uint8Array) return content;
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  if (encoding === "base64") {
    try {
      return Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
    } catch {
      return new Uint8Array();
    }
  }
  return new TextEncoder().encode(content);
}

function cardFacts(card: VProperty[], region: string): ContactFacts | undefined {
  const emails = unique(all(card, "EMAIL").flatMap((p) => present(normaliseEmail(unescapeText(p.value)))));
  const phones = unique(
    all(card, "TEL")
      .filter((p) => !(p.params.get("TYPE") ?? []).some((t) => UNCALLABLE.has(t.toUpperCase())))
      .flatMap((p) => present(normalisePhone(unescapeText(p.value), region))),
  );
  const explicit = formattedName(card, emails[0]) ?? structuredName(card, emails[0]);
  const derived = explicit ? undefined : emails.map(nameFromAddress).find(Boolean);
  const name = explicit ?? derived;
  if (!name && emails.length === 0 && phones.length === 0) return undefined;
  const facts: ContactFacts = {
    nameRank: explicit ? NameRank.card : derived ? NameRank.address : NameRank.none,
    emails,
    phones,
  };
  if (name) facts.name = name;
  const company = organisation(card);
  if (company) facts.company = company;
  const title = firstText(card, "TITLE");
  if (title) facts.title = title;
  return facts;
}

function formattedName(card: VProperty[], email: string | undefined): string | undefined {
  for (const p of all(card, "FN")) {
    const name = cleanName(unescapeText(p.value), email);
    if (name) return name;
  }
  return undefined;
}

/** N is "Family;Given;Additional;Prefix;Suffix"; a name is built when FN is missing. */
function structuredName(card: VProperty[], email: string | undefined): string | undefined {
  for (const p of all(card, "N")) {
    const [family = "", given = "", additional = ""] = splitStructured(p.value).map((items) =>
      items.map((i) => i.trim()).filter(Boolean).join(" "),
    );
    // Chinese, Japanese and Korean names are said family name first.
    const parts = CJK.test(family + given) ? [family, given] : [given, additional, family];
    const name = cleanName(parts.filter(Boolean).join(" "), email);
    if (name) return name;
  }
  return undefined;
}

/** ORG is "Company;Department;...": the company is the first component. */
function organisation(card: VProperty[]): string | undefined {
  for (const p of all(card, "ORG")) {
    const first = splitStructured(p.value)[0] ?? [];
    const company = tidy(first.map((i) => i.trim()).filter(Boolean).join(", "));
    if (company) return company;
  }
  return undefined;
}

function firstText(card: VProperty[], name: string): string | undefined {
  for (const p of all(card, name)) {
    const text = tidy(unescapeText(p.value));
    if (text) return text;
  }
  return undefined;
}

/** One line, no surrounding quotes, and only if it says something. */
function tidy(text: string): string | undefined {
  const flat = text.replace(/\s+/g, " ").trim().replace(/^"(.*)"$/, "$1").trim();
  return /[\p{L}\p{N}]/u.test(flat) ? flat.slice(0, 200) : undefined;
}

function all(card: VProperty[], name: string): VProperty[] {
  return card.filter((p) => p.name === name);
}

function present<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}
