import type { Deps } from "../core/deps";
import { HOUR } from "../lib/time";
import { addDays } from "../lib/zone";
import { nextSlot } from "../users/delivery";
import { userById } from "../users/store";
import { actContext } from "./commands";
import { done, type ItemAction, snooze } from "./item-actions";
import { remindersByIds } from "./store";

/** A one-click action on one reminder (the link is signed for this user and item). */
export async function actByLink(deps: Deps, now: number, userId: number, reminderId: number, what: { kind: "done" } | { kind: "snooze"; days: number }): Promise<string> {
  const user = await userById(deps.db, userId);
  const [r] = user ? await remindersByIds(deps.db, userId, [reminderId]) : [];
  if (!user || !r) return "This reminder no longer exists.";
  const ctx = actContext(deps.db, user, now);
  const action: ItemAction = what.kind === "done" ? what : { kind: "snooze", until: nextSlot(addDays(now, what.days, ctx.zone) - HOUR, ctx.prefs) };
  const acted = (action.kind === "done" ? done : snooze).act(r, action, ctx);
  if (acted.statements.length > 0) await deps.db.batch(acted.statements);
  return acted.lines.join(" ");
}
