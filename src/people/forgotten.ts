/** SQL for forgotten_addresses: addresses a user asked Kith to forget, blocked so that
 * later mail never brings the person back. The only module that writes the table. */

export function forgetAddresses(db: D1Database, userId: number, emails: string[], now: number): D1PreparedStatement[] {
  return emails.map((e) =>
    db.prepare("INSERT OR IGNORE INTO forgotten_addresses (user_id, email, created_at) VALUES (?1, ?2, ?3)").bind(userId, e.toLowerCase(), now),
  );
}

export function unforgetAddress(db: D1Database, userId: number, email: string): D1PreparedStatement {
  return db.prepare("DELETE FROM forgotten_addresses WHERE user_id = ?1 AND email = ?2").bind(userId, email.toLowerCase());
}

/** Which of these addresses the user had Kith forget. */
export async function forgottenAmong(db: D1Database, userId: number, emails: string[]): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const { results } = await db
    .prepare("SELECT email FROM forgotten_addresses WHERE user_id = ?1 AND email IN (SELECT value FROM json_each(?2))")
    .bind(userId, JSON.stringify(emails))
    .all<{ email: string }>();
  return new Set(results.map((r) => r.email));
}

export function deleteAllForgotten(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM forgotten_addresses WHERE user_id = ?1").bind(userId);
}
