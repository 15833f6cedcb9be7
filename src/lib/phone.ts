/** Phone numbers in E.164, from whatever people type; every source of contacts (cards,
 * vCards, CSV, a correction by mail) reads them here.
 * The max metadata carries each country's number ranges, so isValid() rejects numbers
 * that merely have a plausible length (+961 2345 6789 is valid under the min metadata,
 * which checks little more than length). */
import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";

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

/** "+14155550100" as people read it: "+1 415 555 0100". */
export function formatPhone(e164: string): string {
  try {
    return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
  } catch {
    return e164;
  }
}
