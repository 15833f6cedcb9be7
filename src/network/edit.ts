import { newId } from "../lib/ids";
import { formatPhone, normalisePhone } from "../lib/phone";
import { addDays } from "../lib/zone";
import { withdrawNaming } from "../mail-out/outbound";
import { deleteHeldNaming } from "../received/held";
import { forgetSubjectsNaming } from "../received/log";
import {
  addPhoneOf,
  addressesAndPhones,
  type Contact,
  deleteContact,
  type Fact,
  moveAddresses,
  muteContact,
  repointIntroducedBy,
  setContactCadence,
  setFact,
  takeFacts,
} from "../people/contacts";
import { deleteSuggestions } from "../people/duplicates";
import { forgetAddresses } from "../people/forgotten";
import { dropParticipation, interactionIdsOf, moveParticipation } from "../people/interactions";
import { deleteIntroductions, introductionIdsOf, moveIntroductions } from "../people/introductions";
import { deleteListings, moveListings } from "../people/listings";
import { deleteNotes, insertNote, moveNotes, notesOf } from "../people/notes";
import { deleteRemindersOf, dropCheckIns, moveReminders, upsertCheckIn } from "../reminders/store";
import { nextSlot, prefsOf, zoneOf } from "../users/delivery";
import type { User } from "../users/user";

/** What the user can change about a person, whichever way they asked (a reply to a
 * lookup, a mail naming the address): statements for one batch, and what to say. */

export interface Edited {
  statements: D1PreparedStatement[];
  lines: string[];
}

export interface EditContext {
  db: D1Database;
  user: User;
  now: number;
}

export const who = (c: Contact, emails: string[] = []) => c.name ?? emails[0] ?? "that person";

export type Correction = { fact: Fact; value: string } | { fact: "phone"; value: string } | { fact: "note"; value: string };

/** "title VP Operations", "company Globex", "name Carol Diaz", "met at PyCon",
 * "phone +44 20 7946 0000", "note …". A fact set by hand is never overwritten by a later
 * capture (captures only fill what is missing, and a typed name outranks every source). */
export function correct(ctx: EditContext, c: Contact, k: Correction): Edited | { error: string } {
  const { db, user, now } = ctx;
  const name = who(c);
  if (k.fact === "phone") {
    const phone = normalisePhone(k.value, "US");
    if (!phone) return { error: `"${k.value.slice(0, 40)}" is not a phone number Kith can read; write it with its country code, e.g. +44 20 7946 0000.` };
    return { statements: [addPhoneOf(db, user.id, c.id, phone)], lines: [`Added ${formatPhone(phone)} to ${name}.`] };
  }
  if (k.fact === "note") return { statements: [insertNote(db, { id: newId(), userId: user.id, contactId: c.id, text: k.value, now })], lines: [`Noted for ${name}: "${k.value.slice(0, 80)}".`] };
  const label = { name: "name", company: "company", title: "title", met_at: "where you met" }[k.fact];
  return { statements: [setFact(db, user.id, c.id, k.fact, k.value, now)], lines: [`${name}: ${label} is now "${k.value}".`] };
}

/** "every 2 months": their own check-in cadence, from now (check-ins back on). */
export function everyStatements(ctx: EditContext, c: Contact, days: number): Edited {
  const prefs = prefsOf(ctx.user);
  return {
    statements: [
      setContactCadence(ctx.db, ctx.user.id, c.id, days),
      upsertCheckIn(ctx.db, { id: newId(), userId: ctx.user.id, contactId: c.id, dueAt: nextSlot(addDays(ctx.now, days, zoneOf(prefs)), prefs), now: ctx.now, later: false }),
    ],
    lines: [`Checking in with ${who(c)} every ${days} days.`],
  };
}

/** "stop": no more check-ins with them. */
export function stopStatements(ctx: EditContext, c: Contact): Edited {
  return { statements: [muteContact(ctx.db, ctx.user.id, c.id, ctx.now), dropCheckIns(ctx.db, ctx.user.id, c.id)], lines: [`No more check-ins with ${who(c)}.`] };
}

/** Two people become one: the one Kith knew first stays, with both addresses, every
 * interaction, introduction, note, phone and reminder, the better facts, and one pending
 * check-in (the earlier). */
export function mergeStatements(ctx: EditContext, a: Contact, b: Contact): Edited {
  const [keep, drop] = a.created_at <= b.created_at ? [a, b] : [b, a];
  const { db, user, now } = ctx;
  const u = user.id;
  return {
    statements: [
      takeFacts(db, u, keep.id, drop.id, now),
      ...moveAddresses(db, u, keep.id, drop.id),
      ...moveParticipation(db, u, keep.id, drop.id),
      ...moveIntroductions(db, u, keep.id, drop.id),
      repointIntroducedBy(db, u, drop.id, keep.id),
      moveNotes(db, u, keep.id, drop.id),
      ...moveReminders(db, u, keep.id, drop.id),
      ...moveListings(db, u, keep.id, drop.id),
      deleteSuggestions(db, u, drop.id),
      ...deleteContact(db, u, drop.id),
    ],
    lines: [`${who(a)} and ${who(b)} are now one person${keep.name ? `, ${keep.name}` : ""}.`],
  };
}

/** Erase a person: their addresses, phones, notes, reminders (and intro checks about
 * them), introductions, places in interactions (an interaction left with nobody goes, and
 * what remains stops quoting their address), mail not yet sent that names them, and
 * their places in listed mails. Their addresses are blocked, so later mail never brings
 * them back. */
export async function forgetStatements(ctx: EditContext, c: Contact): Promise<Edited> {
  const { db, user, now } = ctx;
  const u = user.id;
  const [{ emails, phones }, interactions, introductions, notes] = await Promise.all([
    addressesAndPhones(db, u, [c.id]),
    interactionIdsOf(db, u, c.id),
    introductionIdsOf(db, u, c.id),
    notesOf(db, u, [c.id]),
  ]);
  const addresses = emails.get(c.id) ?? [];
  const statements = [
    ...deleteRemindersOf(db, u, c.id, introductions),
    deleteIntroductions(db, u, introductions),
    repointIntroducedBy(db, u, c.id, null),
    ...dropParticipation(db, u, c.id, interactions, addresses),
    deleteNotes(db, u, c.id),
    deleteListings(db, u, c.id),
    deleteSuggestions(db, u, c.id),
    ...addresses.flatMap((a) => [deleteHeldNaming(db, u, a), withdrawNaming(db, u, a), forgetSubjectsNaming(db, u, a)]),
    ...deleteContact(db, u, c.id),
    ...forgetAddresses(db, u, addresses, now),
  ];
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const erased = [
    count(addresses.length, "address", "addresses"),
    count(phones.get(c.id)?.length ?? 0, "phone"),
    count(notes.length, "note"),
    count(interactions.length, "interaction"),
    count(introductions.length, "introduction"),
  ].join(", ");
  const blocked = addresses.length > 0 ? ` Mail that names ${addresses.join(" or ")} will not bring them back ("unforget ${addresses[0]}" lifts that).` : "";
  return { statements, lines: [`Forgot ${who(c, addresses)}: ${erased}, and their reminders.${blocked}`] };
}
