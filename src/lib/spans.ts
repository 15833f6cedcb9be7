/** Spans ("3 days", "2w", "a fortnight") and cadences ("every 2 months", "quarterly"):
 * the one grammar that reply commands and settings commands share. */

const quote = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

export type SpanUnit = "minute" | "hour" | "day" | "week" | "month" | "year";
export interface Span {
  count: number;
  unit: SpanUnit;
}

const WORD_NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, couple: 2, "a couple": 2, "couple of": 2, "a couple of": 2, few: 3, "a few": 3, other: 2,
};
const UNITS: [RegExp, SpanUnit, number][] = [
  [/^(?:m|mins?|minutes?)$/, "minute", 1],
  [/^(?:h|hrs?|hours?)$/, "hour", 1],
  [/^(?:d|days?)$/, "day", 1],
  [/^(?:w|wks?|weeks?)$/, "week", 1],
  [/^fortnights?$/, "week", 2],
  [/^(?:mo|mos|mths?|months?)$/, "month", 1],
  [/^(?:q|quarters?)$/, "month", 3],
  [/^(?:y|yrs?|years?)$/, "year", 1],
];
const SPAN = /^(?:(\d{1,4})\s*|(a couple of|a couple|couple of|a few|[a-z]+)\s+)?([a-z]+)$/;

/** "3 days", "2w", "a month", "two weeks", "fortnight"; a bare unit ("week") is one of it.
 * A lone "m" is minutes, as in "30m"; months are "mo". */
export function parseSpan(text: string): Span | null {
  const m = SPAN.exec(text.trim().toLowerCase().replace(/\s+/g, " "));
  if (!m) return null;
  const count = m[1] !== undefined ? Number(m[1]) : m[2] !== undefined ? WORD_NUMBERS[m[2]] : 1;
  if (count === undefined || count < 1) return null;
  for (const [re, unit, times] of UNITS) if (re.test(m[3]!)) return { count: count * times, unit };
  return null;
}

// A cadence is stored in days; a month counts as 30 of them and a year as 365, so
// "every 2 months" is 60 days and "quarterly" 90, whatever the calendar months hold.
const DAYS: Record<SpanUnit, number> = { minute: 0, hour: 0, day: 1, week: 7, month: 30, year: 365 };
const MAX_CADENCE_DAYS = 5 * 365;
const CADENCE_WORDS: Record<string, number> = {
  daily: 1, weekly: 7, biweekly: 14, fortnightly: 14, monthly: 30, bimonthly: 60, quarterly: 90,
  "twice a year": 182, semiannually: 182, "half-yearly": 182, yearly: 365, annually: 365,
};

/** "every 2 months", "monthly", "every other week", or with `bare` also "60 days": the
 * cadence in days; null when the text is no cadence; an error when it is a bad one. */
export function parseCadence(text: string, bare = false): { days: number } | { error: string } | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, " ").replace(/[.!]+$/, "");
  const word = CADENCE_WORDS[t];
  if (word !== undefined) return { days: word };
  const every = /^(?:every|each|once (?:a|an|every|per))\s+(.+)$/.exec(t);
  if (!every && !bare) return null;
  const spanText = every ? every[1]! : t;
  const span = parseSpan(spanText) ?? (bare && /^\d{1,5}$/.test(spanText) ? { count: Number(spanText), unit: "day" as const } : null);
  if (!span) return every ? { error: `Kith did not understand "${quote(t)}" as a cadence. Try "every 2 months", "every 3 weeks" or "every 90 days".` } : null;
  const days = span.count * DAYS[span.unit];
  if (days < 1) return { error: `A cadence is counted in days, weeks, months or years, e.g. "every 2 weeks".` };
  if (days > MAX_CADENCE_DAYS) return { error: `A cadence can be at most 5 years ("every 5 years").` };
  return { days };
}
