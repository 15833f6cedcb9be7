import { addressesAndPhones, contactsAfter, contactsByIds, type Contact, mostAddresses } from "../../people/contacts";
import { interactionsAfter } from "../../people/interactions";
import { allIntroductions } from "../../people/introductions";
import { notesOf } from "../../people/notes";
import { allReminders } from "../../reminders/store";
import { addressesOf, userById } from "../../users/store";
import { csvHeader, csvRows } from "./csv";
import { byInteraction, EXPORT_FILES, type ExportFormat, headJson, interactionJson, followUpsJson, introductionJson, personJson, reminderJson } from "./json";
import type { ExportPerson } from "./person";
import { toVCards } from "./vcard";

/** The web's downloads: the same three files as the export mail, written a page at a
 * time as they are read (each page along an index, so every row is read once), so that
 * any number of people fits the Worker's memory and nothing is cut. */

const PAGE = 500;

async function* peoplePages(db: D1Database, userId: number): AsyncGenerator<{ contacts: Contact[]; people: ExportPerson[] }> {
  for (let cursor: { at: number; id: number } | null = null; ; ) {
    const contacts = await contactsAfter(db, userId, cursor, PAGE);
    if (contacts.length === 0) return;
    const ids = contacts.map((c) => c.id);
    const introducers = [...new Set(contacts.flatMap((c) => (c.introduced_by === null ? [] : [c.introduced_by])))];
    const [{ emails, phones }, notes, named] = await Promise.all([addressesAndPhones(db, userId, ids), notesOf(db, userId, ids), contactsByIds(db, userId, introducers)]);
    const nameOf = new Map(named.map((c) => [c.id, c.name]));
    const people = contacts.map((c) => ({
      id: c.id,
      name: c.name,
      company: c.company,
      title: c.title,
      metAt: c.met_at,
      emails: emails.get(c.id) ?? [],
      phones: phones.get(c.id) ?? [],
      notes: notes.filter((n) => n.contact_id === c.id).reverse().map((n) => ({ text: n.text, createdAt: n.created_at })),
      createdAt: c.created_at,
      introducedBy: c.introduced_by === null ? null : (nameOf.get(c.introduced_by) ?? null),
    }));
    yield { contacts, people };
    const last = contacts[contacts.length - 1]!;
    cursor = { at: last.last_interaction_at ?? 0, id: last.id };
  }
}

async function* pieces(db: D1Database, userId: number, format: ExportFormat, now: number): AsyncGenerator<string> {
  if (format === "vcf") {
    for await (const { people } of peoplePages(db, userId)) yield toVCards(people);
    return;
  }
  if (format === "csv") {
    const most = await mostAddresses(db, userId);
    yield csvHeader(most.emails, most.phones);
    for await (const { people } of peoplePages(db, userId)) yield csvRows(people, most.emails, most.phones);
    return;
  }
  const user = await userById(db, userId);
  if (!user) return;
  yield `${JSON.stringify(headJson(user, await addressesOf(db, userId), now)).slice(0, -1)},"people":[`;
  let first = true;
  for await (const { contacts, people } of peoplePages(db, userId)) {
    yield (first ? "" : ",") + people.map((p, i) => JSON.stringify(personJson(p, contacts[i]!))).join(",");
    first = false;
  }
  yield '],"interactions":[';
  first = true;
  for (let cursor: { at: number; id: number } | null = null; ; ) {
    const { interactions, participants } = await interactionsAfter(db, userId, cursor, PAGE);
    if (interactions.length === 0) break;
    const of = byInteraction(participants);
    yield (first ? "" : ",") + interactions.map((i) => JSON.stringify(interactionJson(i, of.get(i.id) ?? []))).join(",");
    first = false;
    const last = interactions[interactions.length - 1]!;
    cursor = { at: last.occurred_at, id: last.id };
  }
  const [introductions, reminders, followUps] = await Promise.all([allIntroductions(db, userId), allReminders(db, userId), followUpsJson(db, userId)]);
  yield `],"introductions":${JSON.stringify(introductions.map(introductionJson))},"reminders":${JSON.stringify(reminders.map(reminderJson))},${JSON.stringify(followUps).slice(1)}`;
}

/** The file as a download: a stream of UTF-8, with its headers. */
export function exportResponse(db: D1Database, userId: number, format: ExportFormat, now: number): Response {
  const { filename, contentType } = EXPORT_FILES[format];
  return new Response(exportStream(db, userId, format, now), {
    headers: { "Content-Type": contentType, "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" },
  });
}

function exportStream(db: D1Database, userId: number, format: ExportFormat, now: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = pieces(db, userId, format, now);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else if (next.value) controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await it.return(undefined);
    },
  });
}
