/** SENDER_AUTH through the pipeline: a trusted DMARC pass applies, anything else is
 * held (confirm), rejected (strict) or trusted (off), with real header shapes. Most of
 * these read the receiver's stamp, so they run with TRUST_RECEIVER_STAMP=on; Kith's own
 * DKIM check is tested in dkim.test.ts and dkim-pipeline.test.ts. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { contactsOf, count, eml, outbox, send, signUp } from "../support/mail";
import { uniq } from "../support/clock";

const KITH = "kith@kith.test";

/** What Cloudflare Email Routing prepends to a mail it received. */
function cloudflare(domain: string, dmarc: "pass" | "fail" | "none"): Record<string, string> {
  const results = `mx.cloudflare.net; dkim=${dmarc === "pass" ? "pass" : "none"} header.d=${domain} header.s=s1 header.b=Xk3fQ9pL; dmarc=${dmarc} header.from=${domain} policy.dmarc=reject; spf=pass (mx.cloudflare.net: domain of x@${domain} designates 198.51.100.7 as permitted sender) smtp.mailfrom=x@${domain}; arc=none smtp.remote-ip=198.51.100.7`;
  return {
    Received: `from mail.${domain} (198.51.100.7) by cloudflare-email.net (cloudflare) id 7Qm2LpZrKx4T for <${KITH}>; Tue, 24 Nov 2026 09:14:03 +0000`,
    "ARC-Authentication-Results": `i=1; ${results}`,
    "Authentication-Results": results,
    "X-CF-SpamH-Score": "1",
  };
}

async function member(auth: "confirm" | "strict") {
  const domain = `d${uniq()}.example`;
  const me = `ann@${domain}`;
  await signUp(me);
  return { me, domain, cfg: { config: { senderAuth: auth, trustReceiverStamp: true } } } as const;
}

describe("TRUST_RECEIVER_STAMP=off (the default)", () => {
  it("holds mail whose only pass is a Cloudflare Authentication-Results, which anyone can write", async () => {
    const { me, domain } = await member("confirm");
    expect(env.TRUST_RECEIVER_STAMP).toBe("off");
    const out = await send(eml({ ...cloudflare(domain, "pass"), From: me, To: "zoe@zeta.org", Bcc: KITH, Subject: "hi" }, "hello"), { config: { senderAuth: "confirm" } });
    expect(out.outcome).toBe("held");
  });
});

describe("SENDER_AUTH=confirm", () => {
  it("applies mail with a DMARC pass from mx.cloudflare.net", async () => {
    const { me, domain, cfg } = await member("confirm");
    const out = await send(eml({ ...cloudflare(domain, "pass"), From: me, To: "zoe@zeta.org", Bcc: KITH, Subject: "hi" }, "hello"), cfg);
    expect(out.outcome).toBe("applied");
  });

  it("holds unverified mail, asks the user, and applies it on a reply of yes", async () => {
    const { me, cfg } = await member("confirm");
    const original = eml({ From: me, To: "Zoe Zeta <zoe@zeta.org>", Bcc: KITH, Subject: "catch up" }, "hello");
    expect((await send(original, cfg)).outcome).toBe("held");
    expect(await contactsOf(me)).toEqual([]);
    const verify = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(verify.headers["X-Kith-Kind"]).toBe("verify");
    expect(verify.text).toContain('reply "yes"');
    // Redelivery of the held mail asks nothing new.
    expect((await send(original, cfg)).outcome).toBe("duplicate");

    const yes = eml({ From: me, To: KITH, Subject: `Re: ${verify.subject}`, "In-Reply-To": verify.headers["Message-ID"]! }, "Yes\n\nOn Tue, Kith wrote:\n> did you send it?");
    expect((await send(yes, cfg)).outcome).toBe("applied");
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Zoe Zeta"]);
    // A second yes changes nothing.
    expect((await send(eml({ From: me, To: KITH, Subject: "Re", "In-Reply-To": verify.headers["Message-ID"]! }, "yes"), cfg)).outcome).toBe("duplicate");
    expect(await contactsOf(me)).toHaveLength(1);
  });

  it("ignores a forged pass from an untrusted server and a pass for another domain", async () => {
    const { me, cfg } = await member("confirm");
    const forged = { "Authentication-Results": "mx.google.com; dmarc=pass header.from=" + me.split("@")[1] };
    expect((await send(eml({ ...forged, From: me, To: "a@b.org", Bcc: KITH, Subject: "x" }, "x"), cfg)).outcome).toBe("held");
    const other = cloudflare("evil.example", "pass");
    expect((await send(eml({ ...other, From: me, To: "a@b.org", Bcc: KITH, Subject: "y" }, "y"), cfg)).outcome).toBe("held");
  });

  it("holds a first mail from a new address and creates the user only on yes", async () => {
    const me = `new-${uniq()}@example.net`;
    const cfg = { config: { senderAuth: "confirm" as const } };
    const before = await count("users");
    expect((await send(eml({ From: me, To: KITH, Subject: "Met at PyCon" }, "Name: Ida Ives\nEmail: ida@ives.io"), cfg)).outcome).toBe("held");
    expect(await count("users")).toBe(before);
    const verify = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(verify.headers["X-Kith-Kind"]).toBe("verify");
    await send(eml({ From: me, To: KITH, Subject: "Re: verify", "In-Reply-To": verify.headers["Message-ID"]! }, "yes"), cfg);
    expect(await count("users")).toBe(before + 1);
    expect((await contactsOf(me)).map((c) => [c.name, c.met_at])).toEqual([["Ida Ives", "PyCon"]]);
    expect((await outbox()).filter((m) => m.to === me).map((m) => m.headers["X-Kith-Kind"])).toEqual(["verify", "welcome", "confirmation"]);
  });

  it("applies a held mail through the signed link: GET asks, only POST acts", async () => {
    const { me, cfg } = await member("confirm");
    await send(eml({ From: me, To: "Yan Yu <yan@yu.org>", Bcc: KITH, Subject: "z" }, "z"), cfg);
    const verify = (await outbox()).filter((m) => m.to === me).at(-1)!;
    const link = /https:\/\/kith\.test(\/a\/\S+)/.exec(verify.text)![1]!;
    const get = await exports.default.fetch(`https://kith.test${link}`);
    expect(get.status).toBe(200);
    expect(await get.text()).toContain('<form method="post">');
    expect(await contactsOf(me)).toEqual([]);
    const post = await exports.default.fetch(`https://kith.test${link}`, { method: "POST" });
    expect(await post.text()).toContain("Kith applied your mail");
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Yan Yu"]);
    const again = await exports.default.fetch(`https://kith.test${link}`, { method: "POST" });
    expect(await again.text()).toContain("Nothing to do");
    const tampered = await exports.default.fetch(`https://kith.test${link.slice(0, -2)}xx`, { method: "POST" });
    expect(tampered.status).toBe(400);
  });

  it("does not let another user's reply confirm a held mail", async () => {
    const { me, cfg } = await member("confirm");
    const other = await member("confirm");
    await send(eml({ From: me, To: "q@q.org", Bcc: KITH, Subject: "q" }, "q"), cfg);
    const verify = (await outbox()).filter((m) => m.to === me).at(-1)!;
    const hijack = eml({ ...cloudflare(other.domain, "pass"), From: other.me, To: KITH, Subject: "Re", "In-Reply-To": verify.headers["Message-ID"]! }, "yes");
    await send(hijack, cfg);
    expect(await contactsOf(me)).toEqual([]);
  });
});

describe("SENDER_AUTH=strict and off", () => {
  it("strict rejects unverified mail with the reason and stores nothing", async () => {
    const { me, cfg } = await member("strict");
    const out = await send(eml({ ...cloudflare(me.split("@")[1]!, "fail"), From: me, To: "a@b.org", Bcc: KITH, Subject: "x" }, "x"), cfg);
    expect(out).toEqual({ outcome: "rejected", reason: expect.stringMatching(/could not verify .*\(DMARC fail for/) });
    expect(await contactsOf(me)).toEqual([]);
  });

  it("off (local development) trusts the From header", async () => {
    const me = `dev-${uniq()}@example.com`;
    await signUp(me);
    expect(env.SENDER_AUTH).toBe("off");
    expect((await send(eml({ From: me, To: "a@b.org", Bcc: KITH, Subject: "x" }, "x"))).outcome).toBe("applied");
  });
});

describe("held mail, confirmed", () => {
  it("survives an over-long subject and is applied once", async () => {
    const { me, cfg } = await member("confirm");
    const subject = "x".repeat(700);
    expect((await send(eml({ From: me, To: "Long Subject <ls@long.org>", Bcc: KITH, Subject: subject }, "hi"), cfg)).outcome).toBe("held");
    const verify = (await outbox()).filter((m) => m.to === me).at(-1)!;
    const yes = eml({ From: me, To: KITH, Subject: "Re", "In-Reply-To": verify.headers["Message-ID"]! }, "yes");
    expect((await send(yes, cfg)).outcome).toBe("applied");
    expect((await contactsOf(me)).map((c) => c.name)).toEqual(["Long Subject"]);
    expect((await send(yes, cfg)).outcome).toBe("duplicate");
  });
});
