import type { Plan, RunContext } from "../core/commands";
import { newId } from "../lib/ids";
import { DAY } from "../lib/time";
import { notice } from "../mail-out/compose";
import { deleteMeeting, insertMeeting, meetingByUid, moveMeeting } from "../meetings/store";
import { planCapture } from "../people/apply";
import type { Capture } from "../people/capture";
import { deleteInteraction, moveInteraction } from "../people/interactions";
import { itemWhen } from "../reminders/item-view";
import { reminderStatements } from "../reminders/plan";
import { followUpDue } from "../reminders/schedule";
import { deleteRemindersOfMeeting, insertReminder } from "../reminders/store";
import { prefsOf, zoneOf } from "../users/delivery";
import { confirmation } from "./confirmation";

/** A calendar invitation, stored: its people as contacts, the meeting an interaction at
 * its start, and one follow-up after it ends (within 24 hours of the end, outside quiet
 * hours, never before it). The same UID again moves the meeting (a newer SEQUENCE), and
 * METHOD:CANCEL removes it with its follow-up. A meeting long over gets no follow-up. */

const TOO_OLD = 7 * DAY;

type Meeting = NonNullable<Capture["meeting"]>;

export async function planMeeting(ctx: RunContext, capture: Capture & { meeting: Meeting }, inboundId: number): Promise<Plan> {
  const { db } = ctx.deps;
  const { user, now } = ctx;
  const m = capture.meeting;
  const prefs = prefsOf(user);
  const zone = zoneOf(prefs);
  const title = capture.subject ? `"${capture.subject.slice(0, 80)}"` : "the meeting";
  const when = `${itemWhen(m.start, zone, true)}`;
  const answer = (subject: string, body: string): Plan => ({ kind: "meeting", statements: [], mail: [{ kind: "confirmation", userId: user.id, to: user.email, ...notice(subject, body) }] });
  const existing = await meetingByUid(db, user.id, m.uid);

  if (m.cancelled) {
    if (!existing) return answer("Kith: nothing to cancel", `Kith has no meeting ${title} to cancel.`);
    return {
      ...answer("Kith: meeting cancelled", `Removed ${title} on ${itemWhen(existing.starts_at, zone, true)}, and its follow-up. The people stay in your network.`),
      statements: [deleteRemindersOfMeeting(db, user.id, existing.id), ...deleteInteraction(db, user.id, existing.interaction_id), deleteMeeting(db, user.id, existing.id)],
    };
  }
  if (existing && m.sequence < existing.sequence) return answer("Kith: an older invitation", `This invitation to ${title} is older than the one Kith has; nothing changed.`);
  if (capture.people.length === 0) return answer("Kith: nothing saved", `The invitation to ${title} lists no one but you.`);

  const p = await planCapture(db, user.id, capture, now, inboundId, existing?.interaction_id);
  const meetingId = existing?.id ?? newId();
  const statements = [...p.statements, ...reminderStatements(db, user, capture, p, now)];
  if (existing) {
    statements.push(
      moveMeeting(db, user.id, existing.id, { sequence: m.sequence, summary: capture.subject ?? null, startsAt: m.start, endsAt: m.end }),
      moveInteraction(db, user.id, existing.interaction_id, m.start, capture.subject ?? null),
      deleteRemindersOfMeeting(db, user.id, existing.id),
    );
  } else {
    statements.push(insertMeeting(db, { id: meetingId, userId: user.id, uid: m.uid, sequence: m.sequence, summary: capture.subject ?? null, startsAt: m.start, endsAt: m.end, interactionId: p.interactionId!, now }));
  }
  const lines = [existing ? `Moved to ${when}.` : `Meeting: ${when}.`];
  if (m.end > now - TOO_OLD) {
    statements.push(insertReminder(db, { id: newId(), userId: user.id, contactId: null, kind: "meeting", dueAt: followUpDue(Math.max(m.end, now), prefs), meetingId, now }));
    lines.push("Kith will remind you to follow up after it ends.");
  }
  if (m.dropped > 0) lines.push(`The invitation lists ${m.dropped.toLocaleString("en-US")} more people than Kith takes from one invitation (${capture.people.length}); they were left out.`);
  const text = confirmation(`the invitation to ${title}`, p.contacts, { introductions: 0, forgotten: p.forgotten, notes: lines });
  return { kind: "meeting", statements, mail: [{ kind: "confirmation", userId: user.id, to: user.email, ...text }] };
}
