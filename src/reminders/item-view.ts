import { DAY, MONTHS } from "../lib/time";
import { localTime, shortDate, type Zone } from "../lib/zone";
import { escapeRegExp } from "../lib/regexp";
import type { PromiseRow } from "../promises/store";
import type { DueReminder } from "./store";

/** What a reminder item says, whichever mail or page shows it: who, why now, what you
 * last did together, your latest note, what was promised both ways, and a "write to
 * them" mailto with a subject that fits. Plain strings: the text part prints them, the
 * HTML part escapes them. */

export interface ItemView {
  /** "Follow up with Jane Smith (CTO, Acme): new from PyCon on Dec 4." */
  headline: string;
  /** Context lines: last interaction, note, promises. */
  details: string[];
  /** A mailto: to write to them, when Kith has an address. */
  write?: { label: string; href: string };
  /** The reminder named on the page a link opens: "the follow-up with Jane Smith". */
  label: string;
}

/** What item views need beyond the reminder row. */
export interface ViewContext {
  now: number;
  zone: Zone;
  /** The user's default check-in cadence, in days. */
  cadenceDays: number;
  /** Open promises by contact id. */
  promises: Map<number, PromiseRow[]>;
  /** A meeting's people, by meeting id. */
  attendees: Map<number, { name: string | null; email: string | null }[]>;
}

const nameOf = (r: DueReminder) => r.name ?? r.email ?? "someone";
const firstName = (name: string | null) => (name && !name.includes("@") ? name.split(/\s+/)[0]! : null);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

/** "CTO, Acme" / "Acme" / "" */
function work(r: DueReminder): string {
  return [r.title, r.company].filter((x): x is string => !!x).join(", ");
}

function person(r: DueReminder): string {
  const w = work(r);
  return w ? `${nameOf(r)} (${w})` : nameOf(r);
}

const days = (n: number) => `${n} day${n === 1 ? "" : "s"}`;

/** "Fri Dec 11", or with the time "Fri Dec 11, 3 pm". */
export function itemWhen(t: number, zone: Zone, withTime = false): string {
  const l = localTime(t, zone);
  const day = `${["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][l.weekday - 1]} ${MONTHS[l.month - 1]} ${l.day}`;
  if (!withTime) return day;
  const h = l.hour % 12 || 12;
  return `${day}, ${h}${l.minute ? `:${String(l.minute).padStart(2, "0")}` : ""} ${l.hour < 12 ? "am" : "pm"}`;
}

/** Why a new connection is worth a note now. */
function connectedWhy(r: DueReminder, zone: Zone): string {
  const on = shortDate(r.contact_created_at, zone);
  if (r.met_at && r.introducer) return `met at ${r.met_at} on ${on}, introduced by ${r.introducer}`;
  if (r.met_at) return `new from ${r.met_at} on ${on}`;
  if (r.introducer) return `introduced by ${r.introducer} on ${on}`;
  return `new since ${on}`;
}

function headline(r: DueReminder, ctx: ViewContext): string {
  const { now, zone } = ctx;
  switch (r.kind) {
    case "follow-up":
      return `Follow up with ${person(r)}: ${connectedWhy(r, zone)}.`;
    case "intro-check":
      return `Did ${nameOf(r)} and ${r.other_name ?? r.other_email ?? "the other person"} connect? You introduced them on ${shortDate(r.created_at, zone)}.`;
    case "check-in": {
      const cadence = r.cadence_days ?? ctx.cadenceDays;
      if (!r.last_interaction_at) return `Check in with ${person(r)}: no contact on record (you meant to every ${days(cadence)}).`;
      const quiet = Math.max(1, Math.round((now - r.last_interaction_at) / DAY));
      return `Check in with ${person(r)}: quiet for ${days(quiet)}, against a ${cadence}-day cadence.`;
    }
    case "promise":
      return `You promised ${person(r)}: ${r.promise_what ?? "something"}, due ${itemWhen(r.due_at, zone)}.`;
    case "waiting":
      return `${nameOf(r)} promised you ${r.promise_what ?? "something"}, due ${itemWhen(r.due_at - DAY, zone)}. Nothing yet: a nudge?`;
    case "remind":
      return r.contact_id !== null ? `You asked to be reminded: ${r.what ?? "this"} (${person(r)}).` : `You asked to be reminded: ${r.what ?? "this"}.`;
    case "meeting": {
      const people = (ctx.attendees.get(r.meeting_id ?? 0) ?? []).map((p) => p.name ?? p.email ?? "someone");
      const title = r.meeting_summary ? `"${cut(r.meeting_summary, 80)}"` : "your meeting";
      const ended = r.meeting_ends_at ? ` (it ended ${itemWhen(r.meeting_ends_at, zone, true)})` : "";
      return `Follow up on ${title}${people.length ? ` with ${listed(people)}` : ""}${ended}.`;
    }
    case "plan":
      return `${r.plan_event ?? "Your event"} starts today${r.plan_goal ? `. Your goal: ${r.plan_goal}` : ""}.`;
    case "plan-recap":
      return `Whom did you meet at ${r.plan_event ?? "your event"}?`;
  }
}

/** "Ann", "Ann and Bob", "Ann, Bob and 3 others" */
function listed(names: string[]): string {
  if (names.length <= 2) return names.join(" and ");
  if (names.length === 3) return `${names[0]}, ${names[1]} and ${names[2]}`;
  return `${names[0]}, ${names[1]} and ${names.length - 2} others`;
}

function details(r: DueReminder, ctx: ViewContext): string[] {
  const out: string[] = [];
  if (r.promise_said && (r.kind === "promise" || r.kind === "waiting")) out.push(`In ${r.kind === "promise" ? "your" : "their"} words: "${cut(r.promise_said, 140)}"`);
  if (r.contact_id !== null && r.kind !== "intro-check") {
    if (r.last_interaction_at && r.kind !== "check-in")
      out.push(`Last in touch: ${shortDate(r.last_interaction_at, ctx.zone, ctx.now)}${r.last_subject ? `, "${cut(r.last_subject, 70)}"` : ""}`);
    else if (r.last_subject) out.push(`Last: "${cut(r.last_subject, 70)}"${r.last_interaction_at ? ` on ${shortDate(r.last_interaction_at, ctx.zone, ctx.now)}` : ""}`);
    if (r.note) out.push(`Your note: ${cut(r.note.replace(/\s+/g, " "), 140)}`);
    for (const p of ctx.promises.get(r.contact_id) ?? []) {
      if (p.id === r.promise_id) continue;
      const due = `due ${itemWhen(p.due_at, ctx.zone)}${p.due_at < ctx.now ? ", overdue" : ""}`;
      out.push(p.direction === "mine" ? `You promised: ${p.what} (${due})` : `${firstName(r.name) ?? "They"} promised you: ${p.what} (${due})`);
    }
  }
  if (r.kind === "plan" && r.plan_first_day && r.plan_last_day && r.plan_first_day !== r.plan_last_day) out.push(`Until ${r.plan_last_day}.`);
  return out.slice(0, 6);
}

/** A subject that fits the reason for writing. */
export function writeSubject(r: DueReminder): string {
  switch (r.kind) {
    case "follow-up": {
      if (r.met_at) return `Great to meet you at ${r.met_at}`;
      if (r.introducer) {
        const topic = introTopic(r.last_subject, [r.name, r.introducer]);
        return topic ? `Following up on the ${topic} intro` : `Following up on ${firstName(r.introducer) ?? r.introducer}'s intro`;
      }
      return r.last_subject ? `Re: ${stripPrefixes(r.last_subject)}` : "Great to connect";
    }
    case "intro-check":
      return `Did you and ${firstName(r.other_name) ?? r.other_name ?? "they"} connect?`;
    case "promise":
      return /^to\b/i.test(r.promise_what ?? "") || !r.promise_what ? (r.last_subject ? `Re: ${stripPrefixes(r.last_subject)}` : "Following up") : `${capital(r.promise_what)}, as promised`;
    case "waiting":
      return `Checking in on ${r.promise_what ?? "this"}`;
    case "meeting":
      return r.meeting_summary ? `Following up: ${cut(r.meeting_summary, 60)}` : "Thanks for meeting";
    case "check-in":
      return "It's been a while";
    default:
      return r.last_subject ? `Re: ${stripPrefixes(r.last_subject)}` : "Catching up";
  }
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const stripPrefixes = (s: string) => s.replace(/^(?:\s*(?:re|fwd?|aw|wg|tr|sv|vs)\s*:\s*)+/i, "").trim();

/** The topic of an intro's subject, without the names: "Intro: Jane <> Sam (warehouse
 * robotics)" and "Jane <> Sam: warehouse robotics" give "warehouse robotics"; "Intro:
 * Ann <> Erin" gives null (names only). Only a parenthesis or a trailing segment after
 * the names counts, so that a name is never taken for a topic. */
export function introTopic(subject: string | null, names: (string | null)[]): string | null {
  if (!subject) return null;
  const bare = stripPrefixes(subject).replace(/^(?:intro(?:duction|ducing)?|connecting)\s*[:\-–—]\s*/i, "");
  const paren = /\(([^)]{3,60})\)\s*$/.exec(bare);
  const segments = bare.split(/\s+[-–—|]\s+|:\s+/);
  let t = paren ? paren[1]! : segments.length > 1 ? segments.at(-1)! : "";
  for (const n of names.filter((x): x is string => !!x))
    for (const part of n.split(/\s+/)) if (part.length > 1) t = t.replace(new RegExp(`\\b${escapeRegExp(part)}\\b`, "gi"), " ");
  t = t.replace(/\b(?:intro(?:duction)?s?)\b|<>|<->|&/gi, " ").replace(/\s+/g, " ").trim();
  if (!/[a-z]{3}/i.test(t) || t.split(" ").length > 6) return null;
  return /^[A-Z][a-z]/.test(t) ? t.charAt(0).toLowerCase() + t.slice(1) : t;
}

function mailto(to: string[], subject: string, greet: string | null): string {
  const body = greet ? `Hi ${greet},\n\n` : "";
  const q = [`subject=${encodeURIComponent(subject)}`, ...(body ? [`body=${encodeURIComponent(body)}`] : [])].join("&");
  return `mailto:${to.map(encodeURIComponent).join(",")}?${q}`;
}

function writeTo(r: DueReminder, ctx: ViewContext): ItemView["write"] {
  if (r.kind === "meeting") {
    const people = (ctx.attendees.get(r.meeting_id ?? 0) ?? []).filter((p) => p.email);
    if (people.length === 0) return undefined;
    const greet = people.length === 1 ? firstName(people[0]!.name) : "all";
    return { label: people.length === 1 ? "Write to them" : "Write to them all", href: mailto(people.slice(0, 10).map((p) => p.email!), writeSubject(r), greet) };
  }
  if (!r.email || r.contact_id === null || r.kind === "plan" || r.kind === "plan-recap") return undefined;
  return { label: r.kind === "waiting" ? "Nudge them" : "Write to them", href: mailto([r.email], writeSubject(r), firstName(r.name)) };
}

/** "the follow-up with Jane Smith": what a one-click page acts on. */
export function itemLabel(r: DueReminder): string {
  const n = nameOf(r);
  switch (r.kind) {
    case "follow-up":
      return `the follow-up with ${n}`;
    case "check-in":
      return `the check-in with ${n}`;
    case "intro-check":
      return `the intro of ${n} and ${r.other_name ?? r.other_email ?? "the other person"}`;
    case "promise":
      return `your promise to ${n} (${r.promise_what ?? "something"})`;
    case "waiting":
      return `what ${n} promised you (${r.promise_what ?? "something"})`;
    case "remind":
      return `your reminder: ${cut(r.what ?? "this", 80)}`;
    case "meeting":
      return `the follow-up after ${r.meeting_summary ? `"${cut(r.meeting_summary, 60)}"` : "your meeting"}`;
    case "plan":
    case "plan-recap":
      return `your plan for ${r.plan_event ?? "your event"}`;
  }
}

export function itemView(r: DueReminder, ctx: ViewContext): ItemView {
  return { headline: headline(r, ctx), details: details(r, ctx), write: writeTo(r, ctx), label: itemLabel(r) };
}
