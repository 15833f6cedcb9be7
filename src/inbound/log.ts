/** SQL for the inbound log (idempotency) and for held mail awaiting the user's yes. */

export async function alreadyApplied(db: D1Database, userId: number, messageId: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS hit FROM inbound_messages WHERE user_id = ?1 AND message_id = ?2")
    .bind(userId, messageId)
    .first<{ hit: number }>();
  return row !== null;
}

export interface InboundRow {
  id: number;
  userId: number;
  messageId: string;
  kind: string;
  outcome: "applied" | "held" | "ignored";
  subject: string | null;
  now: number;
}

/** First statement of every inbound batch: a redelivery violates UNIQUE(user_id, message_id)
 * and so rolls back the whole batch. */
export function insertInbound(db: D1Database, r: InboundRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO inbound_messages (id, user_id, message_id, kind, outcome, subject, received_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(r.id, r.userId, r.messageId, r.kind, r.outcome, r.subject, r.now);
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /UNIQUE constraint failed/i.test(err.message);
}

export interface HeldRow {
  id: number;
  user_id: number | null;
  address: string;
  message_id: string;
  intent: string;
  status: string;
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

export async function heldByMessage(db: D1Database, address: string, messageId: string): Promise<HeldRow | null> {
  return db
    .prepare("SELECT * FROM held_messages WHERE address = ?1 AND message_id = ?2")
    .bind(address, messageId)
    .first<HeldRow>();
}

/** A held mail, only for the address it was held for. */
export async function heldById(db: D1Database, id: number, address: string): Promise<HeldRow | null> {
  return db.prepare("SELECT * FROM held_messages WHERE id = ?1 AND address = ?2").bind(id, address).first<HeldRow>();
}

/** Claim a held mail for applying: only one of two racing confirmations wins. */
export function markHeld(db: D1Database, id: number, status: "applied" | "expired"): D1PreparedStatement {
  return db.prepare("UPDATE held_messages SET status = ?2 WHERE id = ?1 AND status = 'held'").bind(id, status);
}
