/** "remind me …": a reminder item at the time the user gave, tied to the person it
 * names, delivered and acted on like any other; a time Kith cannot read is said so. */
import { describe, expect, it, vi } from "vitest";
import { DAY, ticks, uniq } from "../support/clock";
import { count, eml, outbox, send, userId } from "../support/mail";
import type { OutboxEntry } from "../../src/mail-out/outbox";

vi.setConfig({ testTimeout: 60_000 });

const KITH = "kith@kith.test";
// Monday Dec 7 2026, 11:00 in Berlin.
const T0 = Date.parse("2026-12-07T10:00:00Z");

async function berliner(people = true): Promise<string> {
  const me = `rm-${uniq()}@example.com`;
  await send(eml({ From: `Ann Lee <${me}>`, To: KITH, Subject: "hello", Date: new Date(T0).toUTCString() }, "hi"), { now: T0 });
  await send(eml({ From: me, To: KITH, Subject: "timezone Europe/Berlin" }, ""), { now: T0 });
  if (people) await send(eml({ From: me, To: KITH, Subject: "Met at PyCon", Date: new Date(T0).toUTCString() }, "Bob Stone\nbob@stone.io\n\nJane Smith\njane@acme.com"), { now: T0 });
  return me;
}

const ask = (me: string, subject: string, body = "", now = T0 + 60_000) => send(eml({ From: me, To: KITH, Subject: subject, Date: new Date(now).toUTCString() }, body), { now });
const lastTo = async (me: string): Promise<OutboxEntry> => (await outbox()).filter((m) => m.to === me).at(-1)!;
const remindersTo = async (me: string) => (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder" && m.text.includes("You asked to be reminded"));

describe("remind me", () => {
  it("comes back at the delivery hour of the day given, about the person named", async () => {
    const me = await berliner();
    await ask(me, "remind me to call Bob about the lease next Tuesday");
    const ok = await lastTo(me);
    expect(ok.headers["X-Kith-Kind"]).toBe("confirmation");
    expect(ok.text).toContain("Kith will remind you on Tue Dec 15, 9 am: call Bob about the lease.");
    const uid = await userId(me);
    const row = await count("reminders", "user_id = ?1 AND kind = 'remind' AND contact_id = (SELECT contact_id FROM contact_emails WHERE user_id = ?1 AND email = 'bob@stone.io')", uid);
    expect(row).toBe(1);
    await ticks(T0 + DAY, Date.parse("2026-12-15T09:00:00Z"), 15 * 60_000);
    const [mail, ...more] = await remindersTo(me);
    expect(more).toEqual([]);
    // 9:00 in Berlin is 08:00 UTC.
    expect(new Date(mail!.created_at).toISOString()).toBe("2026-12-15T08:00:00.000Z");
    expect(mail!.text).toContain("You asked to be reminded: call Bob about the lease (Bob Stone).");
    expect(mail!.text).toContain("Write to them: mailto:bob%40stone.io");
  });

  it("reads an address, a date first, a time of day and FollowUpThen's compact forms", async () => {
    const me = await berliner();
    const uid = await userId(me);
    await ask(me, "remind me about jane@acme.com in 2 weeks");
    expect((await lastTo(me)).text).toContain("Kith will remind you on Mon Dec 21, 9 am: jane@acme.com.");
    await ask(me, "remind me on Dec 12 to send Jane the contract");
    expect((await lastTo(me)).text).toContain("Kith will remind you on Sat Dec 12, 9 am: send Jane the contract.");
    await ask(me, "remind me", "tomorrow at 3pm to ping Dev about the offsite");
    expect((await lastTo(me)).text).toContain("Kith will remind you on Tue Dec 8, 3 pm: ping Dev about the offsite.");
    await ask(me, "remind me to book the venue weds930am");
    expect((await lastTo(me)).text).toContain("Kith will remind you on Wed Dec 9, 9:30 am: book the venue.");
    const tied = await count("reminders", "user_id = ?1 AND kind = 'remind' AND contact_id IS NOT NULL", uid);
    // Jane (by address, and by name in "send Jane the contract"); Dev is no one Kith knows.
    expect(tied).toBe(2);
    expect(await count("reminders", "user_id = ?1 AND kind = 'remind'", uid)).toBe(4);
  });

  it("says what it could not read, and stores nothing", async () => {
    const me = await berliner();
    const uid = await userId(me);
    await ask(me, "remind me to call Bob on Blursday");
    const no = await lastTo(me);
    expect(no.headers["X-Kith-Kind"]).toBe("help");
    expect(no.text).toContain('Kith could not read a time in "to call Bob on Blursday".');
    await ask(me, "remind me to renew the lease in 5 years");
    expect((await lastTo(me)).text).toContain('"in 5 years" is more than two years away');
    expect(await count("reminders", "user_id = ?1 AND kind = 'remind'", uid)).toBe(0);
  });

  it("is acted on like any reminder: a reply snoozes it in FollowUpThen's words, or marks it done", async () => {
    const me = await berliner(false);
    await ask(me, "remind me to send the deck tomorrow");
    await ticks(T0 + 2 * 60_000, T0 + 2 * DAY, 15 * 60_000);
    const [mail] = await remindersTo(me);
    expect(mail!.subject).toBe("Kith: reminder: send the deck");
    const reply = (to: OutboxEntry, typed: string, now: number) =>
      send(eml({ From: me, To: to.headers["Reply-To"]!, Subject: `Re: ${to.subject}`, "In-Reply-To": to.headers["Message-ID"]!, Date: new Date(now).toUTCString() }, typed), { now });
    // Wednesday Dec 9: "3days" is Saturday.
    await reply(mail!, "3days", T0 + 2 * DAY);
    expect((await lastTo(me)).text).toContain("Snoozed your reminder: send the deck until Dec 12.");
    const uid = await userId(me);
    expect(await count("reminders", "user_id = ?1 AND kind = 'remind' AND status = 'pending'", uid)).toBe(1);
    await ticks(T0 + 2 * DAY, T0 + 6 * DAY, 15 * 60_000);
    const [, again, ...more] = await remindersTo(me);
    expect(more).toEqual([]);
    expect(new Date(again!.created_at).toISOString()).toBe("2026-12-12T08:00:00.000Z");
    await reply(again!, "done", T0 + 6 * DAY);
    expect((await lastTo(me)).text).toContain("Done: your reminder: send the deck.");
    expect(await count("reminders", "user_id = ?1 AND kind = 'remind' AND status IN ('pending', 'sent')", uid)).toBe(0);
  });
});
