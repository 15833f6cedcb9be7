/** SQL for listed_contacts: people listed by number in a mail (a lookup's results, a
 * confirmation's "may be the same person"), so that a reply's numbers find them. The
 * only module that writes the table. */

export interface Listed {
  contact_id: number;
  /** A suggested duplicate: the person already known. */
  other_id: number | null;
}

export function insertListed(db: D1Database, userId: number, outboundId: number, itemNo: number, contactId: number, otherId: number | null = null): D1PreparedStatement {
  return db
    .prepare("INSERT INTO listed_contacts (outbound_id, item_no, user_id, contact_id, other_id) VALUES (?1, ?2, ?3, ?4, ?5)")
    .bind(outboundId, itemNo, userId, contactId, otherId);
}

/** What mail `outboundId` listed, by number: the user's own listings only. */
export async function listedIn(db: D1Database, userId: number, outboundId: number): Promise<Map<number, Listed>> {
  const { results } = await db
    .prepare("SELECT item_no, contact_id, other_id FROM listed_contacts WHERE outbound_id = ?2 AND user_id = ?1 ORDER BY item_no")
    .bind(userId, outboundId)
    .all<Listed & { item_no: number }>();
  return new Map(results.map((r) => [r.item_no, { contact_id: r.contact_id, other_id: r.other_id }]));
}

/** The highest number a mail listed (numbers stay as the mail printed them, whoever has
 * been forgotten since). */
export async function listedCount(db: D1Database, userId: number, outboundId: number): Promise<number> {
  const row = await db.prepare("SELECT max(item_no) AS n FROM listed_contacts WHERE outbound_id = ?1 AND user_id = ?2").bind(outboundId, userId).first<{ n: number | null }>();
  return row?.n ?? 0;
}

/** After a merge, a number that named `drop` names `keep`. */
export function moveListings(db: D1Database, userId: number, keep: number, drop: number): D1PreparedStatement[] {
  return [
    db.prepare("UPDATE listed_contacts SET contact_id = ?2 WHERE contact_id = ?3 AND user_id = ?1").bind(userId, keep, drop),
    db.prepare("UPDATE listed_contacts SET other_id = ?2 WHERE other_id = ?3 AND user_id = ?1").bind(userId, keep, drop),
  ];
}

export function deleteListings(db: D1Database, userId: number, contactId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM listed_contacts WHERE user_id = ?1 AND (contact_id = ?2 OR other_id = ?2)").bind(userId, contactId);
}

export function deleteAllListings(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM listed_contacts WHERE user_id = ?1").bind(userId);
}
