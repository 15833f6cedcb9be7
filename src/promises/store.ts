/** SQL for promises: what the user promised someone, and what someone promised the user.
 * The only module that writes the table. Every statement names the user it works for. */

/** mine: the user promised the contact; theirs: the contact promised the user. */
export type Direction = "mine" | "theirs";
export type PromiseStatus = "open" | "kept" | "dropped";

export interface PromiseRow {
  id: number;
  contact_id: number;
  direction: Direction;
  what: string;
  said: string;
  due_at: number;
  status: PromiseStatus;
  created_at: number;
  closed_at: number | null;
}

const COLUMNS = "id, contact_id, direction, what, said, due_at, status, created_at, closed_at";

export function insertPromise(
  db: D1Database,
  p: { id: number; userId: number; contactId: number; direction: Direction; what: string; said: string; dueAt: number; interactionId: number | null; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO promises (id, user_id, contact_id, direction, what, said, due_at, status, interaction_id, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9)`,
    )
    .bind(p.id, p.userId, p.contactId, p.direction, p.what, p.said, p.dueAt, p.interactionId, p.now);
}

/** Kept (by reply, by link, or shown by a later mail) or dropped. Only an open one changes. */
export function closePromise(db: D1Database, userId: number, id: number, status: Exclude<PromiseStatus, "open">, now: number): D1PreparedStatement {
  return db.prepare("UPDATE promises SET status = ?3, closed_at = ?4 WHERE id = ?2 AND user_id = ?1 AND status = 'open'").bind(userId, id, status, now);
}

/** The open promises of some contacts, soonest due first. */
export async function openPromisesOf(db: D1Database, userId: number, contactIds: number[]): Promise<PromiseRow[]> {
  if (contactIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM promises WHERE contact_id IN (SELECT value FROM json_each(?2)) AND status = 'open' AND +user_id = ?1
       ORDER BY due_at LIMIT 50`,
    )
    .bind(userId, JSON.stringify(contactIds))
    .all<PromiseRow>();
  return results;
}

/** The week's promises for the summary: made in it, kept in it, and open past due. */
export async function promiseWeek(db: D1Database, userId: number, since: number, until: number): Promise<{ made: number; kept: number; overdue: number }> {
  const row = await db
    .prepare(
      `SELECT coalesce(sum(created_at > ?2 AND created_at <= ?3), 0) AS made,
         coalesce(sum(status = 'kept' AND closed_at > ?2 AND closed_at <= ?3), 0) AS kept,
         coalesce(sum(status = 'open' AND due_at <= ?3), 0) AS overdue
       FROM promises WHERE user_id = ?1 AND (status = 'open' OR created_at > ?2 OR closed_at > ?2)`,
    )
    .bind(userId, since, until)
    .first<{ made: number; kept: number; overdue: number }>();
  return row ?? { made: 0, kept: 0, overdue: 0 };
}

/** Every promise of the user, for an export. */
export async function allPromises(db: D1Database, userId: number): Promise<PromiseRow[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM promises WHERE user_id = ?1 ORDER BY created_at`).bind(userId).all<PromiseRow>();
  return results;
}

/** A merge: `drop`'s promises become `keep`'s. */
export function movePromises(db: D1Database, userId: number, keep: number, drop: number): D1PreparedStatement {
  return db.prepare("UPDATE promises SET contact_id = ?2 WHERE user_id = ?1 AND contact_id = ?3").bind(userId, keep, drop);
}

/** A person forgotten takes their promises along. */
export function deletePromisesOf(db: D1Database, userId: number, contactId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM promises WHERE user_id = ?1 AND contact_id = ?2").bind(userId, contactId);
}

export function deleteAllPromises(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM promises WHERE user_id = ?1").bind(userId);
}
