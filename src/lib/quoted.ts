/** Content lines of vCard (RFC 6350) and iCalendar (RFC 5545) alike: parameter values
 * may be quoted, and a quoted `:`, `;` or `,` separates nothing. */

/** The first `char` at or after `from` outside double quotes, or -1. */
export function indexOutsideQuotes(text: string, char: string, from = 0): number {
  let quoted = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === char && !quoted) return i;
  }
  return -1;
}

/** `text` split at each `separator` outside double quotes. */
export function splitOutsideQuotes(text: string, separator: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = indexOutsideQuotes(text, separator, 0); i >= 0; i = indexOutsideQuotes(text, separator, start)) {
    out.push(text.slice(start, i));
    start = i + 1;
  }
  out.push(text.slice(start));
  return out;
}
