import { DAY, MINUTE } from "../lib/time";
import { hashSecret, newSecret, SECRET_SHAPE } from "./secret";

/** SQL for login_links: one-time sign-in links. The only module that writes the table. */

export const LOGIN_TTL = 15 * MINUTE;

export async function newLoginLink(db: D1Database, userId: number, now: number): Promise<{ token: string; statement: D1PreparedStatement }> {
  const token = newSecret();
  const statement = db
    .prepare("INSERT INTO login_links (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
    .bind(await hashSecret(token), userId, now, now + LOGIN_TTL);
  return { token, statement };
}

/** Whose link this is, if it is one that can still be used (unused, unexpired). */
export async function loginLinkUser(db: D1Database, token: string, now: number): Promise<number | null> {
  if (!SECRET_SHAPE.test(token)) return null;
  const row = await db
    .prepare("SELECT user_id FROM login_links WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2")
    .bind(await hashSecret(token), now)
    .first<{ user_id: number }>();
  return row?.user_id ?? null;
}

/** The link's hash, when the token has a link's shape. */
export const linkHash = async (token: string): Promise<string | null> => (SECRET_SHAPE.test(token) ? hashSecret(token) : null);

/** Use the link (in the batch after sessions.ts sessionFromLink, which reads it unused). */
export function useLoginLink(db: D1Database, hash: string, now: number): D1PreparedStatement {
  return db.prepare("UPDATE login_links SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2").bind(hash, now);
}

export function deleteLoginLinks(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM login_links WHERE user_id = ?1").bind(userId);
}

/** The tick's part: links used or expired a day ago go. */
export function pruneLoginLinks(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare("DELETE FROM login_links WHERE expires_at <= ?1").bind(now - DAY);
}
