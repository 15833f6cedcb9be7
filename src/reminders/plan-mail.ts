import type { Composed } from "../mail-out/compose";
import { e, mailHtml, P } from "../mail-out/html";
import { type Contact, contactsByIds } from "../people/contacts";
import { searchContacts } from "../people/search";
import type { DueReminder } from "./store";

/** The mails of a plan: on the event's first day, the goal, the people met at earlier
 * editions, people who could introduce you, and a few openers; the morning after its
 * last day, whom did you meet? (a reply with cards, vCards or forwards is captured as met
 * at the event: src/inbound/resolvers.ts). */

const LIST = 5;
const STOP_WORDS = new Set(["meet", "people", "person", "someone", "working", "work", "with", "about", "from", "that", "this", "their", "them", "they", "some", "more", "find", "talk", "least", "two", "three", "four", "five", "who", "what", "and", "the", "for", "into", "learn", "get", "make", "connect", "intros", "introductions", "new"]);

/** The event without its edition: "PyCon US 2027" is met as "PyCon US". */
const eventCore = (event: string) => event.replace(/\b(?:19|20)\d{2}\b|'\d{2}\b/g, " ").replace(/\s+/g, " ").trim() || event;

/** The goal's telling words ("meet two people working on payments": "payments"). */
const goalWords = (goal: string | null) => (goal?.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []).filter((w) => !STOP_WORDS.has(w)).slice(0, 3);

const line = (c: Contact) => [c.name ?? "someone", [c.title, c.company].filter(Boolean).join(", ")].filter(Boolean).join(" — ");

export interface PlanPeople {
  met: Contact[];
  introducers: Contact[];
}

/** The people a plan mail names. */
export async function planPeople(db: D1Database, userId: number, r: DueReminder): Promise<PlanPeople> {
  const event = r.plan_event ?? "";
  const met = (await searchContacts(db, userId, "met", eventCore(event), LIST)).ids;
  const byGoal = await Promise.all(goalWords(r.plan_goal).map((w) => searchContacts(db, userId, "any", w, LIST)));
  const metPeople = await contactsByIds(db, userId, met);
  // Who introduced you to people from this event, and who works on what you are after.
  const introducerIds = [...new Set([...metPeople.flatMap((c) => (c.introduced_by === null ? [] : [c.introduced_by])), ...byGoal.flatMap((g) => g.ids)])].filter((id) => !met.includes(id));
  return { met: metPeople, introducers: await contactsByIds(db, userId, introducerIds.slice(0, LIST)) };
}

function openers(event: string, goal: string | null): string[] {
  const words = goalWords(goal);
  return [
    `"What brought you to ${event}?"`,
    `"What are you working on that you're most excited about?"`,
    words.length ? `"I'm hoping to meet people working on ${words.join(" and ")}: who here should I talk to?"` : `"Who here should I make sure to meet?"`,
  ];
}

export function planMail(r: DueReminder, people: PlanPeople): Composed {
  const event = r.plan_event ?? "your event";
  const sections: [string, string[]][] = [
    ["Your goal", [r.plan_goal ?? "None set: what would make today worth it? Two good conversations is a fine goal."]],
    [`People you met at ${eventCore(event)} before`, people.met.length ? people.met.map(line) : ["No one yet: everyone you meet today is a first."]],
    ["People who could introduce you", people.introducers.length ? people.introducers.map(line) : ["No one stands out in your network yet."]],
    ["Openers", openers(event, r.plan_goal)],
  ];
  const subject = `Kith: your plan for ${event} today`;
  const tail = `After each conversation, mail Kith their card or a line about them ("Met at ${event}" in the subject), and Kith reminds you to follow up within a day.`;
  const text = `${event} starts today.\n\n${sections.map(([t, ls]) => `${t.toUpperCase()}\n${ls.map((l) => `  * ${l}`).join("\n")}`).join("\n\n")}\n\n${tail}\n\n-- \nKith, your networking assistant.\n`;
  const html = mailHtml(
    subject,
    `${event} starts today`,
    `${sections.map(([t, ls]) => `<h2 style="font-size:16px;margin:20px 0 8px">${e(t)}</h2>\n${ls.map((l) => `<p ${P}>${e(l)}</p>`).join("\n")}`).join("\n")}\n<p style="margin:20px 0 8px">${e(tail)}</p>`,
    [e("Kith, your networking assistant.")],
  );
  return { subject, text, html };
}

export function recapMail(r: DueReminder): Composed {
  const event = r.plan_event ?? "your event";
  const subject = `Kith: whom did you meet at ${event}?`;
  const ask = `Reply to this mail with whom you met at ${event}: their cards as text (a name, an address, a line about them), vCards, or forwards of the mail you swapped. Kith records them as met at ${event} and reminds you to follow up.`;
  return {
    subject,
    text: `${ask}\n${r.plan_goal ? `\nYour goal was: ${r.plan_goal}\n` : ""}\n-- \nKith, your networking assistant.\n`,
    html: mailHtml(subject, `Whom did you meet at ${event}?`, `<p ${P}>${e(ask)}</p>${r.plan_goal ? `\n<p ${P}>${e(`Your goal was: ${r.plan_goal}`)}</p>` : ""}`, [e("Kith, your networking assistant.")]),
  };
}
