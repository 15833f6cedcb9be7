import { ALIAS_TTL_MS, confirmAliasNow } from "../aliases/confirm";
import { firstLine, readCommand } from "../commands/read";
import type { Outcome } from "../core/deps";
import { isAllowed } from "../config";
import { notice } from "../mail-out/compose";
import { prepareOutbound, sendAll } from "../mail-out/outbound";
import { eraseAccount } from "../network/delete";
import { listedCount } from "../people/listings";
import { itemCount } from "../reminders/store";
import { addressesOf, addressOwner, dropStalePending, userById } from "../users/store";
import type { User } from "../users/user";
import { prefsOf, zoneOf } from "../users/delivery";
import { UTC } from "../lib/zone";
import { calendarParts } from "./calendar/parts";
import { classify } from "./classify";
import { answerOnly, confirmHeld, holdIntent } from "./held";
import type { Incoming } from "./incoming";
import { applyIntent, type Intent, type IntentAction, signUp, validIntent } from "./intent";
import { alreadyApplied } from "../received/log";
import { header, plainText } from "./mime/parse";
import { SenderCheckUnavailable } from "./sender/trust";
import { counted, countOne, limitKeys } from "../account/limits";
import { HOUR } from "../lib/time";
import { typedReply } from "./reply/typed";
import { unsubscribeByMail } from "./unsubscribe-mail";

/**
 * What to do with a parsed mail: the first resolver that answers wins. Each is a small
 * function of the mail; the order is the precedence, readable here in one place.
 */
type Resolver = (m: Incoming) => Promise<Outcome | null>;

export const RESOLVERS: readonly Resolver[] = [
  /** To kith+u<token>@: the signed token is the authentication, so this comes before the
   * sender checks, and it counts even when a mail client sent it by itself. */
  unsubscribeByMail,
  /** Auto-replies, bounces, lists: never a command, never answered. */
  machineMail,
  noSender,
  fromKith,
  /** One address (a user's, or one a forger uses) may send only so much an hour. */
  flood,
  /** "yes" to a verify or alias-confirm mail sent to this address: the unguessable
   * Message-ID it quotes shows the sender reads that mailbox, so no DMARC is needed. */
  confirmationReply,
  /** A first mail: sign-up when allowed (or held until confirmed). */
  newSender,
  redelivery,
  /** Everything else a user sends: a reply to Kith's mail, or a mail classify() reads. */
  userMail,
];

async function machineMail(m: Incoming): Promise<Outcome | null> {
  return m.automated ? { outcome: "ignored", reason: m.automated } : null;
}

async function noSender(m: Incoming): Promise<Outcome | null> {
  return m.sender ? null : reject("Kith could not find a From address in your message.");
}

async function fromKith(m: Incoming): Promise<Outcome | null> {
  return m.sender === m.deps.config.assistant ? { outcome: "ignored", reason: "mail from Kith itself" } : null;
}

/** Refused at the door (the sending server tells its own user), so that a flood is
 * never answered and stores nothing. The count goes in the batch that stores the mail
 * (m.commitWith), so a redelivery or a refused mail is not counted. Mail that is not
 * authenticated counts apart, so a forger cannot use up the user's own hour. */
async function flood(m: Incoming): Promise<Outcome | null> {
  const { db, config } = m.deps;
  const key = await limitKeys.inboundAddress(m.sender!, (await m.trusted()).ok);
  if ((await counted(db, key, HOUR, m.now)) >= config.mailPerHour) {
    return reject(`Kith takes up to ${config.mailPerHour} messages an hour from one address, and ${m.sender} has sent more. Send the rest in an hour.`);
  }
  m.commitWith.push(countOne(db, key, HOUR, m.now));
  return null;
}

async function confirmationReply(m: Incoming): Promise<Outcome | null> {
  const reply = await m.replyTo();
  const sender = m.sender!;
  if (!reply || reply.to_address !== sender || (reply.kind !== "verify" && reply.kind !== "alias-confirm" && reply.kind !== "confirm-delete")) return null;
  const ref = reply.ref ?? "";
  const top = typedReply(plainText(m.email));
  const said = readCommand([m.email.subject, firstLine(top)], { where: reply.kind, now: m.now, user: await m.user(), typed: top });
  const yes = said !== null && "command" in said && said.command.name === "yes";
  if (reply.kind === "verify" && ref.startsWith("held:")) {
    if (!yes) return answerOnly(m.deps, m.now, sender, await m.user(), 'Reply "yes" to apply the mail Kith held, or ignore it.');
    return confirmHeld(m.deps, m.now, Number(ref.slice(5)), sender);
  }
  if (reply.kind === "alias-confirm" && ref.startsWith("alias:") && reply.user_id !== null) {
    if (!yes) return answerOnly(m.deps, m.now, sender, null, 'Reply "yes" to confirm this address, or ignore the mail.');
    return aliasConfirmed(m, reply.user_id, ref.slice(6));
  }
  if (reply.kind === "confirm-delete" && ref.startsWith("delete:")) {
    const user = await m.user();
    // Only from the address it was sent to, and only for the account it named.
    if (!user || user.email !== sender || reply.user_id !== user.id || ref !== `delete:${user.id}`) return null;
    if (!yes) return answerOnly(m.deps, m.now, sender, user, 'Reply "yes" to delete your account, or ignore the mail to keep it.');
    return eraseAccount(m.deps, user);
  }
  return null;
}

async function aliasConfirmed(m: Incoming, userId: number, address: string): Promise<Outcome> {
  const { db, config, mailer, clock } = m.deps;
  const ok = await confirmAliasNow(db, userId, address, m.now);
  const owner = await userById(db, userId);
  if (!ok || !owner) return { outcome: "duplicate" };
  const out = prepareOutbound(db, config, { kind: "confirmation", userId, to: owner.email, ...notice("Kith: address confirmed", `Mail from ${address} is now treated as yours.`) }, m.now);
  await out.statement.run();
  await sendAll(db, mailer, [out.id], m.now, clock.wall());
  return { outcome: "applied", userId, kind: "alias", mailIds: [out.id] };
}

async function newSender(m: Incoming): Promise<Outcome | null> {
  if (await m.user()) return null;
  const { db, config } = m.deps;
  const sender = m.sender!;
  const owner = await addressOwner(db, sender);
  // A requested alias holds its address for a week; after that, anyone may have it.
  const pending = owner?.status === "pending";
  if (pending && owner.created_at >= m.now - ALIAS_TTL_MS) {
    return reject(`${sender} is waiting to be confirmed as another address of a Kith user. Reply "yes" to the confirmation mail Kith sent to it first.`);
  }
  const stale = pending ? [dropStalePending(db, sender, m.now - ALIAS_TTL_MS)] : [];
  if (!isAllowed(config, sender)) {
    return reject(`${sender} is not registered with Kith, and sign-up is not open to it. Ask whoever runs this Kith to allow your address.`);
  }
  const intent = validIntent({ signup: true, messageId: await m.messageId(), subject: m.email.subject, action: await understand(m, null) });
  if ("reason" in intent) return reject(intent.reason);
  return (await unverified(m, null, intent)) ?? signUp(m.deps, m.now, sender, m.fromName(), intent, tzOffset(header(m.email, "date")), [...stale, ...m.commitWith]);
}

async function redelivery(m: Incoming): Promise<Outcome | null> {
  const user = (await m.user())!;
  return (await alreadyApplied(m.deps.db, user.id, await m.messageId())) ? { outcome: "duplicate" } : null;
}

async function userMail(m: Incoming): Promise<Outcome> {
  const user = (await m.user())!;
  const intent = validIntent({ signup: false, messageId: await m.messageId(), subject: m.email.subject, action: await understand(m, user) });
  if ("reason" in intent) return reject(intent.reason);
  return (await unverified(m, user, intent)) ?? applyIntent(m.deps, m.now, user, intent, tzOffset(header(m.email, "date")), m.commitWith);
}

/** Mail whose sender is not authenticated: refused (strict) or held for a yes (confirm);
 * null when the sender is trusted. A DNS failure is never a pass: under strict it throws,
 * so that the sending server retries rather than the mail being refused for good; under
 * confirm the mail is held as any other (the user's yes applies it). */
async function unverified(m: Incoming, user: User | null, intent: Intent): Promise<Outcome | null> {
  const trusted = await m.trusted();
  if (trusted.ok) return null;
  // A forgery (the sender's domain says this mail is not theirs) is refused, never
  // answered: a verify mail would go to the address it forges.
  if (m.deps.config.senderAuth === "strict" || trusted.status === "fail") {
    if (trusted.status === "temperror") throw new SenderCheckUnavailable(`could not check the sender ${m.sender} now: ${trusted.reason}`);
    return reject(`Kith could not verify that this message really comes from ${m.sender} (${trusted.reason}). Send it directly from your own mail account.`);
  }
  return holdIntent(m.deps, m.now, { userId: user?.id ?? null, address: m.sender!, intent }, m.commitWith);
}

/** What the mail asks for: commands on the items of the user's own reminder or summary
 * it replies to, else what classify() reads, with the user's addresses (and Kith's)
 * never taken for contacts. */
async function understand(m: Incoming, user: User | null): Promise<IntentAction> {
  const reply = await m.replyTo();
  const numbered = user && reply && reply.user_id === user.id ? await numberedItems(m, user.id, reply.kind, reply.id) : null;
  if (user && reply && numbered !== null) {
    const typed = typedReply(m.email.text ?? "", m.email.html);
    const said = typed.trim() ? readCommand([firstLine(typed)], { where: reply.kind, now: m.now, user, typed, replyTo: { id: reply.id, items: numbered } }) : null;
    // A reply to a confirmation may be anything (a card, a forward); only what reads as
    // commands on its numbers is taken as such.
    if (reply.kind === "confirmation" && (said === null || "error" in said)) return classifyMail(m, user);
    if (!typed.trim()) return { type: "help", reason: "Kith found no command in your reply (it reads only what you type above the quoted mail)." };
    if (said === null) return { type: "help", reason: `Kith did not understand your reply.` };
    return "error" in said ? { type: "help", reason: said.error } : { type: "command", command: said.command };
  }
  // A reply to "whom did you meet at PyCon?": its people were met there.
  const event = user && reply && reply.user_id === user.id && reply.kind === "plan-recap" && reply.ref?.startsWith("met:") ? reply.ref.slice(4) : undefined;
  return classifyMail(m, user, event || undefined);
}

/** How many numbered items the replied-to mail lists, when it is a kind whose numbers a
 * reply acts on; null for any other mail. */
async function numberedItems(m: Incoming, userId: number, kind: string, outboundId: number): Promise<number | null> {
  if (kind === "reminder" || kind === "weekly-summary") return itemCount(m.deps.db, userId, outboundId);
  if (kind === "lookup") return listedCount(m.deps.db, userId, outboundId);
  if (kind === "confirmation") {
    const n = await listedCount(m.deps.db, userId, outboundId);
    return n > 0 ? n : null;
  }
  return null;
}

async function classifyMail(m: Incoming, user: User | null, metAt?: string): Promise<IntentAction> {
  // Kith is every address mail reaches it by: ASSISTANT_ADDRESS and the envelope
  // recipient (another route to the Worker), with their +subaddresses (classify strips them).
  const own = new Set([m.deps.config.assistant, m.sender!, ...(m.inbound.to ? [m.inbound.to.trim().replace(/^<|>$/g, "").toLowerCase()] : [])]);
  if (user) for (const a of await addressesOf(m.deps.db, user.id)) own.add(a.email);
  const zone = user ? zoneOf(prefsOf(user)) : UTC;
  const calendars = m.email.attachments.length > 0 ? await calendarParts(m.email) : [];
  return classify({ email: m.email, own, userName: user?.name ?? m.fromName() ?? null, now: m.now, confirmBcc: m.deps.config.confirmBcc, metAt, zone, calendars });
}

function reject(reason: string): Outcome {
  return { outcome: "rejected", reason };
}

/** "+0200" in a Date header is the user's UTC offset: the timezone guess until they set one. */
function tzOffset(date: string | undefined): number | null {
  const m = date ? /([+-])(\d{2})(\d{2})\s*(\(.*\))?\s*$/.exec(date.trim()) : null;
  if (!m) return null;
  const min = Number(m[2]) * 60 + Number(m[3]);
  return min <= 14 * 60 ? (m[1] === "-" ? -min : min) : null;
}
