import { addressesAndPhones, type Contact, contactsByIds } from "../people/contacts";
import { type TimelineEntry, timelineOf } from "../people/interactions";
import { introductionsAround } from "../people/introductions";
import { type NoteLine, notesOf } from "../people/notes";
import { type DueReminder, openRemindersOf, remindersByIds } from "../reminders/store";

/** What a person's page shows, read in a handful of indexed statements: their facts,
 * every address and phone, the introductions around them with links to the others,
 * their timeline, notes and open reminders. Null when the id is not one of the user's
 * people (the page is then a 404, whoever's id it is). */

/** Someone named on the page: a link to them, or the user. */
export interface Named {
  id: number | null;
  name: string;
}

export interface IntroductionView {
  /** "introduced to": the person was one side; "introduced": they made the introduction. */
  role: "side" | "introducer";
  others: Named[];
  by: Named;
  at: number;
}

export interface PersonView {
  contact: Contact;
  emails: string[];
  phones: string[];
  introducedBy: Named | null;
  introductions: IntroductionView[];
  timeline: TimelineEntry[];
  notes: NoteLine[];
  reminders: DueReminder[];
}

const TIMELINE = 50;
const YOU: Named = { id: null, name: "you" };

export async function personView(db: D1Database, userId: number, id: number): Promise<PersonView | null> {
  const [contact] = await contactsByIds(db, userId, [id]);
  if (!contact) return null;
  const [{ emails, phones }, intros, timeline, notes, reminderIds] = await Promise.all([
    addressesAndPhones(db, userId, [id]),
    introductionsAround(db, userId, [id]),
    timelineOf(db, userId, id, TIMELINE),
    notesOf(db, userId, [id]),
    openRemindersOf(db, userId, id),
  ]);
  const around = new Set<number>();
  if (contact.introduced_by !== null) around.add(contact.introduced_by);
  for (const n of intros) for (const other of [n.introducer_id, n.contact_a_id, n.contact_b_id]) if (other !== null && other !== id) around.add(other);
  const [others, otherAddresses, reminders] = await Promise.all([contactsByIds(db, userId, [...around]), addressesAndPhones(db, userId, [...around]), remindersByIds(db, userId, reminderIds)]);
  const byId = new Map(others.map((c) => [c.id, c]));
  const named = (other: number | null): Named => {
    if (other === null) return YOU;
    if (other === id) return { id, name: contact.name ?? emails.get(id)?.[0] ?? "them" };
    const c = byId.get(other);
    return { id: other, name: c?.name ?? otherAddresses.emails.get(other)?.[0] ?? "someone" };
  };
  const introductions: IntroductionView[] = intros.map((n) =>
    n.introducer_id === id
      ? { role: "introducer", others: [named(n.contact_a_id), named(n.contact_b_id)], by: named(id), at: n.created_at }
      : { role: "side", others: [named(n.contact_a_id === id ? n.contact_b_id : n.contact_a_id)], by: named(n.introducer_id), at: n.created_at },
  );
  const order = new Map(reminderIds.map((r, i) => [r, i]));
  return {
    contact,
    emails: emails.get(id) ?? [],
    phones: phones.get(id) ?? [],
    introducedBy: contact.introduced_by === null ? null : named(contact.introduced_by),
    // An introduction to the user is what "introduced by" says already.
    introductions: introductions.filter((n) => !(n.role === "side" && n.others[0]?.id === null && contact.introduced_by !== null && n.by.id === contact.introduced_by)),
    timeline,
    notes,
    reminders: reminders.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)),
  };
}
