import type { Deps } from "../core/deps";
import { newId } from "../lib/ids";
import { DAY, HOUR, MINUTE } from "../lib/time";
import { addDays } from "../lib/zone";
import { type Prepared, prepareOutbound, sendQueued, sendRecorded } from "../mail-out/outbound";
import { replyAddress } from "../mail-out/reply-address";
import { failureSentence } from "../mail-out/suppressions";
import { unsubscribeHeaders, unsubscribeToken } from "../mail-out/unsubscribe";
import { type DeliveryPrefs, inQuiet, nextSlot, prefsOf, quietEndAfter, zoneOf } from "../users/delivery";
import { heldUntil, pausedUntil } from "../users/pause";
import { reminderMail } from "./compose";
import { viewContext } from "./context";
import { planMail, planPeople, recapMail } from "./plan-mail";
import { itemLinks } from "./item-links";
import { FOLLOW_UP_MAX_DELAY } from "./schedule";
import { lookAgain } from "../users/store";
import { allPending, applyChanges, type Change, deliveryUser, type DeliveryUser, type DueReminder, PENDING_READ, pendingBesideCheckIns, pendingFor } from "./store";

/** One user's reminder delivery (src/cron/due.ts finds who is due): read what is due,
 * compose one mail, and record it in one batch with everything it changes, then send it. The batch is the claim: it
 * records the mail only while every item is still pending, so overlapping or retried
 * ticks and duplicate queue jobs send each reminder once; the mail's id is its Resend
 * idempotency key. What is due but must wait (quiet hours, a pause, the day's two mails,
 * the item cap) keeps its row as it is: the user's next look (users.remind_at) moves to
 * when it may go. A delivery is three round trips to D1: a read, a write batch, and the
 * send's outcome. */

const MAX_MAILS_PER_DAY = 2;
/** Items due this soon ride along with a mail going out now (not new follow-ups). */
const RIDE_ALONG = 30 * 60_000;

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

/** One user's reminder mail for this tick, if anything is due and allowed now. `done`
 * (the queue job's release) runs in the delivery's last write batch, or alone when it
 * writes nothing. */
export async function deliverFor(deps: Deps, userId: number, done: D1PreparedStatement[] = []): Promise<boolean> {
  const { db } = deps;
  const now = deps.clock.now();
  const [who, pending] = await db.batch([
    deliveryUser(db, userId, now - DAY),
    pendingFor(db, userId, now + RIDE_ALONG),
  ]);
  const user = (who?.results[0] as DeliveryUser | undefined) ?? null;
  const candidates = (pending?.results ?? []) as DueReminder[];
  if (user === null) {
    if (done.length > 0) await db.batch(done);
    return false;
  }
  // A read cut off at its limit is the oldest due; check-ins pile up (a long pause, a big
  // import), and what waits no longer moves, so the rest is read too, lest a new
  // follow-up wait behind them for days.
  const full = candidates.length >= PENDING_READ;
  if (full) {
    const read = new Set(candidates.map((r) => r.id));
    const more = (await pendingBesideCheckIns(db, userId, now + RIDE_ALONG).all<DueReminder>()).results;
    candidates.push(...more.filter((r) => !read.has(r.id)));
  }
  const plan = await planDelivery(deps, user, candidates);
  const mail = plan.mail;
  const look = (outboundId: number | null) =>
    lookAgain(db, userId, {
      outboundId,
      // With a read cut off, due reminders were left unread: they wait with the rest, or
      // are looked at next tick when nothing else waits.
      waitTill: plan.waits.length > 0 ? Math.min(...plan.waits.map((w) => w.to)) : full ? now : null,
      waiting: plan.waits.map((w) => w.id),
      until: now + RIDE_ALONG,
      seen: full ? candidates.map((r) => r.id) : null,
      // A watermark set after this delivery's time (by a later tick, while this job
      // waited) still counts; only one from beyond the real clock is a replay.
      wall: deps.clock.wall(),
      pausedUntil: user.reminders_paused_until,
    });
  if (mail === undefined) {
    await db.batch([...(plan.changes.length > 0 ? [applyChanges(db, user.id, null, now, plan.changes)] : []), look(null), ...done]);
    return plan.planned;
  }
  const [recorded] = await db.batch([
    mail.statement,
    applyChanges(db, userId, mail.id, now, plan.changes),
    look(mail.id),
    ...done,
  ]);
  // Not recorded: another delivery holds these items (its mail is the one that goes).
  if (!recorded?.meta.changes) return plan.planned;
  // A suppressed address goes through the queue's send, which records why it failed.
  if (user?.suppressed === null) await sendRecorded(db, deps.mailer, mail, now);
  else await sendQueued(db, deps.mailer, mail.id, now, deps.clock.wall());
  return true;
}

interface Planned {
  /** What happens to the reminders read: sent (a check-in: moved on a cadence), stopped. */
  changes: Change[];
  /** What is due and waits, each until when: their rows stay as they are. */
  waits: { id: number; to: number }[];
  /** A plan's mail went out (on its own, before the rest). */
  planned: boolean;
  mail?: Prepared;
}

/** Decide the user's delivery: which items go now, which wait until when. */
async function planDelivery(deps: Deps, user: DeliveryUser, candidates: DueReminder[]): Promise<Planned> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const prefs = prefsOf(user);
  const zone = zoneOf(prefs);
  const changes: Change[] = [];
  const waits: Planned["waits"] = [];
  const move = (rs: DueReminder[], to: number) => waits.push(...rs.map((r) => ({ id: r.id, to })));
  // A check-in whose contact was muted ("stop") after it was scheduled is dropped.
  const isMuted = (r: DueReminder) => r.kind === "check-in" && r.muted_at !== null;
  changes.push(...candidates.filter(isMuted).map((r): Change => ({ id: r.id, status: "stopped", dueAt: r.due_at })));
  const live = candidates.filter((r) => !isMuted(r));
  const dueAll = live.filter((r) => r.due_at <= now);
  if (dueAll.length === 0) return { changes, waits, planned: false };

  // Paused ("pause", List-Unsubscribe): what is due waits (src/users/pause.ts).
  const paused = pausedUntil(user, "reminders", now);
  if (paused !== null) {
    move(dueAll, heldUntil(now, prefs, paused));
    return { changes, waits, planned: false };
  }

  // Quiet hours: wait for the morning, unless a follow-up's 24 hours end before it.
  if (inQuiet(now, prefs)) {
    const morning = quietEndAfter(now, prefs);
    // Only a follow-up still inside its first 24 hours may break the quiet (not a snoozed
    // copy, whose creation is the snooze, nor one already past its deadline).
    const urgent = dueAll.some((r) => r.kind === "follow-up" && now < deadline(r) && deadline(r) < morning);
    if (!urgent) {
      move(dueAll, morning);
      return { changes, waits, planned: false };
    }
  }

  // A plan's mails go on their own, whatever else is due (they are not counted below).
  let planned = false;
  for (const r of dueAll.filter(isPlanItem)) planned = (await deliverPlan(deps, user, r)) || planned;
  const due = dueAll.filter((r) => !isPlanItem(r));
  if (due.length === 0) return { changes, waits, planned };

  // Never more than two reminder mails in a day.
  const recent = JSON.parse(user.recent) as number[];
  if (recent.length >= MAX_MAILS_PER_DAY) {
    move(due, recent[0]! + DAY);
    return { changes, waits, planned };
  }
  // A mail went out today already: what can wait for the next slot waits for it and
  // goes together, so the second mail of the day is not spent on one item.
  const slot = nextDelivery(now, prefs);
  if (recent.length > 0 && due.every((r) => r.kind !== "follow-up" || deadline(r) >= slot)) {
    move(due, slot);
    return { changes, waits, planned };
  }

  const ride = live.filter((r) => r.due_at > now && r.kind !== "follow-up" && !isPlanItem(r));
  const ordered = [...due, ...ride].sort((a, b) => priority(a) - priority(b) || a.due_at - b.due_at);
  const items = ordered.slice(0, Math.max(1, user.item_cap));
  // The rest roll over to the next delivery slot; a follow-up whose 24 hours would run
  // out before then goes earlier (still at most two mails a day).
  const rest = ordered.slice(items.length).filter((r) => r.due_at <= now);
  const late = (r: DueReminder) => r.kind === "follow-up" && deadline(r) - 30 * MINUTE < slot;
  move(rest.filter((r) => !late(r)), slot);
  for (const r of rest.filter(late)) move([r], Math.max(now + HOUR, deadline(r) - 30 * MINUTE));
  // A check-in sent stays the contact's one check-in, moved on by a cadence: unanswered,
  // it comes back then (a reply acts on it as on any item). Anything else is sent.
  changes.push(
    ...items.map((r): Change =>
      r.kind === "check-in" && r.contact_id !== null
        ? { id: r.id, status: "pending", dueAt: nextSlot(addDays(now, r.cadence_days ?? user.cadence_days, zone), prefs), sent: true }
        : { id: r.id, status: "sent", dueAt: r.due_at, sent: true },
    ),
  );

  const outId = newId();
  const ids = items.map((r) => r.id);
  const [links, context, unsubscribe, replyTo, listHeaders] = await Promise.all([
    itemLinks(config, user.id, ids, now),
    viewContext(db, user.id, items, now, zone, user.cadence_days),
    unsubscribeToken(config, user.id, "reminders"),
    replyAddress(config, outId),
    unsubscribeHeaders(config, user.id, "reminders"),
  ]);
  const composed = reminderMail(items, links, context, { unsubscribe: `${config.publicUrl}/u/${unsubscribe}` }, failureNotice(user.failure));
  const out = prepareOutbound(
    db,
    config,
    { id: outId, kind: "reminder", userId: user.id, to: user.email, ...composed, items: ids, headers: { "Reply-To": replyTo, ...listHeaders } },
    now,
    allPending(user.id, items),
    user.suppressed === null ? deps.clock.wall() : undefined,
  );
  return { changes, waits, planned, mail: out };
}

const isPlanItem = (r: DueReminder) => r.kind === "plan" || r.kind === "plan-recap";

/** A plan's mail on the event's first day, or its recap the morning after: one item,
 * recorded only while it is pending, done once recorded (there is nothing to answer but
 * the recap's people, which the reply brings as cards). */
async function deliverPlan(deps: Deps, user: DeliveryUser, r: DueReminder): Promise<boolean> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const outId = newId();
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
      items: [r.id],
      // The recap's reply is captured as met at the event.
      ref: r.kind === "plan-recap" ? `met:${(r.plan_event ?? "").slice(0, 200)}` : `plan:${r.plan_id}`,
      headers: { "Reply-To": await replyAddress(config, outId), ...(await unsubscribeHeaders(config, user.id, "reminders")) },
    },
    now,
    allPending(user.id, [r]),
    user.suppressed === null ? deps.clock.wall() : undefined,
  );
  const [recorded] = await db.batch([
    out.statement,
    applyChanges(db, user.id, outId, now, [{ id: r.id, status: "done", dueAt: r.due_at, sent: true }]),
  ]);
  if (!recorded?.meta.changes) return false;
  if (user.suppressed === null) await sendRecorded(db, deps.mailer, out, now);
  else await sendQueued(db, deps.mailer, out.id, now, deps.clock.wall());
  return true;
}

/** Mail Kith could not deliver since the user's last reminder: said in the next one. */
function failureNotice(failure: string | null): string | undefined {
  if (failure === null) return undefined;
  const row = JSON.parse(failure) as { n: number; error: string | null; to_address: string };
  // The latest failure, in words (a bounce, a suppressed address, a Resend error).
  const why = `${row.n > 1 ? "the latest: " : ""}${failureSentence(row.error, row.to_address)}`;
  return `Note: Kith could not deliver ${row.n} earlier mail${row.n === 1 ? "" : "s"} to you (${why}).`;
}
