import type { Attacher } from "../../mail-out/outbound";
import type { Attachment } from "../../mail-out/mailer";
import { allAddressesAndPhones, allContacts } from "../../people/contacts";
import { allInteractions } from "../../people/interactions";
import { allIntroductions } from "../../people/introductions";
import { allNotes } from "../../people/notes";
import { allReminders } from "../../reminders/store";
import { addressesOf, userById } from "../../users/store";
import { toContactsCsv } from "./csv";
import type { ExportPerson } from "./person";
import { byInteraction, EXPORT_FILES, headJson, interactionJson, followUpsJson, introductionJson, personJson, reminderJson } from "./json";
import { toVCards } from "./vcard";

/** "export": everything Kith holds for the user, as three files: kith-contacts.vcf
 * (vCard 4.0), kith-contacts.csv (Google Contacts) and kith-export.json. The files are
 * made as the mail is sent (an export of thousands of people is far larger than a D1 row
 * may be), so a retry makes them afresh. */

/** What one mail carries. Resend takes 40 MB with base64 (4 bytes for 3), but the
 * Worker's 128 MB must hold the files as strings, their bytes, their base64 and the
 * request body at once: 12 MB of files keeps that under ~90 MB. */
export const MAX_EXPORT_BYTES = 12 * 1024 * 1024;

export interface ExportFiles {
  vcf: string;
  csv: string;
  json: string;
  people: number;
}

/** Read everything of one user and write the three files. */
export async function buildExport(db: D1Database, userId: number, now: number): Promise<ExportFiles | null> {
  const user = await userById(db, userId);
  if (!user) return null;
  const [contacts, { emails, phones }, notes, { interactions, participants }, introductions, reminders, addresses, followUps] = await Promise.all([
    allContacts(db, userId),
    allAddressesAndPhones(db, userId),
    allNotes(db, userId),
    allInteractions(db, userId),
    allIntroductions(db, userId),
    allReminders(db, userId),
    addressesOf(db, userId),
    followUpsJson(db, userId),
  ]);
  const group = <T extends { contact_id: number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) {
      const list = m.get(r.contact_id);
      if (list) list.push(r);
      else m.set(r.contact_id, [r]);
    }
    return m;
  };
  const emailsOf = group(emails);
  const phonesOf = group(phones);
  const notesOf = group(notes);
  const names = new Map(contacts.map((c) => [c.id, c.name ?? emailsOf.get(c.id)?.[0]?.email ?? null]));
  const people: ExportPerson[] = contacts.map((c) => ({
    id: c.id,
    name: c.name,
    company: c.company,
    title: c.title,
    metAt: c.met_at,
    emails: (emailsOf.get(c.id) ?? []).map((e) => e.email),
    phones: (phonesOf.get(c.id) ?? []).map((p) => p.phone),
    notes: (notesOf.get(c.id) ?? []).map((n) => ({ text: n.text, createdAt: n.created_at })),
    createdAt: c.created_at,
    introducedBy: c.introduced_by === null ? null : (names.get(c.introduced_by) ?? null),
  }));
  const participantsOf = byInteraction(participants);
  const json = (keep: number, keepPeople: number) =>
    JSON.stringify({
      ...headJson(user, addresses, now),
      people: people.slice(0, keepPeople).map((p, i) => personJson(p, contacts[i]!)),
      interactions: interactions.slice(interactions.length - keep).map((i) => interactionJson(i, participantsOf.get(i.id) ?? [])),
      introductions: introductions.map(introductionJson),
      reminders: reminders.map(reminderJson),
      ...followUps,
      ...(keep < interactions.length || keepPeople < people.length ? { left_out: { interactions: interactions.length - keep, people: people.length - keepPeople } } : {}),
    });

  // Usually all of it fits; past the mail's limit, the oldest interactions go first, then people.
  const size = (s: string) => new TextEncoder().encode(s).byteLength;
  let keepPeople = people.length;
  let vcf = toVCards(people);
  let csv = toContactsCsv(people);
  let keep = interactions.length;
  let out = json(keep, keepPeople);
  while (size(vcf) + size(csv) + size(out) > MAX_EXPORT_BYTES && keep > 0) {
    keep = Math.floor(keep / 2);
    out = json(keep, keepPeople);
  }
  while (size(vcf) + size(csv) + size(out) > MAX_EXPORT_BYTES && keepPeople > 0) {
    keepPeople = Math.floor(keepPeople * 0.8);
    vcf = toVCards(people.slice(0, keepPeople));
    csv = toContactsCsv(people.slice(0, keepPeople));
    out = json(keep, keepPeople);
  }
  return { vcf, csv, json: out, people: keepPeople };
}

/** Base64 of UTF-8 text, in slices, so that no one call builds a string argument list
 * the size of the file. */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const out: string[] = [];
  const SLICE = 3 * 8192;
  for (let i = 0; i < bytes.length; i += SLICE) {
    let bin = "";
    const end = Math.min(bytes.length, i + SLICE);
    for (let k = i; k < end; k++) bin += String.fromCharCode(bytes[k]!);
    out.push(btoa(bin));
  }
  return out.join("");
}

export function exportAttachments(files: ExportFiles): Attachment[] {
  return [
    { ...EXPORT_FILES.vcf, content: base64(files.vcf) },
    { ...EXPORT_FILES.csv, content: base64(files.csv) },
    { ...EXPORT_FILES.json, content: base64(files.json) },
  ];
}

/** The Attacher the entry gives mail-out: an export mail's files, made as it is sent. */
export function exportAttacher(db: D1Database): Attacher {
  return async (source, userId, now) => {
    if (source.kind !== "export") return [];
    const files = await buildExport(db, userId, now);
    return files ? exportAttachments(files) : [];
  };
}
