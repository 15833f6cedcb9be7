/** SQL for contact_notes: what the user wrote down about a person. The only module that
 * writes the table. */

/** What one note may hold; a longer one is refused with the reason, never cut short. */
export const MAX_NOTE = 2000;

export function insertNote(db: D1Database, n: { id: number; userId: number; contactId: number; text: string; now: number }): D1PreparedStatement {
  return db
    .prepare("INSERT INTO contact_notes (id, user_id, contact_id, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
    .bind(n.id, n.userId, n.contactId, n.text, n.now);
}
