/** "alias me@work.com": another address of the user's, confirmed from that mailbox. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { contactsOf, count, eml, outbox, send, signUp } from "../support/mail";
import { uniq } from "../support/clock";

const KITH = "kith@kith.test";

async function requestAlias() {
  const me = `me-${uniq()}@home.example`;
  const work = `me-${uniq()}@work.example`;
  await signUp(me);
  await send(eml({ From: me, To: KITH, Subject: `alias ${work}` }, ""));
  const confirm = (await outbox()).filter((m) => m.to === work).at(-1)!;
  return { me, work, confirm };
}

describe("aliases", () => {
  it("asks the new address to confirm and tells the user", async () => {
    const { me, work, confirm } = await requestAlias();
    expect(confirm.headers["X-Kith-Kind"]).toBe("alias-confirm");
    expect(confirm.text).toContain(me);
    const told = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(told.text).toContain(`sent a confirmation to ${work}`);
    // Until confirmed, mail from the alias is not the user's (and sign-up is open in tests).
    expect(await count("user_addresses", "email = ?1 AND status = 'pending'", work)).toBe(1);
  });

  it("makes mail from the alias the user's once the alias replies yes, and never a contact", async () => {
    const { me, work, confirm } = await requestAlias();
    const yes = eml({ From: work, To: KITH, Subject: `Re: ${confirm.subject}`, "In-Reply-To": confirm.headers["Message-ID"]!, References: confirm.headers["Message-ID"]! }, "yes\n\n> Kith wrote");
    expect((await send(yes)).outcome).toBe("applied");
    expect((await outbox()).filter((m) => m.to === me).at(-1)!.subject).toBe("Kith: address confirmed");
    // Mail from the alias, copying the primary address: both are the user's own.
    await send(eml({ From: work, To: `Vic Vale <vic@vale.org>, ${me}`, Cc: me, Bcc: KITH, Subject: "hello" }, "hi"));
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Vic Vale"]);
  });

  it("confirms through the one-click link only on POST", async () => {
    const { me, work, confirm } = await requestAlias();
    const link = /https:\/\/kith\.test(\/a\/\S+)/.exec(confirm.text)![1]!;
    await exports.default.fetch(`https://kith.test${link}`);
    expect(await count("user_addresses", "email = ?1 AND status = 'confirmed'", work)).toBe(0);
    const res = await exports.default.fetch(`https://kith.test${link}`, { method: "POST" });
    expect(await res.text()).toContain("now yours");
    expect(await count("user_addresses", "email = ?1 AND status = 'confirmed'", work)).toBe(1);
    expect(me).not.toBe(work);
  });

  it("refuses an address that belongs to another user", async () => {
    const a = `a-${uniq()}@example.com`;
    const b = `b-${uniq()}@example.com`;
    await signUp(a);
    await signUp(b);
    await send(eml({ From: a, To: KITH, Subject: `alias ${b}` }, ""));
    expect((await outbox()).filter((m) => m.to === a).at(-1)!.text).toContain("belongs to another Kith account");
    expect((await outbox()).some((m) => m.to === b && m.headers["X-Kith-Kind"] === "alias-confirm")).toBe(false);
  });

  it("lists and removes aliases", async () => {
    const { me, work, confirm } = await requestAlias();
    await send(eml({ From: work, To: KITH, Subject: "Re", "In-Reply-To": confirm.headers["Message-ID"]! }, "yes"));
    await send(eml({ From: me, To: KITH, Subject: "aliases" }, ""));
    expect((await outbox()).filter((m) => m.to === me).at(-1)!.text).toContain(`${work}\n`);
    await send(eml({ From: me, To: KITH, Subject: `unalias ${work}` }, ""));
    expect(await count("user_addresses", "email = ?1", work)).toBe(0);
  });
});

describe("a pending alias", () => {
  it("is not a user of its own until confirmed: its mail is refused with the reason", async () => {
    const { work } = await requestAlias();
    const out = await send(eml({ From: work, To: KITH, Subject: "hello" }, "hi"));
    expect(out).toEqual({ outcome: "rejected", reason: expect.stringContaining("waiting to be confirmed") });
    expect(await count("users", "email = ?1", work)).toBe(0);
  });
});

describe("a pending alias nobody confirms", () => {
  it("stops holding the address after a week: its owner can then sign up", async () => {
    const { work } = await requestAlias();
    const later = Date.now() + 8 * 86400_000;
    const out = await send(eml({ From: work, To: KITH, Subject: "hello" }, "hi"), { now: later });
    expect(out.outcome).toBe("applied");
    expect(await count("users", "email = ?1", work)).toBe(1);
    expect(await count("user_addresses", "email = ?1 AND status = 'confirmed'", work)).toBe(1);
  });
});
