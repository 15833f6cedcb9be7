/** SQL for contact_notes: what the user wrote down about a person. The only module that
 * writes the table. */

/** What one note may hold; a longer one is refused with the reason, never cut short. */
export const MAX_NOTE = 2000;

export function insertNote(db: D1Database, n: { id: number; userId: number; contactId: number; text: string; now: number }): D1PreparedStatement {
  return db
    .prepare("INSERT INTO contact_notes (id, user_id, contact_id, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
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

export function deleteAllNotes(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM contact_notes WHERE user_id = ?1").bind(userId);
}

export async function allNotes(db: D1Database, userId: number): Promise<NoteLine[]> {
  const { results } = await db.prepare("SELECT contact_id, text, created_at FROM contact_notes WHERE user_id = ?1 ORDER BY contact_id, created_at").bind(userId).all<NoteLine>();
  return results;
}
