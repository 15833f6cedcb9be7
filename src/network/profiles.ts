import { addressesAndPhones, type Contact, contactsByIds } from "../people/contacts";
import { type InteractionLine, lastInteractions } from "../people/interactions";
import { introductionsAround } from "../people/introductions";
import { type NoteLine, notesOf } from "../people/notes";
import { openPromisesOf, type PromiseRow } from "../promises/store";
import type { ReminderKind } from "../reminders/store";
import { nextReminders } from "../reminders/store";

/** Everything a lookup tells about a person, read for a page of people at once (a few
 * indexed statements, whatever the number of people). */

export interface Profile {
  contact: Contact;
  emails: string[];
  phones: string[];
  introducedBy: string | null;
  /** People they were introduced to, and by whom ("you" when the user made the intro). */
  introducedTo: { name: string; by: string }[];
  interactions: InteractionLine[];
  notes: NoteLine[];
  next: { kind: ReminderKind; due_at: number } | null;
  /** Open promises both ways, soonest due first. */
  promises: PromiseRow[];
}

const LAST_INTERACTIONS = 3;

const label = (c: Contact | undefined, emails: Map<number, string[]>) => (c ? (c.name ?? emails.get(c.id)?.[0] ?? "someone") : "someone");

export async function profiles(db: D1Database, userId: number, ids: number[]): Promise<Profile[]> {
  const [contacts, { emails, phones }, interactions, notes, intros, next, promises] = await Promise.all([
    contactsByIds(db, userId, ids),
    addressesAndPhones(db, userId, ids),
    lastInteractions(db, userId, ids, LAST_INTERACTIONS),
    notesOf(db, userId, ids),
    introductionsAround(db, userId, ids),
    nextReminders(db, userId, ids),
    openPromisesOf(db, userId, ids),
  ]);
  // The people named around them (introducers, the other side of an intro).
  const around = new Set<number>();
  for (const c of contacts) if (c.introduced_by !== null) around.add(c.introduced_by);
  for (const n of intros) for (const id of [n.introducer_id, n.contact_a_id, n.contact_b_id]) if (id !== null) around.add(id);
  const extra = [...around].filter((id) => !ids.includes(id));
  const [others, otherAddresses] = await Promise.all([contactsByIds(db, userId, extra), addressesAndPhones(db, userId, extra)]);
  const byId = new Map([...contacts, ...others].map((c) => [c.id, c]));
  const allEmails = new Map([...emails, ...otherAddresses.emails]);
  const name = (id: number | null) => (id === null ? "you" : label(byId.get(id), allEmails));

  return contacts.map((c) => {
    // An intro to the user is what introducedBy says; these are intros to other people.
    const mine = intros.filter((n) => n.contact_b_id !== null && (n.contact_a_id === c.id || n.contact_b_id === c.id));
    return {
      contact: c,
      emails: emails.get(c.id) ?? [],
      phones: phones.get(c.id) ?? [],
      introducedBy: c.introduced_by === null ? null : name(c.introduced_by),
      introducedTo: mine.map((n) => ({ name: name(n.contact_a_id === c.id ? n.contact_b_id : n.contact_a_id), by: name(n.introducer_id) })),
      interactions: interactions.filter((i) => i.contact_id === c.id),
      notes: notes.filter((n) => n.contact_id === c.id),
      next: next.find((r) => r.contact_id === c.id) ?? null,
      promises: promises.filter((p) => p.contact_id === c.id),
    };
  });
}
