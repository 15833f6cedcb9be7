import { z } from "zod";
import { pauseAllMail } from "../users/store";
import { markFailedByProvider as markFailed, noteByProvider as note } from "./outbound";
import { failureText, suppress } from "./suppressions";

/** What Resend's delivery webhooks (already verified) mean for Kith's data. Each event
 * is applied once, by its svix-id, in one db.batch with its record in webhook_events.
 * Payload shapes: https://resend.com/docs/webhooks/event-types. The only module that
 * writes webhook_events. */

const HANDLED = ["email.bounced", "email.complained", "email.delivery_delayed", "email.failed", "email.suppressed"] as const;
type Handled = (typeof HANDLED)[number];

/** "Ann <ann@x.org>" or "ann@x.org" to "ann@x.org", as outbound_messages stores it. */
const Recipient = z
  .string()
  .transform((s) => (/<([^<>]+)>\s*$/.exec(s)?.[1] ?? s).trim().toLowerCase())
  .pipe(z.string().regex(/^[^\s@]+@[^\s@]+$/, { message: "not an email address" }));

const Envelope = z.object({ type: z.string().min(1), created_at: z.string(), data: z.unknown() });

/** Lenient where Resend has varied (bounce.type is missing in older payloads, and the
 * docs say "Temporary" where SES says "Transient"): a payload that never parses would
 * be retried by Resend for days and then dropped. */
const EmailData = z.object({
  email_id: z.string().min(1),
  to: z.array(Recipient),
  bounce: z
    .object({ type: z.string().optional(), subType: z.string().optional(), message: z.string().optional() })
    .optional(),
  failed: z.object({ reason: z.string() }).optional(),
  suppressed: z.object({ type: z.string().optional(), message: z.string().optional() }).optional(),
});
export type EmailData = z.infer<typeof EmailData>;

export type ResendEvent =
  | { type: Handled; data: EmailData }
  /** Any other type (email.sent, email.opened, contact.created...): recorded, ignored. */
  | { type: "other"; name: string; emailId: string | null };

export function parseResendEvent(json: unknown): { ok: true; event: ResendEvent } | { ok: false; error: string } {
  const envelope = Envelope.safeParse(json);
  if (!envelope.success) return { ok: false, error: z.prettifyError(envelope.error) };
  const { type, data } = envelope.data;
  if (!isHandled(type)) {
    const emailId = z.object({ email_id: z.string() }).safeParse(data);
    return { ok: true, event: { type: "other", name: type, emailId: emailId.success ? emailId.data.email_id : null } };
  }
  const parsed = EmailData.safeParse(data);
  if (!parsed.success) return { ok: false, error: `${type}: ${z.prettifyError(parsed.error)}` };
  return { ok: true, event: { type, data: parsed.data } };
}

function isHandled(type: string): type is Handled {
  return (HANDLED as readonly string[]).includes(type);
}

/** email.bounced is documented as a permanent rejection; its bounce.type says
 * "Permanent" for a hard bounce. "Transient"/"Temporary"/"Undetermined" are soft. */
export function isHardBounce(bounce: EmailData["bounce"]): boolean {
  return bounce?.type === undefined || bounce.type.toLowerCase() === "permanent";
}

function bounceDetail(bounce: EmailData["bounce"]): string {
  const kind = [bounce?.type ?? "Permanent", bounce?.subType].filter(Boolean).join("/");
  return `${kind}: ${bounce?.message ?? "no reason given"}`.slice(0, 500);
}

export type Applied = "applied" | "ignored" | "duplicate";

export async function applyResendEvent(db: D1Database, eventId: string, event: ResendEvent, now: number): Promise<Applied> {
  if (await seen(db, eventId)) return "duplicate";
  const emailId = event.type === "other" ? event.emailId : event.data.email_id;
  const record = db
    .prepare("INSERT INTO webhook_events (id, type, email_id, received_at) VALUES (?1, ?2, ?3, ?4)")
    .bind(eventId, event.type === "other" ? event.name : event.type, emailId, now);
  try {
    await db.batch([record, ...effects(db, eventId, event, now)]);
  } catch (err) {
    // Two deliveries of one event at once: the second batch fails on the primary key
    // and rolls back whole; the first one applied it.
    if (await seen(db, eventId)) return "duplicate";
    throw err;
  }
  return event.type === "other" ? "ignored" : "applied";
}

async function seen(db: D1Database, eventId: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS x FROM webhook_events WHERE id = ?1").bind(eventId).first()) !== null;
}

function effects(db: D1Database, eventId: string, event: ResendEvent, now: number): D1PreparedStatement[] {
  if (event.type === "other") return [];
  const { data } = event;
  switch (event.type) {
    case "email.bounced": {
      const detail = bounceDetail(data.bounce);
      if (!isHardBounce(data.bounce)) return [note(db, data.email_id, `soft bounce, Resend may retry (${detail})`)];
      return [...data.to.map((a) => suppress(db, a, "bounced", detail, eventId, now)), markFailed(db, data.email_id, failureText.bounced(detail))];
    }
    case "email.complained":
      return [
        ...data.to.flatMap((a) => [suppress(db, a, "complained", "marked as spam by the recipient", eventId, now), pauseAllMail(db, a)]),
        note(db, data.email_id, "delivered, then marked as spam by the recipient"),
      ];
    case "email.delivery_delayed":
      return [note(db, data.email_id, "delivery delayed: the receiving server deferred it, Resend keeps trying")];
    case "email.failed":
      return [markFailed(db, data.email_id, failureText.failed(data.failed?.reason ?? "no reason given"))];
    case "email.suppressed": {
      // Resend did not even try: the address is on its account-level list (an earlier
      // hard bounce or complaint, possibly from another sender on the account).
      const detail = `${data.suppressed?.type ?? "Suppressed"}: ${data.suppressed?.message ?? "no reason given"}`.slice(0, 500);
      return [...data.to.map((a) => suppress(db, a, "resend-list", detail, eventId, now)), markFailed(db, data.email_id, failureText.suppressed("resend-list"))];
    }
  }
}

/** The delivery events of a user's mail; before that mail is deleted. */
export function deleteEventsOf(db: D1Database, userId: number): D1PreparedStatement {
  return db
    .prepare("DELETE FROM webhook_events WHERE email_id IN (SELECT provider_id FROM outbound_messages WHERE user_id = ?1 AND provider_id IS NOT NULL)")
    .bind(userId);
}
