/** A user whose mail cannot be delivered is never silently forgotten: the failure is in
 * the data (outbound_messages, suppressions) and in the next mail that does arrive. */

import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { tick } from "../../src/cron/tick";
import { deps, eml, outbox, send, userId } from "../support/mail";
import { deliverWebhook } from "../support/svix";
import { DAY, HOUR, uniq } from "../support/clock";

vi.setConfig({ testTimeout: 30_000 });

const KITH = "kith@kith.test";

/** The operator's query (README, "Deliverability"): users with a suppressed address. */
const UNREACHABLE = `SELECT u.id, u.email, a.email AS address, a.email = u.email AS is_primary, s.reason, s.detail,
       datetime(s.created_at / 1000, 'unixepoch') AS since
FROM suppressions s JOIN user_addresses a ON a.email = s.email JOIN users u ON u.id = a.user_id
ORDER BY s.created_at DESC`;

async function user(t: number): Promise<string> {
  const me = `u-${uniq()}@example.com`;
  await send(eml({ From: `Ann <${me}>`, To: KITH, Subject: "hello", Date: new Date(t).toUTCString() }, "hi"), { now: t });
  return me;
}

/** A mail Kith sent (and Resend accepted) at `t`, known to Resend as `providerId`. */
async function sentMail(me: string, to: string, providerId: string, t: number): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO outbound_messages (id, user_id, message_id, kind, to_address, subject, status, provider_id, created_at, sent_at)
     VALUES (?1, ?2, ?3, 'alias-confirm', ?4, 'Kith: confirm this address', 'sent', ?5, ?6, ?6)`,
  )
    .bind(Math.floor(Math.random() * 1e12), await userId(me), `<s-${uniq()}@kith.test>`, to, providerId, t)
    .run();
}

function hardBounce(emailId: string, to: string) {
  return {
    type: "email.bounced",
    created_at: "2024-11-22T23:41:12.126Z",
    data: {
      created_at: "2024-11-22T23:41:11.894719+00:00",
      email_id: emailId,
      from: "Kith <kith@kith.test>",
      to: [to],
      subject: "Kith: confirm this address",
      bounce: { message: "smtp; 550 5.1.1 The email account that you tried to reach does not exist.", subType: "General", type: "Permanent" },
    },
  };
}

async function note(me: string, t: number, who: string): Promise<void> {
  const out = await send(eml({ From: me, To: KITH, Subject: "Met at PyCon", Date: new Date(t).toUTCString() }, who), { now: t });
  expect(out.outcome).toBe("applied");
}

async function ticks(from: number, to: number): Promise<void> {
  for (let t = from; t <= to; t += 15 * 60_000) await tick(deps({}, () => t));
}

const reminders = async (me: string) => (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder");

describe("undeliverable mail", () => {
  it("a bounce at one of the user's addresses is said at the top of the next reminder", async () => {
    const t0 = Date.parse("2026-12-01T09:00:00Z");
    const me = await user(t0 - HOUR);
    const work = `work-${uniq()}@example.org`;
    const providerId = crypto.randomUUID();
    await sentMail(me, work, providerId, t0);
    expect((await deliverWebhook(hardBounce(providerId, work))).status).toBe(200);

    await note(me, t0, "Jane Smith\njane@acme.com");
    await ticks(t0, t0 + DAY);
    const [mail] = await reminders(me);
    expect(mail!.text).toMatch(
      new RegExp(`^Note: Kith could not deliver 1 earlier mail to you \\(the mail server for ${work} rejected it for good: Permanent/General: smtp; 550 5\\.1\\.1 `),
    );
  });

  it("a user whose own address bounced gets nothing, is visible in D1, and hears of it once mail works again", async () => {
    const t0 = Date.parse("2026-12-03T09:00:00Z");
    const me = await user(t0 - HOUR);
    const providerId = crypto.randomUUID();
    await sentMail(me, me, providerId, t0);
    expect((await deliverWebhook(hardBounce(providerId, me))).status).toBe(200);

    await note(me, t0, "Jane Smith\njane@acme.com");
    await ticks(t0, t0 + DAY);
    expect(await reminders(me)).toEqual([]);
    // The confirmation of the note and the reminder were composed, recorded and not
    // sent: the data says why.
    const { results: failed } = await env.DB.prepare(
      "SELECT kind, status, error FROM outbound_messages WHERE to_address = ?1 AND kind <> 'alias-confirm' AND created_at >= ?2 ORDER BY created_at",
    )
      .bind(me, t0)
      .all();
    expect(failed).toEqual([
      { kind: "confirmation", status: "failed", error: "suppressed: bounced" },
      { kind: "reminder", status: "failed", error: "suppressed: bounced" },
    ]);
    const { results: unreachable } = await env.DB.prepare(UNREACHABLE).all<{ email: string; is_primary: number; reason: string }>();
    expect(unreachable.find((r) => r.email === me)).toMatchObject({ is_primary: 1, reason: "bounced" });

    // The operator lifts the suppression (the mailbox exists again): the next reminder says what was missed.
    await env.DB.prepare("DELETE FROM suppressions WHERE email = ?1").bind(me).run();
    const t1 = t0 + 2 * DAY;
    await note(me, t1, "Bob Jones\nbob@acme.com");
    await ticks(t1, t1 + DAY);
    const [mail, ...more] = await reminders(me);
    expect(more).toEqual([]);
    expect(mail!.text).toMatch(
      new RegExp(`^Note: Kith could not deliver 3 earlier mails to you \\(the latest: ${me} bounced an earlier mail, so Kith stopped sending to it\\)\\.`),
    );
  });
});
