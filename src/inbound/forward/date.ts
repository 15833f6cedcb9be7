/**
 * Dates as forwarded headers write them, read as instants: the inline reader gets the
 * date line's text, and the attached reader falls back here when Date.parse cannot read a
 * Date header.
 */
import * as chrono from "chrono-node";
import type { ForwardedMessage } from "../types";

// Locales whose month and weekday names forwarded headers use; en (month first) before
// en-GB, so "02/10/2023" is read the US way unless that cannot be a date.
const DATE_LOCALES = [chrono.en, chrono.en.GB, chrono.de, chrono.fr, chrono.es, chrono.it, chrono.nl, chrono.pt, chrono.sv, chrono.ru, chrono.uk];
// A fixed reference keeps parsing pure; a zone-less time is read as UTC.
const DATE_REF = { instant: new Date(0), timezone: 0 };

/**
 * Epoch ms for a date as a forwarded header writes it ("Mon, Jan 5, 2026 at 10:12 AM",
 * "Montag, 5. Januar 2026 10:12", "5 janv. 2026 à 10:12"), or undefined. Only a reading
 * with a certain day, month and a year written out in digits counts: anything vaguer is
 * a guess. Of the readings, the one that covers the most of its text wins (the first,
 * in locale order, of equals).
 *
 * Each chrono parse costs a fraction of a millisecond, so the search stops as soon as
 * its outcome is settled: a reading of the whole text cannot be beaten (a reading is a
 * piece of the text it read), and the weekday-less variant is not read twice when there
 * was no weekday to strip.
 */
export function parseForwardDate(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const text = raw.slice(0, 120).replace(/\s(?:г\.|в)(?=\s)/g, ""); // Russian "2021 г. в 14:25"
  const year = /\b(1[89]\d\d|2\d\d\d)\b/.exec(text)?.[1];
  if (!year) return undefined;
  // Some locales cannot read a weekday ("mer. 27 oct."): also try without it.
  const stripped = text.replace(/^[^\d\s,.]{1,15}[.,]\s*(?=\d)/, "");
  const variants = stripped === text ? [text] : [text, stripped];
  let best: { at: number; share: number } | undefined;
  for (const variant of variants) {
    for (const locale of DATE_LOCALES) {
      const r = locale.parse(variant, DATE_REF)[0];
      if (!r || r.index > 4 || !r.start.isCertain("day") || !r.start.isCertain("month")) continue;
      if (String(r.start.get("year")) !== year) continue;
      const share = r.text.length / variant.length;
      if (!best || share > best.share) best = { at: r.start.date().getTime(), share };
      if (best.share >= 1) return finite(best.at);
    }
  }
  return best ? finite(best.at) : undefined;
}

const finite = (at: number): number | undefined => (Number.isFinite(at) ? at : undefined);

// Date lines of forwarded messages not yet read: a nested chain needs only the date of
// the message picked as the original, so the others are never parsed.
const pending = new WeakMap<ForwardedMessage, string>();

/** Notes the date line of a message, to be read by `settleForwardDate` if it is picked. */
export function deferForwardDate(message: ForwardedMessage, raw: string | null | undefined): void {
  if (raw) pending.set(message, raw);
}

/** The message with its deferred date line read into `date` (when it parses). */
export function settleForwardDate(message: ForwardedMessage): ForwardedMessage {
  const raw = pending.get(message);
  if (raw === undefined) return message;
  pending.delete(message);
  const at = parseForwardDate(raw);
  if (at !== undefined) message.date = at;
  return message;
}
