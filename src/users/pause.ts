import { HOUR, MONTHS, WEEKDAYS } from "../lib/time";
import { describeZone, localTime, type Zone } from "../lib/zone";
import { type DeliveryPrefs, nextSlot, prefsOf, zoneOf } from "./delivery";
import type { User } from "./user";

/** Whether a user's mail is paused, and until when. users.reminders_paused_until and
 * users.summary_paused_until hold NULL (not paused) or the time the pause ends; "until
 * resumed" is one far future time, so that every reader compares a number and none
 * needs a special case. Reminder delivery and the weekly summary read this; the "pause"
 * and "resume" commands (src/settings/pause.ts) and List-Unsubscribe write it. */

export type PauseKind = "reminders" | "summary";
export const ALL_KINDS: PauseKind[] = ["reminders", "summary"];

/** 9999-12-31T00:00:00Z, in epoch ms like every other time in D1. */
export const PAUSED_UNTIL_RESUMED = Date.UTC(9999, 11, 31);

export const PAUSE_COLUMN = { reminders: "reminders_paused_until", summary: "summary_paused_until" } as const;

type PauseColumns = Pick<User, "reminders_paused_until" | "summary_paused_until">;

/** The end of the user's pause of this kind of mail, or null when it is not paused. */
export function pausedUntil(user: PauseColumns, kind: PauseKind, now: number): number | null {
  const t = user[PAUSE_COLUMN[kind]];
  return t !== null && t > now ? t : null;
}

/** While reminders are paused, what is due is put off to the next delivery slot (or to
 * the pause's end when that comes first) and looked at again then: a paused user costs a
 * tick one look a day, and nothing needs undoing when the pause ends or an interaction
 * moves a check-in. */
export function heldUntil(now: number, prefs: DeliveryPrefs, pauseEnd: number): number {
  return Math.min(pauseEnd, nextSlot(now + HOUR, prefs));
}

/** "Tue Mar 3 2027, 09:00" in the zone. */
export function whenText(t: number, zone: Zone): string {
  const l = localTime(t, zone);
  return `${WEEKDAYS[l.weekday - 1]} ${MONTHS[l.month - 1]} ${l.day} ${l.year}, ${String(l.hour).padStart(2, "0")}:${String(l.minute).padStart(2, "0")}`;
}

/** One line per kind: on, paused until a time, or paused until resumed. */
export function describePauses(user: User, now: number): string {
  const zone = zoneOf(prefsOf(user));
  const line = (k: PauseKind, label: string) => {
    const t = pausedUntil(user, k, now);
    const state = t === null ? "on" : t >= PAUSED_UNTIL_RESUMED ? 'paused until you send "resume"' : `paused until ${whenText(t, zone)} (${describeZone(zone)})`;
    return `  ${label.padEnd(16)}${state}`;
  };
  return `${line("reminders", "reminders")}\n${line("summary", "weekly summary")}`;
}

/** What List-Unsubscribe (one-click or mailto) says it did. */
export function unsubscribedText(kind: PauseKind, assistant: string): string {
  return `Kith will send you no more ${kind === "reminders" ? "reminder mails" : "weekly summaries"}. Your contacts and notes are kept. To get ${kind === "reminders" ? "reminders" : "the summary"} again, mail "resume" to ${assistant}.`;
}
