import type { Composed } from "../mail-out/compose";
import { e, link, mailHtml, P, SMALL } from "../mail-out/html";
import type { ItemLinks } from "./item-links";
import { type ItemView, itemView, type ViewContext } from "./item-view";
import type { DueReminder } from "./store";

/** The words of a reminder mail: numbered items, each with its context, a "write to
 * them" link, and Done and Snooze links; answerable by reply too. Text and HTML. */

/** One item as plain text, indented under its number. */
export function itemText(no: number | null, view: ItemView, links: ItemLinks | null, indent = "   "): string {
  const lines = [`${no !== null ? `${no}. ` : ""}${view.headline}`, ...view.details.map((d) => `${indent}${d}`)];
  if (view.write) lines.push(`${indent}${view.write.label}: ${view.write.href}`);
  if (links) lines.push(`${indent}Done: ${links.done}`, `${indent}Snooze: ${links.snooze}`);
  return lines.join("\n");
}

/** The same item in HTML. */
export function itemHtml(no: number | null, view: ItemView, links: ItemLinks | null): string {
  const actions = [...(view.write ? [link(view.write.href, view.write.label)] : []), ...(links ? [link(links.done, "Done"), link(links.snooze, "Snooze")] : [])];
  return `<div style="margin:0 0 20px">
<p style="margin:0 0 4px">${no !== null ? `<strong>${no}.</strong> ` : ""}${e(view.headline)}</p>
${view.details.map((d) => `<p ${SMALL}>${e(d)}</p>`).join("\n")}${actions.length ? `\n<p ${SMALL}>${actions.join(" &middot; ")}</p>` : ""}
</div>`;
}

/** Reminders that are about getting back to someone. */
const aboutPeople = (r: DueReminder) => r.kind === "follow-up" || r.kind === "check-in" || r.kind === "intro-check";

function subjectOf(items: DueReminder[]): string {
  if (items.length > 1) return `Kith: ${items.length} ${items.every(aboutPeople) ? "people" : "things"} to get back to`;
  const r = items[0]!;
  const who = r.name ?? r.email ?? "a contact";
  switch (r.kind) {
    case "follow-up":
      return `Kith: follow up with ${r.name ?? r.email ?? "a new contact"}`;
    case "intro-check":
      return "Kith: did your intro connect?";
    case "check-in":
      return `Kith: check in with ${who}`;
    case "promise":
      return `Kith: your promise to ${who}`;
    case "waiting":
      return `Kith: still waiting on ${who}`;
    case "remind":
      return `Kith: reminder: ${(r.what ?? "").slice(0, 60) || "as you asked"}`;
    case "meeting":
      return `Kith: follow up after ${r.meeting_summary ? `"${r.meeting_summary.slice(0, 50)}"` : "your meeting"}`;
    case "plan":
    case "plan-recap":
      return `Kith: ${r.plan_event ?? "your event"}`;
  }
}

export interface ReminderFooter {
  /** The visible unsubscribe link (also in the headers). */
  unsubscribe: string;
}

export function reminderMail(items: DueReminder[], links: ItemLinks[], ctx: ViewContext, footer: ReminderFooter, notice?: string): Composed {
  const many = items.length > 1;
  const views = items.map((r) => itemView(r, ctx));
  const how = many
    ? 'Reply to act on them: "1 done, 3 snooze 2 weeks". A command without a number applies to every item.'
    : "Reply to act on it.";
  const commands = `Commands: done, skip, snooze 3 days (or "snooze until Dec 3"), stop (no more check-ins with this person), every 2 months (how often to check in), note <text> (keep a note about them).`;
  const stop = `Stop reminder mails: ${footer.unsubscribe}`;
  const text = `${notice ? `${notice}\n\n` : ""}${views.map((v, i) => itemText(many ? i + 1 : null, v, links[i]!)).join("\n\n")}

${how} ${commands}

-- 
Kith, your networking assistant. Mail "settings" to see or change when reminders come.
${stop}
`;
  const subject = subjectOf(items);
  const html = mailHtml(
    subject,
    many ? subject.replace(/^Kith: \d+/, String(items.length)).replace(/^./, (c) => c.toUpperCase()) : "A reminder from Kith",
    `${notice ? `<p ${P}>${e(notice)}</p>\n` : ""}${views.map((v, i) => itemHtml(many ? i + 1 : null, v, links[i]!)).join("\n")}
<p style="margin:16px 0 8px">${e(how)} ${e(commands)}</p>`,
    [e(`Kith, your networking assistant. Mail "settings" to see or change when reminders come.`), link(footer.unsubscribe, "Stop reminder mails")],
  );
  return { subject, text, html };
}
