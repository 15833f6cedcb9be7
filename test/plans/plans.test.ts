/** Plans for events: stored by "plan", a `plan` mail on the first day at the delivery
 * hour (the goal, people met at earlier editions, who could introduce you, openers), a
 * `plan-recap` mail the morning after the last day whose reply is captured as met at the
 * event; "plans" lists them and "plan off" drops one. */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { DAY, HOUR, ticks, uniq } from "../support/clock";
import { count, eml, outbox, send, userId } from "../support/mail";

vi.setConfig({ testTimeout: 60_000 });

const KITH = "kith@kith.test";
// Monday Dec 7 2026, 11:00 in Berlin.
const T0 = Date.parse("2026-12-07T10:00:00Z");

async function berliner(): Promise<string> {
  const me = `pl-${uniq()}@example.com`;
  await send(eml({ From: `Ann Lee <${me}>`, To: KITH, Subject: "hello", Date: new Date(T0).toUTCString() }, "hi"), { now: T0 });
  await send(eml({ From: me, To: KITH, Subject: "timezone Europe/Berlin" }, ""), { now: T0 });
  return me;
}

const ask = (me: string, subject: string, body = "", now = T0 + 60_000) => send(eml({ From: me, To: KITH, Subject: subject, Date: new Date(now).toUTCString() }, body), { now });
const lastTo = async (me: string) => (await outbox()).filter((m) => m.to === me).at(-1)!;
const ofKind = async (me: string, kind: string) => (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === kind);

describe("a plan", () => {
  it("comes on the event's first day with the goal and the people around it, and asks whom you met the day after", async () => {
    const me = await berliner();
    // People from an earlier PyCon, someone who introduced one of them, someone in payments.
    await ask(me, "Met at PyCon 2025", "Jane Smith\njane@acme.com\n\nKen Lee\nken@lee.io", T0 - 300 * DAY);
    await send(
      eml({ From: me, To: KITH, Subject: "jane@acme.com note works on payments at Acme" }, ""),
      { now: T0 - 200 * DAY },
    );
    await ask(me, "Met at a meetup", "Omar Diaz\nHead of Payments, Stripe\nomar@stripe.example", T0 - 100 * DAY);
    await ask(me, "plan PyCon 2026 Dec 14-16: meet two people working on payments");
    const ok = await lastTo(me);
    expect(ok.headers["X-Kith-Kind"]).toBe("confirmation");
    expect(ok.text).toContain("Planned: PyCon 2026, Dec 14 to Dec 16.\nYour goal: meet two people working on payments");

    await ticks(T0 + HOUR, Date.parse("2026-12-14T12:00:00Z"), HOUR);
    const [plan, ...more] = await ofKind(me, "plan");
    expect(more).toEqual([]);
    // 09:00 in Berlin on the first day.
    expect(new Date(plan!.created_at).toISOString()).toBe("2026-12-14T08:00:00.000Z");
    expect(plan!.subject).toBe("Kith: your plan for PyCon 2026 today");
    expect(plan!.text).toContain("YOUR GOAL\n  * meet two people working on payments");
    expect(plan!.text).toMatch(/PEOPLE YOU MET AT PYCON BEFORE\n(?: {2}\* .*\n)*? {2}\* Jane Smith/);
    expect(plan!.text).toContain("  * Ken Lee");
    expect(plan!.text).toMatch(/PEOPLE WHO COULD INTRODUCE YOU\n(?: {2}\* .*\n)*? {2}\* Omar Diaz/);
    expect(plan!.text).toContain("payments: who here should I talk to?");
    expect(plan!.html).toContain("PyCon 2026 starts today");

    // The morning after the last day: whom did you meet? A reply with a card is captured as met there.
    await ticks(Date.parse("2026-12-14T12:00:00Z"), Date.parse("2026-12-17T12:00:00Z"), HOUR);
    const [recap] = await ofKind(me, "plan-recap");
    expect(new Date(recap!.created_at).toISOString()).toBe("2026-12-17T08:00:00.000Z");
    expect(recap!.subject).toBe("Kith: whom did you meet at PyCon 2026?");
    const now = Date.parse("2026-12-17T10:00:00Z");
    await send(
      eml(
        { From: me, To: recap!.headers["Reply-To"]!, Subject: `Re: ${recap!.subject}`, "In-Reply-To": recap!.headers["Message-ID"]!, Date: new Date(now).toUTCString() },
        `Lin Wu\nlin@payco.example\nHead of Payments, PayCo\n\nOn Thu, Kith wrote:\n> Reply to this mail with whom you met`,
      ),
      { now },
    );
    const uid = await userId(me);
    const lin = await env.DB.prepare("SELECT met_at FROM contacts WHERE user_id = ?1 AND name = 'Lin Wu'").bind(uid).first<{ met_at: string }>();
    expect(lin).toEqual({ met_at: "PyCon 2026" });
    expect(await count("reminders", "user_id = ?1 AND kind = 'follow-up' AND contact_id = (SELECT id FROM contacts WHERE user_id = ?1 AND name = 'Lin Wu')", uid)).toBe(1);
  });

  it("is listed by 'plans', replaced by a second 'plan', and dropped by 'plan off'", async () => {
    const me = await berliner();
    const uid = await userId(me);
    await ask(me, "plan Web Summit on Dec 20: find a design partner");
    await ask(me, "plan Web Summit on Dec 20: find two design partners");
    await ask(me, "plan Offsite on Jan 12");
    await ask(me, "plans");
    const list = await lastTo(me);
    expect(list.headers["X-Kith-Kind"]).toBe("plans");
    expect(list.text).toContain("1. Web Summit, Dec 20: find two design partners\n2. Offsite, Jan 12");
    expect(await count("plans", "user_id = ?1", uid)).toBe(2);
    expect(await count("reminders", "user_id = ?1 AND kind IN ('plan', 'plan-recap')", uid)).toBe(4);
    await ask(me, "plan off web summit");
    expect((await lastTo(me)).text).toContain("Dropped: Web Summit, Dec 20.");
    expect(await count("plans", "user_id = ?1", uid)).toBe(1);
    expect(await count("reminders", "user_id = ?1 AND kind IN ('plan', 'plan-recap')", uid)).toBe(2);
    await ask(me, "plan off Nonexistent Conf");
    expect((await lastTo(me)).text).toContain('Kith has no plan for "Nonexistent Conf".');
  });

  it("says what it could not read, and a subject that only begins with 'plan' is no plan", async () => {
    const me = await berliner();
    const uid = await userId(me);
    await ask(me, "plan PyCon on Dec 1 2026: too late");
    expect((await lastTo(me)).text).toContain("is already over");
    await ask(me, "Plan for the offsite", "Jane Smith\njane@acme.com");
    expect(await count("plans", "user_id = ?1", uid)).toBe(0);
    expect(await count("contacts", "user_id = ?1", uid)).toBe(1);
  });
});
