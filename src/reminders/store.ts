import { failuresSinceLastReminderSql, reminderMailsSinceSql } from "../mail-out/outbound";
import { SELF_INTRODUCTION } from "../people/introductions";
import { USER_COLS } from "../users/store";
import type { User } from "../users/user";

/** SQL for reminders. The only module that writes them. Every statement names the user
 * it works for. (The numbered items of a reminder mail or weekly summary are reminder ids
 * on the mail's row, outbound_messages.items; users.remind_at, kept by triggers and set
 * by a delivery, says when to look at a user's reminders next.) */

/** follow-up (a new connection, within 24 hours), check-in (quiet past the cadence),
 * intro-check (did the two you introduced connect?), promise (you promised them),
 * waiting (they promised you: a nudge once it is a day late), remind (you asked),
 * meeting (follow up after a meeting), plan (an event's first day), plan-recap (the
 * morning after: whom did you meet?). */
export type ReminderKind = "follow-up" | "check-in" | "intro-check" | "promise" | "waiting" | "remind" | "meeting" | "plan" | "plan-recap";

/** reminders.status: pending → sent (in the same batch as the mail that sends it), then
 * what the user did: done, skipped, snoozed (a new pending copy carries on), stopped. */
export type ReminderStatus = "pending" | "sent" | "done" | "skipped" | "snoozed" | "stopped";

/** What a reminder is about besides its contact (at most one of them). */
export interface ReminderSubject {
  introductionId?: number | null;
  promiseId?: number | null;
  meetingId?: number | null;
  planId?: number | null;
  /** The user's own words, for a "remind me". */
  what?: string | null;
}

export function insertReminder(
  db: D1Database,
  r: { id: number; userId: number; contactId: number | null; kind: ReminderKind; dueAt: number; now: number } & ReminderSubject,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, introduction_id, created_at, promise_id, meeting_id, plan_id, what)
       VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6, ?7, ?8, ?9, ?10, ?11)`,
    )
    .bind(r.id, r.userId, r.contactId, r.kind, r.dueAt, r.introductionId ?? null, r.now, r.promiseId ?? null, r.meetingId ?? null, r.planId ?? null, r.what ?? null);
}

/** The subject of reminder `r`, for its snoozed copy. */
export function subjectOf(r: DueReminder): ReminderSubject {
  return { introductionId: r.introduction_id, promiseId: r.promise_id, meetingId: r.meeting_id, planId: r.plan_id, what: r.what };
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

/** "stop": no more check-ins for this contact. Stopped, not deleted: a check-in mailed
 * stays pending, and the mail's item must still find it. */
export function dropCheckIns(db: D1Database, userId: number, contactId: number): D1PreparedStatement {
  return db
    .prepare("UPDATE reminders SET status = 'stopped' WHERE contact_id = ?2 AND user_id = ?1 AND kind = 'check-in' AND status = 'pending'")
    .bind(userId, contactId);
}

/** Only an open reminder changes: a second "done" racing the first finds it closed. */
export function setReminderStatus(db: D1Database, userId: number, id: number, status: Exclude<ReminderStatus, "pending" | "sent">, now: number): D1PreparedStatement {
  return db
    .prepare("UPDATE reminders SET status = ?3, acted_at = ?4 WHERE id = ?2 AND user_id = ?1 AND status IN ('pending', 'sent')")
    .bind(userId, id, status, now);
}

/** One reminder with what a mail about it needs to say. */
export interface DueReminder {
  id: number;
  kind: ReminderKind;
  due_at: number;
  created_at: number;
  status: ReminderStatus;
  /** NULL for a reminder about no one (a plan, a "remind me" naming nobody). */
  contact_id: number | null;
  introduction_id: number | null;
  promise_id: number | null;
  meeting_id: number | null;
  plan_id: number | null;
  what: string | null;
  name: string | null;
  email: string | null;
  company: string | null;
  title: string | null;
  met_at: string | null;
  /** Who introduced the user to them. */
  introducer: string | null;
  /** The user's latest note about them. */
  note: string | null;
  /** How many open promises they have, both ways. */
  open_promises: number | null;
  promise_what: string | null;
  promise_said: string | null;
  promise_status: string | null;
  meeting_summary: string | null;
  meeting_starts_at: number | null;
  meeting_ends_at: number | null;
  plan_event: string | null;
  plan_goal: string | null;
  plan_first_day: string | null;
  plan_last_day: string | null;
  last_interaction_at: number | null;
  cadence_days: number | null;
  muted_at: number | null;
  contact_created_at: number;
  other_name: string | null;
  other_email: string | null;
  last_subject: string | null;
}

const DETAIL = `r.id, r.kind, r.due_at, r.created_at, r.status, r.contact_id, r.introduction_id,
  r.promise_id, r.meeting_id, r.plan_id, r.what,
  c.name, (SELECT email FROM contact_emails WHERE contact_id = c.id LIMIT 1) AS email,
  c.company, c.title, c.met_at, c.last_interaction_at, c.cadence_days, c.muted_at, c.created_at AS contact_created_at, c.open_promises,
  (SELECT coalesce(b.name, (SELECT email FROM contact_emails WHERE contact_id = b.id LIMIT 1)) FROM contacts b WHERE b.id = c.introduced_by AND b.user_id = r.user_id) AS introducer,
  (SELECT t.text FROM contact_notes t WHERE t.contact_id = c.id ORDER BY t.created_at DESC LIMIT 1) AS note,
  o.name AS other_name, (SELECT email FROM contact_emails WHERE contact_id = o.id LIMIT 1) AS other_email,
  (SELECT i.subject FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
    WHERE ic.contact_id = c.id AND i.occurred_at <= r.due_at ORDER BY i.occurred_at DESC LIMIT 1) AS last_subject,
  p.what AS promise_what, p.said AS promise_said, p.status AS promise_status,
  m.summary AS meeting_summary, m.starts_at AS meeting_starts_at, m.ends_at AS meeting_ends_at,
  pl.event AS plan_event, pl.goal AS plan_goal, pl.first_day AS plan_first_day, pl.last_day AS plan_last_day`;

// A reminder's contact, when it has one, must still be there (LEFT JOIN, then checked).
const JOINS = `FROM reminders r LEFT JOIN contacts c ON c.id = r.contact_id AND c.user_id = r.user_id
  LEFT JOIN introductions n ON n.id = r.introduction_id AND n.user_id = r.user_id
  LEFT JOIN contacts o ON o.id = n.contact_b_id AND o.user_id = r.user_id
  LEFT JOIN promises p ON p.id = r.promise_id AND p.user_id = r.user_id
  LEFT JOIN meetings m ON m.id = r.meeting_id AND m.user_id = r.user_id
  LEFT JOIN plans pl ON pl.id = r.plan_id AND pl.user_id = r.user_id`;
const PRESENT = "(r.contact_id IS NULL OR c.id IS NOT NULL)";

/** Reminders by id, only the user's own. */
export async function remindersByIds(db: D1Database, userId: number, ids: number[]): Promise<DueReminder[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    // +r.user_id: look the ids up by primary key, then check the owner (not the reverse).
    // The ids as one JSON parameter: any number of them (D1 binds at most 100).
    .prepare(`SELECT ${DETAIL} ${JOINS} WHERE +r.user_id = ?1 AND r.id IN (SELECT value FROM json_each(?2)) AND ${PRESENT}`)
    .bind(userId, JSON.stringify(ids))
    .all<DueReminder>();
  return results;
}

/** The reminders of reminder mail `outboundId`, by item number (an item forgotten since
 * is missing). */
export async function itemsOf(db: D1Database, userId: number, outboundId: number): Promise<Map<number, DueReminder>> {
  const { results } = await db
    .prepare(
      `SELECT ri.key + 1 AS item_no, ${DETAIL} FROM outbound_messages ob, json_each(ob.items) ri JOIN reminders r ON r.id = ri.value
       ${JOINS.slice(JOINS.indexOf("LEFT JOIN contacts c"))}
       WHERE ob.id = ?2 AND ob.user_id = ?1 AND +r.user_id = ?1 AND ${PRESENT} ORDER BY ri.key`,
    )
    .bind(userId, outboundId)
    .all<DueReminder & { item_no: number }>();
  return new Map(results.map((r) => [r.item_no, r]));
}

/** How many numbered items a reminder mail or summary of the user's has. */
export async function itemCount(db: D1Database, userId: number, outboundId: number): Promise<number> {
  const row = await db
    .prepare("SELECT coalesce(json_array_length(items), 0) AS n FROM outbound_messages WHERE id = ?1 AND user_id = ?2")
    .bind(outboundId, userId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

// ---- delivery: the tick's statements, hand-tuned (their plans are pinned by tests)

/** What a delivery reads about its user, beside their due items: the user, when their
 * reminder mails of the last day went (`recent`, a JSON array), the latest failed mail
 * to say in the next one (`failure`, JSON, or NULL) and whether their address is
 * suppressed. */
export type DeliveryUser = User & { recent: string; failure: string | null; suppressed: string | null };

export function deliveryUser(db: D1Database, userId: number, since: number): D1PreparedStatement {
  return db
    .prepare(
      `SELECT ${USER_COLS}, ${reminderMailsSinceSql("u.id", "?2")} AS recent, ${failuresSinceLastReminderSql("u.id")} AS failure,
         (SELECT reason FROM suppressions WHERE email = u.email) AS suppressed
       FROM users u WHERE u.id = ?1`,
    )
    .bind(userId, since);
}

/** How many due reminders a delivery reads at most. */
export const PENDING_READ = 90;

/** The user's pending reminders due by `until`, soonest first (at most PENDING_READ), with
 * what a mail about them says: one statement, for the delivery's read batch. */
export function pendingFor(db: D1Database, userId: number, until: number): D1PreparedStatement {
  return db
    .prepare(`SELECT ${DETAIL} ${JOINS} WHERE r.user_id = ?1 AND r.status = 'pending' AND r.due_at <= ?2 AND ${PRESENT} ORDER BY r.due_at LIMIT ${PENDING_READ}`)
    .bind(userId, until);
}

/** Like pendingFor, all but check-ins, the kinds that go first first: read when
 * pendingFor was cut off, so that a follow-up is never behind a pile of older items. */
export function pendingBesideCheckIns(db: D1Database, userId: number, until: number): D1PreparedStatement {
  return db
    .prepare(
      `SELECT ${DETAIL} ${JOINS} WHERE r.user_id = ?1 AND r.status = 'pending' AND r.due_at <= ?2 AND r.kind <> 'check-in' AND ${PRESENT}
       ORDER BY CASE r.kind WHEN 'follow-up' THEN 0 WHEN 'intro-check' THEN 1 ELSE 2 END, r.due_at LIMIT ${PENDING_READ}`,
    )
    .bind(userId, until);
}

/** What one delivery does to the user's pending reminders, in one statement: each change
 * gives a reminder its new status (sent in the mail, done, or stopped, or still pending: a
 * check-in sent moves on to its next time) and due time. What waits for a later slot does
 * not change (users.remind_at says when to look again). With `outboundId`, nothing changes
 * unless that mail was recorded earlier in the same batch, so a delivery that lost its
 * claim changes nothing. */
export interface Change {
  id: number;
  /** done: a plan's mail, which has nothing to answer. */
  status: "pending" | "sent" | "done" | "stopped";
  dueAt: number;
  /** In the mail (sent_at is set). */
  sent?: boolean;
}

export function applyChanges(db: D1Database, userId: number, outboundId: number | null, now: number, changes: Change[]): D1PreparedStatement {
  return db
    .prepare(
      // The changes drive the join (json_each first, then each reminder by primary key).
      `UPDATE reminders SET status = m.status, due_at = m.due,
         sent_at = iif(m.sent, ?3, sent_at), acted_at = iif(m.status IN ('done', 'stopped'), ?3, acted_at)
       FROM (SELECT value ->> 0 AS id, value ->> 1 AS status, value ->> 2 AS due, value ->> 3 AS sent FROM json_each(?4)) AS m
       WHERE reminders.id = m.id AND +reminders.user_id = ?1 AND +reminders.status = 'pending'
         AND (?2 IS NULL OR EXISTS (SELECT 1 FROM outbound_messages WHERE id = ?2))`,
    )
    .bind(userId, outboundId, now, JSON.stringify(changes.map((c) => [c.id, c.status, c.dueAt, c.sent ? 1 : 0])));
}

/** The claim of a reminder mail, as the condition on recording it (prepareOutbound's
 * onlyIf, parameters from ?12): every one of its items is still pending and due when it
 * was read (a check-in sent stays pending, moved on). The batch that records it is one
 * transaction, so what holds here holds for the rest of the batch; a second delivery of
 * the same items, overlapping or retried, records nothing. */
export function allPending(userId: number, items: { id: number; due_at: number }[]): { sql: string; params: unknown[] } {
  return {
    sql: `(SELECT count(*) FROM json_each(?12) j JOIN reminders r ON r.id = j.value ->> 0
      WHERE +r.user_id = ?13 AND +r.status = 'pending' AND +r.due_at = j.value ->> 1) = ?14`,
    params: [JSON.stringify(items.map((r) => [r.id, r.due_at])), userId, items.length],
  };
}

/** "resume": reminders held back by a pause (due by `heldTo`) become due now. Runs before
 * the pause column is cleared, in the same batch, and only if reminders were paused. */
export function releasePaused(db: D1Database, userId: number, now: number, heldTo: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE reminders SET due_at = ?2
       WHERE user_id = ?1 AND status = 'pending' AND due_at > ?2 AND due_at <= ?3
         AND EXISTS (SELECT 1 FROM users WHERE id = ?1 AND reminders_paused_until > ?2)`,
    )
    .bind(userId, now, heldTo);
}

// ---- a person's reminders: lookup, merge, erasure

/** Each contact's soonest open reminder (pending, or sent and unanswered). */
export async function nextReminders(db: D1Database, userId: number, ids: number[]): Promise<{ contact_id: number; kind: ReminderKind; due_at: number }[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT contact_id, kind, min(due_at) AS due_at FROM reminders
       WHERE contact_id IN (SELECT value FROM json_each(?2)) AND +user_id = ?1 AND status = 'pending'
       GROUP BY contact_id`,
    )
    .bind(userId, JSON.stringify(ids))
    .all<{ contact_id: number; kind: ReminderKind; due_at: number }>();
  return results;
}

/** `drop`'s reminders become `keep`'s, with one pending check-in between them: the
 * earlier one (at most one is allowed per contact). The other is skipped, not deleted: a
 * mail may carry it as an item. */
export function moveReminders(db: D1Database, userId: number, keep: number, drop: number): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `UPDATE reminders SET status = 'skipped' WHERE user_id = ?1 AND kind = 'check-in' AND status = 'pending' AND contact_id IN (?2, ?3)
           AND id <> (SELECT id FROM reminders WHERE user_id = ?1 AND kind = 'check-in' AND status = 'pending' AND contact_id IN (?2, ?3)
                      ORDER BY due_at, id LIMIT 1)`,
      )
      .bind(userId, keep, drop),
    db.prepare("UPDATE reminders SET contact_id = ?2 WHERE user_id = ?1 AND contact_id = ?3").bind(userId, keep, drop),
  ];
}

const REMINDERS_OF = "user_id = ?1 AND (contact_id = ?2 OR introduction_id IN (SELECT value FROM json_each(?3)))";

/** The ids of a forgotten contact's reminders and of the intro checks about
 * introductions it was in, as SQL (?1 the user, then `params`), for their places in mail
 * sent (src/mail-out/outbound.ts, dropItems). */
export function remindersOf(contactId: number, introductionIds: number[]): { sql: string; params: unknown[] } {
  return { sql: `SELECT id FROM reminders WHERE ${REMINDERS_OF}`, params: [contactId, JSON.stringify(introductionIds)] };
}

/** A forgotten contact's reminders and the intro checks about introductions it was in. */
export function deleteRemindersOf(db: D1Database, userId: number, contactId: number, introductionIds: number[]): D1PreparedStatement {
  return db.prepare(`DELETE FROM reminders WHERE ${REMINDERS_OF}`).bind(userId, contactId, JSON.stringify(introductionIds));
}

/** The intro checks of introductions a merge made someone's own: before those
 * introductions are deleted. */
export function deleteChecksOfSelfIntroductions(db: D1Database, userId: number, contactId: number): D1PreparedStatement {
  const which = `user_id = ?1 AND introduction_id IN (SELECT id FROM introductions WHERE user_id = ?1 AND ?2 IN (contact_a_id, contact_b_id, introducer_id) AND ${SELF_INTRODUCTION})`;
  return db.prepare(`DELETE FROM reminders WHERE ${which}`).bind(userId, contactId);
}

export function deleteAllReminders(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM reminders WHERE user_id = ?1").bind(userId);
}

export interface ReminderRow {
  id: number;
  contact_id: number | null;
  kind: ReminderKind;
  due_at: number;
  status: ReminderStatus;
  created_at: number;
  what: string | null;
  promise_id: number | null;
  meeting_id: number | null;
  plan_id: number | null;
}

/** Every reminder of the user, for an export. */
export async function allReminders(db: D1Database, userId: number): Promise<ReminderRow[]> {
  const { results } = await db
    .prepare("SELECT id, contact_id, kind, due_at, status, created_at, what, promise_id, meeting_id, plan_id FROM reminders WHERE user_id = ?1 ORDER BY due_at")
    .bind(userId)
    .all<ReminderRow>();
  return results;
}

/** What is open for the user: pending reminders due by `until` (soonest first), and
 * ones sent and not yet acted on (latest first): the due page's items, by id. */
export async function openReminderIds(db: D1Database, userId: number, until: number, limit: number): Promise<number[]> {
  const [pending, sent] = await db.batch([
    db.prepare("SELECT id FROM reminders WHERE user_id = ?1 AND status = 'pending' AND due_at <= ?2 ORDER BY due_at LIMIT ?3").bind(userId, until, limit),
    db.prepare("SELECT id FROM reminders WHERE user_id = ?1 AND status = 'sent' ORDER BY due_at DESC LIMIT ?2").bind(userId, limit),
  ]);
  const ids = (r: D1Result | undefined) => ((r?.results ?? []) as { id: number }[]).map((x) => x.id);
  return [...ids(sent), ...ids(pending)];
}

/** Pending reminders due after `from` and by `until`, soonest first: what comes next. */
export async function upcomingReminderIds(db: D1Database, userId: number, from: number, until: number, limit: number): Promise<number[]> {
  const { results } = await db
    .prepare("SELECT id FROM reminders WHERE user_id = ?1 AND status = 'pending' AND due_at > ?2 AND due_at <= ?3 ORDER BY due_at LIMIT ?4")
    .bind(userId, from, until, limit)
    .all<{ id: number }>();
  return results.map((r) => r.id);
}

/** A contact's open reminders, by id. */
export async function openRemindersOf(db: D1Database, userId: number, contactId: number): Promise<number[]> {
  const { results } = await db
    .prepare("SELECT id FROM reminders WHERE contact_id = ?2 AND +user_id = ?1 AND status IN ('pending', 'sent') ORDER BY due_at")
    .bind(userId, contactId)
    .all<{ id: number }>();
  return results.map((r) => r.id);
}

/** A plan dropped ("plan off"): its reminders. */
export function deleteRemindersOfPlans(db: D1Database, userId: number, planIds: number[]): D1PreparedStatement {
  return db.prepare("DELETE FROM reminders WHERE user_id = ?1 AND plan_id IN (SELECT value FROM json_each(?2))").bind(userId, JSON.stringify(planIds));
}

/** A meeting cancelled or moved: its follow-up goes (a move makes a new one). */
export function deleteRemindersOfMeeting(db: D1Database, userId: number, meetingId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM reminders WHERE user_id = ?1 AND meeting_id = ?2").bind(userId, meetingId);
}

const OF_GONE_MEETINGS = "user_id = ?1 AND meeting_id IS NOT NULL AND meeting_id NOT IN (SELECT id FROM meetings WHERE user_id = ?1)";

/** The ids of follow-ups of meetings that are gone, as SQL (?1 the user), like
 * remindersOf. */
export const remindersOfGoneMeetings = (): { sql: string; params: unknown[] } => ({ sql: `SELECT id FROM reminders WHERE ${OF_GONE_MEETINGS}`, params: [] });

/** Follow-ups of meetings that are gone (their last participant forgotten): after the
 * meetings are deleted, in the same batch. */
export function deleteRemindersOfGoneMeetings(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare(`DELETE FROM reminders WHERE ${OF_GONE_MEETINGS}`).bind(userId);
}

/** A promise kept (shown by a later mail): its open reminders are done. */
export function closeRemindersOfPromise(db: D1Database, userId: number, promiseId: number, now: number): D1PreparedStatement {
  return db
    .prepare("UPDATE reminders SET status = 'done', acted_at = ?3 WHERE promise_id = ?2 AND user_id = ?1 AND status IN ('pending', 'sent')")
    .bind(userId, promiseId, now);
}
