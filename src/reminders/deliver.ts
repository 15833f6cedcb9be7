import type { Deps } from "../inbound/intake";
import { newId } from "../lib/ids";
import { prepareOutbound, sendQueued } from "../mail-out/outbound";
import { failureSentence } from "../mail-out/suppressions";
import { unsubscribeHeaders } from "../mail-out/unsubscribe";
import { heldUntil, pausedUntil } from "../settings/pause";
import { type User, userById } from "../users/store";
import { enqueueJobs, JOB_LEASE_MS } from "./jobs";
import { reminderMail } from "./compose";
import { itemLinks } from "./item-links";
import { prefsOf } from "./plan";
import { replyAddress } from "../mail-out/reply-address";
import { addDays, type DeliveryPrefs, FOLLOW_UP_MAX_DELAY, inQuiet, nextSlot, quietEndAfter, zoneOf } from "./schedule";
import { type DueReminder, insertItem, remindersByIds, setReminderStatus, upsertCheckIn } from "./store";

/** Reminder delivery for one tick: find users with something due (an index range on
 * (status, due_at)), then for each user claim the items for one mail, compose it,
 * record it, send it. Claims make overlapping or retried ticks harmless: a reminder is
 * claimed by one mail only, and the mail's id is its idempotency key. */

const HOUR = 3600_000;
const CLAIM_TTL = 15 * 60_000;
const MAX_MAILS_PER_DAY = 2;
const USERS_PER_TICK = 200;
const MAX_JOBS_PER_TICK = 20_000;
/** Items due this soon ride along with a mail going out now (not new follow-ups). */
const RIDE_ALONG = 30 * 60_000;

/** Users with something due, not already handed to the queue. INDEXED BY: with
 * planner statistics (ANALYZE) SQLite prefers a skip-scan of reminders_user that reads
 * two rows per user; this range reads only what is due, so a tick with nothing due
 * reads next to nothing. */
export const DUE_USERS = `SELECT DISTINCT user_id FROM reminders INDEXED BY reminders_due
  WHERE status = 'pending' AND due_at <= ?1
    AND user_id NOT IN (SELECT user_id FROM reminder_jobs WHERE enqueued_at > ?1 - ${JOB_LEASE_MS})
  LIMIT ?2`;

export async function deliverReminders(deps: Deps, now: number): Promise<{ mails: number; enqueued: number }> {
  const { db } = deps;
  // A tick that died between claiming and recording: release its claims.
  await releaseStaleClaims(db);
  const limit = deps.queue ? MAX_JOBS_PER_TICK : USERS_PER_TICK;
  const { results } = await db.prepare(DUE_USERS).bind(now, limit).all<{ user_id: number }>();
  const users = results.map((r) => r.user_id);
  if (deps.queue && users.length > deps.config.queueThreshold) {
    return { mails: 0, enqueued: await enqueueJobs(db, deps.queue, users, now) };
  }
  let mails = 0;
  for (const id of users.slice(0, USERS_PER_TICK)) {
    const user = await userById(db, id);
    if (user && (await deliverFor(deps, user, now))) mails++;
  }
  return { mails, enqueued: 0 };
}

/** Claims are leases on real time (wall clock), not on the tick's logical time: a
 * tick replaying an old scheduledTime must not take over a claim still in flight. */
const wallClock = (): number => Date.now();

/** A tick that died between claiming and recording: its claims go back to pending.
 * OR IGNORE: a contact may have got a new pending check-in meanwhile (at most one is
 * allowed); the stale one is then skipped instead. */
async function releaseStaleClaims(db: D1Database): Promise<void> {
  const before = wallClock() - CLAIM_TTL;
  await db.batch([
    db.prepare("UPDATE OR IGNORE reminders SET status = 'pending', claim_id = NULL WHERE status = 'claimed' AND claimed_at < ?1").bind(before),
    db.prepare("UPDATE reminders SET status = 'skipped' WHERE status = 'claimed' AND claimed_at < ?1").bind(before),
  ]);
}

const deadline = (r: DueReminder): number => r.created_at + FOLLOW_UP_MAX_DELAY;

function priority(r: DueReminder): number {
  return r.kind === "follow-up" ? 0 : r.kind === "intro-check" ? 1 : 2;
}

async function pendingFor(db: D1Database, userId: number, until: number): Promise<DueReminder[]> {
  const { results } = await db
    .prepare("SELECT id FROM reminders WHERE user_id = ?1 AND status = 'pending' AND due_at <= ?2 ORDER BY due_at LIMIT 90")
    .bind(userId, until)
    .all<{ id: number }>();
  return remindersByIds(db, userId, results.map((r) => r.id));
}

function defer(db: D1Database, userId: number, ids: number[], to: number): Promise<unknown> {
  if (ids.length === 0) return Promise.resolve();
  return db
    // + on user_id and status: by primary key, not a read of all the user's pending items.
    .prepare(`UPDATE reminders SET due_at = ?2 WHERE +user_id = ?1 AND +status = 'pending' AND id IN (${ids.map((_, i) => `?${i + 3}`).join(", ")})`)
    .bind(userId, to, ...ids)
    .run();
}

/** The next time a reminder mail may go out after one now: the delivery hour, or a
 * second slot eight hours later when it is outside quiet hours. */
export function nextDelivery(now: number, prefs: DeliveryPrefs): number {
  const morning = nextSlot(now + HOUR, prefs);
  const second = nextSlot(now + HOUR, { ...prefs, deliverHour: (prefs.deliverHour + 8) % 24 });
  return second < morning && !inQuiet(second, prefs) ? second : morning;
}

/** One user's reminder mail for this tick, if anything is due and allowed now. */
export async function deliverFor(deps: Deps, user: User, now: number): Promise<boolean> {
  const { db, config } = deps;
  const prefs = prefsOf(user);
  const zone = zoneOf(prefs);
  const candidates = await pendingFor(db, user.id, now + RIDE_ALONG);
  // A check-in whose contact was muted ("stop") after it was scheduled is dropped.
  const muted = candidates.filter((r) => r.kind === "check-in" && r.muted_at !== null);
  if (muted.length > 0) await db.batch(muted.map((r) => setReminderStatus(db, user.id, r.id, "stopped", now)));
  const live = candidates.filter((r) => !(r.kind === "check-in" && r.muted_at !== null));
  const due = live.filter((r) => r.due_at <= now);
  if (due.length === 0) return false;
  const dueIds = due.map((r) => r.id);

  // Paused ("pause", List-Unsubscribe): what is due waits (src/users/pause-plan.ts).
  const paused = pausedUntil(user, "reminders", now);
  if (paused !== null) {
    await defer(db, user.id, dueIds, heldUntil(now, prefs, paused));
    return false;
  }

  // Quiet hours: wait for the morning, unless a follow-up's 24 hours end before it.
  if (inQuiet(now, prefs)) {
    const morning = quietEndAfter(now, prefs);
    // Only a follow-up still inside its first 24 hours may break the quiet (not a snoozed
    // copy, whose creation is the snooze, nor one already past its deadline).
    const urgent = due.some((r) => r.kind === "follow-up" && now < deadline(r) && deadline(r) < morning);
    if (!urgent) {
      await defer(db, user.id, dueIds, morning);
      return false;
    }
  }

  // Never more than two reminder mails in a day.
  const { results: recent } = await db
    .prepare("SELECT created_at FROM outbound_messages WHERE user_id = ?1 AND kind = 'reminder' AND created_at > ?2 ORDER BY created_at")
    .bind(user.id, now - 24 * HOUR)
    .all<{ created_at: number }>();
  if (recent.length >= MAX_MAILS_PER_DAY) {
    await defer(db, user.id, dueIds, recent[0]!.created_at + 24 * HOUR);
    return false;
  }
  // A mail went out today already: what can wait for the next slot waits for it and
  // goes together, so the second mail of the day is not spent on one item.
  const slot = nextDelivery(now, prefs);
  if (recent.length > 0 && due.every((r) => r.kind !== "follow-up" || deadline(r) >= slot)) {
    await defer(db, user.id, dueIds, slot);
    return false;
  }

  const ride = live.filter((r) => r.due_at > now && r.kind !== "follow-up");
  const ordered = [...due, ...ride].sort((a, b) => priority(a) - priority(b) || a.due_at - b.due_at);
  const take = ordered.slice(0, Math.max(1, user.item_cap));
  // The rest roll over to the next delivery slot; a follow-up whose 24 hours would run
  // out before then goes earlier (still at most two mails a day).
  const rest = ordered.slice(take.length).filter((r) => r.due_at <= now);
  const late = (r: DueReminder) => r.kind === "follow-up" && deadline(r) - 30 * 60_000 < slot;
  await defer(db, user.id, rest.filter((r) => !late(r)).map((r) => r.id), slot);
  for (const r of rest.filter(late)) await defer(db, user.id, [r.id], Math.max(now + HOUR, deadline(r) - 30 * 60_000));

  const outId = newId();
  // The unary + keeps the planner on the primary key (a few rows), not on a scan of
  // the user's whole reminder history.
  const claimed = await db
    .prepare(
      `UPDATE reminders SET status = 'claimed', claim_id = ?2, claimed_at = ?3
       WHERE +user_id = ?1 AND +status = 'pending' AND id IN (${take.map((_, i) => `?${i + 4}`).join(", ")}) RETURNING id`,
    )
    .bind(user.id, outId, wallClock(), ...take.map((r) => r.id))
    .all<{ id: number }>();
  const mine = new Set(claimed.results.map((r) => r.id));
  const items = take.filter((r) => mine.has(r.id));
  if (items.length === 0) return false;

  const links = await itemLinks(config, user.id, items.map((r) => r.id), now);
  const notice = await failureNotice(db, user.id);
  const mail = reminderMail(items, links, now, zone, notice);
  const out = prepareOutbound(
    db,
    config,
    { id: outId, kind: "reminder", userId: user.id, to: user.email, ...mail, headers: { "Reply-To": await replyAddress(config, outId), ...(await unsubscribeHeaders(config, user.id, "reminders")) } },
    now,
    // Recorded only if every item is still this mail's claim when the batch runs.
    { sql: "(SELECT count(*) FROM reminders WHERE claim_id = ?10 AND status = 'claimed') = ?11", params: [outId, items.length] },
  );
  const nextCheckIns = items
    .filter((r) => r.kind === "check-in" && r.muted_at === null)
    .map((r) =>
      upsertCheckIn(db, {
        id: newId(),
        userId: user.id,
        contactId: r.contact_id,
        dueAt: nextSlot(addDays(now, r.cadence_days ?? user.cadence_days, zone), prefs),
        now,
        later: true,
      }),
    );
  await db.batch([
    out.statement,
    ...items.map((r, i) => insertItem(db, outId, i + 1, r.id)),
    db
      .prepare("UPDATE reminders SET status = 'sent', sent_at = ?3 WHERE claim_id = ?2 AND user_id = ?1 AND status = 'claimed' AND EXISTS (SELECT 1 FROM outbound_messages WHERE id = ?2)")
      .bind(user.id, outId, now),
    // An unanswered check-in comes back after another cadence.
    ...nextCheckIns,
  ]);
  return (await sendQueued(db, deps.mailer, out.id, now)) !== "skipped";
}

/** Mail Kith could not deliver since the user's last reminder: said in the next one. */
async function failureNotice(db: D1Database, userId: number): Promise<string | undefined> {
  const row = await db
    .prepare(
      `SELECT count(*) OVER () AS n, error, to_address FROM outbound_messages
       WHERE user_id = ?1 AND status = 'failed' AND created_at > COALESCE(
         (SELECT max(created_at) FROM outbound_messages WHERE user_id = ?1 AND kind = 'reminder' AND status = 'sent'), 0)
       ORDER BY created_at DESC LIMIT 1`,
    )
    .bind(userId)
    .first<{ n: number; error: string | null; to_address: string }>();
  if (!row) return undefined;
  // The latest failure, in words (a bounce, a suppressed address, a Resend error).
  const why = `${row.n > 1 ? "the latest: " : ""}${failureSentence(row.error, row.to_address)}`;
  return `Note: Kith could not deliver ${row.n} earlier mail${row.n === 1 ? "" : "s"} to you (${why}).`;
}
