/** "who is", "find", "people met at", "introduced by": through email() with real D1 and
 * its full-text index; and what a reply to a lookup does to the people it numbers. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { contactsOf, count, eml, send } from "../support/mail";
import { card, contactId, KITH, latest, mail, member, reply } from "./support";

async function network(): Promise<string> {
  const me = await member();
  await card(me, "Carol Diaz\nVP Sales, Globex Robotics\ncarol@globex-labs.com\n+1 415 555 0100");
  await card(me, "Jürgen Müller\nCTO, Acme Robotics\njurgen@acme.example\nBoston", "Met at RoboConf");
  await card(me, "Bob Lee\nbob@lee.example", "Met at PyCon");
  return me;
}

describe("lookup", () => {
  it("'who is carol' answers with her facts, how they met, and what comes next", async () => {
    const me = await network();
    await mail(me, "Catch up, Carol", "");
    await send(eml({ From: me, To: "Carol Diaz <carol@globex-labs.com>", Bcc: KITH, Subject: "Lunch next week?" }, "Hi Carol, lunch?"));
    const id = await contactId(me, "carol@globex-labs.com");
    await env.DB.prepare("INSERT INTO contact_notes (id, user_id, contact_id, text, created_at) SELECT ?1, user_id, id, 'sails on weekends', ?2 FROM contacts WHERE id = ?3")
      .bind(Date.now() % 1e12, Date.now(), id)
      .run();
    expect((await mail(me, "who is carol")).outcome).toBe("applied");
    const m = await latest(me, "lookup");
    expect(m.subject).toBe('Kith: 1 person for "carol"');
    expect(m.text).toContain("Carol Diaz, VP Sales at Globex Robotics");
    expect(m.text).toContain("carol@globex-labs.com · +1 415 555 0100");
    expect(m.text).toMatch(/Met at PyCon since \w{3} \d+/);
    expect(m.text).toContain('you wrote "Lunch next week?"');
    expect(m.text).toContain("sails on weekends");
    expect(m.text).toMatch(/Next: check-in on \w{3} \d+/);
    expect(m.headers["Reply-To"]).toMatch(/^kith\+r/);
  });

  it("is forgiving: accents, case, partial names, company, event, several words, an address", async () => {
    const me = await network();
    const ask = async (q: string) => {
      await mail(me, q);
      return (await latest(me, "lookup")).text;
    };
    expect(await ask("who is jurgen")).toContain("Jürgen Müller");
    expect(await ask("WHO IS MULLER")).toContain("Jürgen Müller");
    expect(await ask("who is car")).toContain("Carol Diaz");
    expect(await ask("find acme")).toContain("Jürgen Müller");
    const both = await ask("find robotics");
    expect(both).toContain("Carol Diaz");
    expect(both).toContain("Jürgen Müller");
    expect(await ask("find robotics boston")).not.toContain("Carol Diaz");
    expect(await ask("people met at roboconf")).toContain("Jürgen Müller");
    expect(await ask("who is carol@globex-labs.com")).toContain("Carol Diaz");
  });

  it("numbers at most ten, best first, and says how many more", async () => {
    const me = await member();
    const surnames = ["Adams", "Baker", "Clark", "Davis", "Evans", "Frost", "Green", "Hill", "Irwin", "Jones", "King", "Lopez", "Moore", "Nash"];
    await card(me, surnames.map((s, i) => `Sam ${s}\nsam${i}@many.example`).join("\n\n"));
    await mail(me, "find sam");
    const m = await latest(me, "lookup");
    expect(m.subject).toBe('Kith: 14 people for "sam"');
    expect(m.text.match(/^\d+\. Sam/gm), m.text).toHaveLength(10);
    expect(m.text).toContain("and 4 more");
    expect(await count("listed_contacts", "outbound_id = (SELECT id FROM outbound_messages WHERE message_id = ?1)", m.headers["Message-ID"])).toBe(10);
  });

  it("finds who someone introduced", async () => {
    const me = await member();
    const fwd = `---------- Forwarded message ---------
From: Dev Patel <dev@patel.example>
Date: Mon, 2 Nov 2026 at 10:00
Subject: Intro: Nora <> Erin
To: Nora Example <${me}>, Erin Wu <erin@wu.example>

Nora, meet Erin: she runs warehouse robotics at Wu Logistics.`;
    await send(eml({ From: me, To: KITH, Subject: "Fwd: Intro: Nora <> Erin" }, fwd));
    await mail(me, "introduced by Dev");
    expect((await latest(me, "lookup")).text).toContain("Erin Wu");
  });

  it("says when no one matches, with the closest names, and helps an empty 'who is'", async () => {
    const me = await network();
    await mail(me, "who is carl");
    const none = await latest(me, "lookup");
    expect(none.subject).toBe('Kith: no one for "carl"');
    expect(none.text).toContain("Closest names: Carol Diaz");
    await mail(me, "who is");
    expect((await latest(me, "help")).text).toContain('"who is carol"');
  });

  it("never shows another user's people", async () => {
    const me = await network();
    const other = await member();
    await mail(other, "who is carol");
    expect((await latest(other, "lookup")).subject).toBe('Kith: no one for "carol"');
    await mail(me, "who is carol");
    expect((await latest(me, "lookup")).subject).toBe('Kith: 1 person for "carol"');
  });

  it("a forwarded 'Who is…' subject is a forward, and 'Find attached' a note", async () => {
    const me = await member();
    await send(eml({ From: me, To: KITH, Subject: "Fwd: Who is the right person?" }, "---------- Forwarded message ---------\nFrom: Ann Bee <ann@bee.example>\nSubject: Who is the right person?\nTo: Nora <${me}>\n\nHi"));
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Ann Bee"]);
    await send(eml({ From: me, To: KITH, Subject: "Find attached my notes from the fair" }, "Zed Zee\nzed@zee.example"));
    expect((await contactsOf(me)).map((c) => c.name)).toContain("Zed Zee");
  });
});

describe("a reply to a lookup", () => {
  async function looked(q = "find robotics") {
    const me = await network();
    await mail(me, q);
    return { me, m: await latest(me, "lookup") };
  }
  const facts = async (me: string, email: string) => (await contactsOf(me)).find((c) => c.emails?.split(",").includes(email));

  it("corrects facts by number, and a later capture does not undo them", async () => {
    const { me, m } = await looked();
    const carolNo = m.text.includes("1. Carol") ? 1 : 2;
    await reply(me, m, `${carolNo} title VP Operations\n${carolNo} company Globex\n${carolNo} name Carol Díaz-Smith\n${carolNo} phone +44 20 7946 0000`);
    expect((await latest(me, "confirmation")).text).toContain('title is now "VP Operations"');
    const carol = await facts(me, "carol@globex-labs.com");
    expect(carol).toMatchObject({ title: "VP Operations", company: "Globex", name: "Carol Díaz-Smith" });
    expect(carol?.phones?.split(",").sort()).toEqual(["+14155550100", "+442079460000"]);
    // A card and a display name later bring other facts: the hand-set ones stay.
    await card(me, "Carol Diaz\nHead of Sales, Initech\ncarol@globex-labs.com");
    await send(eml({ From: me, To: "Carrie D <carol@globex-labs.com>", Bcc: KITH, Subject: "hi" }, "hello"));
    expect(await facts(me, "carol@globex-labs.com")).toMatchObject({ title: "VP Operations", company: "Globex", name: "Carol Díaz-Smith" });
  });

  it("sets a cadence, keeps a note, stops check-ins", async () => {
    const { me, m } = await looked();
    await reply(me, m, "1 every 2 months\n2 note met her at the robotics dinner\n\n1 stop");
    const text = (await latest(me, "confirmation")).text;
    expect(text).toContain("every 60 days");
    expect(text).toContain("Noted for");
    expect(text).toContain("No more check-ins with");
    expect(await count("contact_notes", "text = 'met her at the robotics dinner'")).toBe(1);
  });

  it("merges two numbers into one person, and forgets by number", async () => {
    const { me, m } = await looked();
    await reply(me, m, "merge 1 2");
    expect((await latest(me, "confirmation")).text).toContain("are now one person");
    const people = await contactsOf(me);
    expect(people.filter((c) => c.emails?.includes("carol@globex-labs.com") && c.emails?.includes("jurgen@acme.example"))).toHaveLength(1);
    await mail(me, "who is bob");
    await reply(me, await latest(me, "lookup"), "forget 1");
    expect((await latest(me, "confirmation")).text).toContain("Forgot Bob Lee");
    expect((await contactsOf(me)).some((c) => c.name === "Bob Lee")).toBe(false);
  });

  it("takes commands by address too, and a new question", async () => {
    const { me, m } = await looked();
    await reply(me, m, "forget bob@lee.example");
    expect((await latest(me, "forget")).text).toContain("Forgot Bob Lee");
    await reply(me, m, "who is jurgen");
    expect((await latest(me, "lookup")).text).toContain("Jürgen Müller");
  });

  it("refuses a number the lookup did not list, and changes nothing", async () => {
    const { me, m } = await looked();
    await reply(me, m, "7 title CEO");
    expect((await latest(me, "help")).text).toContain("There is no item 7");
    expect((await contactsOf(me)).some((c) => c.title === "CEO")).toBe(false);
  });

  it("acts only for the user the lookup was for", async () => {
    const { me, m } = await looked();
    const other = await member();
    await reply(other, m, "1 title Stolen");
    expect((await contactsOf(me)).some((c) => c.title === "Stolen")).toBe(false);
  });
});
