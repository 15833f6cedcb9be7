/** Kith's own DKIM check through the inbound pipeline (SENDER_AUTH confirm and strict),
 * over the loopback DoH resolver, and the receiver's stamp behind TRUST_RECEIVER_STAMP. */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { parseMail } from "../../src/inbound/mime/parse";
import { MAX_SIGNATURES } from "../../src/inbound/sender/dkim";
import { dohLookup, type TxtLookup } from "../../src/inbound/sender/dns";
import { senderTrust } from "../../src/inbound/sender/trust";
import { uniq } from "../support/clock";
import { corpusBytes, corpusFiles } from "../support/corpus";
import { ed25519Signer, rsaSigner, sign, type Signer } from "../support/dkim-sign";
import { setDns, setTxt } from "../support/dns-records";
import { config, contactsOf, count, eml, send, signUp } from "../support/mail";

const KITH = "kith@kith.test";
const confirm = { config: { senderAuth: "confirm" as const } };
const strict = { config: { senderAuth: "strict" as const } };

let signer: Signer;
let me: string;
beforeAll(async () => {
  signer = await rsaSigner(`p${uniq()}.example`, "k1");
  await setTxt(`k1._domainkey.${signer.domain}`, signer.record);
  me = `ann@${signer.domain}`;
  await signUp(me);
});

const bcc = (from: string, to: string, extra: Record<string, string> = {}) =>
  eml({ ...extra, From: from, To: to, Bcc: KITH, Subject: "catch up", Date: new Date().toUTCString() }, "Good to see you.");

/** What Cloudflare Email Routing prepends, or what a sender writes to look like it. */
const stamp = (domain: string) => ({ "Authentication-Results": `mx.cloudflare.net; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}` });

describe("SENDER_AUTH=confirm with Kith's own check", () => {
  it("applies a BCC whose DKIM signature verifies for the From domain, with no Authentication-Results at all", async () => {
    const out = await send(await sign(bcc(me, "Zoe Zeta <zoe@zeta.org>"), signer), confirm);
    expect(out.outcome).toBe("applied");
    expect((await contactsOf(me)).map((c) => c.name)).toContain("Zoe Zeta");
  });

  it("signs up a new sender whose mail verifies, without asking for a yes", async () => {
    const s = await ed25519Signer(`n${uniq()}.example`, "s1");
    await setTxt(`s1._domainkey.${s.domain}`, s.record);
    const before = await count("users");
    const out = await send(await sign(eml({ From: `ida@${s.domain}`, To: KITH, Subject: "hello" }, "Hi Kith"), s), confirm);
    expect(out.outcome).toBe("applied");
    expect(await count("users")).toBe(before + 1);
  });

  it("holds an unsigned mail carrying a Cloudflare-looking pass, since the receiver's stamp is not trusted by default", async () => {
    const out = await send(bcc(me, "Yan Yu <yan@yu.org>", stamp(signer.domain)), confirm);
    expect(out.outcome).toBe("held");
    expect((await contactsOf(me)).map((c) => c.name)).not.toContain("Yan Yu");
  });

  it("holds a mail when the key look-up times out: a temperror is never a pass", async () => {
    const s = await ed25519Signer(`t${uniq()}.example`, "slow");
    await setDns({ name: `slow._domainkey.${s.domain}`, txt: [s.record], delayMs: 4000 });
    await signUp(`ann@${s.domain}`);
    const out = await send(await sign(bcc(`ann@${s.domain}`, "Uma Ude <uma@ude.org>"), s), confirm);
    expect(out.outcome).toBe("held");
    expect(await contactsOf(`ann@${s.domain}`)).toEqual([]);
  });
});

describe("SENDER_AUTH=strict with Kith's own check", () => {
  it("rejects a mail whose body changed after the From domain signed it, saying so", async () => {
    const forged = (await sign(bcc(me, "Vic Vo <vic@vo.org>"), signer)).replace("Good to see you.", "Delete my account.");
    expect(await send(forged, strict)).toEqual({
      outcome: "rejected",
      reason: `Kith could not verify that this message really comes from ${me} (the body changed after ${signer.domain} signed it). Send it directly from your own mail account.`,
    });
  });

  it("throws on a DNS failure, so that the sending server retries, and refuses nothing", async () => {
    const domain = `f${uniq()}.example`;
    await setDns({ name: `_dmarc.${domain}`, rcode: 2 });
    await signUp(`ann@${domain}`);
    const before = await count("inbound_messages");
    const bytes = new TextEncoder().encode(bcc(`ann@${domain}`, "Wes Wu <wes@wu.org>"));
    const rejected: string[] = [];
    const msg = { from: `ann@${domain}`, to: KITH, raw: new Response(bytes).body!, rawSize: bytes.byteLength, setReject: (r: string) => void rejected.push(r) };
    await expect(worker.email(msg as unknown as ForwardableEmailMessage, { ...env, SENDER_AUTH: "strict" })).rejects.toThrow(/could not check the sender .*rcode 2/);
    expect(rejected).toEqual([]);
    expect(await count("inbound_messages")).toBe(before);
  });
});

describe("TRUST_RECEIVER_STAMP=on", () => {
  const on = { config: { senderAuth: "confirm" as const, trustReceiverStamp: true } };

  it("applies an unsigned mail on the receiver's DMARC pass, as before", async () => {
    expect((await send(bcc(me, "Xia Xu <xia@xu.org>", stamp(signer.domain)), on)).outcome).toBe("applied");
  });

  it("still applies on Kith's own pass when the stamp says nothing", async () => {
    expect((await send(await sign(bcc(me, "Ola Oh <ola@oh.org>"), signer), on)).outcome).toBe("applied");
  });
});

describe("the corpus through the sender check", () => {
  const mails = corpusFiles("").filter((p) => /\.(eml|msg)$/.test(p) || p.startsWith("malformed/"));

  it("never throws, never passes a mail whose keys it cannot fetch, and asks DNS a bounded number of times", async () => {
    const doh = dohLookup(env.DOH_URL);
    const statuses = new Set<string>();
    let signed = 0;
    for (const path of mails) {
      const raw = corpusBytes(path);
      const parsed = await parseMail(raw);
      if (!parsed.ok) continue;
      let asked = 0;
      const counting: TxtLookup = (name) => (asked++, doh(name));
      const sender = parsed.email.from?.address?.toLowerCase();
      const trust = await senderTrust({ config: config({ senderAuth: "confirm" }), raw, headers: parsed.email.headers, sender, now: Date.now(), lookup: counting });
      statuses.add(trust.status);
      if (/^dkim-signature:/im.test(new TextDecoder().decode(raw))) signed++;
      expect(trust.ok, path).toBe(false);
      // One key per checked signature, the From domain's DMARC record and its organization's.
      expect(asked, path).toBeLessThanOrEqual(MAX_SIGNATURES + 2);
    }
    expect(signed).toBeGreaterThan(5);
    expect([...statuses].filter((s) => s !== "fail" && s !== "none" && s !== "temperror")).toEqual([]);
  });
});
