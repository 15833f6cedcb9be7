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
 * in locale order, of equals). A date that opens with a year in CJK units is read by
 * `cjkDate` alone.
 *
 * Each chrono parse costs a fraction of a millisecond, so the search stops as soon as
 * its outcome is settled: a reading of the whole text cannot be beaten (a reading is a
 * piece of the text it read), and the weekday-less variant is not read twice when there
 * was no weekday to strip.
 */
export function parseForwardDate(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  if (/^\s*\d{4}\s*[年년]/.test(raw)) return cjkDate(raw.slice(0, 120));
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

// Year, month and day with their CJK units; then anything but digits (a weekday as
// "(木)", "周四", "星期四", "木曜日", "(목)", "목요일", and a half-day word); then the time
// ("10:05", "10時05分", "10시 5분") and an optional offset.
const CJK_DATE =
  /^\s*(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]([^\d]{0,16})(?:(\d{1,2})\s*(?:[:：]|[時时시]\s*)(\d{1,2})(?:\s*[:：]\s*(\d{1,2}))?)?([^\d+-]{0,12})(?:(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?)?/i;
// Half-day words, before the time (zh, ja, ko) or after it. Noon (中午) keeps 11 and 12.
const AFTERNOON = /下午|晚上|午後|오후|저녁|\bPM\b/i;
const MORNING = /上午|早上|凌晨|午前|오전|새벽|\bAM\b/i;
const NOON = /中午/;
// Zone names Apple Mail writes after the time; China's "CST" is also America's, so unread.
const ZONES: Record<string, number> = { JST: 9 * 60, KST: 9 * 60, HKT: 8 * 60 };

/**
 * Epoch ms for a date as CJK headers write it ("2026年3月12日(木) 10:05", "2026年3月12日
 * 周四 上午10:05", "2026년 3월 12일 (목) 오전 10:05"), or undefined. chrono reads neither
 * the Korean units nor these weekday and half-day forms. A date without a time is read
 * at noon, as chrono reads one.
 */
function cjkDate(text: string): number | undefined {
  const m = CJK_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const half = `${m[4]} ${m[8]}`;
  let hour = m[5] === undefined ? 12 : Number(m[5]);
  const [minute, second] = [Number(m[6] ?? 0), Number(m[7] ?? 0)];
  const noon = NOON.test(half);
  if (m[5] !== undefined && (noon || AFTERNOON.test(half) || MORNING.test(half))) {
    if (hour < 1 || hour > 12) return undefined;
    const afternoon = AFTERNOON.test(half);
    if (noon ? hour < 11 : afternoon && hour < 12) hour += 12;
    else if (!noon && !afternoon && hour === 12) hour = 0;
  }
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const zone = /\b(JST|KST|HKT)\b/i.exec(m[8]!)?.[1]?.toUpperCase();
  const offset = m[9] ? (m[9] === "-" ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11] ?? 0)) : zone ? ZONES[zone]! : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
}

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
