/** Normalising the fields every contact source shares: email addresses, and which runs
 * of digits may be phone numbers (lib/phone.ts reads them). libphonenumber's max metadata
 * is about 70 KB more in the bundle, well inside a Worker's size limit, for an address
 * book that does not fill with dead numbers. */
import { type CountryCode, getCountries, getCountryCallingCode, Metadata } from "libphonenumber-js/max";
import { regionOrUndefined } from "../../lib/phone";

// Practical address shape, not RFC 5322: a dotted domain is required, since a contact's
// address always has one and free text holds many `x@y` look-alikes (handles, mentions).
const EMAIL_SOURCE = String.raw`[a-z0-9!#$%&'*+/=?^_\`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_\`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]`;
const EMAIL_EXACT = new RegExp(`^${EMAIL_SOURCE}$`, "i");

const EMAIL_IN_TOKEN = new RegExp(EMAIL_SOURCE, "i");
// RFC 5321 caps an address at 254 characters; longer tokens are never tried, which keeps
// the pattern from scanning a long run of address characters over and over.
const MAX_TOKEN = 320;

/** Every address in a piece of text, lower-cased, in order of appearance, no duplicates. */
export function findEmails(text: string): string[] {
  if (!text.includes("@")) return [];
  const found: string[] = [];
  for (const token of text.split(/[\s<>()[\]"“”,;:]+/)) {
    if (token.length > MAX_TOKEN || !token.includes("@")) continue;
    const m = EMAIL_IN_TOKEN.exec(token);
    if (m) found.push(m[0].toLowerCase());
  }
  return unique(found);
}

/** One address from a field that should hold one (`"Omega" <omega@x.com>`, `mailto:a@b.c`). */
export function normaliseEmail(raw: string): string | undefined {
  const trimmed = raw.trim().replace(/^mailto:/i, "");
  if (trimmed.length <= MAX_TOKEN && EMAIL_EXACT.test(trimmed)) return trimmed.toLowerCase();
  return findEmails(trimmed)[0];
}

/**
 * False when a run of digits and phone punctuation (digits, spaces, "().-+") cannot be
 * a valid number with `region` assumed, so libphonenumber, the dearest step of reading a
 * note, need not be asked: dates and times under a quoted reply ("2023 14" from
 * "1 Jan 2023 14:25", "04.07.2024 17.45").
 *
 * Mirrors how libphonenumber reads a run written without "+", "00" or the region's
 * international prefix: in the region's calling code, its national number being its
 * digits, less the trunk prefix, or less the calling code typed without "+" (and then
 * maybe a trunk prefix). A valid number's national number has a length that a number
 * type of one of the countries sharing the code allows. Regions whose trunk prefix is a
 * pattern, or is rewritten into digits (Antigua's "4…" → "268 4…"), get no shortcut.
 * Not for text that may hold letters, "," or ";" (an extension).
 */
export function mayBePhone(run: string, region: string): boolean {
  if (run.includes("+")) return true;
  const digits = run.replace(/\D/g, "");
  if (digits.startsWith("00")) return true; // normalisePhone reads a leading "00" as "+"
  const plan = localPlan(region);
  if (!plan || plan.idd.test(digits)) return true;
  const { code, trunk, mainTrunk, lengths } = plan;
  const national = [digits];
  if (trunk && digits.startsWith(trunk)) national.push(digits.slice(trunk.length));
  if (digits.startsWith(code)) {
    const rest = digits.slice(code.length);
    national.push(rest);
    if (mainTrunk && rest.startsWith(mainTrunk)) national.push(rest.slice(mainTrunk.length));
  }
  return national.some((n) => lengths.has(n.length));
}

interface LocalPlan {
  code: string;
  /** The international prefix at the start, where libphonenumber looks for it. */
  idd: RegExp;
  /** Trunk prefixes: the region's, and that of the main country of its calling code. */
  trunk?: string;
  mainTrunk?: string;
  /** Every national number length a number type allows in a country with the code. */
  lengths: Set<number>;
}

// The parts of libphonenumber's numbering plans that its typings leave out.
interface PlanView {
  IDDPrefix(): string;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  hasTypes(): boolean;
  possibleLengths(): number[] | undefined;
  type(name: string): { possibleLengths(): number[] | undefined } | undefined;
}

// The number types libphonenumber's isValid() tries (helpers/getNumberType.js).
const NUMBER_TYPES = ["FIXED_LINE", "MOBILE", "PREMIUM_RATE", "TOLL_FREE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL"];
const plans = new Map<string, LocalPlan | null>();

/** What bounds a number read in `region`'s calling code; null when nothing does. */
function localPlan(region: string): LocalPlan | null {
  let plan = plans.get(region);
  if (plan === undefined) {
    plan = planOf(regionOrUndefined(region));
    plans.set(region, plan);
  }
  return plan;
}

function planOf(region: CountryCode | undefined): LocalPlan | null {
  if (!region) return null;
  const view = (countryOrCode: string): PlanView => {
    const metadata = new Metadata();
    metadata.selectNumberingPlan(countryOrCode as CountryCode); // a calling code picks its main country
    return metadata.numberingPlan as unknown as PlanView;
  };
  const code = getCountryCallingCode(region);
  const own = view(region);
  const main = view(code);
  const trunk = own.nationalPrefixForParsing();
  const mainTrunk = main.nationalPrefixForParsing();
  const literal = (p: string | undefined) => p === undefined || p === "" || /^\d+$/.test(p);
  if (own.nationalPrefixTransformRule() || main.nationalPrefixTransformRule() || !literal(trunk) || !literal(mainTrunk)) return null;
  const lengths = new Set<number>();
  for (const country of getCountries().filter((c) => getCountryCallingCode(c) === code)) {
    const plan = view(country);
    if (!plan.hasTypes()) return null; // validity is then a pattern alone, of any length
    for (const type of NUMBER_TYPES) {
      const number = plan.type(type);
      if (!number) continue;
      const allowed = number.possibleLengths(); // the country's when the type has none
      if (!allowed?.length) return null; // no lengths: its pattern alone decides
      for (const n of allowed) lengths.add(n);
    }
  }
  if (lengths.size === 0) return null;
  return { code, idd: new RegExp(`^(?:${own.IDDPrefix()})`), trunk: trunk || undefined, mainTrunk: mainTrunk || undefined, lengths };
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
