/** Corrections and merges by mail, and the "may be the same person" offered at capture. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { contactsOf, count, eml, send } from "../support/mail";
import { card, contactId, KITH, latest, mail, member, reply } from "./support";

describe("corrections by mail", () => {
  it("'<address> title …' and the other facts, without a lookup", async () => {
    const me = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    for (const line of ["carol@globex-labs.com title VP Operations", "carol@globex-labs.com company Globex", "carol@globex-labs.com met at RoboConf", "carol@globex-labs.com note likes sailing", "carol@globex-labs.com phone +1 415 555 0100"]) {
      expect((await mail(me, line)).outcome).toBe("applied");
    }
    const [carol] = await contactsOf(me);
    expect(carol).toMatchObject({ title: "VP Operations", company: "Globex", met_at: "RoboConf", phones: "+14155550100" });
    expect(await count("contact_notes", "contact_id = ?1 AND text = 'likes sailing'", carol!.id)).toBe(1);
  });

  it("reads a fact as a reply to a lookup reads it: a bare 'met', a 'thanks' after it, a limit", async () => {
    const me = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    expect((await mail(me, "carol@globex-labs.com met RoboConf")).outcome).toBe("applied");
    expect((await mail(me, "carol@globex-labs.com title CRO, thanks")).outcome).toBe("applied");
    expect((await contactsOf(me))[0]).toMatchObject({ met_at: "RoboConf", title: "CRO" });
    await mail(me, `carol@globex-labs.com company ${"x".repeat(201)}`);
    expect((await latest(me)).text).toContain("longer than Kith keeps (200 characters)");
    expect((await contactsOf(me))[0]?.company).toBeNull();
  });

  it("answers clearly for an address Kith does not know, or a phone it cannot read", async () => {
    const me = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    await mail(me, "nobody@nowhere.example title CEO");
    expect((await latest(me)).text).toContain("Kith knows no one at nobody@nowhere.example");
    await mail(me, "carol@globex-labs.com phone call me maybe");
    expect((await latest(me)).text).toContain("is not a phone number Kith can read");
    expect((await contactsOf(me))[0]?.phones).toBeNull();
  });
});

describe("merge", () => {
  it("joins two addresses into one person: interactions, notes, phones, the better facts, one check-in", async () => {
    const me = await member();
    const t0 = Date.now();
    await card(me, "Carol Diaz\nVP Sales, Globex\ncarol@globex-labs.com\n+1 415 555 0100", "Met at PyCon", t0);
    await send(eml({ From: me, To: "cdiaz <carol.diaz@gmail.com>", Bcc: KITH, Subject: "Dinner" }, "hi"), { now: t0 + 1000 });
    await mail(me, "carol.diaz@gmail.com note vegetarian", "", t0 + 2000);
    const a = await contactId(me, "carol@globex-labs.com");
    const b = await contactId(me, "carol.diaz@gmail.com");
    const checkIns = async () => env.DB.prepare("SELECT contact_id, due_at FROM reminders WHERE kind = 'check-in' AND status = 'pending' AND contact_id IN (?1, ?2)").bind(a, b).all<{ contact_id: number; due_at: number }>();
    const earlier = Math.min(...(await checkIns()).results.map((r) => r.due_at));

    expect((await mail(me, "merge carol@globex-labs.com carol.diaz@gmail.com")).outcome).toBe("applied");
    expect((await latest(me, "merge")).text).toContain("are now one person, Carol Diaz");
    const people = await contactsOf(me);
    expect(people).toHaveLength(1);
    expect(people[0]).toMatchObject({ id: a, name: "Carol Diaz", title: "VP Sales", company: "Globex", met_at: "PyCon", phones: "+14155550100" });
    expect(people[0]!.emails!.split(",").sort()).toEqual(["carol.diaz@gmail.com", "carol@globex-labs.com"]);
    expect(await count("interaction_contacts", "contact_id = ?1", a)).toBe(2);
    expect(await count("contact_notes", "contact_id = ?1", a)).toBe(1);
    const left = (await checkIns()).results;
    expect(left).toEqual([{ contact_id: a, due_at: earlier }]);
    // Search follows: the merged person is found by either address's words.
    await mail(me, "find gmail");
    expect((await latest(me, "lookup")).text).toContain("Carol Diaz");
  });

  it("changes nothing for oneself, or an address Kith does not know", async () => {
    const me = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com\n\nDan Ek\ndan@ek.example");
    const before = await contactsOf(me);
    await mail(me, "merge carol@globex-labs.com carol@globex-labs.com");
    expect((await latest(me)).text).toContain("already one person");
    await mail(me, "merge carol@globex-labs.com ghost@nowhere.example");
    expect((await latest(me)).text).toContain("Kith knows no one at ghost@nowhere.example");
    expect(await contactsOf(me)).toEqual(before);
  });

  it("never merges another user's person in", async () => {
    const me = await member();
    const other = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    await card(other, "Dan Ek\ndan@ek.example");
    await mail(me, "merge carol@globex-labs.com dan@ek.example");
    expect((await latest(me)).text).toContain("Kith knows no one at dan@ek.example");
    expect(await contactsOf(other)).toHaveLength(1);
  });
});

describe("the same person under another address", () => {
  it("is offered at capture, by name or by phone, and joined by 'merge 1' in reply", async () => {
    const me = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com\n+1 415 555 0100");
    await card(me, "Carol Díaz\ncarol.diaz@gmail.com", "Met at RoboConf");
    const confirm = await latest(me, "confirmation");
    expect(confirm.text).toContain('Carol Díaz may be the Carol Diaz you already have (carol@globex-labs.com): reply "merge 1" to join them.');
    expect(await contactsOf(me)).toHaveLength(2);
    await reply(me, confirm, "merge 1");
    expect((await latest(me, "confirmation")).text).toContain("are now one person");
    expect(await contactsOf(me)).toHaveLength(1);

    await card(me, "Cee Dee\ncd@other.example\n+1 (415) 555-0100", "Met at PyCon");
    expect((await latest(me, "confirmation")).text).toContain("Cee Dee may be the Carol Diaz you already have");
  });

  it("is never merged silently, and the weekly summary lists what is open", async () => {
    const me = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    await card(me, "Carol Diaz\ncarol.diaz@gmail.com");
    expect(await contactsOf(me)).toHaveLength(2);
    await mail(me, "summary");
    const summary = await latest(me, "weekly-summary");
    expect(summary.text).toContain("MAYBE THE SAME PERSON");
    expect(summary.text).toContain('mail "merge carol.diaz@gmail.com carol@globex-labs.com" to join them');
  });

  it("'1 not the same' keeps them apart, and the summary stops listing them", async () => {
    const me = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    await card(me, "Carol Diaz\ncarol.diaz@gmail.com");
    await reply(me, await latest(me, "confirmation"), "1 not the same");
    expect((await latest(me, "confirmation")).text).toContain("Kept Carol Diaz and Carol Diaz apart");
    expect(await contactsOf(me)).toHaveLength(2);
    await mail(me, "summary");
    expect((await latest(me, "weekly-summary")).text).not.toContain("MAYBE THE SAME PERSON");
  });

  it("a reply to a confirmation that is not a merge is read as any mail", async () => {
    const me = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    await card(me, "Carol Diaz\ncarol.diaz@gmail.com");
    await reply(me, await latest(me, "confirmation"), "Erin Wu\nerin@wu.example");
    expect((await contactsOf(me)).map((c) => c.name)).toContain("Erin Wu");
  });
});
