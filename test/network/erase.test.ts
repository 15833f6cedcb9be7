/** Forgetting a person and deleting an account, proved by walking every table of the
 * schema afterwards: no row names what was erased. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { contactsOf, count, eml, outbox, send, userId } from "../support/mail";
import { rowsNaming } from "../support/walk";
import { card, contactId, KITH, latest, mail, member, reply } from "./support";

/** Mail that names Carol every way Kith keeps: a card with Jane, an intro, a note, a
 * lookup, a reminder mail. */
async function carolEverywhere() {
  const me = await member();
  const t0 = Date.now();
  await card(me, "Carol Diaz\nVP Sales, Globex\ncarol@globex-labs.com\n+1 415 555 0100\n\nJane Roe\njane@roe.example", "Met at PyCon", t0);
  await send(eml({ From: me, To: "Carol Diaz <carol@globex-labs.com>, Jane Roe <jane@roe.example>", Bcc: KITH, Subject: "Carol <> Jane" }, "Carol, meet Jane! Carol is at carol@globex-labs.com."), { now: t0 + 1000 });
  await mail(me, "carol@globex-labs.com note her daughter is Mia", "", t0 + 2000);
  await mail(me, "who is carol", "", t0 + 3000);
  const carol = await contactId(me, "carol@globex-labs.com");
  const reminders = (await env.DB.prepare("SELECT id FROM reminders WHERE contact_id = ?1").bind(carol).all<{ id: number }>()).results.map((r) => r.id);
  return { me, carol, reminders, t0 };
}

describe("forget", () => {
  it("erases the person from every table, keeps Jane, and says what it erased", async () => {
    const { me, carol, reminders } = await carolEverywhere();
    expect(reminders.length).toBeGreaterThan(0);
    expect((await mail(me, "forget carol@globex-labs.com")).outcome).toBe("applied");
    const said = (await latest(me, "forget")).text;
    expect(said).toMatch(/^Forgot Carol Diaz: 1 address, 1 phone, 1 note, \d+ interactions, 1 introduction, and their reminders\./);
    // The block list keeps the address, by design; the local outbox stands for the user's
    // own mailbox (mail already delivered to them).
    expect(await rowsNaming([carol, "carol@globex-labs.com", ...reminders], ["forgotten_addresses", "outbox", "outbox_attachments"])).toEqual([]);
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Jane Roe"]);
    expect(await count("forgotten_addresses", "email = 'carol@globex-labs.com'")).toBe(1);
  });

  it("keeps her out of later mail until 'unforget'", async () => {
    const { me } = await carolEverywhere();
    await mail(me, "forget carol@globex-labs.com");
    await send(eml({ From: me, To: "Carol Diaz <carol@globex-labs.com>", Bcc: KITH, Subject: "hello again" }, "hi"));
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    expect((await latest(me, "confirmation")).text).toContain("Not saved, as you asked Kith to forget them: carol@globex-labs.com.");
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Jane Roe"]);
    await mail(me, "unforget carol@globex-labs.com");
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    expect((await contactsOf(me)).map((c) => c.name).sort()).toEqual(["Carol Diaz", "Jane Roe"]);
  });

  it("by number after a lookup, and only the user's own", async () => {
    const { me } = await carolEverywhere();
    const other = await member();
    await card(other, "Carol Diaz\ncarol@globex-labs.com");
    await reply(me, await latest(me, "lookup"), "forget 1");
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Jane Roe"]);
    expect((await contactsOf(other)).map((c) => c.name)).toEqual(["Carol Diaz"]);
  });
});

describe("delete my account", () => {
  it("asks first; 'yes' from the registered address erases every row, then a last mail says so", async () => {
    const { me } = await carolEverywhere();
    const id = await userId(me);
    const ids = [id, ...(await contactsOf(me)).map((c) => c.id)];
    expect((await mail(me, "delete my account")).outcome).toBe("applied");
    const ask = await latest(me, "confirm-delete");
    expect(ask.text).toContain('reply "yes"');
    expect(await count("users", "id = ?1", id)).toBe(1);

    expect((await reply(me, ask, "yes")).outcome).toBe("applied");
    expect(await rowsNaming([...ids, me], ["outbox", "outbox_attachments"])).toEqual([]);
    expect((await latest(me)).headers["X-Kith-Kind"]).toBe("account-deleted");

    // Mail from the address afterwards is a new sign-up.
    await mail(me, "hello again");
    expect((await latest(me)).headers["X-Kith-Kind"]).toBe("welcome");
    expect(await userId(me)).not.toBe(id);
  });

  it("erases the local outbox's copies too, every row that names the address", async () => {
    const { me } = await carolEverywhere();
    await mail(me, "delete my account");
    await reply(me, await latest(me, "confirm-delete"), "yes");
    const left = (await outbox()).filter((m) => m.to === me);
    expect(left.map((m) => m.headers["X-Kith-Kind"])).toEqual(["account-deleted"]);
  });

  it("does nothing on anything but yes, or from another address, or for another account", async () => {
    const { me } = await carolEverywhere();
    const other = await member();
    await mail(me, "delete my account");
    const ask = await latest(me, "confirm-delete");
    await reply(me, ask, "no wait");
    await reply(other, ask, "yes");
    expect(await count("users", "email = ?1", me)).toBe(1);
    expect(await count("users", "email = ?1", other)).toBe(1);
    expect(await contactsOf(me)).not.toEqual([]);
  });
});
