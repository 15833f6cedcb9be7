/** SQL for held_messages: mail that failed sender authentication under
 * SENDER_AUTH=confirm, kept as its validated intent (never the raw mail) until the
 * sender's yes, or until it expires. The only module that writes the table. */

/** held_messages.status: held → applied (confirmed) or expired. */
export type HeldStatus = "held" | "applied" | "expired";

export interface HeldRow {
  id: number;
  user_id: number | null;
  address: string;
  message_id: string;
  intent: string;
  status: HeldStatus;
  created_at: number;
  expires_at: number;
}

export function insertHeld(
  db: D1Database,
  h: { id: number; userId: number | null; address: string; messageId: string; intent: unknown; now: number; expiresAt: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO held_messages (id, user_id, address, message_id, intent, created_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(h.id, h.userId, h.address, h.messageId, JSON.stringify(h.intent), h.now, h.expiresAt);
}

/** A held mail, only for the address it was held for. */
export async function heldById(db: D1Database, id: number, address: string): Promise<HeldRow | null> {
  return db.prepare("SELECT * FROM held_messages WHERE id = ?1 AND address = ?2").bind(id, address).first<HeldRow>();
}

/** The address a held mail waits for, checked against the user a link was made for
 * (0: the sender was not a user yet). */
export async function heldAddress(db: D1Database, id: number, userId: number): Promise<string | null> {
  const row = await db
    .prepare("SELECT address FROM held_messages WHERE id = ?1 AND COALESCE(user_id, 0) = ?2")
    .bind(id, userId)
    .first<{ address: string }>();
  return row?.address ?? null;
}

/** Claim a held mail for applying: only one of two racing confirmations wins. */
export function markHeld(db: D1Database, id: number, status: "applied" | "expired"): D1PreparedStatement {
  return db.prepare("UPDATE held_messages SET status = ?2 WHERE id = ?1 AND status = 'held'").bind(id, status);
}

/** Uses the partial index held_messages_expiry: no scan of old held mail. */
export const EXPIRE_HELD = "UPDATE held_messages SET status = 'expired' WHERE status = 'held' AND expires_at < ?1";

/** The cron's part: held mail past its time expires. Returns how many. */
export async function expireHeld(db: D1Database, now: number): Promise<number> {
  const r = await db.prepare(EXPIRE_HELD).bind(now).run();
  return r.meta.changes;
}

/** Held mail of the user whose intent may name this address (lib/mention.ts decides). */
export async function heldQuoting(db: D1Database, userId: number, address: string): Promise<{ id: number; intent: string }[]> {
  const { results } = await db
    .prepare("SELECT id, intent FROM held_messages WHERE user_id = ?1 AND instr(lower(intent), ?2) > 0")
    .bind(userId, address.toLowerCase())
    .all<{ id: number; intent: string }>();
  return results;
}

export function deleteHeld(db: D1Database, userId: number, ids: number[]): D1PreparedStatement {
  return db.prepare("DELETE FROM held_messages WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))").bind(userId, JSON.stringify(ids));
}

/** Every held mail of the user, and what their addresses sent before they were one. */
export function deleteAllHeld(db: D1Database, userId: number, addresses: string[]): D1PreparedStatement {
  return db
    .prepare("DELETE FROM held_messages WHERE user_id = ?1 OR (user_id IS NULL AND address IN (SELECT value FROM json_each(?2)))")
    .bind(userId, JSON.stringify(addresses));
}
