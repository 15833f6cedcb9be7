/** Cases the fuzzer found (test/fuzz/intake.test.ts), kept as plain tests. */
import { describe, expect, it } from "vitest";
import { eventFromSubject } from "../../src/inbound/cards/lines";
import { contactsOf, eml, send } from "../support/mail";
import { orphans } from "../support/orphans";

describe("found by fuzzing", () => {
  // Seed 1, case 3: a huge line spliced into the headers made a Subject folded over 40,000
  // spaces, and reading an event from it took 2.5 s (9 s at 80,000), and its "Re"/"Fwd"
  // prefixes 9 s at 60,000: three patterns tried every split of the run before failing
  // (src/inbound/cards/lines.ts, src/inbound/forward/words.ts). A Worker cannot stop a
  // synchronous regex, so one such mail could use up the invocation's CPU, and the
  // sender's retries again and again.
  it("reads a subject with a long run of spaces in linear time", async () => {
    // Neither a "Re:" nor "<event> contacts": each pattern fails, after trying every split.
    const subject = `Re${" ".repeat(120_000)}PyCon${" ".repeat(120_000)}notes`;
    expect(eventFromSubject(subject)).toBeUndefined();
    const started = Date.now();
    const out = await send(eml({ From: "Ann <ann.spaces@example.com>", To: "kith@kith.test", Subject: subject }, "Bob Example\nbob@example.org"));
    expect(out.outcome).toBe("applied");
    // Quadratic, this took minutes; linear, a few milliseconds (seconds on a busy machine).
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  // Seed 20261208, cases 11075 and 13036: a mailing-list mail, forwarded, named its
  // addresses in a tangle of blocks that reads as three cards. Cards that name people
  // apart, then one card with both their addresses, became two contacts holding one
  // address: the batch broke on contact_emails' key and intake threw, so the mail was
  // never stored and the sender's server retried it for nothing.
  it("stores cards that share addresses as one person", async () => {
    const me = "ivy.cards@example.com";
    const note = "Ann One\nann.one@example.org\n\nBob Two\nbob.two@example.org\n\nBob Two\nbob.two@example.org\nann.one@example.org";
    const out = await send(eml({ From: `Ivy <${me}>`, To: "kith@kith.test", Subject: "cards" }, note));
    expect(out.outcome).toBe("applied");
    expect((await contactsOf(me)).map((c) => c.emails?.split(",").sort())).toEqual([["ann.one@example.org", "bob.two@example.org"]]);
    expect(await orphans()).toEqual([]);
  });
});
