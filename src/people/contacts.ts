import { nameKey } from "./names";

/** SQL for contacts, contact_emails and contact_phones: the people a user knows, their
 * addresses (lower-cased, unique per user) and phones (E.164). The only module that
 * writes these tables. Every query names the user: no statement here can reach another
 * user's rows. */

/** What a contact came from (contacts.source): the kind of mail that first named them. */
export type ContactSource = "bcc" | "intro" | "forward" | "note" | "import" | "meeting";

export interface ContactRow {
  id: number;
  name: string | null;
  name_rank: number;
  company: string | null;
  title: string | null;
  met_at: string | null;
  cadence_days: number | null;
  muted_at: number | null;
}

export interface ExistingContact extends ContactRow {
  /** The address (lower-cased) or name (as stored) that matched. */
  key: string;
  /** Open promises both ways (kept by migration 0007's triggers). */
  open_promises: number;
}

const COLS = "c.id, c.name, c.name_rank, c.company, c.title, c.met_at, c.cadence_days, c.muted_at, c.open_promises";

/** Contacts of one user that own any of these addresses: primary-key lookups, bound
 * one parameter each (D1 allows 100 per statement, so large lists go in chunks). */
export async function contactsByEmail(db: D1Database, userId: number, emails: string[]): Promise<ExistingContact[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < emails.length; i += 90) chunks.push(emails.slice(i, i + 90));
  const results = await Promise.all(
    chunks.map((chunk) =>
      db
        .prepare(
          `SELECT ce.email AS key, ${COLS} FROM contact_emails ce JOIN contacts c ON c.id = ce.contact_id
           WHERE ce.user_id = ?1 AND ce.email IN (${chunk.map((_, i) => `?${i + 2}`).join(", ")})`,
        )
        .bind(userId, ...chunk)
        .all<ExistingContact>(),
    ),
  );
  return results.flatMap((r) => r.results);
}

/** Contacts of one user with one of these names (case-insensitive), for people a mail names without an address. */
export async function contactsByName(db: D1Database, userId: number, names: string[]): Promise<ExistingContact[]> {
  if (names.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT c.name AS key, ${COLS} FROM contacts c
       WHERE c.user_id = ?1 AND c.name COLLATE NOCASE IN (SELECT value FROM json_each(?2))`,
    )
    .bind(userId, JSON.stringify(names))
    .all<ExistingContact>();
  return results;
}

export interface NewContact {
  id: number;
  userId: number;
  name: string | null;
  nameRank: number;
  company: string | null;
  title: string | null;
  metAt: string | null;
  source: ContactSource;
  introducedBy: number | null;
  lastInteractionAt: number | null;
  now: number;
}

export function insertContact(db: D1Database, c: NewContact): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO contacts (id, user_id, name, name_rank, company, title, met_at, source, introduced_by, last_interaction_at, created_at, updated_at, name_key)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)`,
    )
    .bind(c.id, c.userId, c.name, c.nameRank, c.company, c.title, c.metAt, c.source, c.introducedBy, c.lastInteractionAt, c.now, c.name ? nameKey(c.name) : null);
}

export interface ContactUpdate {
  name?: string | null;
  nameRank?: number;
  company?: string | null;
  title?: string | null;
  metAt?: string | null;
  introducedBy?: number | null;
  /** An interaction with the contact at this time: the relationship clock moves to
   * the latest one, whatever order mail arrives in. */
  touchedAt?: number | null;
}

/** Fill in what is missing and raise the name only when the new one ranks higher:
 * later sources add facts without overwriting better ones. */
export function mergeContact(db: D1Database, userId: number, id: number, u: ContactUpdate, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE contacts SET
         name = CASE WHEN ?3 IS NOT NULL AND ?4 > name_rank THEN ?3 ELSE name END,
         name_key = CASE WHEN ?3 IS NOT NULL AND ?4 > name_rank THEN ?11 ELSE name_key END,
         name_rank = CASE WHEN ?3 IS NOT NULL AND ?4 > name_rank THEN ?4 ELSE name_rank END,
         company = COALESCE(company, ?5),
         title = COALESCE(title, ?6),
         met_at = COALESCE(met_at, ?7),
         introduced_by = COALESCE(introduced_by, ?8),
         last_interaction_at = CASE WHEN ?10 IS NULL THEN last_interaction_at
           ELSE MAX(COALESCE(last_interaction_at, 0), ?10) END,
         updated_at = ?9
       WHERE id = ?2 AND user_id = ?1`,
    )
    .bind(userId, id, u.name ?? null, u.nameRank ?? 0, u.company ?? null, u.title ?? null, u.metAt ?? null, u.introducedBy ?? null, now, u.touchedAt ?? null, u.name ? nameKey(u.name) : null);
}

/** An address that was on no contact of the user when the mail was read. Another mail
 * may have given it to someone since (two mails at once): then the UNIQUE key fails the
 * whole batch, rather than leaving a second record of that person without the address,
 * and the mail is read again (applyIntent). */
export function addContactEmail(db: D1Database, userId: number, contactId: number, email: string): D1PreparedStatement {
  return db
    .prepare("INSERT INTO contact_emails (contact_id, user_id, email) VALUES (?1, ?2, ?3)")
    .bind(contactId, userId, email);
}

export function addContactPhone(db: D1Database, contactId: number, phone: string): D1PreparedStatement {
  return db.prepare("INSERT OR IGNORE INTO contact_phones (contact_id, phone) VALUES (?1, ?2)").bind(contactId, phone);
}

/** "every 2 months" on a reminder: the contact's own cadence (and check-ins back on). */
export function setContactCadence(db: D1Database, userId: number, contactId: number, days: number): D1PreparedStatement {
  return db.prepare("UPDATE contacts SET cadence_days = ?3, muted_at = NULL WHERE id = ?2 AND user_id = ?1").bind(userId, contactId, days);
}

/** "stop": no more check-ins with this contact. */
export function muteContact(db: D1Database, userId: number, contactId: number, now: number): D1PreparedStatement {
  return db.prepare("UPDATE contacts SET muted_at = ?3 WHERE id = ?2 AND user_id = ?1").bind(userId, contactId, now);
}

/** How a contact's name ranks when the user typed it: above any card, never replaced. */
export const USER_NAME_RANK = 4;

/** A fact the user corrects by hand ("title VP Operations"). A later capture only fills
 * what is missing (COALESCE) and names only by a higher rank, so this one stays. */
export type Fact = "name" | "company" | "title" | "met_at";

export function setFact(db: D1Database, userId: number, id: number, fact: Fact, value: string, now: number): D1PreparedStatement {
  if (fact === "name") {
    return db
      .prepare("UPDATE contacts SET name = ?3, name_key = ?4, name_rank = ?5, updated_at = ?6 WHERE id = ?2 AND user_id = ?1")
      .bind(userId, id, value, nameKey(value), USER_NAME_RANK, now);
  }
  return db.prepare(`UPDATE contacts SET ${fact} = ?3, updated_at = ?4 WHERE id = ?2 AND user_id = ?1`).bind(userId, id, value, now);
}

/** A fact the user empties on the dashboard (a name cannot be emptied). */
export function clearFact(db: D1Database, userId: number, id: number, fact: Exclude<Fact, "name">, now: number): D1PreparedStatement {
  return db.prepare(`UPDATE contacts SET ${fact} = NULL, updated_at = ?3 WHERE id = ?2 AND user_id = ?1`).bind(userId, id, now);
}

/** A phone the user removes by hand. */
export function removePhoneOf(db: D1Database, userId: number, contactId: number, phone: string): D1PreparedStatement {
  return db
    .prepare("DELETE FROM contact_phones WHERE contact_id = ?2 AND phone = ?3 AND EXISTS (SELECT 1 FROM contacts WHERE id = ?2 AND user_id = ?1)")
    .bind(userId, contactId, phone);
}

/** A phone the user adds by hand; only to their own contact. */
export function addPhoneOf(db: D1Database, userId: number, contactId: number, phone: string): D1PreparedStatement {
  return db
    .prepare("INSERT OR IGNORE INTO contact_phones (contact_id, phone) SELECT id, ?3 FROM contacts WHERE id = ?2 AND user_id = ?1")
    .bind(userId, contactId, phone);
}

/** A contact as a lookup, a merge or an export reads it. */
export interface Contact extends ContactRow {
  source: ContactSource;
  introduced_by: number | null;
  last_interaction_at: number | null;
  created_at: number;
}

const CONTACT = "c.id, c.name, c.name_rank, c.company, c.title, c.met_at, c.source, c.introduced_by, c.cadence_days, c.muted_at, c.last_interaction_at, c.created_at";

/** The user's contacts among these ids, in the order asked. */
export async function contactsByIds(db: D1Database, userId: number, ids: number[]): Promise<Contact[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    // +c.user_id: look the ids up by primary key and check the owner, not the reverse (a
    // scan of the user's contacts against the list).
    .prepare(`SELECT ${CONTACT} FROM contacts c WHERE c.id IN (SELECT value FROM json_each(?2)) AND +c.user_id = ?1`)
    .bind(userId, JSON.stringify(ids))
    .all<Contact>();
  const byId = new Map(results.map((c) => [c.id, c]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Every address and phone of these contacts (the user's own only). */
export async function addressesAndPhones(db: D1Database, userId: number, ids: number[]): Promise<{ emails: Map<number, string[]>; phones: Map<number, string[]> }> {
  const list = JSON.stringify(ids);
  const [emails, phones] = await db.batch([
    // The unary + as in contactsByIds: by the contacts' ids, then the owner.
    db.prepare("SELECT contact_id, email FROM contact_emails WHERE contact_id IN (SELECT value FROM json_each(?2)) AND +user_id = ?1 ORDER BY email").bind(userId, list),
    db
      .prepare(
        `SELECT p.contact_id, p.phone FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
         WHERE p.contact_id IN (SELECT value FROM json_each(?2)) AND +c.user_id = ?1`,
      )
      .bind(userId, list),
  ]);
  const group = (rows: { contact_id: number; v: string }[]) => {
    const m = new Map<number, string[]>();
    for (const r of rows) m.set(r.contact_id, [...(m.get(r.contact_id) ?? []), r.v]);
    return m;
  };
  return {
    emails: group(((emails?.results ?? []) as { contact_id: number; email: string }[]).map((r) => ({ contact_id: r.contact_id, v: r.email }))),
    phones: group(((phones?.results ?? []) as { contact_id: number; phone: string }[]).map((r) => ({ contact_id: r.contact_id, v: r.phone }))),
  };
}

/** Other contacts of the user who may be the same person as a newcomer: the same name
 * key, or one of the same phones. */
export async function sameNameOrPhone(db: D1Database, userId: number, nameKeys: string[], phones: string[]): Promise<{ id: number; name: string | null; name_key: string | null; phone: string | null }[]> {
  // Bound as parameters (index lookups that read only matches): every capture with a
  // newcomer asks. Capped: an import of thousands is checked on its first hundred.
  const keys = nameKeys.slice(0, 90);
  const nums = phones.slice(0, 90);
  const list = (values: string[]) => values.map((_, k) => `?${k + 2}`).join(", ");
  const statements = [
    ...(keys.length ? [db.prepare(`SELECT id, name, name_key, NULL AS phone FROM contacts WHERE user_id = ?1 AND name_key IN (${list(keys)})`).bind(userId, ...keys)] : []),
    ...(nums.length
      ? [
          db
            .prepare(`SELECT c.id, c.name, c.name_key, p.phone FROM contact_phones p JOIN contacts c ON c.id = p.contact_id WHERE p.phone IN (${list(nums)}) AND +c.user_id = ?1`)
            .bind(userId, ...nums),
        ]
      : []),
  ];
  if (statements.length === 0) return [];
  type Row = { id: number; name: string | null; name_key: string | null; phone: string | null };
  return (await db.batch(statements)).flatMap((r) => (r.results ?? []) as Row[]);
}

// ---- merge and erasure: each a statement for one batch, guarded by the user

/** `keep` takes `drop`'s better facts: a name that ranks higher, and whatever it lacks. */
export function takeFacts(db: D1Database, userId: number, keep: number, drop: number, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE contacts SET
         name = CASE WHEN d.name IS NOT NULL AND d.name_rank > contacts.name_rank THEN d.name ELSE contacts.name END,
         name_key = CASE WHEN d.name IS NOT NULL AND d.name_rank > contacts.name_rank THEN d.name_key ELSE contacts.name_key END,
         name_rank = MAX(contacts.name_rank, d.name_rank),
         company = COALESCE(contacts.company, d.company),
         title = COALESCE(contacts.title, d.title),
         met_at = COALESCE(contacts.met_at, d.met_at),
         introduced_by = COALESCE(contacts.introduced_by, NULLIF(d.introduced_by, contacts.id)),
         cadence_days = COALESCE(contacts.cadence_days, d.cadence_days),
         muted_at = COALESCE(contacts.muted_at, d.muted_at),
         last_interaction_at = NULLIF(MAX(COALESCE(contacts.last_interaction_at, 0), COALESCE(d.last_interaction_at, 0)), 0),
         created_at = MIN(contacts.created_at, d.created_at),
         updated_at = ?4
       FROM (SELECT * FROM contacts WHERE id = ?3 AND user_id = ?1) AS d
       WHERE contacts.id = ?2 AND contacts.user_id = ?1`,
    )
    .bind(userId, keep, drop, now);
}

/** `drop`'s addresses and phones move to `keep`. */
export function moveAddresses(db: D1Database, userId: number, keep: number, drop: number): D1PreparedStatement[] {
  return [
    db.prepare("UPDATE contact_emails SET contact_id = ?2 WHERE contact_id = ?3 AND user_id = ?1").bind(userId, keep, drop),
    db
      .prepare(
        `INSERT OR IGNORE INTO contact_phones (contact_id, phone)
         SELECT ?2, phone FROM contact_phones WHERE contact_id = ?3 AND EXISTS (SELECT 1 FROM contacts WHERE id = ?3 AND user_id = ?1)`,
      )
      .bind(userId, keep, drop),
  ];
}

/** Whoever `from` introduced was introduced by `to` (null: by nobody Kith still knows),
 * except `to` itself: nobody introduces themselves. */
export function repointIntroducedBy(db: D1Database, userId: number, from: number, to: number | null): D1PreparedStatement {
  return db.prepare("UPDATE contacts SET introduced_by = CASE WHEN id = ?3 THEN NULL ELSE ?3 END WHERE user_id = ?1 AND introduced_by = ?2").bind(userId, from, to);
}

/** The contact, its addresses and its phones. The contact before its addresses: the
 * search triggers then drop its row once instead of rewriting it per address. */
export function deleteContact(db: D1Database, userId: number, id: number): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM contact_phones WHERE contact_id = ?2 AND EXISTS (SELECT 1 FROM contacts WHERE id = ?2 AND user_id = ?1)").bind(userId, id),
    db.prepare("DELETE FROM contacts WHERE id = ?2 AND user_id = ?1").bind(userId, id),
    db.prepare("DELETE FROM contact_emails WHERE contact_id = ?2 AND user_id = ?1").bind(userId, id),
  ];
}

/** Every contact of the user, their addresses and phones (account deletion), in the
 * order deleteContact gives. */
export function deleteAllContacts(db: D1Database, userId: number): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM contact_phones WHERE contact_id IN (SELECT id FROM contacts WHERE user_id = ?1)").bind(userId),
    db.prepare("DELETE FROM contacts WHERE user_id = ?1").bind(userId),
    db.prepare("DELETE FROM contact_emails WHERE user_id = ?1").bind(userId),
  ];
}

// ---- everything, for an export

export async function allContacts(db: D1Database, userId: number): Promise<Contact[]> {
  const { results } = await db.prepare(`SELECT ${CONTACT} FROM contacts c WHERE c.user_id = ?1 ORDER BY c.created_at, c.id`).bind(userId).all<Contact>();
  return results;
}

export async function allAddressesAndPhones(db: D1Database, userId: number): Promise<{ emails: { contact_id: number; email: string }[]; phones: { contact_id: number; phone: string }[] }> {
  const [emails, phones] = await db.batch([
    db.prepare("SELECT contact_id, email FROM contact_emails WHERE user_id = ?1 ORDER BY contact_id, email").bind(userId),
    db.prepare("SELECT p.contact_id, p.phone FROM contacts c JOIN contact_phones p ON p.contact_id = c.id WHERE c.user_id = ?1 ORDER BY p.contact_id, p.phone").bind(userId),
  ]);
  return { emails: (emails?.results ?? []) as { contact_id: number; email: string }[], phones: (phones?.results ?? []) as { contact_id: number; phone: string }[] };
}

/** A page of the user's contacts, most recently in touch first, after `cursor` (the
 * last of the page before): for a download written as it is read, along the index the
 * people page uses, so that every page reads only itself. */
export async function contactsAfter(db: D1Database, userId: number, cursor: { at: number; id: number } | null, limit: number): Promise<Contact[]> {
  const after = cursor ? "AND ifnull(c.last_interaction_at, 0) <= ?3 AND (ifnull(c.last_interaction_at, 0) < ?3 OR c.id < ?4)" : "";
  const { results } = await db
    .prepare(`SELECT ${CONTACT} FROM contacts c WHERE c.user_id = ?1 ${after} ORDER BY ifnull(c.last_interaction_at, 0) DESC, c.id DESC LIMIT ?2`)
    .bind(userId, limit, ...(cursor ? [cursor.at, cursor.id] : []))
    .all<Contact>();
  return results;
}

/** How many people the user has. */
export async function contactCount(db: D1Database, userId: number): Promise<number> {
  return (await db.prepare("SELECT count(*) AS n FROM contacts WHERE user_id = ?1").bind(userId).first<number>("n")) ?? 0;
}

/** The most addresses and the most phones one contact of the user has (CSV columns). */
export async function mostAddresses(db: D1Database, userId: number): Promise<{ emails: number; phones: number }> {
  const [e, p] = await db.batch([
    db.prepare("SELECT max(n) AS n FROM (SELECT count(*) AS n FROM contact_emails WHERE user_id = ?1 GROUP BY contact_id)").bind(userId),
    db.prepare("SELECT max(n) AS n FROM (SELECT count(*) AS n FROM contacts c JOIN contact_phones p ON p.contact_id = c.id WHERE c.user_id = ?1 GROUP BY p.contact_id)").bind(userId),
  ]);
  const n = (r: D1Result | undefined) => ((r?.results ?? []) as { n: number | null }[])[0]?.n ?? 0;
  return { emails: n(e), phones: n(p) };
}
