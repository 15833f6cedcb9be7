import type { Email } from "postal-mime";
import * as compose from "../mail-out/compose";
import { type OutboundRef, prepareOutbound, sendAll } from "../mail-out/outbound";
import { confirmAliasNow } from "../aliases/commands";
import { type User, userByAddress, userById } from "../users/store";
import { commandIn } from "./commands";
import type { Deps, Outcome } from "./intake";
import { applyIntent, IntentSchema, signUp } from "./intent";
import { heldById, markHeld } from "./log";
import { plainText } from "./mime/parse";

/** Replies to mail Kith sent to this very address: "yes" to a verification or to an
 * alias confirmation. Anything else goes on through the normal pipeline (null). */
export async function answerReply(
  deps: Deps,
  now: number,
  r: { email: Email; sender: string; user: User | null; reply: OutboundRef; messageId: string },
): Promise<Outcome | null> {
  const said = commandIn(r.email.subject, plainText(r.email));
  const ref = r.reply.ref ?? "";
  if (r.reply.kind === "verify" && ref.startsWith("held:")) {
    if (said?.name !== "yes") return notUnderstood(deps, now, r.sender, r.user, 'Reply "yes" to apply the mail Kith held, or ignore it.');
    return confirmHeld(deps, now, Number(ref.slice(5)), r.sender);
  }
  if (r.reply.kind === "alias-confirm" && ref.startsWith("alias:") && r.reply.user_id !== null) {
    if (said?.name !== "yes") return notUnderstood(deps, now, r.sender, null, 'Reply "yes" to confirm this address, or ignore the mail.');
    return aliasConfirmed(deps, now, r.reply.user_id, ref.slice(6));
  }
  return null;
}

/** Apply a held mail once its owner said yes (reply or link). Idempotent. */
export async function confirmHeld(deps: Deps, now: number, heldId: number, address: string): Promise<Outcome> {
  const held = await heldById(deps.db, heldId, address);
  if (!held || held.status !== "held") return { outcome: "duplicate" };
  if (held.expires_at < now) {
    await markHeld(deps.db, held.id, "expired").run();
    return notUnderstood(deps, now, address, null, "That mail waited too long for your confirmation and has expired. Send it again.");
  }
  const parsed = IntentSchema.safeParse(JSON.parse(held.intent));
  if (!parsed.success) {
    await markHeld(deps.db, held.id, "expired").run();
    return notUnderstood(deps, now, address, null, "Kith could not apply the mail it held for you. Send it again.");
  }
  // Marked applied in the same batch as the mail itself: both happen, or neither (and
  // the sender's server retries the "yes"). A racing second "yes" fails on the inbound
  // log's Message-ID key, or on the new user's address.
  const mark = [markHeld(deps.db, held.id, "applied")];
  const user = held.user_id !== null ? await userById(deps.db, held.user_id) : await userByAddress(deps.db, address);
  if (user) return applyIntent(deps, now, user, { ...parsed.data, signup: false }, null, mark);
  return signUp(deps, now, address, undefined, parsed.data, null, mark);
}

async function aliasConfirmed(deps: Deps, now: number, userId: number, address: string): Promise<Outcome> {
  const ok = await confirmAliasNow(deps, now, userId, address);
  const owner = await userById(deps.db, userId);
  if (!ok || !owner) return { outcome: "duplicate" };
  const note = compose.notice("Kith: address confirmed", `Mail from ${address} is now treated as yours.`);
  const m = prepareOutbound(deps.db, deps.config, { kind: "confirmation", userId, to: owner.email, ...note }, now);
  await m.statement.run();
  await sendAll(deps.db, deps.mailer, [m.id], now);
  return { outcome: "applied", userId, kind: "alias", mailIds: [m.id] };
}

async function notUnderstood(deps: Deps, now: number, to: string, user: User | null, reason: string): Promise<Outcome> {
  const m = prepareOutbound(deps.db, deps.config, { kind: "help", userId: user?.id ?? null, to, ...compose.help(deps.config.assistant, reason) }, now);
  await m.statement.run();
  await sendAll(deps.db, deps.mailer, [m.id], now);
  return { outcome: "ignored", reason };
}

export { confirmAliasNow };
