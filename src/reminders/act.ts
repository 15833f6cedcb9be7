import { newId } from "../lib/ids";
import { insertInteraction, linkInteraction, mergeContact } from "../people/store";
import type { User } from "../users/store";
import { shortDate } from "./compose";
import { prefsOf } from "./plan";
import type { ItemAction, ReplyCommand } from "./reply-commands";
import { addDays, nextSlot, zoneOf } from "./schedule";
import { type DueReminder, dropCheckIns, insertReminder, setReminderStatus, upsertCheckIn } from "./store";

/** What "done", "skip", "stop", "snooze", "every N", "note" do to reminder items, as
 * statements for one batch and lines for the confirmation. Used by replies and by
 * one-click links alike. */

const OPEN = new Set(["pending", "claimed", "sent"]);

export interface Acted {
  statements: D1PreparedStatement[];
  lines: string[];
}

function label(r: DueReminder): string {
  if (r.kind === "intro-check") return `the intro of ${r.name ?? r.email ?? "them"} and ${r.other_name ?? r.other_email ?? "the other person"}`;
  return r.name ?? r.email ?? "that contact";
}

export function act(db: D1Database, user: User, r: DueReminder, action: ItemAction, now: number): Acted {
  const prefs = prefsOf(user);
  const zone = zoneOf(prefs);
  const cadence = r.cadence_days ?? user.cadence_days;
  const s: D1PreparedStatement[] = [];
  const who = label(r);
  // Contact-level settings apply whatever the item's state; item actions only once.
  if (action.kind === "cadence") {
    s.push(
      db.prepare("UPDATE contacts SET cadence_days = ?3, muted_at = NULL WHERE id = ?2 AND user_id = ?1").bind(user.id, r.contact_id, action.days),
      // From now: the user has just been reminded of this person, so not again at once.
      upsertCheckIn(db, { id: newId(), userId: user.id, contactId: r.contact_id, dueAt: nextSlot(addDays(now, action.days, zone), prefs), now, later: false }),
    );
    return { statements: s, lines: [`Checking in with ${r.name ?? r.email ?? "them"} every ${action.days} days.`] };
  }
  if (action.kind === "note") {
    s.push(
      db
        .prepare("INSERT INTO contact_notes (id, user_id, contact_id, text, created_at) VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(newId(), user.id, r.contact_id, action.text.slice(0, 2000), now),
    );
    return { statements: s, lines: [`Noted for ${r.name ?? r.email ?? "them"}: "${action.text.slice(0, 80)}".`] };
  }
  if (action.kind === "stop") {
    s.push(
      db.prepare("UPDATE contacts SET muted_at = ?3 WHERE id = ?2 AND user_id = ?1").bind(user.id, r.contact_id, now),
      dropCheckIns(db, user.id, r.contact_id),
    );
    if (OPEN.has(r.status)) s.push(setReminderStatus(db, user.id, r.id, "stopped", now));
    return { statements: s, lines: [`No more check-ins with ${r.name ?? r.email ?? "them"}.`] };
  }
  if (!OPEN.has(r.status)) return { statements: [], lines: [`${who}: already ${r.status}.`] };

  if (action.kind === "skip") {
    s.push(setReminderStatus(db, user.id, r.id, "skipped", now));
    return { statements: s, lines: [`Skipped ${who}.`] };
  }
  if (action.kind === "snooze") {
    s.push(setReminderStatus(db, user.id, r.id, "snoozed", now));
    if (r.kind === "check-in") {
      // A contact muted since ("stop" on a later mail) stays muted.
      if (r.muted_at === null) s.push(upsertCheckIn(db, { id: newId(), userId: user.id, contactId: r.contact_id, dueAt: action.until, now, later: false }));
    } else {
      s.push(insertReminder(db, { id: newId(), userId: user.id, contactId: r.contact_id, kind: r.kind, dueAt: action.until, introductionId: r.introduction_id, now }));
    }
    return { statements: s, lines: [`Snoozed ${who} until ${shortDate(action.until, zone)}.`] };
  }
  // done: for a person, the user was in touch: log it, which restarts the check-in clock.
  s.push(setReminderStatus(db, user.id, r.id, "done", now));
  if (r.kind !== "intro-check") {
    const interactionId = newId();
    s.push(
      insertInteraction(db, { id: interactionId, userId: user.id, kind: "follow-up", occurredAt: now, subject: null, summary: `Marked done: ${r.kind}`, inboundId: null, now }),
      linkInteraction(db, interactionId, r.contact_id, "subject"),
      mergeContact(db, user.id, r.contact_id, { touchedAt: now }, now),
    );
    if (r.muted_at === null) {
      s.push(upsertCheckIn(db, { id: newId(), userId: user.id, contactId: r.contact_id, dueAt: nextSlot(addDays(now, cadence, zone), prefs), now, later: true }));
    }
  }
  return { statements: s, lines: [`Done: ${who}.`] };
}

/** Apply reply commands to the items of one reminder mail. */
export function actOnItems(db: D1Database, user: User, items: Map<number, DueReminder>, commands: ReplyCommand[], now: number): Acted {
  const out: Acted = { statements: [], lines: [] };
  for (const c of commands) {
    const targets = c.items === "all" ? [...items.values()] : c.items.map((n) => items.get(n)).filter((r): r is DueReminder => r !== undefined);
    for (const r of targets) {
      const a = act(db, user, r, c.action, now);
      out.statements.push(...a.statements);
      out.lines.push(...a.lines);
    }
  }
  return out;
}
