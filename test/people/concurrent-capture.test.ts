import { describe, expect, it } from "vitest";
import { contactsOf, eml, send, signUp } from "../support/mail";

/** Two of a user's mails that name the same new person, handled at the same moment (Email
 * Routing runs them in parallel): one person, both mails recorded. */
describe("concurrent mails naming one new person", () => {
  it("make one contact with the address, not a second record without it", async () => {
    const me = "conc.ann@example.com";
    await signUp(me);
    const note = (subject: string) => eml({ From: `Ann <${me}>`, To: "kith@kith.test", Subject: subject, Date: new Date().toUTCString() }, "Jane Smith\nCTO, Acme Corp\njane@acme.example");
    const outcomes = await Promise.all([send(note("Met at PyCon")), send(note("Met her again")), send(note("And once more"))]);
    expect(outcomes.map((o) => o.outcome)).toEqual(["applied", "applied", "applied"]);
    expect((await contactsOf(me)).map((c) => [c.name, c.emails])).toEqual([["Jane Smith", "jane@acme.example"]]);
  });
});
