/** The inbound pipeline end to end over real D1: sign-up, BCC, intros, forwards,
 * notes, dedupe and idempotency. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { contactsOf, count, eml, outbox, send, signUp, userId } from "../support/mail";
import { uniq } from "../support/clock";

const KITH = "kith@kith.test";

describe("sign-up", () => {
  it("creates the user from a first mail and sends a welcome that explains Kith", async () => {
    const me = `ann-${uniq()}@example.com`;
    const out = await send(eml({ From: `Ann Example <${me}>`, To: KITH, Subject: "hi" }, "Hello!"));
    expect(out.outcome).toBe("applied");
    const mails = (await outbox()).filter((m) => m.to === me);
    expect(mails.map((m) => m.headers["X-Kith-Kind"])).toEqual(["welcome"]);
    expect(mails[0]!.text).toContain("BCC or CC");
    expect(mails[0]!.headers["Auto-Submitted"]).toBe("auto-generated");
    const stored = await env.DB.prepare("SELECT message_id FROM outbound_messages WHERE to_address = ?1").bind(me).first<{ message_id: string }>();
    expect(stored?.message_id).toBe(mails[0]!.headers["Message-ID"]);
  });

  it("rejects senders outside ALLOWED_USERS with a readable reason and stores nothing", async () => {
    const before = await count("users");
    const out = await send(eml({ From: "eve@elsewhere.org", To: KITH, Subject: "hi" }, "let me in"), {
      config: { allowedUsers: ["@example.com", "boss@corp.com"] },
    });
    expect(out).toEqual({ outcome: "rejected", reason: expect.stringContaining("eve@elsewhere.org is not registered with Kith") });
    expect(await count("users")).toBe(before);
    expect((await outbox()).some((m) => m.to === "eve@elsewhere.org")).toBe(false);
  });

  it("accepts @domain and exact entries of ALLOWED_USERS", async () => {
    const cfg = { allowedUsers: ["@example.com", "boss@corp.com"] };
    expect((await send(eml({ From: `x-${uniq()}@EXAMPLE.com`, To: KITH, Subject: "hi" }, "."), { config: cfg })).outcome).toBe("applied");
    expect((await send(eml({ From: "boss@corp.com", To: KITH, Subject: "hi" }, "."), { config: cfg })).outcome).toBe("applied");
    expect((await send(eml({ From: "staff@corp.com", To: KITH, Subject: "hi" }, "."), { config: cfg })).outcome).toBe("rejected");
  });
});

describe("BCC and intros", () => {
  it("logs an interaction with each recipient of the user's own mail", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    const out = await send(
      eml(
        { From: me, To: '"Diaz, Carol" <Carol.Diaz@Acme.com>', Cc: "bob@beta.io", Bcc: KITH, Subject: "Lunch", Date: "Tue, 3 Nov 2026 10:00:00 +0100" },
        "Great to see you both yesterday.",
      ),
    );
    expect(out).toMatchObject({ outcome: "applied", kind: "bcc" });
    const contacts = await contactsOf(me);
    expect(contacts.map((c) => [c.name, c.emails])).toEqual([
      // A bare one-word address says nothing reliable about a name.
      [null, "bob@beta.io"],
      ["Carol Diaz", "carol.diaz@acme.com"],
    ]);
    expect(contacts[1]!.last_interaction_at).toBe(Date.parse("2026-11-03T09:00:00Z"));
    const roles = await env.DB.prepare(
      `SELECT ic.role FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
       WHERE i.user_id = ?1 ORDER BY ic.role`,
    )
      .bind(await userId(me))
      .all<{ role: string }>();
    expect(roles.results.map((r) => r.role)).toEqual(["cc", "to"]);
    // BCC'd mail gets no confirmation by default.
    expect((await outbox()).filter((m) => m.to === me).map((m) => m.headers["X-Kith-Kind"])).toEqual(["welcome"]);
  });

  it("records who introduced whom", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    await send(
      eml({ From: me, To: "Bob Stone <bob@beta.io>, Carol Diaz <carol@acme.com>", Bcc: KITH, Subject: "Intro: Bob <> Carol" }, "Bob, meet Carol. Carol runs design at Acme.\n"),
    );
    const uid = await userId(me);
    const intro = await env.DB.prepare(
      `SELECT i.introducer_id, a.name AS a, b.name AS b, x.kind FROM introductions i
       JOIN contacts a ON a.id = i.contact_a_id JOIN contacts b ON b.id = i.contact_b_id
       JOIN interactions x ON x.id = i.interaction_id WHERE i.user_id = ?1`,
    )
      .bind(uid)
      .all();
    expect(intro.results).toEqual([{ introducer_id: null, a: "Bob Stone", b: "Carol Diaz", kind: "intro" }]);
  });

  it("does not take a plain group mail for an intro", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    await send(eml({ From: me, To: "bob@beta.io, carol@acme.com", Bcc: KITH, Subject: "Notes" }, "Shall we meet Tuesday to go over the notes?"));
    expect(await count("introductions", "user_id = ?1", await userId(me))).toBe(0);
  });
});

describe("dedupe", () => {
  it("applies a redelivered Message-ID once", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    const raw = eml({ From: me, To: "dan@delta.dev", Bcc: KITH, Subject: "hey", "Message-ID": `<dup-${uniq()}@example.com>` }, "hi Dan");
    expect((await send(raw)).outcome).toBe("applied");
    const uid = await userId(me);
    const snapshot = async () => [await count("contacts", "user_id = ?1", uid), await count("interactions", "user_id = ?1", uid), await count("outbound_messages", "user_id = ?1", uid)];
    const first = await snapshot();
    expect((await send(raw)).outcome).toBe("duplicate");
    expect((await send(raw)).outcome).toBe("duplicate");
    expect(await snapshot()).toEqual(first);
  });

  it("merges contacts by address case-insensitively and lets a better name win", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    await send(eml({ From: me, To: "bob.stone@beta.io", Bcc: KITH, Subject: "a" }, "x"));
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Bob Stone"]);
    await send(eml({ From: me, To: "Robert Stone <BOB.STONE@beta.io>", Bcc: KITH, Subject: "b" }, "y"));
    await send(eml({ From: me, To: "BOB.STONE@BETA.IO", Bcc: KITH, Subject: "c" }, "z"));
    const contacts = await contactsOf(me);
    expect(contacts.map((c) => [c.name, c.emails])).toEqual([["Robert Stone", "bob.stone@beta.io"]]);
    expect(await count("interactions", "user_id = ?1", await userId(me))).toBe(3);
  });

  it("keeps each user's contacts apart", async () => {
    const a = `a-${uniq()}@example.com`;
    const b = `b-${uniq()}@example.com`;
    await signUp(a);
    await signUp(b);
    await send(eml({ From: a, To: "Shared Person <shared@x.org>", Bcc: KITH, Subject: "a" }, "x"));
    await send(eml({ From: b, To: "shared@x.org", Bcc: KITH, Subject: "b" }, "y"));
    expect((await contactsOf(a)).map((c) => c.name)).toEqual(["Shared Person"]);
    expect((await contactsOf(b)).map((c) => c.name)).toEqual([null]);
  });
});

describe("notes and commands", () => {
  it("captures a business card note with the event from the subject and confirms it", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    const out = await send(
      eml({ From: me, To: KITH, Subject: "Met at PyCon" }, "Jane Smith\nCTO, Acme Corp\njane@acme.com\n+1 415 555 0100\n"),
    );
    expect(out).toMatchObject({ outcome: "applied", kind: "note" });
    expect(await contactsOf(me)).toMatchObject([
      { name: "Jane Smith", company: "Acme Corp", title: "CTO", met_at: "PyCon", emails: "jane@acme.com", phones: "+14155550100" },
    ]);
    const reply = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(reply.headers["X-Kith-Kind"]).toBe("confirmation");
    expect(reply.text).toContain("Jane Smith");
    expect(reply.headers["In-Reply-To"]).toMatch(/^<.+>$/);
  });

  it("answers an unknown command with help", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    await send(eml({ From: me, To: KITH, Subject: "frobnicate" }, "please"));
    const reply = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(reply.headers["X-Kith-Kind"]).toBe("help");
    expect(reply.text).toContain("alias you@work.com");
    expect(await count("contacts", "user_id = ?1", await userId(me))).toBe(0);
  });

  it("never makes the user or Kith a contact", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    await send(eml({ From: me, To: `${me}, ${KITH}`, Cc: "Me Again <" + me.toUpperCase() + ">", Subject: "note to self" }, "remember milk"));
    expect(await count("contacts", "user_id = ?1", await userId(me))).toBe(0);
  });
});

describe("forwards", () => {
  it("takes the original sender, recipients and date, and who introduced the user", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    const body = [
      "FYI, nice people.",
      "",
      "---------- Forwarded message ---------",
      "From: Dev Patel <dev@gamma.ai>",
      "Date: Wed, Nov 25, 2026 at 6:42 PM",
      "Subject: Intro: Ann <> Erin",
      `To: Ann <${me}>, Erin Wu <erin@gamma.ai>`,
      "",
      "Ann, meet Erin. Erin runs partnerships at Gamma.",
    ].join("\n");
    const out = await send(eml({ From: me, To: KITH, Subject: "Fwd: Intro: Ann <> Erin" }, body));
    expect(out).toMatchObject({ outcome: "applied", kind: "intro" });
    const contacts = await contactsOf(me);
    expect(contacts.map((c) => c.name)).toEqual(["Dev Patel", "Erin Wu"]);
    const [dev, erin] = contacts;
    expect(erin!.introduced_by).toBe(dev!.id);
    expect(new Date(dev!.last_interaction_at!).toISOString().slice(0, 10)).toBe("2026-11-25");
    const reply = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(reply.headers["X-Kith-Kind"]).toBe("confirmation");
    expect(reply.text).toMatch(/Dev Patel[\s\S]*Erin Wu[\s\S]*introduction is recorded/);
  });

  it("records the user's own forwarded intro as theirs", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me);
    const body = ["-----Original Message-----", `From: Me <${me}>`, "Sent: Monday, November 23, 2026 9:00 AM", "To: Bob Stone <bob@beta.io>; Carol Diaz <carol@acme.com>", "Subject: Bob <> Carol", "", "Bob, meet Carol!"].join("\n");
    await send(eml({ From: me, To: KITH, Subject: "FW: Bob <> Carol" }, body));
    const intro = await env.DB.prepare("SELECT introducer_id, contact_b_id FROM introductions WHERE user_id = ?1").bind(await userId(me)).first();
    expect(intro).toMatchObject({ introducer_id: null, contact_b_id: expect.any(Number) });
  });
});

describe("forwards that name people without addresses", () => {
  it("keeps the named people and never the user", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me, "Ann Example");
    const body = ["Worth remembering.", "", "-----Original Message-----", "From: Lena Kraus", "Sent: Tuesday, November 24, 2026 3:00 PM", "To: Ann Example", "Subject: Catch up", "", "Shall we catch up in December?"].join("\n");
    await send(eml({ From: `Ann Example <${me}>`, To: KITH, Subject: "FW: Catch up" }, body));
    expect((await contactsOf(me)).map((c) => [c.name, c.emails])).toEqual([["Lena Kraus", null]]);
  });
});
