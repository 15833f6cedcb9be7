/** SQL for introductions: who introduced whom. The only module that writes the table.
 * A NULL introducer is the user; a NULL side is the user too (someone introduced the
 * user to a contact). */

export interface NewIntroduction {
  id: number;
  userId: number;
  interactionId: number;
  introducerId: number | null;
  aId: number;
  bId: number | null;
  now: number;
}

export function insertIntroduction(db: D1Database, i: NewIntroduction): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO introductions (id, user_id, interaction_id, introducer_id, contact_a_id, contact_b_id, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(i.id, i.userId, i.interactionId, i.introducerId, i.aId, i.bId, i.now);
}
