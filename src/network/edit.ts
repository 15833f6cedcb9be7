import { newId } from "../lib/ids";
import { mentions, replaceMention } from "../lib/mention";
import { formatPhone, normalisePhone } from "../lib/phone";
import { addDays } from "../lib/zone";
import { blankSubjects, dropItems, outboundQuoting, withdraw } from "../mail-out/outbound";
import { deleteHeld, heldQuoting } from "../received/held";
import { clearOwnSubject, clearSubjects, subjectsQuoting } from "../received/log";
import {
  addPhoneOf,
  addressesAndPhones,
  type Contact,
  deleteContact,
  type Fact,
  mergeContact,
  moveAddresses,
  muteContact,
  repointIntroducedBy,
  setContactCadence,
  setFact,
  takeFacts,
} from "../people/contacts";
import { deleteSuggestions } from "../people/duplicates";
import { forgetAddresses } from "../people/forgotten";
import { clearInteractionText, dropParticipation, insertInteraction, interactionIdsOf, interactionsQuoting, linkInteraction, moveParticipation } from "../people/interactions";
import { deleteIntroductions, deleteSelfIntroductions, introductionIdsOf, moveIntroductions } from "../people/introductions";
import { deleteListings, moveListings } from "../people/listings";
import { deleteNotes, insertNote, moveNotes, notesOf, notesQuoting, setNoteText } from "../people/notes";
import { deleteOrphanMeetings } from "../meetings/store";
import { deletePromisesOf, movePromises } from "../promises/store";
import { completeFollowUps, deleteChecksOfSelfIntroductions, deleteRemindersOf, deleteRemindersOfGoneMeetings, dropCheckIns, moveReminders, remindersOf, remindersOfGoneMeetings, upsertCheckIn } from "../reminders/store";
import { nextSlot, prefsOf, zoneOf } from "../users/delivery";
import type { User } from "../users/user";

/** What the user can change about a person, whichever way they asked (a reply to a
 * lookup, a mail naming the address): statements for one batch, and what to say. */

export interface Edited {
  statements: D1PreparedStatement[];
  lines: string[];
  /** A merge: the one of the two who stays. */
  kept?: Contact;
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

/** "I met them for coffee": an interaction with them at that time, which restarts the
 * check-in clock (a meeting never brings a check-in forward) and closes a follow-up. */
export function metStatements(ctx: EditContext, c: Contact, what: string | null, at: number): Edited {
  const { db, user, now } = ctx;
  const id = newId();
  const statements = [
    insertInteraction(db, { id, userId: user.id, kind: "met", occurredAt: at, subject: what, summary: null, inboundId: null, now }),
    linkInteraction(db, id, c.id, "subject"),
    mergeContact(db, user.id, c.id, { touchedAt: at }, now),
    completeFollowUps(db, user.id, c.id, now),
  ];
  if (c.muted_at === null) {
    const prefs = prefsOf(user);
    const dueAt = nextSlot(addDays(Math.max(at, c.last_interaction_at ?? 0), c.cadence_days ?? user.cadence_days, zoneOf(prefs)), prefs);
    statements.push(upsertCheckIn(db, { id: newId(), userId: user.id, contactId: c.id, dueAt, now, later: true }));
  }
  return { statements, lines: [`Logged: you met ${who(c)}${what ? ` (${what})` : ""}.`] };
}

/** "stop": no more check-ins with them. */
export function stopStatements(ctx: EditContext, c: Contact): Edited {
  return { statements: [muteContact(ctx.db, ctx.user.id, c.id, ctx.now), dropCheckIns(ctx.db, ctx.user.id, c.id)], lines: [`No more check-ins with ${who(c)}.`] };
}

/** Two people become one: the one Kith knew first stays, with both addresses, every
 * interaction, introduction, note, phone and reminder, the better facts, and one pending
 * check-in (the earlier). */
export function mergeStatements(ctx: EditContext, a: Contact, b: Contact): Edited & { kept: Contact } {
  const [keep, drop] = a.created_at <= b.created_at ? [a, b] : [b, a];
  const { db, user, now } = ctx;
  const u = user.id;
  return {
    statements: [
      takeFacts(db, u, keep.id, drop.id, now),
      ...moveAddresses(db, u, keep.id, drop.id),
      ...moveParticipation(db, u, keep.id, drop.id),
      ...moveIntroductions(db, u, keep.id, drop.id),
      deleteChecksOfSelfIntroductions(db, u, keep.id),
      deleteSelfIntroductions(db, u, keep.id),
      repointIntroducedBy(db, u, drop.id, keep.id),
      moveNotes(db, u, keep.id, drop.id),
      ...moveReminders(db, u, keep.id, drop.id),
      movePromises(db, u, keep.id, drop.id),
      ...moveListings(db, u, keep.id, drop.id),
      deleteSuggestions(db, u, drop.id),
      ...deleteContact(db, u, drop.id),
    ],
    lines: [`${who(a)} and ${who(b)} are now one person${keep.name ? `, ${keep.name}` : ""}.`],
    kept: keep,
  };
}

/** What else names their addresses, about anyone: interactions kept (their subject or
 * summary goes), notes on others (the address gives way to a phrase), held mail (it
 * goes), mail not yet sent (withdrawn), and the subjects of the mail logs. Candidates
 * come from instr(); lib/mention.ts decides, so "ann@" never touches "joann@". */
async function unquote(ctx: EditContext, addresses: string[]): Promise<D1PreparedStatement[]> {
  const { db, user, now } = ctx;
  const u = user.id;
  const out: D1PreparedStatement[] = [];
  for (const a of addresses) {
    const [interactions, notes, held, outbound, subjects] = await Promise.all([
      interactionsQuoting(db, u, a),
      notesQuoting(db, u, a),
      heldQuoting(db, u, a),
      outboundQuoting(db, u, a),
      subjectsQuoting(db, u, a),
    ]);
    const ids = <T extends { id: number }>(rows: T[], says: (r: T) => boolean) => rows.filter(says).map((r) => r.id);
    out.push(
      ...clearInteractionText(db, u, ids(interactions, (i) => mentions(i.subject, a)), ids(interactions, (i) => mentions(i.summary, a))),
      ...notes.filter((n) => mentions(n.text, a)).map((n) => setNoteText(db, u, n.id, replaceMention(n.text, a, "(someone you had Kith forget)"))),
      deleteHeld(db, u, ids(held, (h) => mentions(h.intent, a))),
      withdraw(db, u, ids(outbound, (o) => o.status !== "sent" && mentions(o.payload, a))),
      blankSubjects(db, u, ids(outbound, (o) => mentions(o.subject, a))),
      clearSubjects(db, u, ids(subjects, (s) => mentions(s.subject, a))),
      clearOwnSubject(db, u, now, a),
    );
  }
  return out;
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
    // Their places in mail sent go before the reminders themselves.
    dropItems(db, u, remindersOf(c.id, introductions)),
    deleteRemindersOf(db, u, c.id, introductions),
    deleteIntroductions(db, u, introductions),
    repointIntroducedBy(db, u, c.id, null),
    ...dropParticipation(db, u, c.id, interactions),
    // A meeting whose interaction went with them goes too, with its follow-up.
    deleteOrphanMeetings(db, u),
    dropItems(db, u, remindersOfGoneMeetings()),
    deleteRemindersOfGoneMeetings(db, u),
    deletePromisesOf(db, u, c.id),
    deleteListings(db, u, c.id),
    deleteSuggestions(db, u, c.id),
    ...(await unquote(ctx, addresses)),
    ...deleteContact(db, u, c.id),
    // After the contact: its notes' deletion then has no search row to rewrite.
    deleteNotes(db, u, c.id),
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
  return { statements, lines: [`Forgot ${who(c, addresses)}: ${erased}, and their reminders and promises.${blocked}`] };
}
