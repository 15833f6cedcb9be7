import { escapeHtml } from "../lib/html";
import { z } from "zod";
import type { Config } from "../config";
import { newId } from "../lib/ids";
import { type Attachment, type Mailer, type OutboundMail, PermanentSendError, TransientSendError } from "./mailer";
import { log } from "../lib/log";
import { failureText } from "./suppressions";

/** Every mail Kith sends goes through here (but the last mail to an account just
 * deleted, which is kept nowhere: network/delete.ts): it is recorded (with the Message-ID that
 * replies thread back to) in the same batch as the change that caused it, then sent.
 * A send that fails stays queued and the next cron tick retries it. The only module
 * that writes outbound_messages. */

/** X-Kith-Kind, and outbound_messages.kind. */
export type MailKind =
  | "welcome"
  | "confirmation"
  | "help"
  | "verify"
  | "alias-confirm"
  | "reminder"
  | "weekly-summary"
  | "settings"
  | "error"
  | "lookup"
  | "merge"
  | "forget"
  | "export"
  | "confirm-delete"
  | "account-deleted"
  | "login"
  | "api-token"
  | "plans"
  | "plan"
  | "plan-recap";

/** outbound_messages.status: queued → sending (a send in flight, leased) → sent or failed;
 * a send that may pass on retry goes back to queued. */
export type OutboundStatus = "queued" | "sending" | "sent" | "failed";

export interface Outgoing {
  kind: MailKind;
  userId: number | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the mail is about, for matching a reply: held:<id>, alias:<address>. */
  ref?: string;
  /** The Message-ID of the mail this answers, for threading. */
  inReplyTo?: string;
  references?: string;
  /** A caller-chosen id (a reminder mail's id is its claim), else a new one. */
  id?: number;
  /** Extra headers such as Reply-To. */
  headers?: Record<string, string>;
  /** Files made when the mail is sent (too large to keep in D1 until then). */
  attach?: AttachSource;
  /** A reminder mail's or summary's numbered items: reminder ids, item 1 first, kept on
   * the mail's row (outbound_messages.items) so that a reply "2 done" finds item 2. */
  items?: number[];
}

/** What to attach at send time: the user's export. */
export type AttachSource = { kind: "export" };

/** Makes the attachments of a mail as it is sent (src/network/export builds exports). */
export type Attacher = (source: AttachSource, userId: number, now: number) => Promise<Attachment[]>;

export interface Prepared {
  id: number;
  statement: D1PreparedStatement;
  /** The mail as it will be sent. */
  mail: OutboundMail;
}

const MAX_ATTEMPTS = 6;

const Payload = z.object({
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  headers: z.record(z.string(), z.string()),
  idempotencyKey: z.string(),
  attach: z.object({ kind: z.literal("export") }).optional(),
});

export function messageIdFor(config: Config): string {
  const domain = config.assistant.slice(config.assistant.indexOf("@") + 1);
  return `<${crypto.randomUUID()}@${domain}>`;
}

/** Every mail's footer ends with the way to the dashboard. */
export function withDashboardLink(config: Config, text: string, html?: string): { text: string; html?: string } {
  const url = `${config.publicUrl}/app`;
  const line = `Your people, on the web: ${url}`;
  const foot = `<p style="margin:8px 0 0;font-size:13px">Your people, on the web: <a href="${escapeHtml(url)}">${escapeHtml(url.replace(/^https?:\/\//, ""))}</a></p>`;
  return {
    text: `${text.replace(/\n*$/, "")}\n${line}\n`,
    ...(html !== undefined && { html: /<\/body>/.test(html) ? html.replace(/(?:<\/div>\s*)?<\/body>/, (end) => foot + end) : html + foot }),
  };
}

/** Mail to an address that has not shown it is who it says: a held mail's verify, an
 * alias's confirmation, a sign-in link. Mail with a forged From (or a form with someone
 * else's address) makes Kith write to such an address, so it gets at most
 * ANSWERS_PER_HOUR of them an hour, and all such addresses together UNPROVEN_PER_HOUR;
 * an answer over a cap is not recorded, so never sent. (Answers to a user's own
 * authenticated mail are bounded by MAIL_PER_HOUR.) */
const CAPPED = new Set<MailKind>(["verify", "alias-confirm", "login"]);

/** The caps (validated integers) as SQL: per address, read in the partial index
 * outbound_unproven (migration 0009), and for all addresses together, in
 * outbound_unproven_time (migration 0011), whose conditions this repeats. Forged mail
 * naming many different addresses makes Kith write to each at most `perAddress` times an
 * hour, and to all of them at most `all` times. */
const unprovenUnder = (perAddress: number, all: number) => `(SELECT count(*) FROM outbound_messages
    WHERE to_address = ?5 AND created_at > ?9 - 3600000 AND kind IN ('verify', 'alias-confirm', 'login')) < ${Math.trunc(perAddress)}
  AND (SELECT count(*) FROM (SELECT 1 FROM outbound_messages INDEXED BY outbound_unproven_time
    WHERE created_at > ?9 - 3600000 AND kind IN ('verify', 'alias-confirm', 'login') LIMIT ${Math.trunc(all)})) < ${Math.trunc(all)}`;

/** Compose the mail and the statement that records it as queued. `onlyIf`: a SQL
 * condition (parameters from ?12 on) that must hold when the batch runs, or the mail is
 * not recorded (and so never sent): a reminder mail records itself only while its items
 * are still pending. `sendingAt` (wall clock): record it as a send in flight, leased
 * from then, for the caller to send at once with sendRecorded (no claim statement; a
 * crash before the send leaves a lease that flushOutbound releases). */
export function prepareOutbound(
  db: D1Database,
  config: Config,
  o: Outgoing,
  now: number,
  onlyIf?: { sql: string; params: unknown[] },
  sendingAt?: number,
): Prepared {
  const id = o.id ?? newId();
  const messageId = messageIdFor(config);
  const headers: Record<string, string> = {
    ...o.headers,
    "Message-ID": messageId,
    "X-Kith-Kind": o.kind,
    "Auto-Submitted": "auto-generated",
  };
  if (o.inReplyTo) {
    headers["In-Reply-To"] = o.inReplyTo;
    headers["References"] = [o.references, o.inReplyTo].filter(Boolean).join(" ");
  }
  const mail: OutboundMail = {
    from: `${config.assistantName} <${config.assistant}>`,
    to: o.to,
    subject: o.subject,
    ...withDashboardLink(config, o.text, o.html),
    headers,
    idempotencyKey: `kith-out-${id}`,
  };
  const statement = db
    .prepare(
      `INSERT INTO outbound_messages (id, user_id, message_id, kind, to_address, subject, ref, payload, created_at, status, attempts, sending_at, items)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, iif(?10 IS NULL, 'queued', 'sending'), iif(?10 IS NULL, 0, 1), ?10, ?11
       WHERE ${onlyIf?.sql ?? "1"} AND ${CAPPED.has(o.kind) ? unprovenUnder(config.answersPerHour, config.unprovenPerHour) : "1"}`,
    )
    .bind(id, o.userId, messageId, o.kind, o.to.toLowerCase(), o.subject, o.ref ?? null, JSON.stringify(o.attach ? { ...mail, attach: o.attach } : mail), now, sendingAt ?? null, o.items ? JSON.stringify(o.items) : null, ...(onlyIf?.params ?? []));
  return { id, statement, mail };
}

/** Send a mail recorded with `sendingAt` (its batch has run and inserted it), and record
 * the outcome: the one statement after the send. */
export async function sendRecorded(db: D1Database, mailer: Mailer, out: Prepared, now: number): Promise<"sent" | "failed" | "retry"> {
  let providerId: string;
  try {
    ({ providerId } = await mailer.send(out.mail));
  } catch (err) {
    return recordFailure(db, out.id, err, err instanceof PermanentSendError, now);
  }
  return recordSent(db, out.id, providerId, now);
}

/** Sent: outside the send's try, because a D1 fault recording it is not a failed send.
 * Caught with the send, it would put the mail back in the queue without its payload (or,
 * on a last attempt, tell the user it failed). It throws instead; the mail stays
 * 'sending' until its lease lapses, and the retry goes under the same idempotency key,
 * which Resend answers without sending again. */
async function recordSent(db: D1Database, id: number, providerId: string, now: number): Promise<"sent"> {
  await db
    .prepare("UPDATE outbound_messages SET status = 'sent', provider_id = ?2, sent_at = ?3, payload = NULL, error = NULL WHERE id = ?1")
    .bind(id, providerId, now)
    .run();
  return "sent";
}

/** A send that failed: failed for good, or back in the queue until its next attempt
 * (backoff by attempts so far: 1, 5, 15, 60, then 180 minutes; later if Resend's
 * Retry-After says so), so that an outage of hours does not use up MAX_ATTEMPTS. */
async function recordFailure(db: D1Database, id: number, err: unknown, permanent: boolean, now: number): Promise<"failed" | "retry"> {
  const retryAfter = err instanceof TransientSendError && err.retryAfterMs !== undefined ? now + err.retryAfterMs : 0;
  await db
    .prepare(
      `UPDATE outbound_messages SET status = ?2, error = ?3,
         next_attempt_at = max(?4 + 60000 * CASE attempts WHEN 1 THEN 1 WHEN 2 THEN 5 WHEN 3 THEN 15 WHEN 4 THEN 60 ELSE 180 END, ?5)
       WHERE id = ?1`,
    )
    .bind(id, permanent ? "failed" : "queued", String(err instanceof Error ? err.message : err).slice(0, 500), now, retryAfter)
    .run();
  if (!permanent) log.warn("send failed, will retry", { id, error: err });
  return permanent ? "failed" : "retry";
}

/** Claim one queued mail and send it. A claim that loses a race sends nothing. `wallNow`
 * is real time: the send's lease, whatever the tick's logical time. */
export async function sendQueued(
  db: D1Database,
  mailer: Mailer,
  id: number,
  now: number,
  wallNow: number = Date.now(),
  attach?: Attacher,
): Promise<"sent" | "failed" | "retry" | "skipped"> {
  const claim = await db
    .prepare(
      `UPDATE outbound_messages SET status = 'sending', attempts = attempts + 1, sending_at = ?2
       WHERE id = ?1 AND status = 'queued'
       RETURNING payload, attempts, user_id, (SELECT reason FROM suppressions WHERE email = to_address) AS suppressed`,
    )
    .bind(id, wallNow)
    .first<{ payload: string; attempts: number; user_id: number | null; suppressed: string | null }>();
  if (!claim) return "skipped";
  // A hard bounce or a spam complaint stops mail to that address at once, mail already
  // queued included; the failure is said in the user's next reminder (failureNotice).
  // Past its attempts (a send that kept killing its invocation never reached the catch
  // below): failed, not retried forever.
  if (claim.attempts > MAX_ATTEMPTS) {
    await db.prepare("UPDATE outbound_messages SET status = 'failed', error = COALESCE(error, 'gave up after repeated attempts') WHERE id = ?1").bind(id).run();
    return "failed";
  }
  if (claim.suppressed !== null) {
    await db.prepare("UPDATE outbound_messages SET status = 'failed', error = ?2 WHERE id = ?1").bind(id, failureText.suppressed(claim.suppressed)).run();
    return "failed";
  }
  const { attach: source, ...mail } = Payload.parse(JSON.parse(claim.payload));
  if (source && (!attach || claim.user_id === null)) {
    // Only a sender that can make its files sends it (the cron's does): back in the queue.
    await db.prepare("UPDATE outbound_messages SET status = 'queued', attempts = attempts - 1 WHERE id = ?1").bind(id).run();
    return "retry";
  }
  let providerId: string;
  try {
    const attachments = source && attach && claim.user_id !== null ? await attach(source, claim.user_id, now) : undefined;
    // Files made afresh differ from try to try, and Resend refuses one key for two
    // payloads: such a mail takes a key per attempt (a repeat is the lesser harm).
    const key = attachments ? `${mail.idempotencyKey}-${claim.attempts}` : mail.idempotencyKey;
    ({ providerId } = await mailer.send({ ...mail, idempotencyKey: key, ...(attachments && { attachments }) }));
  } catch (err) {
    return recordFailure(db, id, err, err instanceof PermanentSendError || claim.attempts >= MAX_ATTEMPTS, now);
  }
  return recordSent(db, id, providerId, now);
}

export async function sendAll(db: D1Database, mailer: Mailer, ids: number[], now: number, wallNow?: number, attach?: Attacher): Promise<void> {
  for (const id of ids) await sendQueued(db, mailer, id, now, wallNow, attach);
}

const SEND_LEASE = 15 * 60_000;

/** Cron: retry what is still queued once its backoff is over (recordFailure), and
 * release sends that a crashed invocation left behind (by the wall clock). */
export async function flushOutbound(db: D1Database, mailer: Mailer, now: number, wallNow: number, attach?: Attacher, limit = 50): Promise<number> {
  await db
    .prepare("UPDATE outbound_messages SET status = 'queued' WHERE status = 'sending' AND sending_at < ?1")
    .bind(wallNow - SEND_LEASE)
    .run();
  const { results } = await db
    .prepare(
      `SELECT id FROM outbound_messages
       WHERE status = 'queued' AND created_at <= ?1 AND ifnull(next_attempt_at, 0) <= ?1
       ORDER BY created_at LIMIT ?2`,
    )
    .bind(now, limit)
    .all<{ id: number }>();
  for (const { id } of results) await sendQueued(db, mailer, id, now, wallNow, attach);
  return results.length;
}

export interface OutboundRef {
  id: number;
  user_id: number | null;
  kind: MailKind;
  to_address: string;
  ref: string | null;
  message_id: string;
}

/** The Kith mail a reply answers, by the Message-IDs in In-Reply-To and References. */
export async function outboundByMessageIds(db: D1Database, messageIds: string[]): Promise<OutboundRef | null> {
  if (messageIds.length === 0) return null;
  return db
    .prepare(
      `SELECT id, user_id, kind, to_address, ref, message_id FROM outbound_messages
       WHERE message_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at DESC LIMIT 1`,
    )
    .bind(JSON.stringify(messageIds.slice(0, 50)))
    .first<OutboundRef>();
}

export async function outboundById(db: D1Database, id: number): Promise<OutboundRef | null> {
  return db.prepare("SELECT id, user_id, kind, to_address, ref, message_id FROM outbound_messages WHERE id = ?1").bind(id).first<OutboundRef>();
}

/** Subqueries for a reminder mail's read of its user (`user`: the SQL naming their id,
 * `since`: a time), so that it is one statement. The times of their reminder mails
 * recorded since then, oldest first, as a JSON array. */
export const reminderMailsSinceSql = (user: string, since: string): string =>
  `(SELECT json_group_array(created_at) FROM (SELECT created_at FROM outbound_messages
     WHERE user_id = ${user} AND kind = 'reminder' AND created_at > ${since} ORDER BY created_at))`;

/** Mail to the user (`user`, SQL naming their id) that Kith could not deliver since
 * `since` (SQL), a withdrawn one being no failure: the latest, with how many (n). */
const failedSince = (user: string, since: string): string =>
  `SELECT count(*) OVER () AS n, error, to_address FROM outbound_messages
     WHERE user_id = ${user} AND status = 'failed' AND error IS NOT '${WITHDRAWN}' AND created_at > ${since}
     ORDER BY created_at DESC LIMIT 1`;

/** Mail to the user that failed since their last reminder that was sent, as JSON
 * {n, error, to_address} of the latest one (n: how many), or NULL. */
export const failuresSinceLastReminderSql = (user: string): string =>
  `(SELECT json_object('n', n, 'error', error, 'to_address', to_address) FROM (${failedSince(
    user,
    `COALESCE((SELECT max(created_at) FROM outbound_messages WHERE user_id = ${user} AND kind = 'reminder' AND status = 'sent'), 0)`,
  )}))`;

/** The same since `since`, for the dashboard: the reminder mail that would mention it may
 * not arrive either (the user's own address bounces). */
export async function undeliveredTo(db: D1Database, userId: number, since: number): Promise<{ n: number; error: string | null; to_address: string } | null> {
  return db.prepare(failedSince("?1", "?2")).bind(userId, since).first<{ n: number; error: string | null; to_address: string }>();
}

/** The mail (by Resend's id) is known not to have arrived: failed, with why. */
export function markFailedByProvider(db: D1Database, providerId: string, error: string): D1PreparedStatement {
  return db.prepare("UPDATE outbound_messages SET status = 'failed', error = ?2 WHERE provider_id = ?1").bind(providerId, error.slice(0, 500));
}

/** Something happened to a mail that is not (yet) a failure: recorded, status kept. */
export function noteByProvider(db: D1Database, providerId: string, text: string): D1PreparedStatement {
  return db
    .prepare("UPDATE outbound_messages SET error = ?2 WHERE provider_id = ?1 AND status <> 'failed'")
    .bind(providerId, text.slice(0, 500));
}

/** The error of mail withdrawn before it was sent: not a delivery failure. */
export const WITHDRAWN = "withdrawn: it named a person you asked Kith to forget";

/** The user's mail whose subject, or unsent words, may name an address (lib/mention.ts
 * decides). */
export async function outboundQuoting(db: D1Database, userId: number, address: string): Promise<{ id: number; subject: string; payload: string | null; status: OutboundStatus }[]> {
  const { results } = await db
    .prepare("SELECT id, subject, payload, status FROM outbound_messages WHERE user_id = ?1 AND (instr(lower(subject), ?2) > 0 OR instr(lower(payload), ?2) > 0)")
    .bind(userId, address.toLowerCase())
    .all<{ id: number; subject: string; payload: string | null; status: OutboundStatus }>();
  return results;
}

/** Mail not yet sent that names a person the user made Kith forget: withdrawn, its words
 * dropped. A send in flight ('sending') is withdrawn too: if it went, its outcome marks it
 * sent; if it died, its lease lapses on a withdrawn mail, which is not sent again. */
export function withdraw(db: D1Database, userId: number, ids: number[]): D1PreparedStatement {
  return db
    .prepare(`UPDATE outbound_messages SET status = 'failed', payload = NULL, error = '${WITHDRAWN}' WHERE user_id = ?1 AND status IN ('queued', 'sending', 'failed') AND id IN (SELECT value FROM json_each(?2))`)
    .bind(userId, JSON.stringify(ids));
}

/** The numbered items of the user's mails that are reminders about to be erased (the ids
 * `reminders` selects, ?1 being the user, its parameters from ?2): null in their place,
 * so that the other items keep their numbers and no row names what was erased. Before
 * the reminders are deleted, in the same batch. */
export function dropItems(db: D1Database, userId: number, reminders: { sql: string; params: unknown[] }): D1PreparedStatement {
  const gone = `j.value IN (${reminders.sql})`;
  return db
    .prepare(
      `UPDATE outbound_messages SET items = (SELECT json_group_array(CASE WHEN ${gone} THEN NULL ELSE j.value END ORDER BY j.key) FROM json_each(outbound_messages.items) j)
       WHERE user_id = ?1 AND items IS NOT NULL AND EXISTS (SELECT 1 FROM json_each(outbound_messages.items) j WHERE ${gone})`,
    )
    .bind(userId, ...reminders.params);
}

export function blankSubjects(db: D1Database, userId: number, ids: number[]): D1PreparedStatement {
  return db.prepare("UPDATE outbound_messages SET subject = '' WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))").bind(userId, JSON.stringify(ids));
}

/** Every mail Kith sent the user (mail to their address for someone else, an alias
 * confirmation another user asked for, is that user's). */
export function deleteAllOutbound(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM outbound_messages WHERE user_id = ?1").bind(userId);
}
