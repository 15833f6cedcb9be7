import type { Email } from "postal-mime";
import type { IntentAction } from "../inbound/intent";
import type { User } from "../users/store";
import { prefsOf } from "./plan";
import { parseReplyCommands } from "./reply-commands";
import { typedReply } from "./reply-text";
import { type Zone, zoneOf } from "./schedule";

/** A user's reply to a reminder mail: what they typed above the quote, read as
 * commands on that mail's numbered items. */
export async function readReminderReply(db: D1Database, email: Email, user: User, outboundId: number, now: number): Promise<IntentAction> {
  const typed = typedReply(email.text ?? "", email.html);
  const row = await db
    .prepare("SELECT count(*) AS n FROM reminder_items WHERE outbound_id = ?1")
    .bind(outboundId)
    .first<{ n: number }>();
  const itemCount = row?.n ?? 0;
  if (!typed.trim()) return { type: "help", reason: "Kith found no command in your reply (it reads only what you type above the quoted mail)." };
  const parsed = parseReplyCommands(typed, { now, timeZone: ianaName(zoneOf(prefsOf(user))), itemCount });
  if (!parsed.ok) return { type: "help", reason: parsed.reason };
  return { type: "reply", outboundId, commands: parsed.commands };
}

/** A name chrono-node's timezone option takes: the user's IANA zone, or for a zone
 * guessed from a whole-hour offset the matching Etc/GMT zone (its sign is inverted). */
function ianaName(z: Zone): string {
  if (z.kind === "iana") return z.name;
  if (z.minutes % 60 !== 0 || z.minutes === 0) return "UTC";
  const h = -z.minutes / 60;
  return `Etc/GMT${h > 0 ? "+" : ""}${h}`;
}
