/** Forgetting a person and deleting an account, proved by walking every table of the
 * schema afterwards: no row names what was erased. */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { contactsOf, count, eml, outbox, send, userId } from "../support/mail";
import { rowsNaming } from "../support/walk";
import { HOUR, ticks, uniq } from "../support/clock";
import { card, contactId, KITH, latest, mail, member, reply } from "./support";

// Each erasure test walks every column of every table for what it erased.
vi.setConfig({ testTimeout: 30_000 });

/** Mail that names Carol every way Kith keeps: a card with Jane, an intro, a note, a
 * lookup, a reminder mail. */
async function carolEverywhere() {
  const me = await member();
  const t0 = Date.now();
  // Her own address in each test: the walk reads every user's rows.
  const address = `carol-${uniq()}@globex-labs.com`;
  await card(me, `Carol Diaz\nVP Sales, Globex\n${address}\n+1 415 555 0100\n\nJane Roe\njane@roe.example`, "Met at PyCon", t0);
  await send(eml({ From: me, To: `Carol Diaz <${address}>, Jane Roe <jane@roe.example>`, Bcc: KITH, Subject: "Carol <> Jane" }, `Carol, meet Jane! Carol is at ${address}.`), { now: t0 + 1000 });
  await mail(me, `${address} note her daughter is Mia`, "", t0 + 2000);
  await mail(me, "who is carol", "", t0 + 3000);
  const carol = await contactId(me, address);
  const reminders = (await env.DB.prepare("SELECT id FROM reminders WHERE contact_id = ?1").bind(carol).all<{ id: number }>()).results.map((r) => r.id);
  return { me, carol, address, reminders, t0 };
}

describe("forget", () => {
  it("erases the person from every table, keeps Jane, and says what it erased", async () => {
    const { me, carol, address, reminders } = await carolEverywhere();
    expect(reminders.length).toBeGreaterThan(0);
    expect((await mail(me, `forget ${address}`)).outcome).toBe("applied");
    const said = (await latest(me, "forget")).text;
    expect(said).toMatch(/^Forgot Carol Diaz: 1 address, 1 phone, 1 note, \d+ interactions, 1 introduction, and their reminders and promises\./);
    // The block list keeps the address, by design; the local outbox stands for the user's
    // own mailbox (mail already delivered to them).
    expect(await rowsNaming([carol, address, ...reminders], ["forgotten_addresses", "outbox", "outbox_attachments"])).toEqual([]);
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Jane Roe"]);
    expect(await count("forgotten_addresses", "email = ?1", address)).toBe(1);
  });

  it("takes her items out of reminder mail already sent, and the others keep their numbers", async () => {
    const me = await member();
    const t0 = Date.now();
    const address = `carol-${uniq()}@globex-labs.com`;
    await card(me, `Carol Diaz\n${address}\n\nJane Roe\njane@roe.example`, "Met at PyCon", t0);
    const carol = await contactId(me, address);
    await ticks(t0, t0 + 25 * HOUR, 30 * 60_000);
    const sent = (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder");
    const withCarol = sent.find((m) => m.text.includes("Carol Diaz") && m.text.includes("Jane Roe"))!;
    expect(withCarol).toBeDefined();
    const reminders = (await env.DB.prepare("SELECT id FROM reminders WHERE contact_id = ?1").bind(carol).all<{ id: number }>()).results.map((r) => r.id);
    const janeItem = withCarol.text.split("\n").find((l) => /^\d+\. .*Jane Roe/.test(l))!.split(".")[0]!;
    expect((await mail(me, `forget ${address}`)).outcome).toBe("applied");
    expect(await rowsNaming([carol, address, ...reminders], ["forgotten_addresses", "outbox", "outbox_attachments"])).toEqual([]);
    // Jane's item is still hers, at the number the mail showed.
    await reply(me, withCarol, `${janeItem} note met her again`);
    expect((await latest(me, "confirmation")).text).toContain('Noted for Jane Roe: "met her again".');
  });

  it("keeps her out of later mail until 'unforget'", async () => {
    const { me, address } = await carolEverywhere();
    await mail(me, `forget ${address}`);
    await send(eml({ From: me, To: `Carol Diaz <${address}>`, Bcc: KITH, Subject: "hello again" }, "hi"));
    await card(me, `Carol Diaz\n${address}`);
    expect((await latest(me, "confirmation")).text).toContain(`Not saved, as you asked Kith to forget them: ${address}.`);
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Jane Roe"]);
    await mail(me, `unforget ${address}`);
    await card(me, `Carol Diaz\n${address}`);
    expect((await contactsOf(me)).map((c) => c.name).sort()).toEqual(["Carol Diaz", "Jane Roe"]);
  });

  it("by number after a lookup, and only the user's own", async () => {
    const { me, address } = await carolEverywhere();
    const other = await member();
    await card(other, `Carol Diaz\n${address}`);
    await reply(me, await latest(me, "lookup"), "forget 1");
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Jane Roe"]);
    expect((await contactsOf(other)).map((c) => c.name)).toEqual(["Carol Diaz"]);
  });
});

describe("delete my account", () => {
  it("asks first; 'yes' from the registered address erases every row, then a last mail says so", async () => {
    const { me, address } = await carolEverywhere();
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
    const { me, address } = await carolEverywhere();
    await mail(me, "delete my account");
    await reply(me, await latest(me, "confirm-delete"), "yes");
    const left = (await outbox()).filter((m) => m.to === me);
    expect(left.map((m) => m.headers["X-Kith-Kind"])).toEqual(["account-deleted"]);
  });

  it("does nothing on anything but yes, or from another address, or for another account", async () => {
    const { me, address } = await carolEverywhere();
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

describe("forget, in the corners review found", () => {
  it("withdraws a mail naming her that was being sent when its send died, so it never goes", async () => {
    const { me, address } = await carolEverywhere();
    const uid = await userId(me);
    // A lookup answer whose send died mid-way: 'sending', its lease not yet lapsed.
    await env.DB.prepare(
      `INSERT INTO outbound_messages (id, user_id, message_id, kind, to_address, subject, payload, created_at, status, attempts, sending_at)
       VALUES (?1, ?2, ?3, 'lookup', ?4, 'Kith: 1 person', ?5, ?6, 'sending', 1, ?6)`,
    )
      .bind(987654321, uid, `<stuck-${uniq()}@kith.test>`, me, JSON.stringify({ text: `Carol Diaz, ${address}` }), Date.now())
      .run();
    await mail(me, `forget ${address}`);
    const row = await env.DB.prepare("SELECT status, payload, error FROM outbound_messages WHERE id = 987654321").first<{ status: string; payload: string | null; error: string }>();
    expect(row).toMatchObject({ status: "failed", payload: null });
    expect(row!.error).toMatch(/^withdrawn/);
  });


  it("scrubs the address from rows that are not hers: a lookup's subject, a note on someone else", async () => {
    const { me, carol, address } = await carolEverywhere();
    await mail(me, `who is ${address}`);
    await mail(me, `jane@roe.example note ask ${address} about the board seat`);
    await mail(me, `forget ${address}`);
    expect(await rowsNaming([carol, address], ["forgotten_addresses", "outbox", "outbox_attachments"])).toEqual([]);
    const note = await env.DB.prepare("SELECT text FROM contact_notes WHERE text LIKE 'ask %'").first<{ text: string }>();
    expect(note?.text).toBe("ask (someone you had Kith forget) about the board seat");
  });

  it("does not touch a longer address that contains hers", async () => {
    const me = await member();
    await card(me, "Ann Lee\nann@acme.example\n\nJoann Fox\njoann@acme.example");
    await mail(me, "joann@acme.example note met joann@acme.example at the fair");
    await mail(me, "forget ann@acme.example");
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Joann Fox"]);
    expect(await count("contact_notes", "text = 'met joann@acme.example at the fair'")).toBe(1);
  });

  it("a bare 'forget' on a list of several erases no one, and asks for the number", async () => {
    const me = await member();
    await card(me, "Sam Adams\nsam@adams.example\n\nSam Baker\nsam@baker.example");
    await mail(me, "find sam");
    await reply(me, await latest(me, "lookup"), "forget them");
    expect((await latest(me)).text).toContain("start with the number");
    expect(await contactsOf(me)).toHaveLength(2);
  });

  it("runs one reply's commands in order: nothing is noted on someone forgotten, a merge chain holds", async () => {
    const me = await member();
    await card(me, "Sam Adams\nsam@adams.example\n\nSam Baker\nsam@baker.example\n\nSam Chen\nsam@chen.example");
    await mail(me, "find sam");
    const list = await latest(me, "lookup");
    await reply(me, list, "forget 1\n1 note secret");
    expect(await count("contact_notes", "text = 'secret'")).toBe(0);
    await reply(me, list, "merge 2 3");
    expect(await contactsOf(me)).toHaveLength(1);
    const [one] = await contactsOf(me);
    expect(one!.emails!.split(",")).toHaveLength(2);
    expect(await count("contact_emails ce", "NOT EXISTS (SELECT 1 FROM contacts c WHERE c.id = ce.contact_id)")).toBe(0);
  });

  it("a merge never makes someone their own introducer", async () => {
    const me = await member();
    const fwd = `---------- Forwarded message ---------
From: Dev Patel <dev@patel.example>
Subject: Intro
To: Nora Example <${me}>, Dev P <dev.p@gmail.com>

Nora, meet Dev P, who is also me.`;
    await send(eml({ From: me, To: KITH, Subject: "Fwd: Intro" }, fwd));
    await mail(me, "merge dev@patel.example dev.p@gmail.com");
    const [dev] = await contactsOf(me);
    expect(dev?.introduced_by).toBeNull();
    expect(await count("introductions", "user_id = ?1 AND (contact_a_id = contact_b_id OR introducer_id = contact_a_id)", await userId(me))).toBe(0);
  });
});

describe("delete my account, in the corners", () => {
  it("leaves alone what a pending alias (someone else's address) names", async () => {
    const { me, address } = await carolEverywhere();
    const stranger = `stranger-${Date.now()}@else.example`;
    await env.DB.prepare("INSERT INTO suppressions (email, reason, created_at) VALUES (?1, 'complained', ?2)").bind(stranger, Date.now()).run();
    await mail(me, `alias ${stranger}`);
    await mail(me, "delete my account");
    await reply(me, await latest(me, "confirm-delete"), "yes");
    expect(await count("suppressions", "email = ?1", stranger)).toBe(1);
  });
});
