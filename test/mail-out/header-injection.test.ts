/** Line breaks and header-shaped text (raw CR/LF, encoded words that decode to them) in
 * the names, subjects, Message-IDs, calendar titles and commands that flow into Kith's
 * outbound mail never become a header: the exact request the real Resend SDK sends to
 * the loopback Resend API has a one-line subject, only Kith's own headers, each one
 * line, and the user's address alone as recipient. */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config";
import { clockAt, type Deps } from "../../src/core/deps";
import { tick } from "../../src/cron/tick";
import { intake } from "../../src/inbound/intake";
import { ResendMailer } from "../../src/mail-out/resend";
import { DAY, HOUR, uniq } from "../support/clock";
import { eml } from "../support/mail";
import { HEADER_PAYLOADS, word } from "../support/payloads";
import { apiToken, call } from "../web/support";
import { newApiKey, receivedRequests, resendBaseUrl } from "./resend-control";

vi.setConfig({ testTimeout: 30_000 });

const KITH = "kith@kith.test";
const T0 = Date.parse("2026-12-07T10:00:00Z");
/** Every header Kith sets on some mail; Reply-To travels as Resend's reply_to. */
const KITH_HEADERS = new Set(["Message-ID", "X-Kith-Kind", "Auto-Submitted", "In-Reply-To", "References", "List-Unsubscribe", "List-Unsubscribe-Post"]);
const BODY_KEYS = new Set(["from", "to", "subject", "text", "html", "reply_to", "headers", "attachments"]);

/** A user on the Resend transport, under a Resend account of this test's own. */
function resendUser(senderAuth: "off" | "confirm" = "off") {
  const apiKey = newApiKey();
  const me = `hi-${uniq()}@example.com`;
  const at = (t: number): Deps => ({ db: env.DB, config: { ...loadConfig(env), transport: "resend", senderAuth }, mailer: new ResendMailer({ apiKey, baseUrl: resendBaseUrl }), clock: clockAt(t) });
  const deliver = async (raw: string, t: number) => intake(at(t), { from: me, raw: new TextEncoder().encode(raw) });
  const mail = (t: number, headers: Record<string, string>, body = "") => deliver(eml({ From: me, To: KITH, Date: new Date(t).toUTCString(), ...headers }, body), t);
  return { apiKey, me, at, deliver, mail };
}

interface Sent {
  subject: string;
  to: unknown;
  headers: Record<string, string>;
}

/** Every mail the user's account sent, checked: one-line subject and headers, Kith's
 * headers only, the user alone as recipient. */
async function sentTo(apiKey: string, me: string): Promise<Sent[]> {
  const out: Sent[] = [];
  for (const req of await receivedRequests(apiKey)) {
    const mails = (Array.isArray(req.body) ? req.body : [req.body]) as Record<string, unknown>[];
    for (const body of mails) {
      for (const k of Object.keys(body)) expect(BODY_KEYS, `body field ${k}`).toContain(k);
      expect(body.to).toBe(me);
      expect(body.from).toBe("Kith <kith@kith.test>");
      const subject = body.subject as string;
      expect(subject, "subject").not.toMatch(/[\r\n]/);
      const headers = body.headers as Record<string, string>;
      for (const [name, value] of Object.entries(headers)) {
        expect(KITH_HEADERS, `header ${name}`).toContain(name);
        expect(value, name).not.toMatch(/[\r\n]/);
      }
      if (body.reply_to !== undefined) expect(body.reply_to).toMatch(/^kith\+r[0-9a-z]+\.[0-9a-z]{16}@kith\.test$/);
      out.push({ subject, to: body.to, headers });
    }
  }
  return out;
}

describe("header-shaped text in what Kith sends", () => {
  it("a contact's name with line breaks, set over the API, stays in the reminder's one-line subject", async () => {
    const u = resendUser();
    await u.mail(T0, { Subject: "hello" }, "hi");
    await u.mail(T0 + 60_000, { Subject: "Met at PyCon" }, "Jane Doe\njane@example.org");
    const token = await apiToken(u.me);
    const { contacts } = await (await call(token, "/contacts")).json<{ contacts: { id: number }[] }>();
    expect((await call(token, `/contacts/${contacts[0]!.id}`, { method: "PATCH", json: { name: HEADER_PAYLOADS.crlf } })).status).toBe(200);
    for (let t = T0 + HOUR; t <= T0 + DAY + HOUR; t += HOUR) await tick(u.at(t));
    const reminders = (await sentTo(u.apiKey, u.me)).filter((m) => m.headers["X-Kith-Kind"] === "reminder");
    expect(reminders.map((m) => m.subject)).toEqual(["Kith: follow up with Jane Bcc: victim@example.com"]);
  });

  it("subjects and display names that decode to line breaks stay one line in every answer", async () => {
    const u = resendUser();
    await u.mail(T0, { From: `${HEADER_PAYLOADS.word} <${u.me}>`, Subject: HEADER_PAYLOADS.wordQ }, "hi");
    let t = T0;
    for (const subject of [
      word("who is Jane\r\nBcc: victim@example.com"),
      word("remind me to call Jane\r\nBcc: victim@example.com tomorrow"),
      word("plan Jane\r\nBcc: victim@example.com on Dec 9: meet\r\nX-Injected: 1"),
      word("Met at Jane\r\nBcc: victim@example.com"),
    ]) {
      t += 60_000;
      await u.mail(t, { Subject: subject }, "Carol Diaz\ncarol@example.org");
    }
    for (let s = t + HOUR; s <= T0 + 3 * DAY; s += HOUR) await tick(u.at(s));
    const kinds = (await sentTo(u.apiKey, u.me)).map((m) => m.headers["X-Kith-Kind"]);
    expect(kinds).toEqual(expect.arrayContaining(["welcome", "lookup", "confirmation", "reminder"]));
  });

  it("a Message-ID that decodes to line breaks does not become a header in the answer's In-Reply-To", async () => {
    const u = resendUser();
    await u.mail(T0, { Subject: "hello", "Message-ID": word(`<a@example.com>\r\nBcc: victim@example.com`) }, "hi");
    await u.mail(T0 + 60_000, { Subject: "help", "Message-ID": "=?utf-8?q?<b@example.com>=0D=0ABcc:_victim@example.com?=" }, "");
    const sent = await sentTo(u.apiKey, u.me);
    expect(sent.map((m) => m.headers["X-Kith-Kind"])).toEqual(["welcome", "help"]);
  });

  it("a calendar title with an escaped line break stays in the meeting follow-up's one-line subject", async () => {
    const u = resendUser();
    await u.mail(T0, { Subject: "hello" }, "hi");
    const ics = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Test//Header//EN",
      "METHOD:REQUEST",
      "BEGIN:VEVENT",
      "DTSTART:20261208T120000Z",
      "DTEND:20261208T130000Z",
      "DTSTAMP:20261201T000000Z",
      `UID:${uniq()}@header.test`,
      "SUMMARY:Sync\\nBcc: victim@example.com",
      "ORGANIZER;CN=Org:mailto:org@header.test",
      `ATTENDEE;CN=Ann;PARTSTAT=ACCEPTED:mailto:${u.me}`,
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    const body = ["--b1", "Content-Type: text/plain; charset=utf-8", "", "For Kith.", "--b1", 'Content-Type: text/calendar; charset=utf-8; method=REQUEST; name="invite.ics"', "", ics, "--b1--"].join("\r\n");
    expect((await u.mail(T0 + 60_000, { Subject: "Fwd: Invitation", "Content-Type": 'multipart/mixed; boundary="b1"' }, body)).outcome).toBe("applied");
    for (let t = T0 + HOUR; t <= T0 + 3 * DAY; t += HOUR) await tick(u.at(t));
    const subjects = (await sentTo(u.apiKey, u.me)).filter((m) => m.headers["X-Kith-Kind"] === "reminder").map((m) => m.subject);
    expect(subjects.some((s) => s.includes("Sync Bcc: victim@example.com"))).toBe(true);
  });

  it("the subject of an unverified mail stays one line in the 'did you send' question", async () => {
    const u = resendUser("confirm");
    expect((await u.mail(T0, { Subject: HEADER_PAYLOADS.word }, "hi")).outcome).toBe("held");
    const [verify, ...more] = await sentTo(u.apiKey, u.me);
    expect(more).toEqual([]);
    expect(verify!.headers["X-Kith-Kind"]).toBe("verify");
    expect(verify!.subject).toBe('Kith: did you send "Jane Bcc: victim@example.com"?');
  });
});
