import * as compose from "../mail-out/compose";
import type { Composed } from "../mail-out/compose";
import { prefsOf } from "../reminders/plan";
import { readWhen } from "../reminders/reply-commands";
import { type DeliveryPrefs, describeZone, localTime, nextSlot, type Zone, zoneOf } from "../reminders/schedule";
import { PAUSED_UNTIL_RESUMED } from "../users/pause";
import type { PauseCommand, PauseKind } from "./pause-grammar";
import type { User } from "../users/store";

/** Pausing and resuming a user's mail, by command ("pause until March", "resume") or by
 * List-Unsubscribe. A pause is only the users column: reminder delivery
 * (src/reminders/deliver.ts) holds back what falls due meanwhile (`heldUntil`), and
 * "resume" brings that back at once. The weekly summary checks its own column. */

const HOUR = 3600_000;
const COLUMN = { reminders: "reminders_paused_until", summary: "summary_paused_until" } as const;
const NAME: Record<PauseKind, string> = { reminders: "reminders", summary: "the weekly summary" };
const NONE: Record<PauseKind, string> = { reminders: "reminders", summary: "weekly summaries" };

type PauseColumns = Pick<User, "reminders_paused_until" | "summary_paused_until">;

/** The end of the user's pause of this kind of mail, or null when it is not paused. */
export function pausedUntil(user: PauseColumns, kind: PauseKind, now: number): number | null {
  const t = user[COLUMN[kind]];
  return t !== null && t > now ? t : null;
}

/** While reminders are paused, what is due is put off to the next delivery slot (or to
 * the pause's end when that comes first) and looked at again then: a paused user costs a
 * tick one look a day, and nothing needs undoing when the pause ends or an interaction
 * moves a check-in. */
export function heldUntil(now: number, prefs: DeliveryPrefs, pauseEnd: number): number {
  return Math.min(pauseEnd, nextSlot(now + HOUR, prefs));
}

/** Pause these kinds until `until` (PAUSED_UNTIL_RESUMED: until the user resumes). */
export function pauseStatements(db: D1Database, userId: number, kinds: PauseKind[], until: number): D1PreparedStatement[] {
  return kinds.map((k) => db.prepare(`UPDATE users SET ${COLUMN[k]} = ?2 WHERE id = ?1`).bind(userId, until));
}

/** Clear the pauses. Reminders held back (due by `heldUntil` of now) become due now: in
 * the same batch, before the column is cleared, and only if reminders were paused. Items
 * that were due before the next delivery slot anyway come along with them. */
export function resumeStatements(db: D1Database, user: User, kinds: PauseKind[], now: number): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  if (kinds.includes("reminders")) {
    out.push(
      db
        .prepare(
          `UPDATE reminders SET due_at = ?2
           WHERE user_id = ?1 AND status = 'pending' AND due_at > ?2 AND due_at <= ?3
             AND EXISTS (SELECT 1 FROM users WHERE id = ?1 AND reminders_paused_until > ?2)`,
        )
        .bind(user.id, now, heldUntil(now, prefsOf(user), PAUSED_UNTIL_RESUMED)),
    );
  }
  out.push(...kinds.map((k) => db.prepare(`UPDATE users SET ${COLUMN[k]} = NULL WHERE id = ?1`).bind(user.id)));
  return out;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function when(t: number, zone: Zone): string {
  const l = localTime(t, zone);
  return `${WEEKDAYS[l.weekday - 1]} ${MONTHS[l.month - 1]} ${l.day} ${l.year}, ${String(l.hour).padStart(2, "0")}:${String(l.minute).padStart(2, "0")}`;
}

/** One line per kind: on, paused until a time, or paused until resumed. */
export function describePauses(user: User, now: number): string {
  const zone = zoneOf(prefsOf(user));
  const line = (k: PauseKind, label: string) => {
    const t = pausedUntil(user, k, now);
    const state = t === null ? "on" : t >= PAUSED_UNTIL_RESUMED ? 'paused until you send "resume"' : `paused until ${when(t, zone)} (${describeZone(zone)})`;
    return `  ${label.padEnd(16)}${state}`;
  };
  return `${line("reminders", "reminders")}\n${line("summary", "weekly summary")}`;
}

const names = (kinds: PauseKind[], words = NAME) => kinds.map((k) => words[k]).join(" and ");

function withPause(user: User, kinds: PauseKind[], value: number | null): User {
  const out = { ...user };
  for (const k of kinds) out[COLUMN[k]] = value;
  return out;
}

/** A "pause" or "resume" command: the statements and the answer saying what is paused
 * and until when. A time Kith cannot read changes nothing and says why. */
export function pausePlan(db: D1Database, user: User, cmd: PauseCommand, now: number): { statements: D1PreparedStatement[]; mail: Composed } {
  const zone = zoneOf(prefsOf(user));
  if (cmd.name === "resume") {
    const after = withPause(user, cmd.kinds, null);
    const back = cmd.kinds.includes("reminders") ? " Reminders that waited during the pause come with your next reminder mail." : "";
    return {
      statements: resumeStatements(db, user, cmd.kinds, now),
      mail: compose.notice("Kith: resumed", `Resumed: ${names(cmd.kinds)} ${cmd.kinds.length > 1 ? "are" : "is"} on.${back}\n\n${describePauses(after, now)}`),
    };
  }
  let until = PAUSED_UNTIL_RESUMED;
  if (cmd.until !== null) {
    const read = readWhen(cmd.until, now, zone);
    if (!("at" in read)) {
      const why =
        read.problem === "not-a-time"
          ? `Kith could not read "${cmd.until.slice(0, 60)}" as a time.`
          : read.problem === "past"
            ? `"${cmd.until.slice(0, 60)}" is not in the future.`
            : "Kith pauses for at most two years at a time.";
      return { statements: [], mail: compose.notice("Kith: nothing paused", `${why} Try "pause for 2 weeks", "pause until March", "pause reminders" (until you resume) or "resume".`) };
    }
    until = read.at;
  }
  const after = withPause(user, cmd.kinds, until);
  const end = until >= PAUSED_UNTIL_RESUMED ? 'until you send "resume"' : `until ${when(until, zone)} (${describeZone(zone)})`;
  const subject = `Kith: ${names(cmd.kinds).replace("the ", "")} paused`;
  const text = `Paused: Kith sends you no ${names(cmd.kinds, NONE)} ${end}. It keeps everything you send it meanwhile, and reminders that fall due wait for the pause to end.

${describePauses(after, now)}

Send "resume" to turn everything back on, or "resume reminders" / "resume summary".`;
  return { statements: pauseStatements(db, user.id, cmd.kinds, until), mail: compose.notice(subject, text) };
}

/** List-Unsubscribe (one-click or mailto): that kind of mail, until resumed. Repeating
 * it changes nothing more. */
export function unsubscribeStatements(db: D1Database, userId: number, kind: PauseKind): D1PreparedStatement[] {
  return pauseStatements(db, userId, [kind], PAUSED_UNTIL_RESUMED);
}

export function unsubscribedText(kind: PauseKind, assistant: string): string {
  return `Kith will send you no more ${kind === "reminders" ? "reminder mails" : "weekly summaries"}. Your contacts and notes are kept. To get ${kind === "reminders" ? "reminders" : "the summary"} again, mail "resume" to ${assistant}.`;
}
