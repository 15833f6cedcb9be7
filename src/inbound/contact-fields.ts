/** Normalising the fields every contact source shares: email addresses and phone numbers. */
// The max metadata carries each country's number ranges, so isValid() rejects numbers
// that merely have a plausible length (+961 2345 6789 is valid under the min metadata,
// which checks little more than length). About 70 KB more in the bundle, well inside a
// Worker's size limit, for an address book that does not fill with dead numbers.
import {
  type CountryCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from "libphonenumber-js/max";

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

/** The region to assume for numbers written without a country code, if it is one we know. */
export function regionOrUndefined(region: string | undefined): CountryCode | undefined {
  const upper = region?.trim().toUpperCase();
  return upper && isSupportedCountry(upper) ? upper : undefined;
}

/** E.164 form of a phone number, or undefined when it is not a valid number anywhere. */
export function normalisePhone(raw: string, defaultRegion?: string): string | undefined {
  const region = regionOrUndefined(defaultRegion);
  // Drop a tel: URI scheme and its parameters (";ext=102"); E.164 has no extension.
  const text = raw.trim().replace(/^tel:/i, "").split(";")[0] ?? "";
  if (!/\d/.test(text) || text.length > 40) return undefined;
  const first = validE164(text, region);
  if (first) return first;
  // "00" is the international prefix almost everywhere but North America, and cards
  // from abroad keep it ("00-1-212-555-7777") even when the reader's region is the US.
  const intl = text.replace(/^\s*\(?00\)?[\s.-]*/, "+");
  return intl !== text ? validE164(intl, region) : undefined;
}

function validE164(text: string, region: CountryCode | undefined): string | undefined {
  try {
    const parsed = parsePhoneNumberFromString(text, region);
    return parsed?.isValid() ? parsed.number : undefined;
  } catch {
    // The parser throws on some malformed input; a bad number is just not a number.
    return undefined;
  }
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
