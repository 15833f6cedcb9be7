/** ResendMailer: the real `resend` SDK, inside workerd, over HTTP to the loopback Resend API. */

import { describe, expect, it } from "vitest";
import { type OutboundMail, PermanentSendError, TransientSendError } from "../../src/mail-out/mailer";
import { ResendMailer } from "../../src/mail-out/resend";
import { deliveredEmails, failNext, newApiKey, receivedRequests, resendBaseUrl } from "./resend-control";

function reminder(overrides: Partial<OutboundMail> = {}): OutboundMail {
  return {
    from: "Kith <kith@kith.test>",
    to: "ada@example.com",
    subject: "Follow up with Grace Hopper",
    text: "You met Grace at PyCon three weeks ago.",
    html: "<p>You met Grace at PyCon three weeks ago.</p>",
    headers: {
      "Message-ID": "<r-42.1717000000000@kith.test>",
      "X-Kith-Kind": "reminder",
      "Auto-Submitted": "auto-generated",
      "In-Reply-To": "<CAF=orig@mail.gmail.com>",
      References: "<CAF=orig@mail.gmail.com>",
      "Reply-To": "Kith <reply+42@kith.test>",
      "List-Unsubscribe": "<https://kith.test/u/abc>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
    idempotencyKey: "reminder/42",
    ...overrides,
  };
}

function mailerFor(apiKey: string): ResendMailer {
  return new ResendMailer({ apiKey, baseUrl: resendBaseUrl });
}

describe("ResendMailer.send", () => {
  it("sends exactly what Resend's API expects", async () => {
    const apiKey = newApiKey();
    const result = await mailerFor(apiKey).send(reminder());

    const [request, ...more] = await receivedRequests(apiKey);
    expect(more).toEqual([]);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/emails");
    expect(request?.headers).toMatchObject({
      authorization: `Bearer ${apiKey}`,
      "idempotency-key": "reminder/42",
      "content-type": "application/json",
    });
    expect(request?.headers["user-agent"]).toMatch(/^resend-node:6\./);
    // Reply-To travels as Resend's own field, not as a raw header.
    expect(request?.body).toEqual({
      from: "Kith <kith@kith.test>",
      to: "ada@example.com",
      subject: "Follow up with Grace Hopper",
      text: "You met Grace at PyCon three weeks ago.",
      html: "<p>You met Grace at PyCon three weeks ago.</p>",
      reply_to: "Kith <reply+42@kith.test>",
      headers: {
        "Message-ID": "<r-42.1717000000000@kith.test>",
        "X-Kith-Kind": "reminder",
        "Auto-Submitted": "auto-generated",
        "In-Reply-To": "<CAF=orig@mail.gmail.com>",
        References: "<CAF=orig@mail.gmail.com>",
        "List-Unsubscribe": "<https://kith.test/u/abc>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    });

    const emails = await deliveredEmails(apiKey);
    expect(emails).toHaveLength(1);
    expect(result).toEqual({ providerId: emails[0]?.id });
  });

  it("leaves html and reply_to out when the mail has none", async () => {
    const apiKey = newApiKey();
    await mailerFor(apiKey).send(
      reminder({ html: undefined, headers: { "Message-ID": "<plain@kith.test>", "reply-to": "x@kith.test" } }),
    );
    const [request] = await receivedRequests(apiKey);
    expect(request?.body).toEqual({
      from: "Kith <kith@kith.test>",
      to: "ada@example.com",
      subject: "Follow up with Grace Hopper",
      text: "You met Grace at PyCon three weeks ago.",
      reply_to: "x@kith.test",
      headers: { "Message-ID": "<plain@kith.test>" },
    });
  });

  it("delivers a retried send once, with the same id", async () => {
    const apiKey = newApiKey();
    const mailer = mailerFor(apiKey);
    const first = await mailer.send(reminder());
    const retry = await mailer.send(reminder());

    expect(retry).toEqual(first);
    expect(await receivedRequests(apiKey)).toHaveLength(2);
    expect(await deliveredEmails(apiKey)).toHaveLength(1);
  });

  it("retries after a 429 and a 500 with the same key, and delivers once", async () => {
    const apiKey = newApiKey();
    const mailer = mailerFor(apiKey);
    await failNext({ key: apiKey, status: 429 });
    await failNext({ key: apiKey, status: 500 });

    await expect(mailer.send(reminder())).rejects.toThrow(TransientSendError);
    await expect(mailer.send(reminder())).rejects.toThrow(TransientSendError);
    const sent = await mailer.send(reminder());

    const requests = await receivedRequests(apiKey);
    expect(requests.map((r) => r.headers["idempotency-key"])).toEqual(["reminder/42", "reminder/42", "reminder/42"]);
    expect(await deliveredEmails(apiKey)).toEqual([expect.objectContaining({ id: sent.providerId })]);
  });

  it("treats 429 as transient, with Resend's message", async () => {
    const apiKey = newApiKey();
    await failNext({ key: apiKey, status: 429 });
    const error = await mailerFor(apiKey).send(reminder()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSendError);
    expect(String(error)).toContain("429 rate_limit_exceeded: Too many requests");
  });

  it("treats a non-JSON 502 from a proxy as transient", async () => {
    const apiKey = newApiKey();
    await failNext({ key: apiKey, status: 502, raw: "<html>Bad gateway</html>" });
    await expect(mailerFor(apiKey).send(reminder())).rejects.toThrow(TransientSendError);
  });

  it("treats a 422 the server decided on as permanent", async () => {
    const apiKey = newApiKey();
    await failNext({ key: apiKey, status: 422, name: "validation_error", message: "Invalid `to` field." });
    await expect(mailerFor(apiKey).send(reminder())).rejects.toThrow(PermanentSendError);
  });

  it("treats Resend's own validation of a bad address as permanent", async () => {
    const apiKey = newApiKey();
    const error = await mailerFor(apiKey).send(reminder({ to: "not an address" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(String(error)).toContain("422 validation_error: Invalid `to` field.");
    expect(await deliveredEmails(apiKey)).toEqual([]);
  });

  it("treats the same idempotency key with a different mail as permanent (409)", async () => {
    const apiKey = newApiKey();
    const mailer = mailerFor(apiKey);
    await mailer.send(reminder());
    const error = await mailer.send(reminder({ subject: "Something else" })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(String(error)).toContain("409 invalid_idempotent_request");
  });

  it("treats a concurrent request with the same key (409) as transient", async () => {
    const apiKey = newApiKey();
    await failNext({ key: apiKey, status: 409, name: "concurrent_idempotent_requests", message: "in progress" });
    await expect(mailerFor(apiKey).send(reminder())).rejects.toThrow(TransientSendError);
  });

  it("treats an API key Resend rejects (403) as permanent", async () => {
    const mailer = new ResendMailer({ apiKey: "not-a-resend-key", baseUrl: resendBaseUrl });
    const error = await mailer.send(reminder()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentSendError);
    expect(String(error)).toContain("403 invalid_api_key");
  });

  it("treats an unreachable server as transient", async () => {
    // Port 1 (tcpmux) is privileged and unused: the connection is refused at once.
    const mailer = new ResendMailer({ apiKey: newApiKey(), baseUrl: "http://127.0.0.1:1" });
    const error = await mailer.send(reminder()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSendError);
    expect(String(error)).toContain("Resend unreachable");
  });

  it("treats a connection dropped without an answer as transient", async () => {
    const apiKey = newApiKey();
    await failNext({ key: apiKey, status: 0, reset: true });
    const mailer = new ResendMailer({ apiKey, baseUrl: resendBaseUrl });
    const error = await mailer.send(reminder()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientSendError);
    expect(String(error)).toContain("Resend unreachable");
  });

  it("accepts a base URL with a trailing slash", async () => {
    const apiKey = newApiKey();
    await new ResendMailer({ apiKey, baseUrl: `${resendBaseUrl}/` }).send(reminder());
    expect((await receivedRequests(apiKey)).map((r) => r.path)).toEqual(["/emails"]);
  });

  it("refuses an empty API key rather than fall back to process.env", () => {
    expect(() => new ResendMailer({ apiKey: "" })).toThrow(/API key/);
  });
});

describe("ResendMailer.sendBatch", () => {
  it("posts every mail to /emails/batch under one key and returns ids in order", async () => {
    const apiKey = newApiKey();
    const mails = [reminder({ to: "ada@example.com" }), reminder({ to: "grace@example.com", html: undefined })];
    const results = await mailerFor(apiKey).sendBatch(mails, "weekly/2024-06-03");

    const [request] = await receivedRequests(apiKey);
    expect(request?.path).toBe("/emails/batch");
    expect(request?.headers).toMatchObject({ "idempotency-key": "weekly/2024-06-03", "x-batch-validation": "strict" });
    expect(request?.body).toEqual([
      expect.objectContaining({ to: "ada@example.com", reply_to: "Kith <reply+42@kith.test>" }),
      expect.not.objectContaining({ html: expect.anything() }),
    ]);
    const emails = await deliveredEmails(apiKey);
    expect(results).toEqual(emails.map((e) => ({ providerId: e.id })));
    expect(emails.map((e) => e.body.to)).toEqual(["ada@example.com", "grace@example.com"]);
  });

  it("rejects the whole batch when one mail is invalid", async () => {
    const apiKey = newApiKey();
    const mails = [reminder(), reminder({ from: "nobody" })];
    await expect(mailerFor(apiKey).sendBatch(mails, "batch/1")).rejects.toThrow(PermanentSendError);
    expect(await deliveredEmails(apiKey)).toEqual([]);
  });

  it("sends nothing for an empty batch", async () => {
    const apiKey = newApiKey();
    expect(await mailerFor(apiKey).sendBatch([], "batch/empty")).toEqual([]);
    expect(await receivedRequests(apiKey)).toEqual([]);
  });
});
