import type { Deps } from "../core/deps";
import { newId } from "../lib/ids";
import { addDays } from "../lib/zone";
import { type Outgoing, prepareOutbound, sendQueued } from "../mail-out/outbound";
import { replyAddress } from "../mail-out/reply-address";
import { unsubscribeHeaders, unsubscribeToken } from "../mail-out/unsubscribe";
import { viewContext } from "../reminders/context";
import { itemLinks } from "../reminders/item-links";
import { claimSummaryWeek, skipSummarySlot, summaryUnclaimed } from "../users/store";
import type { User } from "../users/user";
import { summaryMail, numberedItems } from "./compose";
import { gatherWeek } from "./gather";
import { isoWeek, lastSummarySlot, nextSummarySlot, SUMMARY_GRACE, summaryZone } from "./schedule";

/** Weekly summaries. users.next_summary_at (indexed, partial) finds who is due, so a tick
 * with nothing due reads next to nothing (src/cron/due.ts). users.last_summary_week is
 * the claim: the local ISO week of the slot, compare-and-set in the same batch that
 * records the mail, so overlapping or retried ticks and duplicate queue jobs send at most
 * one summary a week, and a tick that dies before the batch loses nothing (the next one
 * sends it). */

/** One user's scheduled summary, if one is due by `now`. A week whose slot falls in a
 * pause (or while the user is not active, or that ticks missed by more than the grace)
 * is skipped, not delayed: next_summary_at moves on to the next slot. */
export async function summaryFor(deps: Deps, user: User, now: number): Promise<boolean> {
  const { db } = deps;
  const due = user.next_summary_at;
  if (due === null || due > now) return false;
  const slot = lastSummarySlot(user, now);
  const next = nextSummarySlot(user, now);
  const week = isoWeek(slot, summaryZone(user));
  const paused = user.summary_paused_until !== null && user.summary_paused_until > slot;
  if (user.status !== "active" || paused || now - slot > SUMMARY_GRACE || user.last_summary_week === week) {
    await skipSummarySlot(db, user.id, next, due);
    return false;
  }
  const s = await composeSummary(deps, user, now, `summary:${week}`);
  const out = prepareOutbound(db, deps.config, s.mail, now, summaryUnclaimed(user.id, week, due));
  const [recorded] = await db.batch([out.statement, claimSummaryWeek(db, user.id, week, next, out.id)]);
  if (!recorded?.meta.changes) return false;
  await sendQueued(db, deps.mailer, out.id, now, deps.clock.wall());
  return true;
}

/** The summary of the week up to `now`, as a mail to record with its numbered items
 * (the reminder ids on the mail's row, outbound_messages.items, so a reply "2 done" finds
 * them). The
 * reminders listed keep their status: acting on a pending one works as on a sent one. */
export async function composeSummary(
  deps: Deps,
  user: User,
  now: number,
  ref: string,
): Promise<{ mail: Outgoing & { id: number } }> {
  const { db, config } = deps;
  const zone = summaryZone(user);
  const week = await gatherWeek(db, user, addDays(now, -7, zone), now);
  const items = numberedItems(week);
  const ids = items.map((r) => r.id);
  const [links, context, unsubscribe] = await Promise.all([
    itemLinks(config, user.id, ids, now),
    viewContext(db, user.id, items, now, zone, user.cadence_days),
    unsubscribeToken(config, user.id, "summary"),
  ]);
  const composed = summaryMail(week, context, new Map(ids.map((id, i) => [id, links[i]!])), `${config.publicUrl}/u/${unsubscribe}`);
  const id = newId();
  const mail = {
    id,
    kind: "weekly-summary" as const,
    userId: user.id,
    to: user.email,
    ref,
    subject: composed.subject,
    text: composed.text,
    html: composed.html,
    items: composed.items.map((r) => r.id),
    headers: { "Reply-To": await replyAddress(config, id), ...(await unsubscribeHeaders(config, user.id, "summary")) },
  };
  return { mail };
}
