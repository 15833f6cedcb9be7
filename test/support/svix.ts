/** Resend's webhooks as Svix signs them, for tests: HMAC-SHA256 over
 * `${svix-id}.${svix-timestamp}.${body}` with the base64 key after `whsec_`, sent as
 * "v1,<base64>". Written with WebCrypto, independently of the library the Worker
 * verifies with, so a test passing means the two agree on the scheme. */

import { env, exports } from "cloudflare:workers";
import { z } from "zod";

export const webhookSecret: string = z.object({ RESEND_WEBHOOK_SECRET: z.string().startsWith("whsec_") }).parse(env).RESEND_WEBHOOK_SECRET;

export async function svixSignature(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    Uint8Array.from(atob(secret.slice("whsec_".length)), (c) => c.charCodeAt(0)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

export interface Delivery {
  /** The svix-id; a fresh one unless a redelivery is meant. */
  id?: string;
  /** Seconds since the epoch; now unless a stale one is meant. */
  timestamp?: number;
  secret?: string;
  /** Replace the computed signature header altogether. */
  signature?: string;
}

/** POST one event to the Worker's own fetch(), signed as Resend (Svix) would. */
export async function deliverWebhook(body: string | object, opts: Delivery = {}): Promise<Response> {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const id = opts.id ?? `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = opts.signature ?? (await svixSignature(opts.secret ?? webhookSecret, id, timestamp, raw));
  return exports.default.fetch(
    new Request("https://kith.test/webhooks/resend", {
      method: "POST",
      headers: { "content-type": "application/json", "svix-id": id, "svix-timestamp": String(timestamp), "svix-signature": signature },
      body: raw,
    }),
  );
}
