import type { InboundKind } from "../core/commands";

/** SQL for inbound_messages: every mail applied for a user, the idempotency key. The
 * only module that writes the table. */

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
  kind: InboundKind;
  /** Only applied mail is logged (held mail waits in held_messages); the column is
   * there for other outcomes a later change may log. */
  outcome: "applied";
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

export function deleteAllInbound(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM inbound_messages WHERE user_id = ?1").bind(userId);
}

/** Logged subjects that may name an address (lib/mention.ts decides). */
export async function subjectsQuoting(db: D1Database, userId: number, address: string): Promise<{ id: number; subject: string }[]> {
  const { results } = await db
    .prepare("SELECT id, subject FROM inbound_messages WHERE user_id = ?1 AND instr(lower(subject), ?2) > 0")
    .bind(userId, address.toLowerCase())
    .all<{ id: number; subject: string }>();
  return results;
}

export function clearSubjects(db: D1Database, userId: number, ids: number[]): D1PreparedStatement {
  return db.prepare("UPDATE inbound_messages SET subject = NULL WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))").bind(userId, JSON.stringify(ids));
}

/** The mail being applied names the address in its own subject ("forget …"): it is
 * logged earlier in the same batch, at `now`, so no read can find it first. */
export function clearOwnSubject(db: D1Database, userId: number, now: number, address: string): D1PreparedStatement {
  return db
    .prepare("UPDATE inbound_messages SET subject = NULL WHERE user_id = ?1 AND received_at = ?2 AND instr(lower(subject), ?3) > 0")
    .bind(userId, now, address.toLowerCase());
}
