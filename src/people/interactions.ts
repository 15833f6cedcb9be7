import type { Role } from "./capture";

/** SQL for interactions and interaction_contacts: what happened, when, and who took
 * part in which role (capture.ts `Role`). The only module that writes these tables. */

/** interactions.kind: the kind of mail that logged it, or "follow-up" for a reminder the
 * user marked done. */
export type InteractionKind = "bcc" | "intro" | "forward" | "note" | "follow-up";

export interface NewInteraction {
  id: number;
  userId: number;
  kind: InteractionKind;
  occurredAt: number;
  subject: string | null;
  summary: string | null;
  inboundId: number | null;
  now: number;
}

export function insertInteraction(db: D1Database, i: NewInteraction): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO interactions (id, user_id, kind, occurred_at, subject, summary, inbound_id, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(i.id, i.userId, i.kind, i.occurredAt, i.subject, i.summary, i.inboundId, i.now);
}

export function linkInteraction(db: D1Database, interactionId: number, contactId: number, role: Role): D1PreparedStatement {
  return db
    .prepare("INSERT OR IGNORE INTO interaction_contacts (interaction_id, contact_id, role) VALUES (?1, ?2, ?3)")
    .bind(interactionId, contactId, role);
}
