/** SQL for reminders and the numbered items of reminder mails. Every statement names
 * the user it works for. */

export type ReminderKind = "follow-up" | "check-in" | "intro-check";

export function insertReminder(
  db: D1Database,
  r: { id: number; userId: number; contactId: number; kind: ReminderKind; dueAt: number; introductionId?: number | null; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, introduction_id, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7)`,
    )
    .bind(r.id, r.userId, r.contactId, r.kind, r.dueAt, r.introductionId ?? null, r.now);
}

/** The contact's one pending check-in, created or moved. `later` keeps whichever due
 * time is later (an interaction never brings a check-in forward); otherwise it is set. */
export function upsertCheckIn(
  db: D1Database,
  r: { id: number; userId: number; contactId: number; dueAt: number; now: number; later: boolean },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at)
       VALUES (?1, ?2, ?3, 'check-in', ?4, 'pending', ?5)
       ON CONFLICT (contact_id, kind) WHERE status = 'pending' AND kind = 'check-in'
       DO UPDATE SET due_at = CASE WHEN ?6 THEN MAX(due_at, excluded.due_at) ELSE excluded.due_at END`,
    )
    .bind(r.id, r.userId, r.contactId, r.dueAt, r.now, r.later ? 1 : 0);
}

/** The user wrote to the contact: an open follow-up is done. */
export function completeFollowUps(db: D1Database, userId: number, contactId: number, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE reminders SET status = 'done', acted_at = ?3
       WHERE contact_id = ?2 AND user_id = ?1 AND kind = 'follow-up' AND status = 'pending'`,
    )
    .bind(userId, contactId, now);
}

/** "stop": no more check-ins for this contact. */
export function dropCheckIns(db: D1Database, userId: number, contactId: number): D1PreparedStatement {
  return db
    .prepare("DELETE FROM reminders WHERE contact_id = ?2 AND user_id = ?1 AND kind = 'check-in' AND status = 'pending'")
    .bind(userId, contactId);
}

/** Only an open reminder changes: a second "done" racing the first finds it closed. */
export function setReminderStatus(db: D1Database, userId: number, id: number, status: string, now: number): D1PreparedStatement {
  return db
    .prepare("UPDATE reminders SET status = ?3, acted_at = ?4 WHERE id = ?2 AND user_id = ?1 AND status IN ('pending', 'claimed', 'sent')")
    .bind(userId, id, status, now);
}

/** One reminder with what a mail about it needs to say. */
export interface DueReminder {
  id: number;
  kind: ReminderKind;
  due_at: number;
  created_at: number;
  status: string;
  contact_id: number;
  introduction_id: number | null;
  name: string | null;
  email: string | null;
  company: string | null;
  met_at: string | null;
  last_interaction_at: number | null;
  cadence_days: number | null;
  muted_at: number | null;
  contact_created_at: number;
  other_name: string | null;
  other_email: string | null;
  last_subject: string | null;
}

const DETAIL = `r.id, r.kind, r.due_at, r.created_at, r.status, r.contact_id, r.introduction_id,
  c.name, (SELECT email FROM contact_emails WHERE contact_id = c.id LIMIT 1) AS email,
  c.company, c.met_at, c.last_interaction_at, c.cadence_days, c.muted_at, c.created_at AS contact_created_at,
  o.name AS other_name, (SELECT email FROM contact_emails WHERE contact_id = o.id LIMIT 1) AS other_email,
  (SELECT i.subject FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
    WHERE ic.contact_id = c.id ORDER BY i.occurred_at DESC LIMIT 1) AS last_subject`;

const JOINS = `FROM reminders r JOIN contacts c ON c.id = r.contact_id AND c.user_id = r.user_id
  LEFT JOIN introductions n ON n.id = r.introduction_id AND n.user_id = r.user_id
  LEFT JOIN contacts o ON o.id = n.contact_b_id AND o.user_id = r.user_id`;

/** Reminders by id, only the user's own. */
export async function remindersByIds(db: D1Database, userId: number, ids: number[]): Promise<DueReminder[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    // +r.user_id: look the ids up by primary key, then check the owner (not the reverse).
    .prepare(`SELECT ${DETAIL} ${JOINS} WHERE +r.user_id = ?1 AND r.id IN (${ids.map((_, i) => `?${i + 2}`).join(", ")})`)
    .bind(userId, ...ids)
    .all<DueReminder>();
  return results;
}

/** The reminders of reminder mail `outboundId`, by item number. */
export async function itemsOf(db: D1Database, userId: number, outboundId: number): Promise<Map<number, DueReminder>> {
  const { results } = await db
    .prepare(
      `SELECT ri.item_no, ${DETAIL} FROM reminder_items ri JOIN reminders r ON r.id = ri.reminder_id
       ${JOINS.slice(JOINS.indexOf("JOIN contacts c"))}
       WHERE ri.outbound_id = ?2 AND r.user_id = ?1 ORDER BY ri.item_no`,
    )
    .bind(userId, outboundId)
    .all<DueReminder & { item_no: number }>();
  return new Map(results.map((r) => [r.item_no, r]));
}

export function insertItem(db: D1Database, outboundId: number, itemNo: number, reminderId: number): D1PreparedStatement {
  return db
    .prepare("INSERT INTO reminder_items (outbound_id, item_no, reminder_id) VALUES (?1, ?2, ?3)")
    .bind(outboundId, itemNo, reminderId);
}
