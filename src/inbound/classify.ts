import type { Email } from "postal-mime";
import { firstLine, readCommand } from "../commands/read";
import { DAY, HOUR } from "../lib/time";
import { type Capture, type CapturePerson, Role } from "../people/capture";
import { cleanName, nameFromAddress } from "../people/names";
import { parseContactsCsv } from "./cards/csv";
import { textOf } from "../lib/text";
import { eventFromSubject, parseCardText } from "./cards/text";
import { vcardAttachments } from "./cards/vcard";
import { extractForward } from "./forward/extract";
import type { IntentAction } from "./intent";
import { hasIntroWording, introducedInQuote, introPair } from "./intro";
import { flatten } from "./mime/addresses";
import { typedReply } from "./reply/typed";
import { plainText } from "./mime/parse";
import { type ContactFacts, NameRank, type Person } from "./types";
import type { Zone } from "../lib/zone";
import { readPromises } from "../promises/extract";
import { readCalendar } from "./calendar/ics";

/**
 * What a mail from a user to Kith means, read in this order (the first reader that
 * answers wins):
 *   0. invited: a calendar invitation (attached, inline or forwarded): a meeting;
 *   1. copied: the user wrote to others and copied Kith (an interaction; an intro);
 *   2. command: a command as the subject or first typed line;
 *   3. forwarded: a forward (its original sender and recipients, and date);
 *   4. note: cards, vCards, CSV exports; else help, with why.
 * Pure: no D1, the clock injected. Replies to Kith's own mail are read before this
 * (src/inbound/resolvers.ts).
 */

export interface MailContext {
  email: Email;
  /** The user's own addresses (lower-cased) and the assistant's: never contacts. */
  own: Set<string>;
  userName: string | null;
  now: number;
  confirmBcc: boolean;
  /** The event a reply to a plan's recap names: everyone in it was met there. */
  metAt?: string;
  /** The user's zone, for the days promises name ("by Friday"). */
  zone: Zone;
  /** The text/calendar parts of the mail (src/inbound/calendar/parts.ts). */
  calendars?: string[];
}

/** What every reader looks at, worked out once. */
interface Parts {
  subject: string | undefined;
  body: string;
  /** What the user typed above any quote (src/inbound/reply/typed.ts: the quote headers
   * of many clients and languages, Outlook blocks, signatures, banners). */
  top: string;
}

type Reader = (ctx: MailContext, parts: Parts) => IntentAction | null;

const READERS: Reader[] = [invited, copied, command, forwarded, note];

export function classify(ctx: MailContext): IntentAction {
  const subject = ctx.email.subject?.trim() || undefined;
  const body = plainText(ctx.email);
  const parts = { subject, body, top: typedReply(body) };
  for (const read of READERS) {
    const action = read(ctx, parts);
    if (action) return action;
  }
  // `note` always answers.
  throw new Error("no reader answered");
}

const EMAIL = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
const MAX_SKEW = 36 * HOUR;

/** A calendar invitation: its people (not the user, Kith, rooms or resources) meet at
 * its start; an update moves the meeting, a cancellation removes it (src/inbound/
 * meeting.ts). A calendar Kith cannot read leaves the mail to the other readers. */
function invited(ctx: MailContext): IntentAction | null {
  for (const text of ctx.calendars ?? []) {
    const read = readCalendar(text, { now: ctx.now, zone: ctx.zone });
    if ("problem" in read) continue;
    // A change to one occurrence of a series is not the series' meeting.
    // (One occurrence moved or called off leaves the series as Kith has it.)
    const m = read.meetings.find((x) => x.occurrence === undefined && x.uid) ?? read.meetings.find((x) => x.uid && !x.cancelled);
    if (!m) continue;
    const people = present([
      ...(m.organizer ? [asContact(m.organizer, "from", ctx.own)] : []),
      ...m.attendees.map((a) => asContact(a, "to", ctx.own)),
    ]);
    const capture: Capture = {
      kind: "meeting",
      occurredAt: m.start,
      subject: m.summary,
      summary: m.location ? `At ${m.location}` : undefined,
      people,
      meeting: { uid: m.uid, sequence: m.sequence, cancelled: m.cancelled, start: m.start, end: m.end, dropped: m.attendeesDropped },
    };
    return { type: "capture", capture, reply: true, what: `the invitation${m.summary ? ` to "${m.summary.slice(0, 80)}"` : ""}` };
  }
  return null;
}

/** The user wrote to other people and copied Kith: log it (and any intro). */
function copied(ctx: MailContext, { subject, top, body }: Parts): IntentAction | null {
  const { email, own, now } = ctx;
  const recipients = present([
    ...flatten(email.to).map((p) => asContact(p, "to", own)),
    ...flatten(email.cc).map((p) => asContact(p, "cc", own)),
    ...flatten(email.bcc).map((p) => asContact(p, "cc", own)),
  ]);
  if (recipients.length === 0) return null;
  const capture: Capture = { kind: "bcc", occurredAt: mailTime(email.date, now), subject, summary: summarize(top), people: recipients };
  const wording = `${subject ?? ""}\n${top}`;
  const externals = recipients.filter((r, i) => recipients.findIndex((x) => x.emails[0] === r.emails[0]) === i);
  if (externals.length >= 2 && hasIntroWording(wording)) {
    const pair = introPair(wording, externals);
    if (pair) {
      const a = recipients.indexOf(externals[pair[0]]!);
      const b = recipients.indexOf(externals[pair[1]]!);
      capture.kind = "intro";
      recipients[a]!.role = "introduced";
      recipients[b]!.role = "introduced";
      capture.intro = { introducer: null, a, b };
    }
  }
  if (capture.kind === "bcc") introducedInQuote(capture, body, (address) => isOwn(address, own));
  // "I'll send you the deck by Friday": promised to whom the mail is to (the first of them).
  const to = recipients.findIndex((r) => r.role === "to" || r.role === "introduced");
  capture.promises = promisesTo(top, "mine", to >= 0 ? to : 0, capture.occurredAt, ctx.zone);
  capture.wrote = { text: top, attachment: email.attachments.some((a) => a.disposition !== "inline") };
  return { type: "capture", capture, reply: ctx.confirmBcc, what: "your mail" };
}

/** The promises in what someone wrote, all to (or from) one person of the capture. */
function promisesTo(text: string, direction: "mine" | "theirs", person: number, sentAt: number, zone: Zone): Capture["promises"] {
  const found = readPromises(text, { side: direction, sentAt, zone });
  return found.length ? found.map((f) => ({ direction, person, what: f.what, said: f.sentence, dueAt: f.dueAt })) : undefined;
}

/** A command as the subject or the first typed line (src/commands/index.ts). */
function command(ctx: MailContext, { subject, top }: Parts): IntentAction | null {
  const said = readCommand([subject, firstLine(top)], { where: "mail", now: ctx.now, user: null, typed: top });
  if (said === null) return null;
  return "error" in said ? { type: "help", reason: said.error } : { type: "command", command: said.command };
}

/** A forward: the original's people are the participants, its date the interaction's. */
function forwarded(ctx: MailContext, { subject, body }: Parts): IntentAction | null {
  const { email, own, now } = ctx;
  const fwd = extractForward(email, body);
  if (!fwd) return null;
  const people = present([
    asContact(fwd.from, "from", own, ctx.userName),
    ...fwd.to.map((p) => asContact(p, "to", own, ctx.userName)),
    ...fwd.cc.map((p) => asContact(p, "cc", own, ctx.userName)),
  ]);
  if (people.length === 0) return { type: "help", reason: "Kith found no one but you in the mail you forwarded." };
  if (ctx.metAt) for (const p of people) p.metAt ??= ctx.metAt;
  // What the original's sender wrote, above any thread it quoted.
  const original = typedReply(fwd.body);
  const capture: Capture = {
    kind: "forward",
    occurredAt: fwd.date !== undefined ? mailTime(new Date(fwd.date).toISOString(), now) : mailTime(email.date, now),
    subject: fwd.subject ?? subject,
    summary: summarize(original),
    people,
  };
  const wording = `${fwd.subject ?? ""}\n${original}`;
  const introducer = people.findIndex((p) => p.role === "from");
  const introduced = people.filter((p) => p.role !== "from");
  if (introducer >= 0 && introduced.length >= 1 && hasIntroWording(wording)) {
    // Someone introduced the user to others in the forwarded mail.
    capture.kind = "intro";
    people[introducer]!.role = "introducer";
    const a = people.indexOf(introduced[0]!);
    people[a]!.role = "introduced";
    capture.intro = { introducer, a, b: null };
  } else if (introducer < 0 && introduced.length >= 2 && hasIntroWording(wording)) {
    // The user forwarded an intro they wrote themselves.
    const pair = introPair(wording, introduced);
    if (pair) {
      const [a, b] = pair.map((i) => people.indexOf(introduced[i]!)) as [number, number];
      capture.kind = "intro";
      people[a]!.role = "introduced";
      people[b]!.role = "introduced";
      capture.intro = { introducer: null, a, b };
    }
  }
  // The other side's commitments to the user ("we will send the draft terms by Friday");
  // in a forward of the user's own mail, the user's to its first recipient.
  const sender = people.findIndex((p) => p.role === "from" || p.role === "introducer");
  const first = people.findIndex((p) => p.role === "to");
  if (sender >= 0) capture.promises = promisesTo(original, "theirs", sender, capture.occurredAt, ctx.zone);
  else if (first >= 0 && fwd.from && isOwnPerson(fwd.from, own)) capture.promises = promisesTo(original, "mine", first, capture.occurredAt, ctx.zone);
  return { type: "capture", capture, reply: true, what: "the mail you forwarded" };
}

/** A note to Kith: cards, vCards, CSV exports; help when it holds none. */
function note(ctx: MailContext, { subject, top }: Parts): IntentAction {
  const { email, own, now } = ctx;
  const facts: ContactFacts[] = [...vcardAttachments(email)];
  let truncated: string | undefined;
  let imported = false;
  for (const a of email.attachments) {
    const isCsv = a.mimeType === "text/csv" || /\.csv$/i.test(a.filename ?? "");
    if (!isCsv) continue;
    const text = textOf(a.content);
    const csv = parseContactsCsv(text);
    facts.push(...csv.contacts);
    if (csv.truncated) truncated = `The CSV had more rows than Kith takes in one mail (${csv.limit}); send the rest in another mail.`;
    imported = true;
  }
  facts.push(...parseCardText(top, subject));
  // The event a subject names ("Met at PyCon") applies to every card in the mail.
  const event = ctx.metAt ?? (subject ? eventFromSubject(subject) : undefined) ?? facts.find((f) => f.metAt)?.metAt;
  const people = present(facts.map((f) => fromFacts({ ...f, metAt: f.metAt ?? event }, own, ctx.userName)));
  if (people.length === 0) {
    return {
      type: "help",
      reason: top || subject ? "Kith did not understand that mail: it is not a command, and it holds no contact details." : "That mail was empty.",
    };
  }
  const capture: Capture = {
    kind: imported && people.length > 1 ? "import" : "note",
    occurredAt: mailTime(email.date, now),
    subject,
    summary: event ? `Met at ${event}` : summarize(top),
    people,
  };
  return { type: "capture", capture, reply: true, what: imported ? "your import" : event ? `your note (met at ${event})` : "your note", truncated };
}

/** A person as named in a header, as contact facts; null for the user, Kith, or nonsense. */
function asContact(p: Person, role: Role, own: Set<string>, userName?: string | null): CapturePerson | null {
  const email = p.email?.trim().toLowerCase();
  const valid = email && EMAIL.test(email) ? email : undefined;
  if (valid && isOwn(valid, own)) return null;
  const display = cleanName(p.name, valid);
  // A forward that names people without addresses: the user is known by name only.
  if (!valid && display && userName && display.toLowerCase() === cleanName(userName)?.toLowerCase()) return null;
  const name = display ?? (valid ? nameFromAddress(valid) : undefined);
  if (!valid && !display) return null;
  return {
    role,
    name,
    nameRank: display ? NameRank.display : name ? NameRank.address : NameRank.none,
    emails: valid ? [valid] : [],
    phones: [],
  };
}

/** Whether a header's person is the user (or Kith). */
function isOwnPerson(p: Person, own: Set<string>): boolean {
  const email = p.email?.trim().toLowerCase();
  return !!email && isOwn(email, own);
}

/** The user's or Kith's address, also with a +tag (Kith's signed reply addresses). */
function isOwn(address: string, own: Set<string>): boolean {
  return own.has(address) || own.has(address.replace(/\+[^@]*@/, "@"));
}

function fromFacts(f: ContactFacts, own: Set<string>, userName: string | null): CapturePerson | null {
  const emails = f.emails.filter((e) => !isOwn(e, own));
  if (f.emails.length > 0 && emails.length === 0) return null; // the user's own card
  if (userName && f.name && f.name.toLowerCase() === userName.toLowerCase()) return null;
  if (emails.length === 0 && f.phones.length === 0 && !f.name) return null;
  return { ...f, role: "subject", emails };
}

/** The Date of a mail, unless it is missing or implausible (then: when it arrived). */
export function mailTime(date: string | undefined, now: number): number {
  const t = date ? Date.parse(date) : NaN;
  return Number.isFinite(t) && t <= now + MAX_SKEW && t > now - 10 * 365 * DAY ? t : now;
}

function summarize(text: string): string | undefined {
  const s = text.replace(/\s+/g, " ").trim().slice(0, 280);
  return s || undefined;
}

/** The people a reader kept (the nulls are the user, Kith, or nothing usable). */
function present(people: (CapturePerson | null)[]): CapturePerson[] {
  return people.filter((p): p is CapturePerson => p !== null);
}
