import type { Role } from "./capture";

/** SQL for interactions and interaction_contacts: what happened, when, and who took
 * part in which role (capture.ts `Role`). The only module that writes these tables. */

/** interactions.kind: the kind of mail that logged it, or "follow-up" for a reminder the
 * user marked done. */
/** "met": the user logged meeting them (the dashboard, the API). */
/** "meeting": a calendar invitation's meeting, at its start. */
export type InteractionKind = "bcc" | "intro" | "forward" | "note" | "follow-up" | "met" | "meeting";

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

/** A contact's interactions, newest first: the last few for a lookup. */
export interface InteractionLine {
  contact_id: number;
  id: number;
  kind: InteractionKind;
  occurred_at: number;
  subject: string | null;
}

export async function lastInteractions(db: D1Database, userId: number, ids: number[], per: number): Promise<InteractionLine[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT contact_id, id, kind, occurred_at, subject FROM (
         SELECT ic.contact_id, i.id, i.kind, i.occurred_at, i.subject,
           ROW_NUMBER() OVER (PARTITION BY ic.contact_id ORDER BY i.occurred_at DESC) AS n
         FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
         WHERE ic.contact_id IN (SELECT value FROM json_each(?2)) AND +i.user_id = ?1
         GROUP BY ic.contact_id, i.id)
       WHERE n <= ?3 ORDER BY contact_id, occurred_at DESC`,
    )
    .bind(userId, JSON.stringify(ids), per)
    .all<InteractionLine>();
  return results;
}

/** The interactions a contact took part in (before erasing their part in them). */
export async function interactionIdsOf(db: D1Database, userId: number, contactId: number): Promise<number[]> {
  const { results } = await db
    .prepare("SELECT DISTINCT ic.interaction_id AS id FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id WHERE ic.contact_id = ?2 AND i.user_id = ?1")
    .bind(userId, contactId)
    .all<{ id: number }>();
  return results.map((r) => r.id);
}

/** `drop`'s part in interactions becomes `keep`'s (a role both had is kept once). */
export function moveParticipation(db: D1Database, userId: number, keep: number, drop: number): D1PreparedStatement[] {
  const own = "EXISTS (SELECT 1 FROM interactions i WHERE i.id = interaction_contacts.interaction_id AND i.user_id = ?1)";
  return [
    db.prepare(`UPDATE OR IGNORE interaction_contacts SET contact_id = ?2 WHERE contact_id = ?3 AND ${own}`).bind(userId, keep, drop),
    db.prepare(`DELETE FROM interaction_contacts WHERE contact_id = ?2 AND ${own}`).bind(userId, drop),
  ];
}

/** A forgotten contact leaves the interactions it was in; those left with nobody go. */
export function dropParticipation(db: D1Database, userId: number, contactId: number, interactionIds: number[]): D1PreparedStatement[] {
  const ids = JSON.stringify(interactionIds);
  const out = [
    db
      .prepare("DELETE FROM interaction_contacts WHERE contact_id = ?2 AND EXISTS (SELECT 1 FROM interactions i WHERE i.id = interaction_contacts.interaction_id AND i.user_id = ?1)")
      .bind(userId, contactId),
    db
      .prepare(
        `DELETE FROM interactions WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))
           AND NOT EXISTS (SELECT 1 FROM interaction_contacts ic WHERE ic.interaction_id = interactions.id)`,
      )
      .bind(userId, ids),
  ];
  return out;
}

/** The user's interactions whose subject or summary may name an address
 * (lib/mention.ts decides). */
export async function interactionsQuoting(db: D1Database, userId: number, address: string): Promise<{ id: number; subject: string | null; summary: string | null }[]> {
  const { results } = await db
    .prepare("SELECT id, subject, summary FROM interactions WHERE user_id = ?1 AND (instr(lower(subject), ?2) > 0 OR instr(lower(summary), ?2) > 0)")
    .bind(userId, address.toLowerCase())
    .all<{ id: number; subject: string | null; summary: string | null }>();
  return results;
}

export function clearInteractionText(db: D1Database, userId: number, subjectIds: number[], summaryIds: number[]): D1PreparedStatement[] {
  return [
    db.prepare("UPDATE interactions SET subject = NULL WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))").bind(userId, JSON.stringify(subjectIds)),
    db.prepare("UPDATE interactions SET summary = NULL WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))").bind(userId, JSON.stringify(summaryIds)),
  ];
}

export function deleteAllInteractions(db: D1Database, userId: number): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM interaction_contacts WHERE interaction_id IN (SELECT id FROM interactions WHERE user_id = ?1)").bind(userId),
    db.prepare("DELETE FROM interactions WHERE user_id = ?1").bind(userId),
  ];
}

export interface InteractionRow {
  id: number;
  kind: InteractionKind;
  occurred_at: number;
  subject: string | null;
  summary: string | null;
}

/** Every interaction of the user, oldest first, and who took part in which role. */
export async function allInteractions(db: D1Database, userId: number): Promise<{ interactions: InteractionRow[]; participants: { interaction_id: number; contact_id: number; role: Role }[] }> {
  const [interactions, participants] = await db.batch([
    db.prepare("SELECT id, kind, occurred_at, subject, summary FROM interactions WHERE user_id = ?1 ORDER BY occurred_at, id").bind(userId),
    db
      .prepare("SELECT ic.interaction_id, ic.contact_id, ic.role FROM interactions i JOIN interaction_contacts ic ON ic.interaction_id = i.id WHERE i.user_id = ?1")
      .bind(userId),
  ]);
  return {
    interactions: (interactions?.results ?? []) as InteractionRow[],
    participants: (participants?.results ?? []) as { interaction_id: number; contact_id: number; role: Role }[],
  };
}

/** A page of the user's interactions, oldest first, after `cursor` (the last of the page
 * before), with their participants: for a download, along interactions_user. */
export async function interactionsAfter(
  db: D1Database,
  userId: number,
  cursor: { at: number; id: number } | null,
  limit: number,
): Promise<{ interactions: InteractionRow[]; participants: { interaction_id: number; contact_id: number; role: Role }[] }> {
  const after = cursor ? "AND occurred_at >= ?3 AND (occurred_at > ?3 OR id > ?4)" : "";
  const { results } = await db
    .prepare(`SELECT id, kind, occurred_at, subject, summary FROM interactions WHERE user_id = ?1 ${after} ORDER BY occurred_at, id LIMIT ?2`)
    .bind(userId, limit, ...(cursor ? [cursor.at, cursor.id] : []))
    .all<InteractionRow>();
  if (results.length === 0) return { interactions: [], participants: [] };
  const { results: participants } = await db
    .prepare("SELECT interaction_id, contact_id, role FROM interaction_contacts WHERE interaction_id IN (SELECT value FROM json_each(?1))")
    .bind(JSON.stringify(results.map((r) => r.id)))
    .all<{ interaction_id: number; contact_id: number; role: Role }>();
  return { interactions: results, participants };
}

/** A person's timeline, newest first: each interaction with who else took part. */
export interface TimelineEntry {
  id: number;
  kind: InteractionKind;
  occurred_at: number;
  subject: string | null;
  others: string | null;
}

export async function timelineOf(db: D1Database, userId: number, contactId: number, limit: number): Promise<TimelineEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT i.id, i.kind, i.occurred_at, i.subject,
         (SELECT group_concat(COALESCE(c.name, (SELECT email FROM contact_emails WHERE contact_id = c.id ORDER BY email LIMIT 1)), ', ')
            FROM interaction_contacts o JOIN contacts c ON c.id = o.contact_id
            WHERE o.interaction_id = i.id AND o.contact_id <> ?2) AS others
       FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
       WHERE ic.contact_id = ?2 AND +i.user_id = ?1
       GROUP BY i.id ORDER BY i.occurred_at DESC LIMIT ?3`,
    )
    .bind(userId, contactId, limit)
    .all<TimelineEntry>();
  return results;
}

/** A meeting moved: its interaction moves with it. */
export function moveInteraction(db: D1Database, userId: number, id: number, occurredAt: number, subject: string | null): D1PreparedStatement {
  return db.prepare("UPDATE interactions SET occurred_at = ?3, subject = coalesce(?4, subject) WHERE id = ?2 AND user_id = ?1").bind(userId, id, occurredAt, subject);
}

/** A meeting cancelled: its interaction and who took part in it. */
export function deleteInteraction(db: D1Database, userId: number, id: number): D1PreparedStatement[] {
  return [
    db.prepare("DELETE FROM interaction_contacts WHERE interaction_id = ?2 AND EXISTS (SELECT 1 FROM interactions WHERE id = ?2 AND user_id = ?1)").bind(userId, id),
    db.prepare("DELETE FROM interactions WHERE id = ?2 AND user_id = ?1").bind(userId, id),
  ];
}
