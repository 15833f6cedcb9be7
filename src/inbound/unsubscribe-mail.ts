import type { Outcome } from "../core/deps";
import { newId } from "../lib/ids";
import { notice } from "../mail-out/compose";
import { prepareOutbound, sendAll } from "../mail-out/outbound";
import { readUnsubscribeToken, tokenFromAddress } from "../mail-out/unsubscribe";
import { PAUSED_UNTIL_RESUMED, unsubscribedText } from "../users/pause";
import { setPauses, userById } from "../users/store";
import type { Incoming } from "./incoming";
import { alreadyApplied, insertInbound, isUniqueViolation } from "../received/log";
import { flatten } from "./mime/addresses";

/** Mail to kith+u<token>@ (List-Unsubscribe's mailto): pause that kind of mail for the
 * user the token names. The signed token is the whole authentication, so the From may
 * be any of the user's addresses, or a mail client unsubscribing on its own; such
 * machine mail still unsubscribes but gets no answer. The confirmation goes to the
 * user's registered address, never to the From. Null when the mail is not to such an
 * address. */
export async function unsubscribeByMail(m: Incoming): Promise<Outcome | null> {
  const { deps, now, email, inbound } = m;
  const { db, config } = deps;
  const addresses = [inbound.to, ...flatten(email.to).map((p) => p.email), ...flatten(email.cc).map((p) => p.email)];
  const token = addresses.map((a) => (a ? tokenFromAddress(config, a) : null)).find((t) => t !== null);
  if (!token) return null;
  const target = await readUnsubscribeToken(config, token);
  if (!target) return { outcome: "rejected", reason: `This unsubscribe address is not valid. To stop Kith's mail, send "pause" to ${config.assistant} from your own address.` };
  const user = await userById(db, target.userId);
  if (!user) return { outcome: "ignored", reason: "unsubscribe for a user that no longer exists" };

  const messageId = await m.messageId();
  if (await alreadyApplied(db, user.id, messageId)) return { outcome: "duplicate" };
  const subject = target.kind === "reminders" ? "Kith: reminders stopped" : "Kith: weekly summary stopped";
  const reply = m.automated
    ? []
    : [
        prepareOutbound(
          db,
          config,
          {
            kind: "confirmation",
            userId: user.id,
            to: user.email,
            ...notice(subject, unsubscribedText(target.kind, config.assistant)),
            inReplyTo: messageId.startsWith("<sha256:") ? undefined : messageId,
          },
          now,
        ),
      ];
  try {
    await db.batch([
      insertInbound(db, { id: newId(), userId: user.id, messageId, kind: "unsubscribe", outcome: "applied", subject: email.subject ?? null, now }),
      ...setPauses(db, user.id, [target.kind], PAUSED_UNTIL_RESUMED),
      ...reply.map((r) => r.statement),
    ]);
  } catch (err) {
    if (isUniqueViolation(err) && String(err).includes("inbound_messages")) return { outcome: "duplicate" };
    throw err;
  }
  await sendAll(db, deps.mailer, reply.map((r) => r.id), now, deps.clock.wall());
  return { outcome: "applied", userId: user.id, kind: "unsubscribe", mailIds: reply.map((r) => r.id) };
}
