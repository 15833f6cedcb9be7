/** Abuse: Kith cannot be made to flood anyone. One From address may send only so much an
 * hour (MAIL_PER_HOUR), which bounds the answers to a user's own mail; Kith writes to an
 * address that has not authenticated (verify mails for a forged From) only so often an
 * hour (ANSWERS_PER_HOUR); and a forgery the sender's domain disowns is refused, never
 * answered. */
import { beforeAll, describe, expect, it } from "vitest";
import { HOUR, uniq } from "../support/clock";
import { rsaSigner, sign, type Signer } from "../support/dkim-sign";
import { setTxt } from "../support/dns-records";
import { count, eml, outbox, send, signUp } from "../support/mail";

const KITH = "kith@kith.test";
const T0 = Date.parse("2027-02-01T10:00:00Z");
const mailTo = async (address: string) => (await outbox()).filter((m) => m.to === address);

describe("a flood from one address", () => {
  it("is refused past the hour's limit, with the reason, and taken again the next hour", async () => {
    const me = `flood-${uniq()}@example.com`;
    const limits = { mailPerHour: 3 };
    const note = (i: number, now: number) => send(eml({ From: me, To: KITH, Subject: `note ${i}` }, `Name: Person ${i}\nEmail: p${i}-${uniq()}@people.org`), { now, config: limits });
    for (let i = 0; i < 3; i++) expect((await note(i, T0 + i)).outcome).toBe("applied");
    expect(await note(3, T0 + 10)).toEqual({
      outcome: "rejected",
      reason: `Kith takes up to 3 messages an hour from one address, and ${me} has sent more. Send the rest in an hour.`,
    });
    expect(await count("interactions", "user_id = (SELECT id FROM users WHERE email = ?1)", me)).toBe(3);
    expect((await note(4, T0 + HOUR)).outcome).toBe("applied");
  });
});

describe("mail to an address that has not authenticated", () => {
  it("a forger using someone's address gets them a few verify mails an hour, not one per forgery", async () => {
    const victim = `victim-${uniq()}@example.com`;
    await signUp(victim);
    const limits = { senderAuth: "confirm" as const, answersPerHour: 2 };
    for (let i = 0; i < 6; i++) {
      const forged = eml({ From: victim, To: `x${i}@elsewhere.org`, Bcc: KITH, Subject: `offer ${i}` }, "Buy now.");
      expect((await send(forged, { now: T0 + i, config: limits })).outcome).toBe("held");
    }
    expect((await mailTo(victim)).filter((m) => m.headers["X-Kith-Kind"] === "verify")).toHaveLength(2);
  });

  it("a forger using many addresses gets Kith to answer them all at most UNPROVEN_PER_HOUR times an hour", async () => {
    const victims = Array.from({ length: 5 }, () => `many-${uniq()}@example.com`);
    for (const v of victims) await signUp(v);
    // An hour of its own: the caps count what went in the hour before `at`.
    const at = T0 + 100 * HOUR;
    const limits = { senderAuth: "confirm" as const, answersPerHour: 10, unprovenPerHour: 3 };
    for (const [i, v] of victims.entries()) {
      const forged = eml({ From: v, To: `x${i}@elsewhere.org`, Bcc: KITH, Subject: `offer ${i}` }, "Buy now.");
      expect((await send(forged, { now: at + i, config: limits })).outcome).toBe("held");
    }
    const verifies = (await Promise.all(victims.map(mailTo))).flat().filter((m) => m.headers["X-Kith-Kind"] === "verify");
    expect(verifies).toHaveLength(3);
    // An hour on, answers go again.
    const late = eml({ From: victims[4]!, To: "y@elsewhere.org", Bcc: KITH, Subject: "again" }, "Buy now.");
    await send(late, { now: at + 2 * HOUR, config: limits });
    expect((await mailTo(victims[4]!)).filter((m) => m.headers["X-Kith-Kind"] === "verify")).toHaveLength(1);
  });

  it("a forger's flood does not use up the user's own hour", async () => {
    const s = await rsaSigner(`own${uniq()}.example`, "k1");
    await setTxt(`k1._domainkey.${s.domain}`, s.record);
    const me = `ann@${s.domain}`;
    await signUp(me);
    const limits = { senderAuth: "confirm" as const, mailPerHour: 3 };
    for (let i = 0; i < 4; i++) await send(eml({ From: me, To: KITH, Subject: `forged ${i}` }, "x"), { now: T0 + i, config: limits });
    const own = await sign(eml({ From: me, To: "Zed <zed@zed.org>", Bcc: KITH, Subject: "hi", Date: new Date(T0).toUTCString() }, "Good to see you."), s);
    expect((await send(own, { now: T0 + 10, config: limits })).outcome).toBe("applied");
  });
});

describe("a forgery the sender's domain disowns", () => {
  let signer: Signer;
  let me: string;
  beforeAll(async () => {
    signer = await rsaSigner(`abuse${uniq()}.example`, "k1");
    await setTxt(`k1._domainkey.${signer.domain}`, signer.record);
    me = `ann@${signer.domain}`;
    await signUp(me);
  });

  it("is refused with the reason, and no mail goes to the address it forges, even under confirm", async () => {
    const before = (await mailTo(me)).length;
    const signed = await sign(eml({ From: me, To: "Zed <zed@zed.org>", Bcc: KITH, Subject: "hi", Date: new Date(T0).toUTCString() }, "Good to see you."), signer);
    const forged = signed.replace("Good to see you.", "Forward me your contacts.");
    expect(await send(forged, { now: T0, config: { senderAuth: "confirm" } })).toEqual({
      outcome: "rejected",
      reason: `Kith could not verify that this message really comes from ${me} (the body changed after ${signer.domain} signed it). Send it directly from your own mail account.`,
    });
    expect(await mailTo(me)).toHaveLength(before);
    expect(await count("held_messages", "address = ?1", me)).toBe(0);
  });
});
