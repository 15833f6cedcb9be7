import { DAY } from "../lib/time";
import { shortDate, type Zone } from "../lib/zone";
import type { Composed } from "../mail-out/compose";
import type { DueReminder } from "./store";

/** The words of a reminder mail: numbered items, each answerable by reply or link. */


function who(name: string | null, email: string | null): string {
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? "someone";
}

export function itemLine(r: DueReminder, now: number, zone: Zone): string {
  const person = who(r.name, r.email);
  if (r.kind === "follow-up") {
    const where = r.met_at ? ` from ${r.met_at}` : r.company ? ` (${r.company})` : "";
    return `Follow up with ${person}, new${where} since ${shortDate(r.contact_created_at, zone)}.`;
  }
  if (r.kind === "intro-check") {
    return `Did ${r.name ?? r.email ?? "they"} and ${r.other_name ?? r.other_email ?? "the other person"} connect? You introduced them on ${shortDate(r.created_at, zone)}.`;
  }
  const days = r.last_interaction_at ? Math.max(1, Math.round((now - r.last_interaction_at) / DAY)) : null;
  const last = days ? `last in touch ${days} day${days === 1 ? "" : "s"} ago${r.last_subject ? ` ("${r.last_subject.slice(0, 60)}")` : ""}` : "no contact on record";
  return `Check in with ${person}: ${last}.`;
}

export interface ItemLinks {
  done: string;
  snooze: string;
}

export function reminderMail(items: DueReminder[], links: ItemLinks[], now: number, zone: Zone, notice?: string): Composed {
  const first = items[0]!;
  const subject =
    items.length === 1
      ? first.kind === "follow-up"
        ? `Kith: follow up with ${first.name ?? first.email ?? "a new contact"}`
        : first.kind === "intro-check"
          ? "Kith: did your intro connect?"
          : `Kith: check in with ${first.name ?? first.email ?? "a contact"}`
      : `Kith: ${items.length} people to get back to`;
  const body = items
    .map((r, i) => `${items.length > 1 ? `${i + 1}. ` : ""}${itemLine(r, now, zone)}\n   Done: ${links[i]!.done}\n   Snooze: ${links[i]!.snooze}`)
    .join("\n\n");
  const how =
    items.length > 1
      ? 'Reply to act on them: "1 done, 3 snooze 2 weeks". A command without a number applies to every item.'
      : "Reply to act on it.";
  return {
    subject,
    text: `${notice ? `${notice}\n\n` : ""}${body}

${how} Commands: done, skip, snooze 3 days (or "snooze until Dec 3"),
stop (no more check-ins with this person), every 2 months (how often to check
in), note <text> (keep a note about them).

-- 
Kith, your networking assistant. Mail "settings" to see or change when reminders come.
`,
  };
}
