import type { Email } from "postal-mime";
import { type Config, isAllowed } from "../config";
import { sha256Hex } from "../lib/ids";
import type { Mailer } from "../mail-out/mailer";
import { outboundById, outboundByMessageIds, type OutboundRef } from "../mail-out/outbound";
import { outboundIdFromAddress } from "../mail-out/reply-address";
import type { ReminderJob } from "../reminders/jobs";
import { readReminderReply } from "../reminders/read-reply";
import { ALIAS_TTL_MS } from "../aliases/commands";
import { addressesOf, addressOwner, dropStalePending, type User, userByAddress } from "../users/store";
import { senderVerdict } from "./sender/auth";
import { classify, flatten } from "./classify";
import { automatedReason } from "./mime/guard";
import { applyIntent, holdIntent, type Intent, type IntentAction, type IntentInput, IntentSchema, signUp } from "./intent";
import { alreadyApplied } from "./log";
import { answerReply } from "./replies";
import { unsubscribeByMail } from "./unsubscribe-mail";
import { header, parseMail } from "./mime/parse";

/** The inbound pipeline: guard → parse → identify → authenticate → dedupe → classify →
 * store (one batch) → answer. Returns what happened; throws only on transient faults so
 * that the sending server retries. */

export interface Inbound {
  /** Envelope sender (SMTP MAIL FROM); empty for bounces. */
  from: string;
  /** Envelope recipient: Kith's address, or its signed reply address. */
  to?: string;
  raw: ArrayBuffer | Uint8Array;
}

export type Outcome =
  | { outcome: "rejected"; reason: string }
  | { outcome: "ignored"; reason: string }
  | { outcome: "duplicate" }
  | { outcome: "held"; userId: number | null }
  | { outcome: "applied"; userId: number; kind: string; mailIds: number[] };

export interface Deps {
  db: D1Database;
  config: Config;
  mailer: Mailer;
  /** The reminder queue, when bound: large ticks hand per-user jobs to it. */
  queue?: Queue<ReminderJob>;
}

export async function intake(deps: Deps, now: number, inbound: Inbound): Promise<Outcome> {
  const { db, config } = deps;
  const size = inbound.raw.byteLength;
  if (size > config.maxMessageBytes) {
    // Round the size up and the limit down, so that the two never read the same.
    const size10 = Math.ceil((size / 1048576) * 10) / 10;
    const max10 = Math.floor((config.maxMessageBytes / 1048576) * 10) / 10;
    return reject(`Your message is ${size10.toFixed(1)} MB; Kith accepts up to ${max10.toFixed(1)} MB. Send large attachments on their own or leave them out.`);
  }
  const parsed = await parseMail(inbound.raw);
  if (!parsed.ok) return reject(parsed.reason);
  const email = parsed.email;

  const auto = automatedReason(email, inbound.from);
  // List-Unsubscribe by mail (kith+u<token>@): the signed token authenticates it, so it
  // comes before the sender checks, and it counts even when a client sent it by itself.
  const unsubscribed = await unsubscribeByMail(deps, now, email, inbound, auto !== null);
  if (unsubscribed) return unsubscribed;
  if (auto) return { outcome: "ignored", reason: auto };

  const sender = flatten(email.from ? [email.from] : undefined)[0]?.email?.toLowerCase();
  if (!sender) return reject("Kith could not find a From address in your message.");
  if (sender === config.assistant) return { outcome: "ignored", reason: "mail from Kith itself" };

  const messageId = email.messageId?.trim() || `<sha256:${await sha256Hex(inbound.raw)}>`;
  const trusted = verdict(config, email, sender);
  const user = await userByAddress(db, sender);
  const reply = await repliedTo(deps, email, inbound.to);

  // A reply to a Kith mail that went to this address: the unguessable Message-ID it
  // quotes shows the sender reads that mailbox (aliases, verification).
  if (reply && reply.to_address === sender) {
    const answered = await answerReply(deps, now, { email, sender, user, reply, messageId });
    if (answered) return answered;
  }

  if (!user) {
    const owner = await addressOwner(db, sender);
    // A requested alias holds its address for a week; after that, anyone may have it.
    const pending = owner?.status === "pending";
    if (pending && owner.created_at >= now - ALIAS_TTL_MS) {
      return reject(`${sender} is waiting to be confirmed as another address of a Kith user. Reply "yes" to the confirmation mail Kith sent to it first.`);
    }
    const stale = pending ? [dropStalePending(db, sender, now - ALIAS_TTL_MS)] : [];
    if (!isAllowed(config, sender)) {
      return reject(`${sender} is not registered with Kith, and sign-up is not open to it. Ask whoever runs this Kith to allow your address.`);
    }
    const intent = validIntent({ signup: true, messageId, subject: email.subject, action: await understand(deps, email, sender, null, now) });
    if ("reason" in intent) return reject(intent.reason);
    if (!trusted.ok) {
      if (config.senderAuth === "strict") return reject(strictReason(sender, trusted.reason));
      return holdIntent(deps, now, { userId: null, address: sender, intent });
    }
    return signUp(deps, now, sender, email.from && !email.from.group ? email.from.name : undefined, intent, tzOffset(header(email, "date")), stale);
  }

  if (await alreadyApplied(db, user.id, messageId)) return { outcome: "duplicate" };
  const intent = validIntent({ signup: false, messageId, subject: email.subject, action: await understand(deps, email, sender, user, now, reply) });
  if ("reason" in intent) return reject(intent.reason);
  if (!trusted.ok) {
    if (config.senderAuth === "strict") return reject(strictReason(sender, trusted.reason));
    return holdIntent(deps, now, { userId: user.id, address: sender, intent });
  }
  return applyIntent(deps, now, user, intent, tzOffset(header(email, "date")));
}

/** Classify with the user's own addresses (and Kith's) excluded from contacts. */
async function understand(deps: Deps, email: Email, sender: string, user: User | null, now: number, reply?: OutboundRef | null): Promise<IntentAction> {
  if (user && (reply?.kind === "reminder" || reply?.kind === "weekly-summary") && reply.user_id === user.id) return readReminderReply(deps.db, email, user, reply.id, now, reply.kind);
  const own = new Set([deps.config.assistant, sender]);
  if (user) for (const a of await addressesOf(deps.db, user.id)) own.add(a.email);
  const fromName = email.from && !email.from.group ? email.from.name : undefined;
  return classify({ email, own, userName: user?.name ?? fromName ?? null, now, confirmBcc: deps.config.confirmBcc });
}

/** zod at the boundary between a parsed mail and D1: what is stored, now or when a held
 * mail is confirmed, is exactly what passed this. */
function validIntent(input: IntentInput): Intent | { reason: string } {
  const parsed = IntentSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return { reason: `Kith could not read this message (${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}).` };
}

function reject(reason: string): Outcome {
  return { outcome: "rejected", reason };
}

function strictReason(sender: string, why: string): string {
  return `Kith could not verify that this message really comes from ${sender} (${why}). Send it directly from your own mail account.`;
}

function verdict(config: Config, email: Email, sender: string): { ok: boolean; reason: string } {
  if (config.senderAuth === "off") return { ok: true, reason: "sender authentication is off" };
  const v = senderVerdict(email.headers, sender, config.trustedAuthservIds);
  return { ok: v.trusted, reason: v.reason };
}

/** The Kith mail this one answers: by In-Reply-To/References, else by the signed
 * reply address it was sent to (for clients that drop those headers). */
async function repliedTo(deps: Deps, email: Email, envelopeTo?: string): Promise<OutboundRef | null> {
  const ids = `${email.inReplyTo ?? ""} ${email.references ?? ""}`.match(/<[^<>\s]{1,250}>/g) ?? [];
  const byHeader = await outboundByMessageIds(deps.db, [...new Set(ids)]);
  if (byHeader) return byHeader;
  const candidates = [envelopeTo, ...flatten(email.to).map((p) => p.email), ...flatten(email.cc).map((p) => p.email)];
  for (const address of candidates) {
    if (!address || !address.includes("+")) continue;
    const id = await outboundIdFromAddress(deps.config, address);
    if (id !== null) return outboundById(deps.db, id);
  }
  return null;
}

/** "+0200" in a Date header is the user's UTC offset: the timezone guess until they set one. */
export function tzOffset(date: string | undefined): number | null {
  const m = date ? /([+-])(\d{2})(\d{2})\s*(\(.*\))?\s*$/.exec(date.trim()) : null;
  if (!m) return null;
  const min = Number(m[2]) * 60 + Number(m[3]);
  return min <= 14 * 60 ? (m[1] === "-" ? -min : min) : null;
}
