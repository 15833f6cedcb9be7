import { newId } from "../lib/ids";
import { hashSecret, newSecret } from "./secret";

/** SQL for api_tokens: personal access tokens for the JSON API, shown once and kept as
 * their SHA-256. The only module that writes the table. */

export type Scope = "read" | "write";
const PREFIX = "kith_";
const SHAPE = /^kith_[A-Za-z0-9_-]{43}$/;

export async function newToken(db: D1Database, userId: number, name: string, scope: Scope, now: number): Promise<{ id: number; token: string; statement: D1PreparedStatement }> {
  const id = newId();
  const token = newSecret(PREFIX);
  const statement = db
    .prepare("INSERT INTO api_tokens (id, user_id, name, token_hash, scope, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
    .bind(id, userId, name.slice(0, 80), await hashSecret(token), scope, now);
  return { id, token, statement };
}

export interface TokenOwner {
  id: number;
  userId: number;
  scope: Scope;
}

/** Whose live (unrevoked) token this is. */
export async function tokenOwner(db: D1Database, token: string): Promise<TokenOwner | null> {
  if (!SHAPE.test(token)) return null;
  const row = await db
    .prepare("SELECT id, user_id, scope FROM api_tokens WHERE token_hash = ?1 AND revoked_at IS NULL")
    .bind(await hashSecret(token))
    .first<{ id: number; user_id: number; scope: Scope }>();
  return row ? { id: row.id, userId: row.user_id, scope: row.scope } : null;
}

export interface TokenRow {
  id: number;
  name: string;
  scope: Scope;
  created_at: number;
  used_at: number | null;
}

export async function tokensOf(db: D1Database, userId: number): Promise<TokenRow[]> {
  const { results } = await db
    .prepare("SELECT id, name, scope, created_at, used_at FROM api_tokens WHERE user_id = ?1 AND revoked_at IS NULL ORDER BY created_at DESC")
    .bind(userId)
    .all<TokenRow>();
  return results;
}

/** When a token was last used, to the hour: not a write per request. */
export function touchToken(db: D1Database, id: number, now: number): D1PreparedStatement {
  return db.prepare("UPDATE api_tokens SET used_at = ?2 WHERE id = ?1 AND (used_at IS NULL OR used_at < ?2 - 3600000)").bind(id, now);
}

export function revokeToken(db: D1Database, userId: number, id: number, now: number): D1PreparedStatement {
  return db.prepare("UPDATE api_tokens SET revoked_at = ?3 WHERE id = ?2 AND user_id = ?1 AND revoked_at IS NULL").bind(userId, id, now);
}

export function deleteTokens(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM api_tokens WHERE user_id = ?1").bind(userId);
}
