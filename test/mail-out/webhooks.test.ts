/** Resend's delivery webhooks through the Worker's fetch(), signed with the Svix scheme:
 * verification, deduplication, and what bounces, complaints, delays and failures do. */

import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { loadConfig } from "../../src/config";
import { prepareOutbound, sendQueued } from "../../src/mail-out/outbound";
import { ResendMailer } from "../../src/mail-out/resend";
import { PAUSED_UNTIL_RESUMED } from "../../src/users/pause";
import { count, signUp } from "../support/mail";
import { deliverWebhook, svixSignature, webhookSecret } from "../support/svix";
import { newApiKey, receivedRequests, resendBaseUrl } from "./resend-control";
import { uniq } from "../support/clock";


/** Resend's documented example payloads (resend.com/docs/webhooks/emails/*), with the
 * email id and recipient of a mail this test sent. */
function bounced(emailId: string, to: string, bounce: Record<string, string> = PERMANENT) {
  return event("email.bounced", emailId, to, { bounce });
}
const PERMANENT = {
  message: "The recipient's email address is on the suppression list because it has a recent history of producing hard bounces.",
  subType: "Suppressed",
  type: "Permanent",
};

function event(type: string, emailId: string, to: string, extra: Record<string, unknown> = {}) {
  return {
    type,
    created_at: "2024-11-22T23:41:12.126Z",
    data: {
      broadcast_id: "8b146471-e88e-4322-86af-016cd36fd216",
      created_at: "2024-11-22T23:41:11.894719+00:00",
      email_id: emailId,
      from: "Acme <onboarding@resend.dev>",
      to: [to],
      subject: "Sending this example",
      template_id: "43f68331-0622-4e15-8202-246a0388854b",
      tags: { category: "confirm_email" },
      ...extra,
    },
  };
}

/** A mail Kith sends through the real SDK to the loopback Resend API. */
async function sendOne(apiKey: string, to: string): Promise<{ id: number; result: string; providerId: string | null }> {
  const mailer = new ResendMailer({ apiKey, baseUrl: resendBaseUrl });
  const out = prepareOutbound(env.DB, loadConfig(env), { kind: "help", userId: null, to, subject: "Kith: help", text: "hello" }, Date.now());
  await out.statement.run();
  const result = await sendQueued(env.DB, mailer, out.id, Date.now());
  const row = await outboundRow(out.id);
  return { id: out.id, result, providerId: row.provider_id };
}

async function outboundRow(id: number) {
  const row = await env.DB.prepare("SELECT status, error, provider_id FROM outbound_messages WHERE id = ?1")
    .bind(id)
    .first<{ status: string; error: string | null; provider_id: string | null }>();
  if (!row) throw new Error(`no outbound row ${id}`);
  return row;
}

const suppression = (email: string) =>
  env.DB.prepare("SELECT reason, detail, event_id FROM suppressions WHERE email = ?1").bind(email).first<{ reason: string; detail: string | null; event_id: string }>();

describe("POST /webhooks/resend: signature", () => {
  it("applies a correctly signed event, also when one of several signatures matches", async () => {
    const to = `v-${uniq()}@example.com`;
    const res = await deliverWebhook(bounced(`e-${uniq()}`, to));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, outcome: "applied" });
    expect(await suppression(to)).toMatchObject({ reason: "bounced" });

    // During a secret rotation Svix sends one signature per secret.
    const to2 = `v-${uniq()}@example.com`;
    const body = JSON.stringify(bounced(`e-${uniq()}`, to2));
    const id = `msg_${uniq()}`;
    const ts = Math.floor(Date.now() / 1000);
    const good = await svixSignature(webhookSecret, id, ts, body);
    const other = await svixSignature(`whsec_${btoa("an-older-secret-an-older-secret!")}`, id, ts, body);
    expect((await deliverWebhook(body, { id, timestamp: ts, signature: `${other} ${good}` })).status).toBe(200);
    expect(await suppression(to2)).toMatchObject({ reason: "bounced" });
  });

  it("refuses a bad signature, a tampered body or missing headers, and stores nothing", async () => {
    const to = `x-${uniq()}@example.com`;
    const id = `msg_${uniq()}`;
    const payload = bounced(`e-${uniq()}`, to);
    const wrongKey = await deliverWebhook(payload, { id, secret: `whsec_${btoa("not-the-secret-not-the-secret!!!")}` });
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.text()).toMatch(/Invalid webhook signature/);

    const ts = Math.floor(Date.now() / 1000);
    const signedOther = await svixSignature(webhookSecret, id, ts, JSON.stringify(bounced("e-other", "other@example.com")));
    expect((await deliverWebhook(payload, { id, timestamp: ts, signature: signedOther })).status).toBe(401);
    expect((await deliverWebhook(payload, { id, signature: "v1,AAAA" })).status).toBe(401);
    // Signed for another svix-id: a replay under a new id fails.
    const forOtherId = await svixSignature(webhookSecret, "msg_other", ts, JSON.stringify(payload));
    expect((await deliverWebhook(payload, { id, timestamp: ts, signature: forOtherId })).status).toBe(401);

    const unsigned = await worker.fetch(
      new Request("https://kith.test/webhooks/resend", { method: "POST", body: JSON.stringify(payload), headers: { "content-type": "application/json" } }),
      env,
    );
    expect(unsigned.status).toBe(401);

    expect(await count("webhook_events", "id = ?1", id)).toBe(0);
    expect(await suppression(to)).toBeNull();
  });

  it("refuses a timestamp more than 5 minutes from now, either way", async () => {
    const to = `s-${uniq()}@example.com`;
    const now = Math.floor(Date.now() / 1000);
    const stale = await deliverWebhook(bounced(`e-${uniq()}`, to), { timestamp: now - 6 * 60 });
    expect(stale.status).toBe(401);
    expect(await stale.text()).toMatch(/too old/);
    expect((await deliverWebhook(bounced(`e-${uniq()}`, to), { timestamp: now + 6 * 60 })).status).toBe(401);
    expect(await suppression(to)).toBeNull();
    // Within the window is fine (Svix retries re-sign with a fresh timestamp).
    expect((await deliverWebhook(bounced(`e-${uniq()}`, to), { timestamp: now - 4 * 60 })).status).toBe(200);
  });

  it("answers 400 to a signed payload that is not a Resend event, and stores nothing", async () => {
    const id = `msg_${uniq()}`;
    const noEmailId = { type: "email.bounced", created_at: "2024-11-22T23:41:12.126Z", data: { to: ["a@example.com"], bounce: PERMANENT } };
    const res = await deliverWebhook(noEmailId, { id });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/email_id/);
    expect((await deliverWebhook("not json", { id })).status).toBe(400);
    expect(await count("webhook_events", "id = ?1", id)).toBe(0);
  });

  it("answers 503 when no signing secret is configured", async () => {
    const res = await worker.fetch(
      new Request("https://kith.test/webhooks/resend", { method: "POST", body: "{}" }),
      { ...env, RESEND_WEBHOOK_SECRET: undefined },
    );
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/RESEND_WEBHOOK_SECRET/);
  });
});

describe("POST /webhooks/resend: events", () => {
  it("a redelivered event (same svix-id) changes nothing", async () => {
    const me = `r-${uniq()}@example.com`;
    await signUp(me);
    const id = `msg_${uniq()}`;
    const complaint = event("email.complained", `e-${uniq()}`, me);
    expect(await (await deliverWebhook(complaint, { id })).json()).toEqual({ ok: true, outcome: "applied" });
    // The operator lifts the suppression and the pause; Svix delivers the event again.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM suppressions WHERE email = ?1").bind(me),
      env.DB.prepare("UPDATE users SET reminders_paused_until = NULL, summary_paused_until = NULL WHERE email = ?1").bind(me),
    ]);
    const again = await deliverWebhook(complaint, { id });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ok: true, outcome: "duplicate" });
    expect(await suppression(me)).toBeNull();
    expect(await env.DB.prepare("SELECT reminders_paused_until AS r FROM users WHERE email = ?1").bind(me).first()).toEqual({ r: null });
    expect(await count("webhook_events", "id = ?1", id)).toBe(1);
  });

  it("a hard bounce fails the mail, suppresses the address, and the next send is never attempted", async () => {
    const apiKey = newApiKey();
    const to = `h-${uniq()}@example.com`;
    const first = await sendOne(apiKey, to);
    expect(first.result).toBe("sent");
    expect(await receivedRequests(apiKey)).toHaveLength(1);

    const id = `msg_${uniq()}`;
    expect((await deliverWebhook(bounced(first.providerId!, `Hal <${to.toUpperCase()}>`), { id })).status).toBe(200);
    expect(await outboundRow(first.id)).toMatchObject({
      status: "failed",
      error: `bounced: Permanent/Suppressed: ${PERMANENT.message}`,
    });
    expect(await suppression(to)).toEqual({ reason: "bounced", detail: `Permanent/Suppressed: ${PERMANENT.message}`, event_id: id });

    const next = await sendOne(apiKey, to);
    expect(next.result).toBe("failed");
    expect(await outboundRow(next.id)).toMatchObject({ status: "failed", error: "suppressed: bounced", provider_id: null });
    expect(await receivedRequests(apiKey)).toHaveLength(1);

    // Other addresses are unaffected.
    expect((await sendOne(apiKey, `ok-${uniq()}@example.com`)).result).toBe("sent");
    expect(await receivedRequests(apiKey)).toHaveLength(2);
  });

  it("a soft bounce is recorded on the mail only: no suppression, the next send goes", async () => {
    const apiKey = newApiKey();
    const to = `f-${uniq()}@example.com`;
    const first = await sendOne(apiKey, to);
    const soft = { message: "The recipient's inbox is full.", subType: "MailboxFull", type: "Transient" };
    expect((await deliverWebhook(bounced(first.providerId!, to, soft))).status).toBe(200);
    expect(await outboundRow(first.id)).toMatchObject({ status: "sent", error: expect.stringContaining("soft bounce") });
    expect(await suppression(to)).toBeNull();
    expect((await sendOne(apiKey, to)).result).toBe("sent");
    expect(await receivedRequests(apiKey)).toHaveLength(2);
  });

  it("a complaint suppresses the address and pauses all of that user's mail", async () => {
    const apiKey = newApiKey();
    const me = `c-${uniq()}@example.com`;
    await signUp(me);
    const mail = await sendOne(apiKey, me);
    expect((await deliverWebhook(event("email.complained", mail.providerId!, me))).status).toBe(200);
    expect(await suppression(me)).toMatchObject({ reason: "complained" });
    expect(
      await env.DB.prepare("SELECT reminders_paused_until AS r, summary_paused_until AS s FROM users WHERE email = ?1").bind(me).first(),
    ).toEqual({ r: PAUSED_UNTIL_RESUMED, s: PAUSED_UNTIL_RESUMED });
    // The complained-about mail was delivered: recorded, not failed.
    expect(await outboundRow(mail.id)).toMatchObject({ status: "sent", error: expect.stringContaining("spam") });
    expect((await sendOne(apiKey, me)).result).toBe("failed");
    expect(await receivedRequests(apiKey)).toHaveLength(1);
  });

  it("a delay is noted on the mail; a failure marks it failed; neither suppresses", async () => {
    const apiKey = newApiKey();
    const to = `d-${uniq()}@example.com`;
    const delayed = await sendOne(apiKey, to);
    expect((await deliverWebhook(event("email.delivery_delayed", delayed.providerId!, to))).status).toBe(200);
    expect(await outboundRow(delayed.id)).toMatchObject({ status: "sent", error: expect.stringContaining("delivery delayed") });

    const failed = await sendOne(apiKey, to);
    expect((await deliverWebhook(event("email.failed", failed.providerId!, to, { failed: { reason: "reached_daily_quota" } }))).status).toBe(200);
    expect(await outboundRow(failed.id)).toMatchObject({ status: "failed", error: "failed: reached_daily_quota" });
    expect(await suppression(to)).toBeNull();
  });

  it("a send Resend suppressed (its account-level list) fails the mail and stops further sends", async () => {
    const apiKey = newApiKey();
    const to = `l-${uniq()}@example.com`;
    const first = await sendOne(apiKey, to);
    const suppressed = {
      message: "Resend has suppressed sending to this address because it is on the account-level suppression list. This does not count toward your bounce rate metric",
      type: "OnAccountSuppressionList",
    };
    expect((await deliverWebhook(event("email.suppressed", first.providerId!, to, { suppressed }))).status).toBe(200);
    expect(await outboundRow(first.id)).toMatchObject({ status: "failed", error: "suppressed: resend-list" });
    expect(await suppression(to)).toMatchObject({ reason: "resend-list", detail: `OnAccountSuppressionList: ${suppressed.message}` });
    expect((await sendOne(apiKey, to)).result).toBe("failed");
    expect(await receivedRequests(apiKey)).toHaveLength(1);
  });

  it("records and ignores event types Kith does not act on", async () => {
    const id = `msg_${uniq()}`;
    const emailId = `e-${uniq()}`;
    const res = await deliverWebhook(event("email.opened", emailId, "delivered@resend.dev"), { id });
    expect(await res.json()).toEqual({ ok: true, outcome: "ignored" });
    expect(await env.DB.prepare("SELECT type, email_id FROM webhook_events WHERE id = ?1").bind(id).first()).toEqual({ type: "email.opened", email_id: emailId });
    const domain = { type: "domain.updated", created_at: "2024-11-22T23:41:12.126Z", data: { id: "d91cd9bd", name: "example.com", status: "verified" } };
    expect(await (await deliverWebhook(domain)).json()).toEqual({ ok: true, outcome: "ignored" });
  });
});
