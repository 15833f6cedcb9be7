/** OutboxMailer and listOutbox over the real local D1. */

import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import type { OutboundMail } from "../../src/mail-out/mailer";
import { BY_MESSAGE_ID, listOutbox, OutboxMailer } from "../../src/mail-out/outbox";

function mail(overrides: Partial<OutboundMail> = {}): OutboundMail {
  return {
    from: "Kith <kith@kith.test>",
    to: "ada@example.com",
    subject: "Welcome to Kith",
    text: "BCC me on your mail and I will remember who you met.",
    html: "<p>BCC me on your mail.</p>",
    headers: {
      "Message-ID": "<welcome-1@kith.test>",
      "X-Kith-Kind": "welcome",
      "Auto-Submitted": "auto-generated",
    },
    idempotencyKey: "welcome/1",
    ...overrides,
  };
}

/** A clock the test moves by hand. */
function clock(start: number): { now: () => number; set: (t: number) => void } {
  let t = start;
  return { now: () => t, set: (next) => (t = next) };
}

describe("OutboxMailer", () => {
  // Storage is shared by the tests of this file; each test starts from an empty outbox.
  beforeEach(async () => {
    await env.DB.prepare("DELETE FROM outbox").run();
  });

  it("stores the mail and lists it in the /dev/outbox shape", async () => {
    const t = clock(Date.UTC(2024, 5, 3, 9, 0));
    const result = await new OutboxMailer(env.DB, t.now).send(mail());

    expect(await listOutbox(env.DB)).toEqual([
      {
        id: Number(result.providerId),
        to: "ada@example.com",
        from: "Kith <kith@kith.test>",
        subject: "Welcome to Kith",
        text: "BCC me on your mail and I will remember who you met.",
        html: "<p>BCC me on your mail.</p>",
        headers: {
          "Message-ID": "<welcome-1@kith.test>",
          "X-Kith-Kind": "welcome",
          "Auto-Submitted": "auto-generated",
        },
        created_at: Date.UTC(2024, 5, 3, 9, 0),
        attachments: [],
      },
    ]);
  });

  it("keeps attachments whole, base64, however large (stored in parts)", async () => {
    const big = btoa("x".repeat(1_500_000)); // 2 MB of base64: two parts
    await new OutboxMailer(env.DB, () => 1).send(
      mail({ headers: { "Message-ID": "<att-1@kith.test>" }, attachments: [{ filename: "a.txt", contentType: "text/plain", content: big }, { filename: "b.csv", contentType: "text/csv", content: btoa("a,b") }] }),
    );
    const [entry] = (await listOutbox(env.DB)).filter((m) => m.headers["Message-ID"] === "<att-1@kith.test>");
    expect(entry?.attachments).toEqual([
      { filename: "a.txt", contentType: "text/plain", content: big },
      { filename: "b.csv", contentType: "text/csv", content: btoa("a,b") },
    ]);
  });

  it("stores a text-only mail with html null", async () => {
    await new OutboxMailer(env.DB, () => 1).send(mail({ html: undefined }));
    const [entry] = await listOutbox(env.DB);
    expect(entry?.html).toBeNull();
  });

  it("lists in delivery order even when the clock goes back (time travel)", async () => {
    const t = clock(2_000);
    const mailer = new OutboxMailer(env.DB, t.now);
    await mailer.send(mail({ headers: { "Message-ID": "<a@kith.test>" } }));
    t.set(1_000);
    await mailer.send(mail({ headers: { "Message-ID": "<b@kith.test>" } }));

    const entries = await listOutbox(env.DB);
    expect(entries.map((e) => [e.headers["Message-ID"], e.created_at])).toEqual([
      ["<a@kith.test>", 2_000],
      ["<b@kith.test>", 1_000],
    ]);
  });

  it("delivers a retried send once and returns the first id", async () => {
    const mailer = new OutboxMailer(env.DB, () => 1);
    const first = await mailer.send(mail());
    const retry = await mailer.send(mail());
    expect(retry).toEqual(first);
    expect(await listOutbox(env.DB)).toHaveLength(1);
  });

  it("finds a retried send through an index, not a read of the whole outbox", async () => {
    const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${BY_MESSAGE_ID}`).bind("<a@kith.test>").all<{ detail: string }>()).results.map((r) => r.detail).join(" | ");
    expect(plan).toMatch(/^SEARCH outbox USING (?:COVERING )?INDEX outbox_message_id/);
  });

  it("names the Message-ID header `Message-ID` whatever case it came in", async () => {
    const mailer = new OutboxMailer(env.DB, () => 1);
    await mailer.send(mail({ headers: { "Message-Id": "<x@kith.test>", "X-Kith-Kind": "help" } }));
    await mailer.send(mail({ headers: { "message-id": "<x@kith.test>", "X-Kith-Kind": "help" } }));
    const entries = await listOutbox(env.DB);
    expect(entries.map((e) => e.headers)).toEqual([{ "Message-ID": "<x@kith.test>", "X-Kith-Kind": "help" }]);
  });

  it("keeps every mail that has no Message-ID", async () => {
    const mailer = new OutboxMailer(env.DB, () => 1);
    await mailer.send(mail({ headers: {} }));
    await mailer.send(mail({ headers: {} }));
    expect(await listOutbox(env.DB)).toHaveLength(2);
  });
});
