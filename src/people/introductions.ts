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

/** An introduction around a contact, as a lookup tells it. */
export interface IntroductionLine {
  id: number;
  introducer_id: number | null;
  contact_a_id: number;
  contact_b_id: number | null;
  created_at: number;
}

export async function introductionsAround(db: D1Database, userId: number, ids: number[]): Promise<IntroductionLine[]> {
  if (ids.length === 0) return [];
  const list = JSON.stringify(ids);
  const { results } = await db
    .prepare(
      `SELECT id, introducer_id, contact_a_id, contact_b_id, created_at FROM introductions
       WHERE user_id = ?1 AND (contact_a_id IN (SELECT value FROM json_each(?2)) OR contact_b_id IN (SELECT value FROM json_each(?2))
         OR introducer_id IN (SELECT value FROM json_each(?2)))
       ORDER BY created_at DESC LIMIT 200`,
    )
    .bind(userId, list)
    .all<IntroductionLine>();
  return results;
}

/** `drop`'s introductions become `keep`'s, on every side. */
export function moveIntroductions(db: D1Database, userId: number, keep: number, drop: number): D1PreparedStatement[] {
  return ["introducer_id", "contact_a_id", "contact_b_id"].map((col) =>
    db.prepare(`UPDATE introductions SET ${col} = ?2 WHERE user_id = ?1 AND ${col} = ?3`).bind(userId, keep, drop),
  );
}

/** Introductions a contact took part in, on any side. */
export async function introductionIdsOf(db: D1Database, userId: number, contactId: number): Promise<number[]> {
  const { results } = await db
    .prepare("SELECT id FROM introductions WHERE user_id = ?1 AND (introducer_id = ?2 OR contact_a_id = ?2 OR contact_b_id = ?2)")
    .bind(userId, contactId)
    .all<{ id: number }>();
  return results.map((r) => r.id);
}

/** After a merge, introductions that made someone meet themselves, or introduce
 * themselves ("A met A", "A introduced A"). */
export const SELF_INTRODUCTION = "(contact_a_id = contact_b_id OR introducer_id = contact_a_id OR introducer_id = contact_b_id)";

export function deleteSelfIntroductions(db: D1Database, userId: number, contactId: number): D1PreparedStatement {
  return db
    .prepare(`DELETE FROM introductions WHERE user_id = ?1 AND ?2 IN (contact_a_id, contact_b_id, introducer_id) AND ${SELF_INTRODUCTION}`)
    .bind(userId, contactId);
}

export function deleteIntroductions(db: D1Database, userId: number, ids: number[]): D1PreparedStatement {
  return db.prepare("DELETE FROM introductions WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))").bind(userId, JSON.stringify(ids));
}

export function deleteAllIntroductions(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM introductions WHERE user_id = ?1").bind(userId);
}

export async function allIntroductions(db: D1Database, userId: number): Promise<IntroductionLine[]> {
  const { results } = await db
    .prepare("SELECT id, introducer_id, contact_a_id, contact_b_id, created_at FROM introductions WHERE user_id = ?1 ORDER BY created_at")
    .bind(userId)
    .all<IntroductionLine>();
  return results;
}
