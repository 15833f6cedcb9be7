/** SQL for meetings (from calendar invitations). The only module that writes the table.
 * A meeting is an interaction at its start; its people are that interaction's. */

export interface MeetingRow {
  id: number;
  uid: string;
  sequence: number;
  summary: string | null;
  starts_at: number;
  ends_at: number;
  interaction_id: number;
}

export function insertMeeting(
  db: D1Database,
  m: { id: number; userId: number; uid: string; sequence: number; summary: string | null; startsAt: number; endsAt: number; interactionId: number; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO meetings (id, user_id, uid, sequence, summary, starts_at, ends_at, interaction_id, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)`,
    )
    .bind(m.id, m.userId, m.uid, m.sequence, m.summary, m.startsAt, m.endsAt, m.interactionId, m.now);
}

/** An update of the invitation: the meeting moves (only to a newer sequence). */
export function moveMeeting(db: D1Database, userId: number, id: number, m: { sequence: number; summary: string | null; startsAt: number; endsAt: number }): D1PreparedStatement {
  return db
    .prepare("UPDATE meetings SET sequence = ?3, summary = coalesce(?4, summary), starts_at = ?5, ends_at = ?6 WHERE id = ?2 AND user_id = ?1 AND sequence <= ?3")
    .bind(userId, id, m.sequence, m.summary, m.startsAt, m.endsAt);
}

export function deleteMeeting(db: D1Database, userId: number, id: number): D1PreparedStatement {
  return db.prepare("DELETE FROM meetings WHERE id = ?2 AND user_id = ?1").bind(userId, id);
}

export async function meetingByUid(db: D1Database, userId: number, uid: string): Promise<MeetingRow | null> {
  return db
    .prepare("SELECT id, uid, sequence, summary, starts_at, ends_at, interaction_id FROM meetings WHERE user_id = ?1 AND uid = ?2")
    .bind(userId, uid)
    .first<MeetingRow>();
}

/** The people of some meetings (their interactions' participants), for reminder mails. */
export async function attendeesOf(db: D1Database, userId: number, meetingIds: number[]): Promise<Map<number, { name: string | null; email: string | null }[]>> {
  const out = new Map<number, { name: string | null; email: string | null }[]>();
  if (meetingIds.length === 0) return out;
  const { results } = await db
    .prepare(
      `SELECT DISTINCT m.id AS meeting_id, c.id, c.name, (SELECT email FROM contact_emails WHERE contact_id = c.id LIMIT 1) AS email
       FROM meetings m JOIN interaction_contacts ic ON ic.interaction_id = m.interaction_id
       JOIN contacts c ON c.id = ic.contact_id AND c.user_id = m.user_id
       WHERE m.id IN (SELECT value FROM json_each(?2)) AND +m.user_id = ?1 ORDER BY m.id, c.name LIMIT 500`,
    )
    .bind(userId, JSON.stringify(meetingIds))
    .all<{ meeting_id: number; id: number; name: string | null; email: string | null }>();
  for (const r of results) out.set(r.meeting_id, [...(out.get(r.meeting_id) ?? []), { name: r.name, email: r.email }]);
  return out;
}

/** Meetings whose interaction is gone (its last participant forgotten): they go too. */
export function deleteOrphanMeetings(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM meetings WHERE user_id = ?1 AND interaction_id NOT IN (SELECT id FROM interactions WHERE user_id = ?1)").bind(userId);
}

export function deleteAllMeetings(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM meetings WHERE user_id = ?1").bind(userId);
}

export async function allMeetings(db: D1Database, userId: number): Promise<MeetingRow[]> {
  const { results } = await db
    .prepare("SELECT id, uid, sequence, summary, starts_at, ends_at, interaction_id FROM meetings WHERE user_id = ?1 ORDER BY starts_at")
    .bind(userId)
    .all<MeetingRow>();
  return results;
}
