/** A series' occurrences (RRULE through ical.js, RDATE, EXDATE, overrides) and the one to show. */
import ICAL from "ical.js";
import type { Context, VEvent } from "./events";
import { all, type Comp, first, type Prop } from "./lines";
import { DAY, dayNumber, eventLength, type Length, readWhen, type Resolve, shiftDays, shiftMonths, type Wall, type When, wallMs } from "./times";

const MAX_OCCURRENCES = 1000; // of one series, walked to find the next
const HORIZON = 2 * 366 * DAY;

export interface Slot {
  start: number;
  end: number;
}

export const slotAt = (w: When, length: Length): Slot => ({ start: w.at, end: endOf(w.wall, w.resolve, length) });
const endOf = (wall: Wall, resolve: Resolve, length: Length): number => resolve(shiftDays(wall, length.days)) + length.ms;

/**
 * The occurrence to show: the first that has not ended at `now`, else the last one. RRULE
 * occurrences come from ical.js as wall times; UNTIL, EXDATE and RDATE are applied here,
 * by instant, since ical.js compares a zone it does not know as if it were UTC.
 */
export function nextSlot(event: VEvent, length: Length, overrides: VEvent[]): { slot: Slot; recurring: boolean } {
  const { comp, start, ctx } = event;
  const firstSlot = slotAt(start, length);
  const rdates = all(comp, "RDATE").flatMap((p) => whens(p, ctx));
  const rrule = all(comp, "RRULE")[0];
  if (!rrule && rdates.length === 0) return { slot: firstSlot, recurring: false };
  let next: Slot | undefined;
  let last: Slot | undefined;
  const consider = (s: Slot): void => {
    if (s.end > ctx.now) next = !next || s.start < next.start ? s : next;
    else last = !last || s.start > last.start ? s : last;
  };
  const excluded = exclusions(comp, overrides, ctx);
  const skip = (w: Wall, at: number) => excluded.instants.has(at) || excluded.days.has(dayNumber(w));
  for (const r of rdates) if (!skip(r.wall, r.at)) consider(slotAt(r, length));
  for (const o of overrides) {
    if (first(o.comp, "STATUS")?.value.trim().toUpperCase() !== "CANCELLED") consider(slotAt(o.start, eventLength(o.comp, o.start, o.ctx)));
  }
  if (rrule) walkRule(rrule.value, start, length, ctx, skip, consider);
  else if (!skip(start.wall, start.at)) consider(firstSlot);
  return { slot: next ?? last ?? firstSlot, recurring: true };
}

function walkRule(raw: string, start: When, length: Length, ctx: Context, skip: (w: Wall, at: number) => boolean, consider: (s: Slot) => void): void {
  const untilRaw = /(?:^|;)UNTIL=([^;]*)/i.exec(raw)?.[1];
  const until = untilRaw ? readWhen(untilRaw, new Map(), { ...ctx, user: start.resolve }) : undefined;
  let rule: InstanceType<typeof ICAL.Recur>;
  try {
    rule = ICAL.Recur.fromString(raw.trim().replace(/(?:^|;)UNTIL=[^;]*/i, ""));
  } catch {
    if (!skip(start.wall, start.at)) consider(slotAt(start, length));
    return;
  }
  const from = rebase(rule, start, length, until ? Math.min(ctx.now, until.at) : ctx.now);
  // Ends are computed only near `now`: no DST change moves an end by a day.
  const span = length.days * DAY + length.ms + DAY;
  let lastPast: Wall | undefined;
  try {
    const iterator = rule.iterator(ICAL.Time.fromData({ ...from, isDate: start.date }));
    const check = iterator.check_contracting_rules.bind(iterator);
    iterator.check_contracting_rules = () => {
      if (--ctx.budget.steps < 0) throw new RangeError("recurrence rules too costly");
      return check();
    };
    for (let n = 0; n < MAX_OCCURRENCES && --ctx.budget.occurrences >= 0; n++) {
      const t = iterator.next();
      if (!t) break;
      const wall = { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
      const at = start.resolve(wall);
      if (!Number.isFinite(at) || at > ctx.now + HORIZON) break;
      if (until && (until.date ? dayNumber(wall) > dayNumber(until.wall) : at > until.at)) break;
      if (skip(wall, at)) continue;
      if (at + span <= ctx.now) {
        lastPast = wall;
        continue;
      }
      const slot = { start: at, end: endOf(wall, start.resolve, length) };
      consider(slot);
      if (slot.end > ctx.now) break; // occurrences come in order: this is the series' next
    }
  } catch {
    // a rule ical.js rejects, or one too costly to walk: what was found so far stands
  } finally {
    if (lastPast) consider({ start: start.resolve(lastPast), end: endOf(lastPast, start.resolve, length) });
  }
}

/**
 * A series that began long ago starts its walk just before `target` instead, a whole
 * number of periods on, so that the walk is short and still reaches today. Only where
 * that changes nothing: no COUNT, and a first occurrence the rule gives again a period
 * later (daily or weekly on plain weekdays that include the first one's; monthly or
 * yearly on days of the month that every month has).
 */
function rebase(rule: InstanceType<typeof ICAL.Recur>, start: When, length: Length, target: number): Wall {
  const parts = rule.parts as Record<string, unknown[] | undefined>;
  const used = Object.keys(parts).filter((k) => parts[k]?.length);
  const interval = Math.max(1, rule.interval || 1);
  const behind = target - start.at - (length.days * DAY + length.ms) - 2 * DAY;
  const { day, month } = start.wall;
  if (rule.count || behind <= 0) return start.wall;
  if (rule.freq === "DAILY" || rule.freq === "WEEKLY") {
    const byday = parts.BYDAY;
    if (used.some((k) => k !== "BYDAY")) return start.wall;
    if (byday && !(byday.every((d) => typeof d === "string" && /^[A-Z]{2}$/.test(d)) && byday.includes(weekdayOf(start.wall)))) return start.wall;
    const period = (rule.freq === "WEEKLY" || byday ? 7 : 1) * interval;
    return shiftDays(start.wall, Math.floor(behind / (period * DAY)) * period);
  }
  if (rule.freq === "MONTHLY" || rule.freq === "YEARLY") {
    const yearly = rule.freq === "YEARLY";
    if (used.some((k) => k !== "BYMONTHDAY" && !(yearly && k === "BYMONTH"))) return start.wall;
    const days = parts.BYMONTHDAY ?? [day];
    if (!days.includes(day) || !days.every((d) => typeof d === "number" && d >= 1 && d <= 28)) return start.wall;
    if (!(parts.BYMONTH ?? [month]).includes(month)) return start.wall;
    const period = (yearly ? 12 : 1) * interval;
    // A month is at most 31 days: the start moves no further than `behind`.
    return shiftMonths(start.wall, Math.floor(behind / (31 * DAY) / period) * period);
  }
  return start.wall;
}

function weekdayOf(w: Wall): string {
  return ["SU", "MO", "TU", "WE", "TH", "FR", "SA"][new Date(wallMs(w)).getUTCDay()]!;
}

/** Every value of a multi-valued DATE/DATE-TIME property (EXDATE, RDATE; a PERIOD's start). */
function whens(prop: Prop, ctx: Context): When[] {
  return prop.value
    .split(",")
    .slice(0, 1000)
    .flatMap((v) => readWhen(v.split("/")[0] ?? "", prop.params, ctx) ?? []);
}

/** EXDATEs and the occurrences an override replaces. An EXDATE given as a date for a timed
 * series takes out that whole day. */
function exclusions(comp: Comp, overrides: VEvent[], ctx: Context): { instants: Set<number>; days: Set<number> } {
  const instants = new Set<number>();
  const days = new Set<number>();
  for (const p of all(comp, "EXDATE")) for (const w of whens(p, ctx)) (w.date ? days.add(dayNumber(w.wall)) : instants.add(w.at));
  for (const o of overrides) if (o.recurrenceId !== undefined) instants.add(o.recurrenceId);
  return { instants, days };
}
