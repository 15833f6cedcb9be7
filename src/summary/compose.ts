import { escapeHtml } from "../lib/html";
import { shortDate, type Zone } from "../lib/zone";
import { type ItemLinks, itemLine } from "../reminders/compose";
import type { DueReminder } from "../reminders/store";
import type { NewContact, Week } from "./gather";

/** The words of the weekly summary. One structure (sections of lines, some of them
 * numbered items) rendered twice: plain text, and HTML simple enough for Gmail, Outlook
 * and Apple Mail (no tables, no stylesheet, inline styles, no colours, so dark mode
 * applies the client's own). Everything dynamic is escaped in the HTML. */

export interface SummaryMail {
  subject: string;
  text: string;
  html: string;
}

interface Line {
  text: string;
  /** A numbered item: answerable by reply ("2 done") and by its links. */
  item?: { no: number; links: ItemLinks };
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
  return [...w.openFollowUps, ...w.intros.flatMap((n) => (n.open ? [n.open] : [])), ...w.upcoming, ...w.losingTouch.map((l) => l.reminder)];
}

const NO_LINKS: ItemLinks = { done: "", snooze: "" };

/** The sections, with the reminders behind the numbered items in their order. */
function sections(w: Week, zone: Zone, links: Map<number, ItemLinks>): { sections: Section[]; items: DueReminder[] } {
  const items: DueReminder[] = [];
  const numbered = (r: DueReminder, text: string): Line => {
    items.push(r);
    return { text, item: { no: items.length, links: links.get(r.id) ?? NO_LINKS } };
  };
  const out: Section[] = [];

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
    const open = w.openFollowUps.map((r) => numbered(r, itemLine(r, w.until, zone)));
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
    const lines = w.losingTouch.map(({ reminder: r, cadence }) => numbered(r, `${itemLine(r, w.until, zone).replace(/\.$/, "")} (every ${cadence} days).`));
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

/** `links`: each numbered reminder's one-click links, by reminder id. */
export function summaryMail(w: Week, zone: Zone, links: Map<number, ItemLinks>): SummaryMail & { items: DueReminder[] } {
  const { sections: parts, items } = sections(w, zone, links);
  const range = `${shortDate(w.since, zone)} to ${shortDate(w.until, zone)}`;
  const subject = `Kith: your week, ${range}${items.length > 0 ? ` (${plural(items.length, "thing")} to act on)` : ""}`;
  return { subject, text: text(parts, range, items.length > 0), html: html(subject, parts, range, items.length > 0), items };
}

function text(parts: Section[], range: string, actionable: boolean): string {
  const body = parts.map((s) => {
    const lines = s.lines.map((l) => (l.item ? `  ${l.item.no}. ${l.text}\n     Done: ${l.item.links.done}\n     Snooze: ${l.item.links.snooze}` : `  * ${l.text}`));
    return [s.title.toUpperCase(), ...(s.lead ? [`  ${s.lead}`] : []), ...lines].join("\n");
  });
  return `Your week with Kith, ${range}

${parts.length > 0 ? body.join("\n\n") : QUIET}
${actionable ? `\n${HOW}\n` : ""}
-- 
${FOOTER}
`;
}

const P = 'style="margin:0 0 8px"';

function html(subject: string, parts: Section[], range: string, actionable: boolean): string {
  const e = escapeHtml;
  const body = parts.map((s) => {
    const lines = s.lines.map((l) =>
      l.item
        ? `<p ${P}><strong>${l.item.no}.</strong> ${e(l.text)}<br><a href="${e(l.item.links.done)}">Done</a> &middot; <a href="${e(l.item.links.snooze)}">Snooze</a></p>`
        : `<p ${P}>${e(l.text)}</p>`,
    );
    return `<h2 style="font-size:16px;margin:24px 0 8px">${e(s.title)}</h2>\n${s.lead ? `<p ${P}>${e(s.lead)}</p>\n` : ""}${lines.join("\n")}`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">
<title>${e(subject)}</title></head>
<body style="margin:0;padding:16px;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5">
<div style="max-width:600px">
<h1 style="font-size:20px;margin:0 0 4px">Your week with Kith</h1>
<p ${P}>${e(range)}</p>
${parts.length > 0 ? body.join("\n") : `<p ${P}>${e(QUIET)}</p>`}
${actionable ? `<p style="margin:24px 0 8px">${e(HOW)}</p>\n` : ""}<p style="margin:24px 0 0;font-size:13px">${e(FOOTER)}</p>
</div>
</body></html>
`;
}
