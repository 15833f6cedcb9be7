/** D1 faults at every call of the inbound pipeline, for the shapes of mail users send:
 * a first mail (sign-up), a BCC'd intro with a promise, a forward, a business-card note
 * and a reply that acts on a reminder. The MTA redelivers a mail whose handler threw, so
 * each must throw, store the mail whole or not at all, and end, after the redelivery,
 * exactly as a clean delivery does, every answer mailed once. */

import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { tick } from "../../src/cron/tick";
import { intake } from "../../src/inbound/intake";
import { DAY } from "../support/clock";
import { deps, eml, outbox, send, userId } from "../support/mail";
import { atEveryCall, date, depsOn, expectNoHarm, KITH, LEASES_LAPSED, MINUTE, type Scenario, T0 } from "./support";

vi.setConfig({ testTimeout: 60_000 });


interface Mail {
  me: string;
  raw: Uint8Array;
}

/** A user signed up a day before, then `mail(me)` arrives at T0. */
function mailScenario(mail: (me: string, tag: string) => string | Promise<string>, signedUp = true): Scenario<Mail> {
  return {
    atomic: true,
    async setup(tag) {
      const me = `ann-${tag}@example.com`;
      if (signedUp) await send(eml({ From: `Ann Example <${me}>`, To: KITH, Subject: "hello", Date: date(T0 - DAY) }, "Hi Kith"), { now: T0 - DAY });
      return { me, raw: new TextEncoder().encode(await mail(me, tag)) };
    },
    async act({ apiKey, ctx }, db) {
      const out = await intake(depsOn(db, apiKey, T0), { from: ctx.me, raw: ctx.raw });
      expect(["applied", "duplicate"]).toContain(out.outcome);
      return "ok";
    },
    async settle({ apiKey }) {
      await tick(depsOn(deps().db, apiKey, T0 + 10 * MINUTE, LEASES_LAPSED));
    },
  };
}

describe("a D1 fault at any call of intake", () => {
  it("sign-up: the user and the welcome, once", async () => {
    const s = mailScenario((me, tag) => eml({ From: `Ann Example <${me}>`, To: KITH, Subject: "hello", Date: date(T0), "Message-ID": `<first-${tag}@example.com>` }, "Hi Kith"), false);
    expectNoHarm(await atEveryCall(s), 3);
  });

  it("a BCC'd intro with a promise: contacts, the introduction, the promise, once", async () => {
    const s = mailScenario((me, tag) =>
      eml(
        { From: `Ann Example <${me}>`, To: "Bob Stone <bob@beta.io>, Carol Diaz <carol@acme.com>", Bcc: KITH, Subject: "Intro: Bob <> Carol", Date: date(T0), "Message-ID": `<intro-${tag}@example.com>` },
        "Bob, meet Carol. Carol runs design at Acme.\nI'll send you both the deck by Friday.\n",
      ),
    );
    expectNoHarm(await atEveryCall(s), 3);
  });

  it("a forwarded intro: the original people and date, once", async () => {
    const s = mailScenario((me, tag) =>
      eml(
        { From: me, To: KITH, Subject: "Fwd: Intro: Ann <> Erin", Date: date(T0), "Message-ID": `<fwd-${tag}@example.com>` },
        ["FYI, nice people.", "", "---------- Forwarded message ---------", "From: Dev Patel <dev@gamma.ai>", "Date: Wed, Feb 24, 2027 at 6:42 PM", "Subject: Intro: Ann <> Erin", `To: Ann <${me}>, Erin Wu <erin@gamma.ai>`, "", "Ann, meet Erin. Erin runs partnerships at Gamma."].join("\n"),
      ),
    );
    expectNoHarm(await atEveryCall(s), 3);
  });

  it("a business-card note: the contact, the follow-up, the confirmation, once", async () => {
    const s = mailScenario((me, tag) =>
      eml({ From: me, To: KITH, Subject: "Met at PyCon", Date: date(T0), "Message-ID": `<card-${tag}@example.com>` }, "Jane Smith\nCTO, Acme Corp\njane@acme.com\n+1 415 555 0100\n"),
    );
    expectNoHarm(await atEveryCall(s), 3);
  });

  it("a reply to a reminder ('done'): the reminder closed, the interaction logged, once", async () => {
    const s = mailScenario(async (me, tag) => {
      // A card the day before; its follow-up goes out in the tick at its due time (outbox).
      const t = T0 - DAY;
      await send(eml({ From: me, To: KITH, Subject: "Met at PyCon", Date: date(t) }, "Jane Smith\njane@acme.com\n"), { now: t });
      const due = await env.DB.prepare("SELECT due_at FROM reminders WHERE user_id = ?1 AND kind = 'follow-up'").bind(await userId(me)).first<{ due_at: number }>();
      await tick(deps({}, () => due!.due_at));
      const reminder = (await outbox()).find((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder");
      if (!reminder) throw new Error("no reminder to reply to");
      return eml(
        { From: me, To: reminder.headers["Reply-To"]!, Subject: `Re: ${reminder.subject}`, "In-Reply-To": reminder.headers["Message-ID"]!, References: reminder.headers["Message-ID"]!, Date: date(T0), "Message-ID": `<re-${tag}@example.com>` },
        "done\n",
      );
    });
    expectNoHarm(await atEveryCall(s), 3);
  });
});
