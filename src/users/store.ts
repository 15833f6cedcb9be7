import { PAUSE_COLUMN, PAUSED_UNTIL_RESUMED, type PauseKind } from "./pause";
import type { User } from "./user";

/** SQL for users and user_addresses: who uses Kith, their preferences and schedules, and
 * the addresses that identify them. The only module that writes these tables. */

/** The columns of a User, from `users u`. */
export const USER_COLS =
  "u.id, u.email, u.name, u.status, u.tz_offset_min, u.time_zone, u.deliver_hour, u.quiet_start, u.quiet_end, u.cadence_days, u.item_cap, " +
  "u.summary_day, u.summary_hour, u.next_summary_at, u.last_summary_week, u.reminders_paused_until, u.summary_paused_until, u.created_at";

/** The user a confirmed address belongs to (their primary address or an alias). */
export async function userByAddress(db: D1Database, address: string): Promise<User | null> {
  return db
    .prepare(
      `SELECT ${USER_COLS}
       FROM user_addresses a JOIN users u ON u.id = a.user_id
       WHERE a.email = ?1 AND a.status = 'confirmed'`,
    )
    .bind(address.toLowerCase())
    .first<User>();
}

export async function userById(db: D1Database, id: number): Promise<User | null> {
  return db
    .prepare(`SELECT ${USER_COLS} FROM users u WHERE u.id = ?1`)
    .bind(id)
    .first<User>();
}

export interface UserAddress {
  email: string;
  /** confirmed: mail from it is the user's; pending: an alias waiting for its mailbox's yes. */
  status: "confirmed" | "pending";
}

/** Every address of the user, pending ones too: none of them may become a contact. */
export async function addressesOf(db: D1Database, userId: number): Promise<UserAddress[]> {
  const { results } = await db
    .prepare("SELECT email, status FROM user_addresses WHERE user_id = ?1 ORDER BY created_at")
    .bind(userId)
    .all<UserAddress>();
  return results;
}

/** Who holds an address, whatever its status. */
export async function addressOwner(db: D1Database, address: string): Promise<{ user_id: number; status: string; created_at: number } | null> {
  return db
    .prepare("SELECT user_id, status, created_at FROM user_addresses WHERE email = ?1")
    .bind(address.toLowerCase())
    .first<{ user_id: number; status: string; created_at: number }>();
}

/** A pending alias nobody confirmed in time: it no longer holds the address. */
export function dropStalePending(db: D1Database, address: string, before: number): D1PreparedStatement {
  return db
    .prepare("DELETE FROM user_addresses WHERE email = ?1 AND status = 'pending' AND created_at < ?2")
    .bind(address.toLowerCase(), before);
}

export function insertUser(db: D1Database, id: number, email: string, name: string | null, now: number): D1PreparedStatement[] {
  const address = email.toLowerCase();
  return [
    db.prepare("INSERT INTO users (id, email, name, created_at) VALUES (?1, ?2, ?3, ?4)").bind(id, address, name, now),
    db
      .prepare("INSERT INTO user_addresses (email, user_id, status, created_at, confirmed_at) VALUES (?1, ?2, 'confirmed', ?3, ?3)")
      .bind(address, id, now),
  ];
}

export function insertPendingAlias(db: D1Database, userId: number, address: string, now: number): D1PreparedStatement {
  return db
    .prepare("INSERT INTO user_addresses (email, user_id, status, created_at) VALUES (?1, ?2, 'pending', ?3)")
    .bind(address.toLowerCase(), userId, now);
}

/** Only the pending alias of this very user becomes confirmed. */
export function confirmAlias(db: D1Database, userId: number, address: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE user_addresses SET status = 'confirmed', confirmed_at = ?3
       WHERE email = ?2 AND user_id = ?1 AND status = 'pending'`,
    )
    .bind(userId, address.toLowerCase(), now);
}

export function removeAlias(db: D1Database, userId: number, address: string): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM user_addresses WHERE email = ?2 AND user_id = ?1
       AND email <> (SELECT email FROM users WHERE id = ?1)`,
    )
    .bind(userId, address.toLowerCase());
}

/** Remember the UTC offset of the user's mail: the timezone guess until they set one. */
export function setTzOffset(db: D1Database, userId: number, offsetMin: number): D1PreparedStatement {
  return db.prepare("UPDATE users SET tz_offset_min = ?2 WHERE id = ?1").bind(userId, offsetMin);
}

// ---- preferences

/** The preferences one "settings" command sets with a single value. */
const PREFERENCE_COLUMN = { timezone: "time_zone", deliver: "deliver_hour", cadence: "cadence_days", cap: "item_cap" } as const;
export type Preference = keyof typeof PREFERENCE_COLUMN;

export function setPreference(db: D1Database, userId: number, name: Preference, value: string | number): D1PreparedStatement {
  return db.prepare(`UPDATE users SET ${PREFERENCE_COLUMN[name]} = ?2 WHERE id = ?1`).bind(userId, value);
}

export function setQuietHours(db: D1Database, userId: number, start: number, end: number): D1PreparedStatement {
  return db.prepare("UPDATE users SET quiet_start = ?2, quiet_end = ?3 WHERE id = ?1").bind(userId, start, end);
}

// ---- pauses

/** Pause these kinds until `until` (PAUSED_UNTIL_RESUMED: until the user resumes). */
export function setPauses(db: D1Database, userId: number, kinds: PauseKind[], until: number): D1PreparedStatement[] {
  return kinds.map((k) => db.prepare(`UPDATE users SET ${PAUSE_COLUMN[k]} = ?2 WHERE id = ?1`).bind(userId, until));
}

export function clearPauses(db: D1Database, userId: number, kinds: PauseKind[]): D1PreparedStatement[] {
  return kinds.map((k) => db.prepare(`UPDATE users SET ${PAUSE_COLUMN[k]} = NULL WHERE id = ?1`).bind(userId));
}

/** Pause every kind of mail to the user whose primary address this is (no-op for any
 * other address): a spam complaint means "stop", and only the user can undo it. */
export function pauseAllMail(db: D1Database, primaryAddress: string): D1PreparedStatement {
  return db
    .prepare("UPDATE users SET reminders_paused_until = ?2, summary_paused_until = ?2 WHERE email = ?1")
    .bind(primaryAddress.toLowerCase(), PAUSED_UNTIL_RESUMED);
}

// ---- when to look at a user's reminders (users.remind_at, migration 0010)

/** Users whose reminders need a look by ?1 and after ?3 (the queue's watermark, -1 for
 * none), at most ?2, with whether a queue job of theirs leased since ?4 is still waiting.
 * One index entry a user, however many of their reminders wait: what is due but waits for
 * a later slot does not come up until then. */
export const DUE_REMINDERS = `SELECT id AS user_id,
    id IN (SELECT user_id FROM reminder_jobs WHERE enqueued_at > ?4) AS leased
  FROM users INDEXED BY users_remind_at
  WHERE remind_at <= ?1 AND remind_at > ?3
  ORDER BY remind_at LIMIT ?2`;

export async function dueReminderUsers(db: D1Database, now: number, limit: number, after: number, leasedSince: number): Promise<{ user_id: number; leased: number }[]> {
  const { results } = await db.prepare(DUE_REMINDERS).bind(now, limit, after, leasedSince).all<{ user_id: number; leased: number }>();
  return results;
}

/** After a delivery: when to look at the user's reminders again. The earlier of `waitTill`
 * (what was due and waits, `waiting`, for a later slot; their rows do not change) and the
 * next pending reminder's due time, read in the batch, so that a reminder made while the
 * delivery ran is not missed (one whose person is gone, which no delivery reads, is passed
 * over). `seen`: when the delivery's read was cut off, what it read; the due reminders it
 * did not read wait with the rest.
 *
 * Never at or below the queue's watermark (tick_marks; one beyond `wall`, the real clock,
 * is a replayed tick's and passed over): a tick while jobs wait looks only above it, so a
 * look that fell due while this user's job waited is put just after it. Not if a pause
 * was set or lifted since the delivery read the user (`pausedUntil`, as read): that asked
 * for a look at once, which stands. With `outboundId`, only if that mail was recorded
 * earlier in the batch (a delivery that lost its claim leaves the look to the one that
 * won). */
export function lookAgain(
  db: D1Database,
  userId: number,
  o: { outboundId: number | null; waitTill: number | null; waiting: number[]; until: number; seen: number[] | null; wall: number; pausedUntil: number | null },
): D1PreparedStatement {
  const next = `(SELECT max(t, coalesce((SELECT at + 1 FROM tick_marks WHERE name = 'enqueued' AND at <= ?7), t)) FROM (SELECT min(t) AS t FROM (SELECT ?3 AS t UNION ALL SELECT * FROM (
      SELECT due_at FROM reminders WHERE user_id = ?1 AND status = 'pending' AND id NOT IN (SELECT value FROM json_each(?4))
        AND (?6 IS NULL OR due_at > ?5 OR id IN (SELECT value FROM json_each(?6)))
        AND (contact_id IS NULL OR EXISTS (SELECT 1 FROM contacts WHERE id = contact_id AND user_id = ?1))
      ORDER BY due_at LIMIT 1))))`;
  return db
    .prepare(`UPDATE users SET remind_at = ${next} WHERE id = ?1 AND reminders_paused_until IS ?8 AND (?2 IS NULL OR EXISTS (SELECT 1 FROM outbound_messages WHERE id = ?2))`)
    .bind(userId, o.outboundId, o.waitTill, JSON.stringify(o.waiting), o.until, o.seen === null ? null : JSON.stringify(o.seen), o.wall, o.pausedUntil);
}

// ---- the weekly summary's schedule

/** Users whose summary is due by ?1 and after ?3 (the queue's watermark, -1 for none), at
 * most ?2, with whether a queue job of theirs leased since ?4 is still waiting
 * (reminder_jobs: one lease a user, for all their due mail). INDEXED BY: the range over
 * the partial index reads only the due users. */
export const DUE_SUMMARIES = `SELECT id AS user_id,
    id IN (SELECT user_id FROM reminder_jobs WHERE enqueued_at > ?4) AS leased
  FROM users INDEXED BY users_next_summary
  WHERE next_summary_at <= ?1 AND next_summary_at > ?3
  ORDER BY next_summary_at LIMIT ?2`;

export async function dueSummaryUsers(
  db: D1Database,
  now: number,
  limit: number,
  after = -1,
  leasedSince = now,
): Promise<{ user_id: number; leased: number }[]> {
  const { results } = await db.prepare(DUE_SUMMARIES).bind(now, limit, after, leasedSince).all<{ user_id: number; leased: number }>();
  return results;
}

export function setNextSummaryAt(db: D1Database, userId: number, at: number): D1PreparedStatement {
  return db.prepare("UPDATE users SET next_summary_at = ?2 WHERE id = ?1").bind(userId, at);
}

/** Day, hour, on/off and the next slot they give, together. */
export function setSummarySchedule(db: D1Database, u: Pick<User, "id" | "summary_day" | "summary_hour" | "summary_paused_until" | "next_summary_at">): D1PreparedStatement {
  return db
    .prepare("UPDATE users SET summary_day = ?2, summary_hour = ?3, summary_paused_until = ?4, next_summary_at = ?5 WHERE id = ?1")
    .bind(u.id, u.summary_day, u.summary_hour, u.summary_paused_until, u.next_summary_at);
}

/** A week passed over (paused, late, already sent): on to the next slot, unless a settings
 * change moved it meanwhile. */
export async function skipSummarySlot(db: D1Database, userId: number, next: number, due: number): Promise<void> {
  await db.prepare("UPDATE users SET next_summary_at = ?2 WHERE id = ?1 AND next_summary_at = ?3").bind(userId, next, due).run();
}

/** The claim on one week's summary, as the condition on recording its mail
 * (prepareOutbound's onlyIf, parameters from ?12): the week is not claimed yet, and
 * next_summary_at is still `due` (a settings change since the read keeps its new slot).
 * The batch that records the mail is one transaction, so overlapping or retried ticks
 * and duplicate jobs send at most one summary a week, and a failure loses nothing. */
export function summaryUnclaimed(userId: number, week: string, due: number): { sql: string; params: unknown[] } {
  return { sql: "EXISTS (SELECT 1 FROM users WHERE id = ?12 AND last_summary_week IS NOT ?13 AND next_summary_at = ?14)", params: [userId, week, due] };
}

/** The claim itself, after the mail `outboundId` in the same batch, only if it was recorded. */
export function claimSummaryWeek(db: D1Database, userId: number, week: string, next: number, outboundId: number): D1PreparedStatement {
  return db
    .prepare("UPDATE users SET last_summary_week = ?2, next_summary_at = ?3 WHERE id = ?1 AND EXISTS (SELECT 1 FROM outbound_messages WHERE id = ?4)")
    .bind(userId, week, next, outboundId);
}

/** The user and every address of theirs: the last statements of an account's erasure. */
export function deleteUser(db: D1Database, userId: number): D1PreparedStatement[] {
  return [db.prepare("DELETE FROM user_addresses WHERE user_id = ?1").bind(userId), db.prepare("DELETE FROM users WHERE id = ?1").bind(userId)];
}
