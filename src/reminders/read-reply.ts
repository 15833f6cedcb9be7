import type { Email } from "postal-mime";
import type { IntentAction } from "../inbound/intent";
import { parsePauseCommand } from "../settings/pause-grammar";
import type { User } from "../users/store";
import { prefsOf } from "./plan";
import { parseReplyCommands } from "./reply-commands";
import { typedReply } from "../inbound/reply/typed";
import { type Zone, zoneOf } from "./schedule";

/** A user's reply to a reminder mail: what they typed above the quote, read as
 * commands on that mail's numbered items. */
export async function readReminderReply(
  db: D1Database,
  email: Email,
  user: User,
  outboundId: number,
  now: number,
  kind: "reminder" | "weekly-summary" = "reminder",
): Promise<IntentAction> {
  const typed = typedReply(email.text ?? "", email.html);
  const row = await db
    .prepare("SELECT count(*) AS n FROM reminder_items WHERE outbound_id = ?1")
    .bind(outboundId)
    .first<{ n: number }>();
  const itemCount = row?.n ?? 0;
  if (!typed.trim()) return { type: "help", reason: "Kith found no command in your reply (it reads only what you type above the quoted mail)." };
  // "pause", "pause until March", "resume", "unsubscribe": about Kith's mail as a whole,
  // the same as in a new mail, not about this mail's items.
  const first = typed.split(/\r?\n/).find((l) => l.trim() !== "");
  const pause = first ? parsePauseCommand(first) : null;
  if (pause) return { type: "command", command: pause };
  const parsed = parseReplyCommands(typed, { now, timeZone: ianaName(zoneOf(prefsOf(user))), itemCount });
  if (!parsed.ok) return { type: "help", reason: parsed.reason };
  // A summary lists up to twenty people: a bare "done" is more likely a slip than a
  // wish to mark them all, so a summary wants numbers.
  if (kind === "weekly-summary" && itemCount > 1 && parsed.commands.some((c) => c.items === "all")) {
    return { type: "help", reason: 'The weekly summary lists several people: start your reply with the item numbers, e.g. "1 done, 3 snooze 2 weeks".' };
  }
  return { type: "reply", outboundId, commands: parsed.commands };
}

/** The zone name the reply grammar takes: the user's IANA zone, or the offset guessed
 * from their mail. */
function ianaName(z: Zone): string {
  if (z.kind === "iana") return z.name;
  // Intl takes a fixed offset as a zone name ("+05:30"), half hours included.
  const m = Math.abs(z.minutes);
  return `${z.minutes < 0 ? "-" : "+"}${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}
