import { Hono } from "hono";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { applyResendEvent, parseResendEvent } from "../mail-out/resend-events";
import type { WebEnv } from "./deps";

/** Resend's delivery webhooks (bounces, complaints, delays, failures, suppressed
 * sends), delivered by Svix: verified over the raw body, applied once per svix-id. */

export const webhooks = new Hono<WebEnv>();

/** Resend's payloads are a few KB; refuse to hash anything much larger. */
const MAX_BODY_BYTES = 256 * 1024;

webhooks.post("/resend", async (c) => {
  const { config, db, clock } = c.var.deps;
  const secret = config.resendWebhookSecret;
  // 503, not 404: Resend retries for days, so events sent before the operator sets
  // the secret are applied once it is set.
  if (!secret) return c.text("Resend webhooks are not configured on this Kith (RESEND_WEBHOOK_SECRET).", 503);
  if (Number(c.req.header("content-length") ?? 0) > MAX_BODY_BYTES) return c.text("Payload too large.", 413);
  const raw = await c.req.text();
  if (raw.length > MAX_BODY_BYTES) return c.text("Payload too large.", 413);

  const verified = verifySvix(secret, raw, (name) => c.req.header(name));
  if (!verified.ok) return c.text(verified.reason, verified.status);
  const parsed = parseResendEvent(verified.payload);
  if (!parsed.ok) return c.text(`Not a Resend event Kith understands: ${parsed.error}`, 400);

  const outcome = await applyResendEvent(db, verified.id, parsed.event, clock.now());
  return c.json({ ok: true, outcome });
});

type Verified = { ok: true; id: string; payload: unknown } | { ok: false; status: 400 | 401; reason: string };

/**
 * The Svix scheme Resend signs with: HMAC-SHA256 of `${svix-id}.${svix-timestamp}.${body}`
 * under the base64 key after `whsec_`, one or more space-separated "v1,<base64>"
 * signatures, a timestamp within 5 minutes of now, a constant-time comparison. The
 * checking is the `standardwebhooks` library's (what `resend.webhooks.verify` calls; the
 * SDK needs an API key just to be constructed), so its clock is the request's real time:
 * right for a door that is never time-travelled.
 */
export function verifySvix(secret: string, raw: string, header: (name: string) => string | undefined): Verified {
  const id = header("svix-id");
  const timestamp = header("svix-timestamp");
  const signature = header("svix-signature");
  if (!id || !timestamp || !signature) return { ok: false, status: 401, reason: "Unsigned webhook: svix-id, svix-timestamp or svix-signature is missing." };
  try {
    const payload: unknown = new Webhook(secret).verify(raw, {
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": signature,
    });
    return { ok: true, id, payload };
  } catch (err) {
    if (err instanceof WebhookVerificationError) return { ok: false, status: 401, reason: `Invalid webhook signature: ${err.message}.` };
    // A correct signature over a body that is not JSON.
    if (err instanceof SyntaxError) return { ok: false, status: 400, reason: "The webhook body is not JSON." };
    throw err;
  }
}
