import type { Composed } from "../mail-out/compose";
import { describeZone } from "../lib/zone";
import { describeSummary, summaryOff } from "../summary/schedule";
import { prefsOf, zoneOf } from "../users/delivery";
import type { User } from "../users/user";

/** The settings mail: every preference, with how to change it. */

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

/** The answer to every settings command: what changed (if anything), then all of them. */
export function settingsMail(user: User, changed: boolean): Composed {
  return { subject: "Kith: your settings", text: `${changed ? "Saved.\n\n" : ""}${describeSettings(user)}\n\n-- \nKith, your networking assistant.\n` };
}
