/**
 * Meetings from calendar invitations (iCalendar, RFC 5545; iTIP methods, RFC 5546) as
 * Google Calendar, Outlook/Exchange, Apple Calendar and Zoom write them. Pure: the clock
 * and the user's zone are arguments, and no input makes it throw.
 *
 * Parser: the content lines are read by a small tolerant reader (lines.ts), and ical.js (the
 * reference RFC 5545 implementation; the tests run it inside workerd) does the two parts
 * that are hard to get right by hand: RRULE expansion (ICAL.Recur) and the rules of a
 * VTIMEZONE whose TZID names no zone we know (ICAL.Timezone). ical.js's own parser is not
 * used: it throws on the first malformed line and loses the whole file, as it did for
 * vCards (cards/vcard.ts), and invitations are hand-made often enough (ticket shops,
 * scripts) that one bad line must cost that line only. ts-ics would be a second library
 * for what ical.js already does.
 *
 * Instants in a zone that has an IANA or Windows name come from lib/zone (Intl, with the
 * full tz history), not from the file's VTIMEZONE: Outlook's blocks hold today's rule
 * only, written from 1601, and ical.js spends tens of milliseconds expanding one.
 */
import type { Zone } from "../../lib/zone";
import { type Context, readEvent, type VEvent } from "./events";
import { type Comp, first, parseTree, textValue } from "./lines";
import { attendees, CALENDARS, type MeetingPerson, person } from "./people";
import { nextSlot, slotAt } from "./recurrence";
import { eventLength, inZone, tzidResolver } from "./times";

export type { MeetingPerson } from "./people";

export interface Meeting {
  uid: string;
  sequence: number;
  /** The calendar's METHOD, upper case; "PUBLISH" when it has none (a plain .ics file). */
  method: "REQUEST" | "PUBLISH" | "CANCEL" | (string & {});
  /** METHOD:CANCEL or STATUS:CANCELLED. With `occurrence` set, only that occurrence is off. */
  cancelled: boolean;
  summary?: string;
  location?: string;
  description?: string;
  /** Epoch ms. For a series: the next occurrence that has not ended at `now`, else the last. */
  start: number;
  end: number;
  allDay: boolean;
  /** One of a series: an RRULE or RDATE, or an event about one occurrence of one. */
  recurring: boolean;
  /** Set when the event changes or cancels a single occurrence of a series (RECURRENCE-ID):
   * that occurrence's original start. */
  occurrence?: number;
  organizer?: MeetingPerson;
  /** People only: rooms, resources and groups are left out, as is the organizer. */
  attendees: MeetingPerson[];
  /** How many more people the cap left out. */
  attendeesDropped: number;
}

export type CalendarResult = { meetings: Meeting[] } | { problem: string };

export interface ReadOptions {
  now: number;
  /** The user's zone, for floating times and all-day events. */
  zone: Zone;
}

const MAX_BYTES = 1024 * 1024;
const MAX_EVENTS = 20;
// Work for the whole file. ical.js's candidate checks: a rule that can never match ("every
// day of February 30") loops forever, each check some microseconds. Occurrences: a
// monthly "first Monday" costs ical.js about a quarter of a millisecond each.
const MAX_RULE_STEPS = 5_000;
const MAX_WALKED = 2_000;

const TOO_BIG = "The calendar file is larger than 1 MB, so Kith did not read it.";
const NO_EVENTS = "The file is not a calendar invitation Kith can read: it holds no events.";
const CUT_SHORT = "The calendar file is cut short, so Kith could not read its event.";
const NO_START = "None of the events in the calendar file says when it starts.";
const UNREADABLE = "Kith could not read the calendar file.";

/** The meetings in an .ics text, or a sentence for the user when there are none to read. */
export function readCalendar(text: string, opts: ReadOptions): CalendarResult {
  if (overLimit(text)) return { problem: TOO_BIG };
  try {
    return readTree(parseTree(text), opts);
  } catch {
    return { problem: UNREADABLE }; // a fault of ours on odd input: the mail goes on without it
  }
}

function readTree(root: Comp, opts: ReadOptions): CalendarResult {
  const calendars = root.children.filter((c) => c.name === "VCALENDAR");
  // A bare VEVENT without its VCALENDAR wrapper is read too: a script wrote it.
  if (calendars.length === 0) calendars.push(root);
  const user = inZone(opts.zone);
  const budget = { steps: MAX_RULE_STEPS, occurrences: MAX_WALKED };
  const events: VEvent[] = [];
  let seen = 0;
  let cut = 0;
  for (const cal of calendars) {
    const method = (first(cal, "METHOD")?.value.trim().toUpperCase() || "PUBLISH").slice(0, 40);
    const ctx: Context = { now: opts.now, user, budget, tzid: tzidResolver(cal, user) };
    for (const comp of cal.children) {
      if (comp.name !== "VEVENT" || seen >= MAX_EVENTS) continue;
      if (!comp.closed) {
        cut++;
        continue;
      }
      seen++;
      const event = readEvent(comp, method, ctx);
      if (event) events.push(event);
    }
  }
  if (seen === 0) return { problem: cut > 0 ? CUT_SHORT : NO_EVENTS };
  if (events.length === 0) return { problem: NO_START };
  const meetings: Meeting[] = [];
  for (const event of events) {
    const series = (e: VEvent) => e.uid !== "" && e.uid === event.uid;
    // An occurrence sent with its series is part of the series' meeting, not one of its own.
    if (event.recurrenceId !== undefined && events.some((e) => series(e) && e.recurrenceId === undefined)) continue;
    const overrides = event.recurrenceId === undefined ? events.filter((e) => series(e) && e.recurrenceId !== undefined) : [];
    meetings.push(meeting(event, overrides));
  }
  return { meetings };
}

function meeting(event: VEvent, overrides: VEvent[]): Meeting {
  const { comp, start, ctx } = event;
  const length = eventLength(comp, start, ctx);
  const single = event.recurrenceId !== undefined;
  const { slot, recurring } = single ? { slot: slotAt(start, length), recurring: true } : nextSlot(event, length, overrides);
  const sequence = Number(first(comp, "SEQUENCE")?.value.trim());
  const status = first(comp, "STATUS")?.value.trim().toUpperCase();
  const organizerProp = first(comp, "ORGANIZER");
  const organizer = organizerProp && person(organizerProp);
  const people = attendees(comp, organizer?.email);
  const out: Meeting = {
    uid: event.uid,
    sequence: Number.isSafeInteger(sequence) && sequence >= 0 ? sequence : 0,
    method: event.method,
    cancelled: event.method === "CANCEL" || status === "CANCELLED",
    start: slot.start,
    end: slot.end,
    allDay: start.date,
    recurring,
    attendees: people.kept,
    attendeesDropped: people.dropped,
  };
  const summary = textValue(comp, "SUMMARY", 500, true);
  if (summary) out.summary = summary;
  const location = textValue(comp, "LOCATION", 500, true);
  if (location) out.location = location;
  const description = textValue(comp, "DESCRIPTION", 4000, false);
  if (description) out.description = description;
  if (single) out.occurrence = event.recurrenceId;
  if (organizer && !CALENDARS.test(organizer.email)) out.organizer = organizer;
  return out;
}

/** More than MAX_BYTES of UTF-8, counted without encoding the text. */
function overLimit(text: string): boolean {
  if (text.length > MAX_BYTES) return true;
  if (text.length * 3 <= MAX_BYTES) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 2 : 3;
  }
  return bytes > MAX_BYTES;
}
