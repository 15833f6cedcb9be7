/** SQL for contact_notes: what the user wrote down about a person. The only module that
 * writes the table. */

/** What one note may hold; a longer one is refused with the reason, never cut short. */
export const MAX_NOTE = 2000;

/** Only on a contact of the user that exists when the batch runs (an earlier statement
 * of the same batch may have forgotten them). */
export function insertNote(db: D1Database, n: { id: number; userId: number; contactId: number; text: string; now: number }): D1PreparedStatement {
  return db
    .prepare("INSERT INTO contact_notes (id, user_id, contact_id, text, created_at) SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM contacts WHERE id = ?3 AND user_id = ?2)")
    .bind(n.id, n.userId, n.contactId, n.text, n.now);
}

export interface NoteLine {
  contact_id: number;
  text: string;
  created_at: number;
}

/** The user's notes on these contacts, newest first. */
export async function notesOf(db: D1Database, userId: number, ids: number[]): Promise<NoteLine[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare("SELECT contact_id, text, created_at FROM contact_notes WHERE contact_id IN (SELECT value FROM json_each(?2)) AND +user_id = ?1 ORDER BY created_at DESC")
    .bind(userId, JSON.stringify(ids))
    .all<NoteLine>();
  return results;
}

export function moveNotes(db: D1Database, userId: number, keep: number, drop: number): D1PreparedStatement {
  return db.prepare("UPDATE contact_notes SET contact_id = ?2 WHERE contact_id = ?3 AND user_id = ?1").bind(userId, keep, drop);
}

export function deleteNotes(db: D1Database, userId: number, contactId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM contact_notes WHERE contact_id = ?2 AND user_id = ?1").bind(userId, contactId);
}

/** Notes (on anyone) that quote a forgotten address, to rewrite without it. */
export async function notesQuoting(db: D1Database, userId: number, address: string): Promise<{ id: number; text: string }[]> {
  const { results } = await db
    .prepare("SELECT id, text FROM contact_notes WHERE user_id = ?1 AND instr(lower(text), ?2) > 0")
    .bind(userId, address.toLowerCase())
    .all<{ id: number; text: string }>();
  return results;
}

export function setNoteText(db: D1Database, userId: number, id: number, text: string): D1PreparedStatement {
  return db.prepare("UPDATE contact_notes SET text = ?3 WHERE id = ?2 AND user_id = ?1").bind(userId, id, text);
}

export function deleteAllNotes(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM contact_notes WHERE user_id = ?1").bind(userId);
}

export async function allNotes(db: D1Database, userId: number): Promise<NoteLine[]> {
  const { results } = await db.prepare("SELECT contact_id, text, created_at FROM contact_notes WHERE user_id = ?1 ORDER BY contact_id, created_at").bind(userId).all<NoteLine>();
  return results;
}
