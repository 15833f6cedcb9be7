/** SQL for duplicate_suggestions: a newcomer who may be someone the user already has
 * (same name, or a same phone, under another address). Offered, never merged silently.
 * The only module that writes the table. */

/** duplicate_suggestions.status: open until the two are merged (then the row goes) or
 * the user says they are not the same person. */
export type SuggestionStatus = "open" | "dismissed";

export function insertSuggestion(db: D1Database, s: { id: number; userId: number; contactId: number; otherId: number; reason: "name" | "phone"; now: number }): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO duplicate_suggestions (id, user_id, contact_id, other_id, reason, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE NOT EXISTS (SELECT 1 FROM duplicate_suggestions WHERE contact_id = ?4 AND other_id = ?3)`,
    )
    .bind(s.id, s.userId, s.contactId, s.otherId, s.reason, s.now);
}

/** "Not the same person": the suggestion about these two is dismissed (either way round). */
export function dismissSuggestion(db: D1Database, userId: number, a: number, b: number): D1PreparedStatement[] {
  return [
    db
      .prepare("UPDATE duplicate_suggestions SET status = 'dismissed' WHERE user_id = ?1 AND ((contact_id = ?2 AND other_id = ?3) OR (contact_id = ?3 AND other_id = ?2))")
      .bind(userId, a, b),
  ];
}

/** Suggestions about a contact that is merged away or forgotten go with it. */
export function deleteSuggestions(db: D1Database, userId: number, contactId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM duplicate_suggestions WHERE user_id = ?1 AND (contact_id = ?2 OR other_id = ?2)").bind(userId, contactId);
}

export function deleteAllSuggestions(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM duplicate_suggestions WHERE user_id = ?1").bind(userId);
}
