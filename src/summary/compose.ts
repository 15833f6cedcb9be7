import { e, link, mailHtml, P } from "../mail-out/html";
import { shortDate } from "../lib/zone";
import { itemHtml, itemText } from "../reminders/compose";
import type { ItemLinks } from "../reminders/item-links";
import { type ItemView, itemView, type ViewContext } from "../reminders/item-view";
import type { DueReminder } from "../reminders/store";
import type { NewContact, Week } from "./gather";

/** The words of the weekly summary. One structure (sections of lines, some of them
 * numbered items with the same context and links as a reminder mail) rendered twice:
 * plain text, and HTML (src/mail-out/html.ts). Everything dynamic is escaped. */

export interface SummaryMail {
  subject: string;
  text: string;
  html: string;
}

interface Line {
  text: string;
  /** A numbered item: answerable by reply ("2 done") and by its links. */
  item?: { no: number; links: ItemLinks; view: ItemView };
}

interface Section {
  title: string;
  lead?: string;
  lines: Line[];
}

const who = (name: string | null, email: string | null) => name ?? email ?? "someone";

function newContactLine(c: NewContact): string {
  const bits = [c.company, c.met_at ? `met at ${c.met_at}` : null, c.introducer ? `introduced by ${c.introducer}` : null, c.source === "import" ? "imported" : null];
  const extra = bits.filter((b): b is string => b !== null).join(", ");
  return `${who(c.name, c.email)}${extra ? ` (${extra})` : ""}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The reminders behind the numbered items, in the order the sections below list them. */
export function numberedItems(w: Week): DueReminder[] {
  return [...w.openPromises, ...w.openFollowUps, ...w.intros.flatMap((n) => (n.open ? [n.open] : [])), ...w.upcoming, ...w.losingTouch.map((l) => l.reminder)];
}

/** The sections, with the reminders behind the numbered items in their order. */
function sections(w: Week, ctx: ViewContext, links: Map<number, ItemLinks>): { sections: Section[]; items: DueReminder[] } {
  const { zone } = ctx;
  const items: DueReminder[] = [];
  const numbered = (r: DueReminder, headline?: string): Line => {
    items.push(r);
    const view = itemView(r, ctx);
    if (headline) view.headline = headline;
    return { text: view.headline, item: { no: items.length, links: links.get(r.id)!, view } };
  };
  const out: Section[] = [];

  const p = w.promises;
  if (p.made > 0 || p.kept > 0 || p.overdue > 0 || w.openPromises.length > 0) {
    const counts = [p.made > 0 ? `${p.made} made` : "", p.kept > 0 ? `${p.kept} kept` : "", p.overdue > 0 ? `${p.overdue} overdue` : ""].filter(Boolean).join(", ");
    out.push({ title: "Promises", lead: counts ? `This week: ${counts}.` : undefined, lines: w.openPromises.map((r) => numbered(r)) });
  }

  if (w.newCount > 0) {
    const lines = w.newContacts.map((c) => ({ text: newContactLine(c) }));
    if (w.newCount > lines.length) lines.push({ text: `and ${w.newCount - lines.length} more${w.imported > 0 ? ` (${w.imported} imported)` : ""}` });
    out.push({ title: `New connections (${w.newCount})`, lines });
  }
  if (w.interactions > 0) {
    // Counts only when someone stands out; "most with A (1), B (1)" says nothing.
    const counted = (w.topPeople[0]?.n ?? 0) > 1;
    const top = w.topPeople.map((p) => (counted ? `${p.name} (${p.n})` : p.name)).join(", ");
    out.push({ title: "Interactions", lead: `${plural(w.interactions, "interaction")} logged${top ? `, ${counted ? "most " : ""}with ${top}` : ""}.`, lines: [] });
  }
  if (w.followUpsDone > 0 || w.openFollowUpCount > 0) {
    const open = w.openFollowUps.map((r) => numbered(r));
    if (w.openFollowUpCount > open.length) open.push({ text: `and ${w.openFollowUpCount - open.length} more` });
    const done = w.followUpsDone > 0 ? `${plural(w.followUpsDone, "follow-up")} done this week.` : "";
    out.push({ title: "Follow-ups", lead: w.openFollowUpCount > 0 ? `${done} Still open:`.trim() : done, lines: open });
  }
  if (w.intros.length > 0) {
    const lines = w.intros.map((n) =>
      n.open
        ? numbered(n.open, `Did ${n.a} and ${n.b} connect? You introduced them on ${shortDate(n.created_at, zone)}.`)
        : { text: `${n.a} and ${n.b} (${shortDate(n.created_at, zone)}): ${n.connected ? "connected" : "no word yet"}.` },
    );
    out.push({ title: "Intros you made", lines });
  }
  if (w.upcoming.length > 0) {
    const lines = w.upcoming.map((r) => numbered(r, `Check in with ${who(r.name, r.email)} by ${shortDate(r.due_at, zone)}.`));
    if (w.upcomingCount > lines.length) lines.push({ text: `and ${w.upcomingCount - lines.length} more` });
    out.push({ title: "Coming up next week", lines });
  }
  if (w.losingTouch.length > 0) {
    const lines = w.losingTouch.map(({ reminder: r }) => numbered(r));
    out.push({ title: "Losing touch", lead: "Most overdue, for how often you meant to check in:", lines });
  }
  if (w.maybeSame.length > 0) {
    const lines = w.maybeSame.map((s) => ({
      text: `${s.newcomer}${s.newcomerAddress ? ` (${s.newcomerAddress})` : ""} may be ${s.known}${s.knownAddress ? ` (${s.knownAddress})` : ""}${s.newcomerAddress && s.knownAddress ? `: mail "merge ${s.newcomerAddress} ${s.knownAddress}" to join them` : ""}.`,
    }));
    out.push({ title: "Maybe the same person", lines });
  }
  return { sections: out, items };
}

const HOW = `Reply to act on the numbered items: "1 done", "2 snooze 2 weeks", "3 every 2 months", "4 stop", "1-3 skip", "2 note <text>".`;
const QUIET = "A quiet week: nothing new logged and nothing due. BCC Kith on the mail you send, or forward it a thread, and next week's summary will have more to say.";
const FOOTER = 'Kith, your networking assistant. Mail "summary off" to stop these, "summary friday" or "summary at 8" to move them.';

/** `links`: each numbered reminder's one-click links, by reminder id; `unsubscribe` the
 * visible stop link (also in the headers). */
export function summaryMail(w: Week, ctx: ViewContext, links: Map<number, ItemLinks>, unsubscribe: string): SummaryMail & { items: DueReminder[] } {
  const { sections: parts, items } = sections(w, ctx, links);
  const range = `${shortDate(w.since, ctx.zone)} to ${shortDate(w.until, ctx.zone)}`;
  const subject = `Kith: your week, ${range}${items.length > 0 ? ` (${plural(items.length, "thing")} to act on)` : ""}`;
  return { subject, text: text(parts, range, items.length > 0, unsubscribe), html: html(subject, parts, range, items.length > 0, unsubscribe), items };
}

const STOP = "Stop weekly summaries";

function text(parts: Section[], range: string, actionable: boolean, unsubscribe: string): string {
  const body = parts.map((s) => {
    const lines = s.lines.map((l) => (l.item ? `  ${itemText(l.item.no, l.item.view, l.item.links, "     ")}` : `  * ${l.text}`));
    return [s.title.toUpperCase(), ...(s.lead ? [`  ${s.lead}`] : []), ...lines].join("\n");
  });
  return `Your week with Kith, ${range}

${parts.length > 0 ? body.join("\n\n") : QUIET}
${actionable ? `\n${HOW}\n` : ""}
-- 
${FOOTER}
${STOP}: ${unsubscribe}
`;
}

function html(subject: string, parts: Section[], range: string, actionable: boolean, unsubscribe: string): string {
  const body = parts.map((s) => {
    const lines = s.lines.map((l) => (l.item ? itemHtml(l.item.no, l.item.view, l.item.links) : `<p ${P}>${e(l.text)}</p>`));
    return `<h2 style="font-size:16px;margin:24px 0 8px">${e(s.title)}</h2>\n${s.lead ? `<p ${P}>${e(s.lead)}</p>\n` : ""}${lines.join("\n")}`;
  });
  return mailHtml(
    subject,
    "Your week with Kith",
    `<p ${P}>${e(range)}</p>\n${parts.length > 0 ? body.join("\n") : `<p ${P}>${e(QUIET)}</p>`}${actionable ? `\n<p style="margin:24px 0 8px">${e(HOW)}</p>` : ""}`,
    [e(FOOTER), link(unsubscribe, STOP)],
  );
}
