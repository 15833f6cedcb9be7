import type { Deps } from "../core/deps";
import { newId } from "../lib/ids";
import { DAY, HOUR, MINUTE } from "../lib/time";
import { addDays } from "../lib/zone";
import { failuresSinceLastReminder, prepareOutbound, reminderMailsSince, sendQueued } from "../mail-out/outbound";
import { replyAddress } from "../mail-out/reply-address";
import { failureSentence } from "../mail-out/suppressions";
import { unsubscribeHeaders, unsubscribeToken } from "../mail-out/unsubscribe";
import { type DeliveryPrefs, inQuiet, nextSlot, prefsOf, quietEndAfter, zoneOf } from "../users/delivery";
import { heldUntil, pausedUntil } from "../users/pause";
import { userById } from "../users/store";
import type { User } from "../users/user";
import { reminderMail } from "./compose";
import { viewContext } from "./context";
import { planMail, planPeople, recapMail } from "./plan-mail";
import { itemLinks } from "./item-links";
import { enqueuedMark, enqueueJobs, setEnqueuedMark } from "./jobs";
import { FOLLOW_UP_MAX_DELAY } from "./schedule";
import { claim, defer, type DueReminder, dueUsers, insertItem, markSent, pendingFor, releaseStaleClaims, setReminderStatus, stillClaimed, upsertCheckIn } from "./store";

/** Reminder delivery for one tick: find users with something due (an index range on
 * (status, due_at)), then for each user claim the items for one mail, compose it,
 * record it, send it. Claims make overlapping or retried ticks harmless: a reminder is
 * claimed by one mail only, and the mail's id is its idempotency key. */

const CLAIM_TTL = 15 * 60_000;
const MAX_MAILS_PER_DAY = 2;
const USERS_PER_TICK = 200;
const MAX_JOBS_PER_TICK = 20_000;
/** Items due this soon ride along with a mail going out now (not new follow-ups). */
const RIDE_ALONG = 30 * 60_000;

export async function deliverReminders(deps: Deps): Promise<{ mails: number; enqueued: number }> {
  const { db } = deps;
  const now = deps.clock.now();
  // A tick that died between claiming and recording: release its claims. Claims are
  // leases on real time (the wall clock), not on the tick's logical time: a tick
  // replaying an old scheduledTime must not take over a claim still in flight.
  await releaseStaleClaims(db, deps.clock.wall() - CLAIM_TTL);
  // Users due by the last enqueuing tick are leased to the queue: only what fell due
  // since counts. (A lease that lapses unanswered is seen once the watermark lapses too,
  // at most one lease later.)
  const mark = deps.queue ? await enqueuedMark(db, now) : -1;
  const users = await dueUsers(db, now, deps.queue ? MAX_JOBS_PER_TICK : USERS_PER_TICK, mark);
  if (deps.queue && users.length > deps.config.queueThreshold) {
    const enqueued = await enqueueJobs(db, deps.queue, users, now);
    // Everyone due by now is in the queue, unless the tick's cap left some for the next.
    await setEnqueuedMark(db, users.length < MAX_JOBS_PER_TICK ? now : null);
    return { mails: 0, enqueued };
  }
  let mails = 0;
  for (const id of users.slice(0, USERS_PER_TICK)) {
    const user = await userById(db, id);
    if (user && (await deliverFor(deps, user))) mails++;
  }
  return { mails, enqueued: 0 };
}

const deadline = (r: DueReminder): number => r.created_at + FOLLOW_UP_MAX_DELAY;

function priority(r: DueReminder): number {
  return r.kind === "follow-up" ? 0 : r.kind === "intro-check" ? 1 : 2;
}

/** The next time a reminder mail may go out after one now: the delivery hour, or a
 * second slot eight hours later when it is outside quiet hours. */
export function nextDelivery(now: number, prefs: DeliveryPrefs): number {
  const morning = nextSlot(now + HOUR, prefs);
  const second = nextSlot(now + HOUR, { ...prefs, deliverHour: (prefs.deliverHour + 8) % 24 });
  return second < morning && !inQuiet(second, prefs) ? second : morning;
}

/** One user's reminder mail for this tick, if anything is due and allowed now. */
export async function deliverFor(deps: Deps, user: User): Promise<boolean> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const prefs = prefsOf(user);
  const zone = zoneOf(prefs);
  const candidates = await pendingFor(db, user.id, now + RIDE_ALONG);
  // A check-in whose contact was muted ("stop") after it was scheduled is dropped.
  const muted = candidates.filter((r) => r.kind === "check-in" && r.muted_at !== null);
  if (muted.length > 0) await db.batch(muted.map((r) => setReminderStatus(db, user.id, r.id, "stopped", now)));
  const live = candidates.filter((r) => !(r.kind === "check-in" && r.muted_at !== null));
  const dueAll = live.filter((r) => r.due_at <= now);
  if (dueAll.length === 0) return false;
  const dueIds = dueAll.map((r) => r.id);

  // Paused ("pause", List-Unsubscribe): what is due waits (src/users/pause.ts).
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
    const urgent = dueAll.some((r) => r.kind === "follow-up" && now < deadline(r) && deadline(r) < morning);
    if (!urgent) {
      await defer(db, user.id, dueIds, morning);
      return false;
    }
  }

  // A plan's mails go on their own, whatever else is due (they are not counted below).
  let planned = false;
  for (const r of dueAll.filter(isPlanItem)) planned = (await deliverPlan(deps, user, r)) || planned;
  const due = dueAll.filter((r) => !isPlanItem(r));
  if (due.length === 0) return planned;

  // Never more than two reminder mails in a day.
  const recent = await reminderMailsSince(db, user.id, now - DAY);
  if (recent.length >= MAX_MAILS_PER_DAY) {
    await defer(db, user.id, dueIds, recent[0]! + DAY);
    return false;
  }
  // A mail went out today already: what can wait for the next slot waits for it and
  // goes together, so the second mail of the day is not spent on one item.
  const slot = nextDelivery(now, prefs);
  if (recent.length > 0 && due.every((r) => r.kind !== "follow-up" || deadline(r) >= slot)) {
    await defer(db, user.id, dueIds, slot);
    return false;
  }

  const ride = live.filter((r) => r.due_at > now && r.kind !== "follow-up" && !isPlanItem(r));
  const ordered = [...due, ...ride].sort((a, b) => priority(a) - priority(b) || a.due_at - b.due_at);
  const take = ordered.slice(0, Math.max(1, user.item_cap));
  // The rest roll over to the next delivery slot; a follow-up whose 24 hours would run
  // out before then goes earlier (still at most two mails a day).
  const rest = ordered.slice(take.length).filter((r) => r.due_at <= now);
  const late = (r: DueReminder) => r.kind === "follow-up" && deadline(r) - 30 * MINUTE < slot;
  await defer(db, user.id, rest.filter((r) => !late(r)).map((r) => r.id), slot);
  for (const r of rest.filter(late)) await defer(db, user.id, [r.id], Math.max(now + HOUR, deadline(r) - 30 * MINUTE));

  const outId = newId();
  const mine = await claim(db, user.id, outId, deps.clock.wall(), take.map((r) => r.id));
  const items = take.filter((r) => mine.has(r.id));
  if (items.length === 0) return false;

  const [links, notice, context] = await Promise.all([
    itemLinks(config, user.id, items.map((r) => r.id), now),
    failureNotice(db, user.id),
    viewContext(db, user.id, items, now, zone, user.cadence_days),
  ]);
  const unsubscribe = await unsubscribeToken(config, user.id, "reminders");
  const mail = reminderMail(items, links, context, { unsubscribe: `${config.publicUrl}/u/${unsubscribe}` }, notice);
  const out = prepareOutbound(
    db,
    config,
    { id: outId, kind: "reminder", userId: user.id, to: user.email, ...mail, headers: { "Reply-To": await replyAddress(config, outId), ...(await unsubscribeHeaders(config, user.id, "reminders")) } },
    now,
    // Recorded only if every item is still this mail's claim when the batch runs.
    stillClaimed(outId, items.length),
  );
  const nextCheckIns = items
    .flatMap((r) => (r.kind === "check-in" && r.muted_at === null && r.contact_id !== null ? [{ ...r, contact_id: r.contact_id }] : []))
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
    markSent(db, user.id, outId, now),
    // An unanswered check-in comes back after another cadence.
    ...nextCheckIns,
  ]);
  return (await sendQueued(db, deps.mailer, out.id, now, deps.clock.wall())) !== "skipped";
}

const isPlanItem = (r: DueReminder) => r.kind === "plan" || r.kind === "plan-recap";

/** A plan's mail on the event's first day, or its recap the morning after: one item,
 * claimed like any reminder, done once sent (there is nothing to answer but the recap's
 * people, which the reply brings as cards). */
async function deliverPlan(deps: Deps, user: User, r: DueReminder): Promise<boolean> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const outId = newId();
  if (!(await claim(db, user.id, outId, deps.clock.wall(), [r.id])).has(r.id)) return false;
  const mail = r.kind === "plan" ? planMail(r, await planPeople(db, user.id, r)) : recapMail(r);
  const out = prepareOutbound(
    db,
    config,
    {
      id: outId,
      kind: r.kind === "plan" ? "plan" : "plan-recap",
      userId: user.id,
      to: user.email,
      ...mail,
      // The recap's reply is captured as met at the event.
      ref: r.kind === "plan-recap" ? `met:${(r.plan_event ?? "").slice(0, 200)}` : `plan:${r.plan_id}`,
      headers: { "Reply-To": await replyAddress(config, outId), ...(await unsubscribeHeaders(config, user.id, "reminders")) },
    },
    now,
    stillClaimed(outId, 1),
  );
  await db.batch([out.statement, insertItem(db, outId, 1, r.id), markSent(db, user.id, outId, now), setReminderStatus(db, user.id, r.id, "done", now)]);
  return (await sendQueued(db, deps.mailer, out.id, now, deps.clock.wall())) !== "skipped";
}

/** Mail Kith could not deliver since the user's last reminder: said in the next one. */
async function failureNotice(db: D1Database, userId: number): Promise<string | undefined> {
  const row = await failuresSinceLastReminder(db, userId);
  if (!row) return undefined;
  // The latest failure, in words (a bounce, a suppressed address, a Resend error).
  const why = `${row.n > 1 ? "the latest: " : ""}${failureSentence(row.error, row.to_address)}`;
  return `Note: Kith could not deliver ${row.n} earlier mail${row.n === 1 ? "" : "s"} to you (${why}).`;
}
