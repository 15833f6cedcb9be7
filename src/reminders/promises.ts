import { newId } from "../lib/ids";
import { HOUR } from "../lib/time";
import { atLocal, localTime } from "../lib/zone";
import type { CapturePlan } from "../people/apply";
import type { Capture } from "../people/capture";
import { keptBy } from "../promises/extract";
import { closePromise, insertPromise, openPromisesOf } from "../promises/store";
import { type DeliveryPrefs, inQuiet, prefsOf, quietEndAfter, zoneOf } from "../users/delivery";
import type { User } from "../users/user";
import { itemWhen } from "./item-view";
import { closeRemindersOfPromise, insertReminder } from "./store";

/** The promises one captured mail makes or keeps:
 * - each commitment read from it becomes a promise, with a reminder: yours ("promise")
 *   on the day it is due, theirs ("waiting") the day after, when a nudge is in order;
 * - the same promise said again (a later mail in the thread) is not made twice;
 * - mail the user wrote to someone with an open promise keeps it when it shows it kept
 *   (an attachment, or the promised thing named: src/promises/kept.ts). */

/** The delivery hour of the day `t` falls on, or as soon after `now` as is not quiet. */
function remindAt(t: number, now: number, prefs: DeliveryPrefs): number {
  const zone = zoneOf(prefs);
  const l = localTime(t, zone);
  const morning = atLocal(zone, l.year, l.month, l.day, prefs.deliverHour);
  if (morning > now) return morning;
  const soon = Math.max(now + HOUR, t);
  return inQuiet(soon, prefs) ? quietEndAfter(soon, prefs) : soon;
}

const DAY_MS = 24 * HOUR;

export async function promiseStatements(db: D1Database, user: User, capture: Capture, plan: CapturePlan, now: number): Promise<{ statements: D1PreparedStatement[]; lines: string[] }> {
  const made = capture.promises ?? [];
  // Only people with open promises have any to keep or to repeat: most have none, and
  // then nothing is read (contacts.open_promises came with the capture's own lookup).
  const promised = plan.contacts.filter((c) => c.promised).map((c) => c.id);
  const wrote = capture.wrote;
  if (made.length === 0 && !(wrote && promised.length > 0)) return { statements: [], lines: [] };
  const prefs = prefsOf(user);
  const zone = zoneOf(prefs);
  const open = await openPromisesOf(db, user.id, promised);
  const statements: D1PreparedStatement[] = [];
  const lines: string[] = [];

  // Kept: the user's open promises to the people this mail of theirs went to.
  if (wrote && (capture.kind === "bcc" || capture.kind === "intro")) {
    for (const p of open.filter((o) => o.direction === "mine" && keptBy(wrote.text, wrote.attachment, o.what))) {
      statements.push(closePromise(db, user.id, p.id, "kept", now), closeRemindersOfPromise(db, user.id, p.id, now));
      lines.push(`Promise kept: ${p.what}.`);
    }
  }

  const names = new Map(plan.contacts.map((c) => [c.id, c.name ?? c.email ?? "them"]));
  for (const p of made) {
    const contactId = plan.contactAt.get(p.person);
    if (contactId === undefined) continue;
    const again = open.some((o) => o.contact_id === contactId && o.direction === p.direction && o.what.toLowerCase() === p.what.toLowerCase());
    if (again) continue;
    const id = newId();
    statements.push(
      insertPromise(db, { id, userId: user.id, contactId, direction: p.direction, what: p.what, said: p.said || p.what, dueAt: p.dueAt, interactionId: plan.interactionId, now }),
      insertReminder(db, {
        id: newId(),
        userId: user.id,
        contactId,
        kind: p.direction === "mine" ? "promise" : "waiting",
        dueAt: p.direction === "mine" ? remindAt(p.dueAt, now, prefs) : remindAt(p.dueAt + DAY_MS, now, prefs),
        promiseId: id,
        now,
      }),
    );
    const who = names.get(contactId) ?? "them";
    lines.push(p.direction === "mine" ? `You promised ${who}: ${p.what}, by ${itemWhen(p.dueAt, zone)}. Kith will remind you.` : `${who} promised you: ${p.what}, by ${itemWhen(p.dueAt, zone)}. Kith will check with you the day after.`);
  }
  return { statements, lines };
}
