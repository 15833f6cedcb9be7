import { helpFor } from "../commands/index";
import type { Deps, Outcome } from "../core/deps";
import { newId } from "../lib/ids";
import { signToken } from "../lib/sign";
import { type Composed, SIGNOFF } from "../mail-out/compose";
import { prepareOutbound, sendAll } from "../mail-out/outbound";
import { userByAddress, userById } from "../users/store";
import type { User } from "../users/user";
import { heldById, insertHeld, markHeld } from "../received/held";
import { applyIntent, type Intent, IntentSchema, signUp } from "./intent";
import { isUniqueViolation } from "../received/log";

/** Unverified mail under SENDER_AUTH=confirm: its intent waits for a yes from the
 * address it claims to come from (a reply, or the link), then is applied as if it had
 * just arrived, validated again with the same schemas. */

function verifyMail(subject: string | undefined, address: string, link: string, hours: number): Composed {
  return {
    subject: `Kith: did you send "${(subject ?? "(no subject)").slice(0, 80)}"?`,
    text: `Kith received a mail from ${address} that it could not verify (Kith could not
confirm a DKIM signature from your domain on it), so nothing was done with it yet.

If you sent it, reply "yes" to this mail, or open:
  ${link}

If you did not, ignore this mail: it expires in ${hours} hours and nothing is kept.
${SIGNOFF}`,
  };
}

export async function holdIntent(deps: Deps, now: number, h: { userId: number | null; address: string; intent: Intent }, extra: D1PreparedStatement[] = []): Promise<Outcome> {
  const { db, config } = deps;
  const id = newId();
  const expiresAt = now + config.holdMs;
  const token = await signToken(config.linkSecret, { a: "held", u: h.userId ?? 0, r: `held:${id}`, x: Math.floor(expiresAt / 1000) });
  const c = verifyMail(h.intent.subject, h.address, `${config.publicUrl}/a/${token}`, Math.round(config.holdMs / 3600_000));
  const mail = prepareOutbound(db, config, { kind: "verify", userId: h.userId, to: h.address, ref: `held:${id}`, ...c }, now);
  try {
    await db.batch([insertHeld(db, { id, userId: h.userId, address: h.address, messageId: h.intent.messageId, intent: h.intent, now, expiresAt }), mail.statement, ...extra]);
  } catch (err) {
    if (isUniqueViolation(err)) return { outcome: "duplicate" };
    throw err;
  }
  await sendAll(db, deps.mailer, [mail.id], now, deps.clock.wall());
  return { outcome: "held", userId: h.userId };
}

/** Apply a held mail once its owner said yes (reply or link). Idempotent. */
export async function confirmHeld(deps: Deps, now: number, heldId: number, address: string): Promise<Outcome> {
  const held = await heldById(deps.db, heldId, address);
  if (!held || held.status !== "held") return { outcome: "duplicate" };
  if (held.expires_at < now) {
    await markHeld(deps.db, held.id, "expired").run();
    return answerOnly(deps, now, address, null, "That mail waited too long for your confirmation and has expired. Send it again.");
  }
  const parsed = IntentSchema.safeParse(fromBeforeTheRegistry(JSON.parse(held.intent)));
  if (!parsed.success) {
    await markHeld(deps.db, held.id, "expired").run();
    return answerOnly(deps, now, address, null, "Kith could not apply the mail it held for you. Send it again.");
  }
  // Marked applied in the same batch as the mail itself: both happen, or neither (and
  // the sender's server retries the "yes"). A racing second "yes" fails on the inbound
  // log's Message-ID key, or on the new user's address.
  const mark = [markHeld(deps.db, held.id, "applied")];
  const user = held.user_id !== null ? await userById(deps.db, held.user_id) : await userByAddress(deps.db, address);
  if (user) return applyIntent(deps, now, user, { ...parsed.data, signup: false }, null, mark);
  return signUp(deps, now, address, undefined, parsed.data, null, mark);
}

/** Mail held before the commands registry stored settings and reminder replies as
 * actions of their own; held mail lives HOLD_HOURS, so this matters for one deploy. */
function fromBeforeTheRegistry(intent: unknown): unknown {
  if (typeof intent !== "object" || intent === null || !("action" in intent)) return intent;
  const a = intent.action as { type?: string; command?: { name?: string }; outboundId?: number; commands?: unknown };
  if (a.type === "settings" && a.command) {
    const command = a.command.name === "summary" ? { ...a.command, name: "summary-schedule" } : a.command;
    return { ...intent, action: { type: "command", command } };
  }
  if (a.type === "reply") return { ...intent, action: { type: "command", command: { name: "items", outboundId: a.outboundId, commands: a.commands } } };
  return intent;
}

/** A help mail with the reason, and nothing else done. */
export async function answerOnly(deps: Deps, now: number, to: string, user: User | null, reason: string): Promise<Outcome> {
  const m = prepareOutbound(deps.db, deps.config, { kind: "help", userId: user?.id ?? null, to, ...helpFor(deps.config.assistant, reason) }, now);
  await m.statement.run();
  await sendAll(deps.db, deps.mailer, [m.id], now, deps.clock.wall());
  return { outcome: "ignored", reason };
}
