import { newId } from "../lib/ids";
import { addDays } from "../lib/zone";
import type { CapturePlan } from "../people/apply";
import type { Capture } from "../people/capture";
import { nextSlot, prefsOf, zoneOf } from "../users/delivery";
import type { User } from "../users/user";
import { followUpDue } from "./schedule";
import { completeFollowUps, insertReminder, upsertCheckIn } from "./store";

/** The reminders one captured mail sets up:
 * - a follow-up within 24 hours for every new connection (intro, forward, note, card);
 * - for an intro the user made, one check a few days later that the two connected;
 * - every contact in an interaction gets its check-in clock reset (cadence after it);
 * - mail the user wrote to a contact completes that contact's open follow-up. */

export const INTRO_CHECK_DAYS = 3;

/** Imported address books spread their first check-ins over a second cadence, so that
 * 500 LinkedIn connections do not all fall due on one morning. */
function spread(contactId: number, cadence: number): number {
  return contactId % Math.max(1, cadence);
}

export function reminderStatements(db: D1Database, user: User, capture: Capture, plan: CapturePlan, now: number): D1PreparedStatement[] {
  const prefs = prefsOf(user);
  const zone = zoneOf(prefs);
  const out: D1PreparedStatement[] = [];
  const userWrote = capture.kind === "bcc" || (capture.kind === "intro" && plan.introduction?.introducerId === null);
  const connection = capture.kind === "forward" || capture.kind === "note" || (capture.kind === "intro" && !userWrote);

  for (const c of plan.contacts) {
    if (c.isNew && connection) {
      out.push(insertReminder(db, { id: newId(), userId: user.id, contactId: c.id, kind: "follow-up", dueAt: followUpDue(now, prefs), now }));
    }
    if (userWrote && !c.isNew) out.push(completeFollowUps(db, user.id, c.id, now));
    if (c.muted) continue;
    // An import is no interaction: it starts clocks for new contacts, never moves one.
    if (capture.kind === "import" && !c.isNew) continue;
    const cadence = c.cadenceDays ?? user.cadence_days;
    // A new connection's clock starts when Kith learns of it, even from an old mail.
    const from = capture.kind === "import" ? addDays(now, spread(c.id, cadence), zone) : c.isNew ? Math.max(capture.occurredAt, now) : capture.occurredAt;
    out.push(upsertCheckIn(db, { id: newId(), userId: user.id, contactId: c.id, dueAt: nextSlot(addDays(from, cadence, zone), prefs), now, later: true }));
  }

  const intro = plan.introduction;
  if (intro && intro.introducerId === null && intro.bId !== null) {
    const dueAt = nextSlot(addDays(now, INTRO_CHECK_DAYS, zone), prefs);
    out.push(insertReminder(db, { id: newId(), userId: user.id, contactId: intro.aId, kind: "intro-check", dueAt, introductionId: intro.id, now }));
  }
  return out;
}
