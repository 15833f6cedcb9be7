/** SQL for contacts, contact_emails and contact_phones: the people a user knows, their
 * addresses (lower-cased, unique per user) and phones (E.164). The only module that
 * writes these tables. Every query names the user: no statement here can reach another
 * user's rows. */

/** What a contact came from (contacts.source): the kind of mail that first named them. */
export type ContactSource = "bcc" | "intro" | "forward" | "note" | "import";

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
}

const COLS = "c.id, c.name, c.name_rank, c.company, c.title, c.met_at, c.cadence_days, c.muted_at";

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
      `INSERT INTO contacts (id, user_id, name, name_rank, company, title, met_at, source, introduced_by, last_interaction_at, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)`,
    )
    .bind(c.id, c.userId, c.name, c.nameRank, c.company, c.title, c.metAt, c.source, c.introducedBy, c.lastInteractionAt, c.now);
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
    .bind(userId, id, u.name ?? null, u.nameRank ?? 0, u.company ?? null, u.title ?? null, u.metAt ?? null, u.introducedBy ?? null, now, u.touchedAt ?? null);
}

/** An address already owned by another contact of the user stays with that contact. */
export function addContactEmail(db: D1Database, userId: number, contactId: number, email: string): D1PreparedStatement {
  return db
    .prepare("INSERT OR IGNORE INTO contact_emails (contact_id, user_id, email) VALUES (?1, ?2, ?3)")
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
