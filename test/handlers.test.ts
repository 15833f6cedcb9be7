/** The Worker's three doors, as the platform calls them: email(), scheduled(), fetch(). */
import { createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { loadConfig } from "../src/config";
import { clockAt } from "../src/core/deps";
import { intake } from "../src/inbound/intake";
import { prepareOutbound } from "../src/mail-out/outbound";
import { ResendMailer } from "../src/mail-out/resend";
import { receivedRequests, newApiKey, resendBaseUrl, failNext } from "./mail-out/resend-control";
import { count, eml, outbox, signUp } from "./support/mail";
import { uniq } from "./support/clock";

const KITH = "kith@kith.test";

/** An inbound message as Email Routing hands it to email(). */
function message(raw: string, from: string) {
  const bytes = new TextEncoder().encode(raw);
  const rejected: string[] = [];
  const msg = {
    from,
    to: KITH,
    raw: new Response(bytes).body!,
    rawSize: bytes.byteLength,
    headers: new Headers(),
    setReject: (reason: string) => void rejected.push(reason),
    forward: async () => ({ messageId: "" }),
    reply: async () => ({ messageId: "" }),
  } as unknown as ForwardableEmailMessage;
  return { msg, rejected };
}

describe("email()", () => {
  it("rejects with the pipeline's reason and accepts good mail silently", async () => {
    const bad = message(eml({ From: "x@example.com", To: KITH, Subject: "big" }, "x".repeat(200)), "x@example.com");
    const smallEnv = { ...env, MAX_MESSAGE_BYTES: "100" };
    await worker.email(bad.msg, smallEnv);
    expect(bad.rejected).toEqual([expect.stringContaining("Kith accepts up to")]);

    const me = `h-${uniq()}@example.com`;
    const good = message(eml({ From: me, To: KITH, Subject: "hello" }, "hi"), me);
    await worker.email(good.msg, env);
    expect(good.rejected).toEqual([]);
    expect((await outbox()).some((m) => m.to === me && m.headers["X-Kith-Kind"] === "welcome")).toBe(true);
  });

  it("throws on a transient fault so that the sending server retries, and stores nothing", async () => {
    const me = `t-${uniq()}@example.com`;
    await signUp(me);
    const before = await count("inbound_messages");
    // The real D1, with its batch failing the way a network blip does.
    const flaky = new Proxy(env.DB, {
      get: (db, key) => (key === "batch" ? () => Promise.reject(new Error("D1_ERROR: Network connection lost.")) : Reflect.get(db, key).bind?.(db) ?? Reflect.get(db, key)),
    });
    const m = message(eml({ From: me, To: "a@b.org", Bcc: KITH, Subject: "x" }, "x"), me);
    await expect(worker.email(m.msg, { ...env, DB: flaky })).rejects.toThrow(/Network connection lost/);
    expect(m.rejected).toEqual([]);
    expect(await count("inbound_messages")).toBe(before);
  });

  it("refuses to run misconfigured, with a clear message", async () => {
    const m = message(eml({ From: "a@example.com", To: KITH, Subject: "x" }, "x"), "a@example.com");
    await expect(worker.email(m.msg, { ...env, SENDER_AUTH: "off", KITH_ENV: "production" })).rejects.toThrow(
      "SENDER_AUTH=off is for local development only",
    );
  });
});

describe("scheduled()", () => {
  it("sends mail left queued (a send that never happened), once, on the next tick", async () => {
    const config = loadConfig(env);
    const now = Date.now();
    const to = `q-${uniq()}@example.com`;
    const queued = prepareOutbound(env.DB, config, { kind: "help", userId: null, to, subject: "queued", text: "hello" }, now);
    await queued.statement.run();
    const controller = createScheduledController({ scheduledTime: now + 5 * 60_000, cron: "*/5 * * * *" });
    await worker.scheduled(controller, env);
    await worker.scheduled(createScheduledController({ scheduledTime: now + 10 * 60_000, cron: "*/5 * * * *" }), env);
    expect((await outbox()).filter((m) => m.to === to).map((m) => m.subject)).toEqual(["queued"]);
  });
});

describe("Resend transport", () => {
  it("sends the welcome through the real SDK with Kith's headers and an idempotency key", async () => {
    const apiKey = newApiKey();
    const config = { ...loadConfig(env), transport: "resend" as const };
    const me = `r-${uniq()}@example.com`;
    const out = await intake({ db: env.DB, config, mailer: new ResendMailer({ apiKey, baseUrl: resendBaseUrl }), clock: clockAt(Date.now()) }, {
      from: me,
      raw: new TextEncoder().encode(eml({ From: me, To: KITH, Subject: "hi" }, "hi")),
    });
    expect(out.outcome).toBe("applied");
    const [req, ...rest] = await receivedRequests(apiKey);
    expect(rest).toEqual([]);
    const stored = await env.DB.prepare("SELECT id, message_id, status, provider_id FROM outbound_messages WHERE to_address = ?1").bind(me).first<{ id: number; message_id: string; status: string; provider_id: string }>();
    expect(req).toMatchObject({
      method: "POST",
      path: "/emails",
      headers: expect.objectContaining({ authorization: `Bearer ${apiKey}`, "idempotency-key": `kith-out-${stored!.id}` }),
      body: expect.objectContaining({
        from: "Kith <kith@kith.test>",
        to: me,
        subject: "Welcome to Kith",
        headers: { "Message-ID": stored!.message_id, "X-Kith-Kind": "welcome", "Auto-Submitted": "auto-generated" },
      }),
    });
    expect(stored).toMatchObject({ status: "sent", provider_id: expect.any(String) });
  });

  it("keeps a mail queued when Resend is down and delivers it on a later tick", async () => {
    const apiKey = newApiKey();
    const config = { ...loadConfig(env), transport: "resend" as const };
    const mailer = new ResendMailer({ apiKey, baseUrl: resendBaseUrl });
    const me = `d-${uniq()}@example.com`;
    await failNext({ key: apiKey, status: 503 });
    const now = Date.now();
    await intake({ db: env.DB, config, mailer, clock: clockAt(now) }, { from: me, raw: new TextEncoder().encode(eml({ From: me, To: KITH, Subject: "hi" }, "hi")) });
    const row = () => env.DB.prepare("SELECT status, attempts FROM outbound_messages WHERE to_address = ?1").bind(me).first();
    expect(await row()).toMatchObject({ status: "queued", attempts: 1 });
    const { tick } = await import("../src/cron/tick");
    await tick({ db: env.DB, config, mailer, clock: clockAt(now + 30_000) }); // too soon: backoff
    expect(await row()).toMatchObject({ status: "queued", attempts: 1 });
    await tick({ db: env.DB, config, mailer, clock: clockAt(now + 5 * 60_000) });
    expect(await row()).toMatchObject({ status: "sent", attempts: 2 });
    expect((await receivedRequests(apiKey)).filter((r) => r.path === "/emails")).toHaveLength(2);
  });
});

describe("fetch()", () => {
  it("serves health, and the outbox outside production only", async () => {
    expect(await (await exports.default.fetch("https://kith.test/health")).json()).toEqual({ ok: true });
    expect((await exports.default.fetch("https://kith.test/dev/outbox")).status).toBe(200);
    const prod = await worker.fetch(new Request("https://kith.test/dev/outbox"), { ...env, KITH_ENV: "production", SENDER_AUTH: "confirm", MAIL_TRANSPORT: "outbox" });
    expect(prod.status).toBe(404);
  });
});
