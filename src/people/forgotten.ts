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

/** Which of these addresses the user had Kith forget. Every capture asks, so the list is
 * bound as parameters (a key lookup each, reading only what is there), not json_each
 * (whose rows D1 counts as read). */
export async function forgottenAmong(db: D1Database, userId: number, emails: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < emails.length; i += 90) {
    const chunk = emails.slice(i, i + 90);
    const { results } = await db
      .prepare(`SELECT email FROM forgotten_addresses WHERE user_id = ?1 AND email IN (${chunk.map((_, k) => `?${k + 2}`).join(", ")})`)
      .bind(userId, ...chunk)
      .all<{ email: string }>();
    for (const r of results) found.add(r.email);
  }
  return found;
}

export function deleteAllForgotten(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM forgotten_addresses WHERE user_id = ?1").bind(userId);
}
