import { DAY } from "../lib/time";
import { hashSecret, newSecret, SECRET_SHAPE } from "./secret";

/** SQL for sessions: signed-in browsers. The only module that writes the table. */

export const SESSION_TTL = 30 * DAY;
/** However much it is used, a session ends this long after it began. */
export const SESSION_MAX_AGE = 90 * DAY;

export async function newSession(db: D1Database, userId: number, now: number): Promise<{ token: string; hash: string; statement: D1PreparedStatement }> {
  const token = newSecret();
  const hash = await hashSecret(token);
  const statement = db
    .prepare("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)")
    .bind(hash, userId, now, now + SESSION_TTL);
  return { token, hash, statement };
}

export interface Session {
  hash: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
}

/** A session for whoever the sign-in link `linkHash` belongs to, if it can still be used:
 * run in one batch with useLoginLink (login.ts), so that a used link always made a
 * session and two racing clicks make one. */
export async function sessionFromLink(db: D1Database, linkHash: string, now: number): Promise<{ token: string; statement: D1PreparedStatement }> {
  const token = newSecret();
  const statement = db
    .prepare(
      `INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
       SELECT ?1, user_id, ?2, ?3 FROM login_links WHERE token_hash = ?4 AND used_at IS NULL AND expires_at > ?2`,
    )
    .bind(await hashSecret(token), now, now + SESSION_TTL, linkHash);
  return { token, statement };
}

/** The session a cookie holds, if it is live. */
export async function sessionOf(db: D1Database, token: string, now: number): Promise<Session | null> {
  if (!SECRET_SHAPE.test(token)) return null;
  const hash = await hashSecret(token);
  const row = await db
    .prepare("SELECT user_id, created_at, expires_at FROM sessions WHERE token_hash = ?1 AND expires_at > ?2 AND created_at > ?2 - ?3")
    .bind(hash, now, SESSION_MAX_AGE)
    .first<{ user_id: number; created_at: number; expires_at: number }>();
  return row ? { hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at } : null;
}

/** Sliding: a session used now lasts 30 days from now (never past its 90th day);
 * renewed once a day at most, so that a page view is not a write. */
export function renewal(db: D1Database, s: Session, now: number): D1PreparedStatement | null {
  const until = Math.min(now + SESSION_TTL, s.createdAt + SESSION_MAX_AGE);
  if (until - s.expiresAt < DAY) return null;
  return db.prepare("UPDATE sessions SET expires_at = ?2 WHERE token_hash = ?1").bind(s.hash, until);
}

export function endSession(db: D1Database, hash: string): D1PreparedStatement {
  return db.prepare("DELETE FROM sessions WHERE token_hash = ?1").bind(hash);
}

/** "Sign out everywhere", and account deletion. */
export function endAllSessions(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM sessions WHERE user_id = ?1").bind(userId);
}

/** The tick's part: sessions past their expiry go. */
export function pruneSessions(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare("DELETE FROM sessions WHERE expires_at <= ?1").bind(now);
}
