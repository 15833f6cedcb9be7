import type { Deps } from "../core/deps";
import { HOUR } from "../lib/time";
import { addDays } from "../lib/zone";
import { nextSlot } from "../users/delivery";
import { userById } from "../users/store";
import type { User } from "../users/user";
import { actContext } from "./commands";
import { done, type ItemAction, skip, snooze } from "./item-actions";
import { itemLabel } from "./item-view";
import { remindersByIds } from "./store";

/** Acting on one reminder outside a reply: a one-click link, the dashboard, the API.
 * The same definitions as a reply's "done", "skip" and "snooze". */

export type Act = { kind: "done" } | { kind: "skip" } | { kind: "snooze"; days: number };

/** What it did, or null when the reminder is not one of the user's. */
export async function actOnReminder(deps: Deps, now: number, user: User, reminderId: number, what: Act): Promise<string | null> {
  const [r] = await remindersByIds(deps.db, user.id, [reminderId]);
  if (!r) return null;
  const ctx = actContext(deps.db, user, now);
  // A snooze of n days comes back at the delivery slot of that day.
  const action: ItemAction = what.kind === "snooze" ? { kind: "snooze", until: nextSlot(addDays(now, what.days, ctx.zone) - HOUR, ctx.prefs) } : what;
  const acted = (action.kind === "done" ? done : action.kind === "skip" ? skip : snooze).act(r, action, ctx);
  if (acted.statements.length > 0) await deps.db.batch(acted.statements);
  return acted.lines.join(" ");
}

/** A one-click action (the link is signed for this user and item). */
export async function actByLink(deps: Deps, now: number, userId: number, reminderId: number, what: Act): Promise<string> {
  const user = await userById(deps.db, userId);
  return (user && (await actOnReminder(deps, now, user, reminderId, what))) ?? "This reminder no longer exists.";
}

/** What the page a link opens says it acts on: "the follow-up with Jane Smith", and
 * whether it is still open (null when the reminder is gone or not the user's). */
export async function linkTarget(db: D1Database, userId: number, reminderId: number): Promise<{ label: string; closed: string | null } | null> {
  const [r] = await remindersByIds(db, userId, [reminderId]);
  if (!r) return null;
  const open = r.status === "pending" || r.status === "sent";
  return { label: itemLabel(r), closed: open ? null : r.status };
}
