import type { Composed } from "../mail-out/compose";
import { prefsOf } from "../reminders/plan";
import { describeZone, zoneOf } from "../reminders/schedule";
import { describeSummary, scheduleSummary, summaryOff } from "../summary/schedule";
import { summarySetting } from "../summary/setting";
import type { SettingsCommand } from "./grammar";
import type { User } from "../users/store";

/** "settings", "timezone Europe/Berlin", "deliver at 8am", "quiet hours 22-7",
 * "cadence 60 days", "cap 5", "summary friday": change one preference and answer with all of them. */

const COLUMN = { timezone: "time_zone", deliver: "deliver_hour", cadence: "cadence_days", cap: "item_cap" } as const;

const hh = (h: number) => `${String(h).padStart(2, "0")}:00`;

export function describeSettings(user: User): string {
  const zone = zoneOf(prefsOf(user));
  const quiet = user.quiet_start === user.quiet_end ? "off" : `${hh(user.quiet_start)}-${hh(user.quiet_end)}`;
  return `Your Kith settings:

  timezone        ${describeZone(zone)}${user.time_zone ? "" : "  (set it: \"timezone Europe/Berlin\")"}
  deliver at      ${hh(user.deliver_hour)}  ("deliver at 8am")
  quiet hours     ${quiet}  ("quiet hours 22-7", "quiet hours off")
  check in every  ${user.cadence_days} days, unless set per contact  ("cadence 60 days")
  items per mail  ${user.item_cap}  ("cap 5")
  weekly summary  ${describeSummary(user)}  (${summaryOff(user) ? '"summary on"' : '"summary friday", "summary at 8", "summary off"'})

Follow-ups for new connections arrive within 24 hours, outside quiet hours;
check-ins come at your delivery hour. At most two reminder mails a day.`;
}

export function settingsPlan(db: D1Database, user: User, cmd: SettingsCommand, now: number): { statements: D1PreparedStatement[]; mail: Composed } {
  const updated: User = { ...user };
  const statements: D1PreparedStatement[] = [];
  if (cmd.name === "quiet") {
    updated.quiet_start = cmd.start;
    updated.quiet_end = cmd.end;
    statements.push(db.prepare("UPDATE users SET quiet_start = ?2, quiet_end = ?3 WHERE id = ?1").bind(user.id, cmd.start, cmd.end));
  } else if (cmd.name === "summary") {
    const s = summarySetting(db, user, cmd, now);
    Object.assign(updated, s.user);
    statements.push(s.statement);
  } else if (cmd.name !== "settings") {
    const value = cmd.name === "timezone" ? cmd.zone : cmd.name === "deliver" ? cmd.hour : cmd.name === "cadence" ? cmd.days : cmd.items;
    const column = COLUMN[cmd.name];
    Object.assign(updated, { [column]: value });
    statements.push(db.prepare(`UPDATE users SET ${column} = ?2 WHERE id = ?1`).bind(user.id, value));
    // The summary's slot is a local time: it moves with the zone and the delivery hour.
    if (cmd.name === "timezone" || cmd.name === "deliver") statements.push(scheduleSummary(db, updated, now));
  }
  const changed = cmd.name === "settings" ? "" : "Saved.\n\n";
  return { statements, mail: { subject: "Kith: your settings", text: `${changed}${describeSettings(updated)}\n\n-- \nKith, your networking assistant.\n` } };
}
