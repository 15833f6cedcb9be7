import type { Deps } from "../inbound/intake";
import { userById } from "../users/store";
import { act } from "./act";
import { prefsOf } from "./plan";
import { addDays, nextSlot, zoneOf } from "./schedule";
import { remindersByIds } from "./store";

/** A one-click action on one reminder (the link is signed for this user and item). */
export async function actByLink(
  deps: Deps,
  now: number,
  userId: number,
  reminderId: number,
  what: { kind: "done" } | { kind: "snooze"; days: number },
): Promise<string> {
  const user = await userById(deps.db, userId);
  const [r] = user ? await remindersByIds(deps.db, userId, [reminderId]) : [];
  if (!user || !r) return "This reminder no longer exists.";
  const prefs = prefsOf(user);
  const action = what.kind === "done" ? what : { kind: "snooze" as const, until: nextSlot(addDays(now, what.days, zoneOf(prefs)) - 3600_000, prefs) };
  const acted = act(deps.db, user, r, action, now);
  if (acted.statements.length > 0) await deps.db.batch(acted.statements);
  return acted.lines.join(" ");
}
