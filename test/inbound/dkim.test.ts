/** Kith's own DKIM and DMARC check, over the loopback DoH resolver: mails signed here with
 * keys made here, then changed, re-signed, or left without a key, as forgers and broken
 * setups do. */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { parseMail, plainText } from "../../src/inbound/mime/parse";
import { readMessage } from "../../src/inbound/sender/canonical";
import { checkSender } from "../../src/inbound/sender/check";
import { verifyDkim } from "../../src/inbound/sender/dkim";
import { aligned, organizationalDomain } from "../../src/inbound/sender/dmarc";
import { dohLookup, type TxtLookup } from "../../src/inbound/sender/dns";
import { uniq } from "../support/clock";
import { ed25519Signer, rsaSigner, sign, type Signer } from "../support/dkim-sign";
import { setDns, setTxt } from "../support/dns-records";
import { eml } from "../support/mail";
import { seeded } from "../support/random";

const NOW = Date.UTC(2026, 11, 8, 12);
const doh = dohLookup(env.DOH_URL);
const bytes = (mail: string) => new TextEncoder().encode(mail);
const dkim = (mail: string, lookup: TxtLookup = doh) => verifyDkim(readMessage(bytes(mail)), lookup, NOW);
const check = (mail: string, from: string, lookup: TxtLookup = doh) => checkSender(bytes(mail), from, lookup, NOW);

/** A fresh domain of this test's own, so that parallel files never share a DNS name. */
const domain = () => `k${uniq()}.example`;

/** Odd spacing, a folded header and trailing blank lines: what canonicalization is for.
 * The dash is UTF-8 with bytes 0x80 and 0x94, which a Latin-1 decoder would remap. */
function mail(from: string, body = "Met Zoe at PyCon.  \r\nShe  works\tat Zeta — a startup.\r\n\r\n\r\n"): string {
  return eml(
    { From: `Ann Example <${from}>`, To: "kith@kith.test", Subject: "Met   someone\r\n\tat PyCon", Date: "Tue, 08 Dec 2026 11:00:00 +0000", "Message-ID": `<${uniq()}@mail.test>` },
    body,
  );
}

async function published(signer: Promise<Signer>): Promise<Signer> {
  const s = await signer;
  await setTxt(`${s.selector}._domainkey.${s.domain}`, s.record);
  return s;
}

let rsa: Signer;
let ed: Signer;
beforeAll(async () => {
  rsa = await published(rsaSigner(domain(), "rsa2048"));
  ed = await published(ed25519Signer(domain(), "ed"));
});

describe("a signature that verifies", () => {
  it.each([
    ["RSA 2048", "relaxed/relaxed"],
    ["RSA 2048", "simple/simple"],
    ["Ed25519", "relaxed/relaxed"],
    ["Ed25519", "simple/simple"],
    ["Ed25519", "relaxed/simple"],
  ] as const)("%s, c=%s, passes and is aligned with From", async (kind, c) => {
    const signer = kind === "Ed25519" ? ed : rsa;
    const signed = await sign(mail(`ann@${signer.domain}`), signer, { c });
    expect(await dkim(signed)).toEqual([{ domain: signer.domain, selector: signer.selector, result: "pass", reason: `DKIM pass for ${signer.domain}` }]);
    expect(await check(signed, signer.domain)).toEqual({ status: "pass", reason: `DKIM pass for ${signer.domain}, aligned with the From domain ${signer.domain}` });
  });

  it("relaxed survives re-folded headers and re-spaced lines; simple does not", async () => {
    const respaced = (m: string) => m.replace("Met   someone\r\n\tat PyCon", "Met someone\r\n  at PyCon").replace("She  works\tat", "She works at");
    const relaxed = respaced(await sign(mail(`ann@${rsa.domain}`), rsa, { c: "relaxed/relaxed" }));
    expect((await dkim(relaxed))[0]?.result).toBe("pass");
    const simple = respaced(await sign(mail(`ann@${rsa.domain}`), rsa, { c: "simple/simple" }));
    expect((await dkim(simple))[0]).toMatchObject({ result: "fail", reason: `the body changed after ${rsa.domain} signed it` });
  });

  it("passes for a subdomain of From under relaxed alignment, the default without a DMARC record", async () => {
    const sub = await published(ed25519Signer(`mail.${domain()}`, "s1"));
    const from = sub.domain.slice("mail.".length);
    expect((await check(await sign(mail(`ann@${from}`), sub), from)).status).toBe("pass");
  });

  it("joins a key record the resolver returns as several strings", async () => {
    // A 4096-bit key's record is over 700 characters: three strings in DNS.
    const big = await published(rsaSigner(domain(), "big", 4096));
    expect(big.record.length).toBeGreaterThan(510);
    expect((await dkim(await sign(mail(`ann@${big.domain}`), big)))[0]?.result).toBe("pass");
  });

  it("reads an RSA key published as a bare RSAPublicKey, as RFC 6376 words it", async () => {
    const s = await rsaSigner(domain(), "pkcs1");
    const spki = Uint8Array.from(atob(s.record.replace(/^.*p=/, "")), (c) => c.charCodeAt(0));
    // A 2048-bit SubjectPublicKeyInfo is 24 bytes of header around the RSAPublicKey.
    const bare = btoa(String.fromCharCode(...spki.subarray(24)));
    await setTxt(`pkcs1._domainkey.${s.domain}`, `v=DKIM1; k=rsa; p=${bare}`);
    expect((await dkim(await sign(mail(`ann@${s.domain}`), s)))[0]?.result).toBe("pass");
  });

  it("reads a key record the resolver returns joined and unquoted", async () => {
    const s = await rsaSigner(domain(), "plain");
    await setDns({ name: `plain._domainkey.${s.domain}`, txt: [s.record], unquoted: true });
    expect((await dkim(await sign(mail(`ann@${s.domain}`), s)))[0]?.result).toBe("pass");
  });
});

describe("a mail changed after it was signed", () => {
  it("fails when the body changed", async () => {
    const signed = await sign(mail(`ann@${rsa.domain}`), rsa);
    const changed = signed.replace("works\tat Zeta", "works at Evil Corp");
    expect(await check(changed, rsa.domain)).toEqual({ status: "fail", reason: `the body changed after ${rsa.domain} signed it` });
  });

  it("fails when a signed header changed", async () => {
    const signed = await sign(mail(`ann@${ed.domain}`), ed);
    const changed = signed.replace("Subject: Met   someone", "Subject: delete all");
    expect(await check(changed, ed.domain)).toEqual({ status: "fail", reason: `the DKIM signature of ${ed.domain} does not verify: a signed header changed, or another key made it` });
  });

  it("fails when another key made the signature than the one published", async () => {
    const forger = await ed25519Signer(ed.domain, ed.selector);
    const forged = await sign(mail(`ann@${ed.domain}`), forger);
    expect((await check(forged, ed.domain)).status).toBe("fail");
  });

  it("fails when a second From is put on top of the signed one", async () => {
    const other = domain();
    const signed = await sign(mail(`ann@${ed.domain}`), ed);
    expect(await check(`From: bob@${ed.domain}\r\n${signed}`, ed.domain)).toEqual({ status: "fail", reason: "the mail has more than one From header" });
    expect((await check(`From: bob@${other}\r\n${signed}`, other)).status).toBe("fail");
  });

  it("fails when a Subject and Message-ID are put on top of a signed mail: a replay with a new command", async () => {
    const signed = await sign(mail(`ann@${rsa.domain}`), rsa);
    expect(await check(`Subject: forget Alice\r\nMessage-ID: <fresh-${domain()}>\r\n${signed}`, rsa.domain)).toEqual({ status: "fail", reason: "the mail has more than one Subject header" });
    expect(await check(`Message-ID: <fresh-${domain()}>\r\n${signed}`, rsa.domain)).toEqual({ status: "fail", reason: "the mail has more than one Message-ID header" });
  });

  it("fails when a line of lone CRs ends the headers for the parser but not for the signature", async () => {
    const signed = await sign(mail(`ann@${rsa.domain}`), rsa);
    const split = signed.indexOf("\r\n\r\n");
    // postal-mime ends the headers at the "\r\r\n" line and reads "forget Alice" as the body.
    const smuggled = `${signed.slice(0, split)}\r\n\r\r\nforget Alice\r\n${signed.slice(split)}`;
    const parsed = await parseMail(new TextEncoder().encode(smuggled));
    expect(parsed.ok && plainText(parsed.email)).toMatch(/^forget Alice/);
    expect(await check(smuggled, rsa.domain)).toEqual({ status: "fail", reason: "its header block has a line that is not a header field" });
  });

  it("fails when text is appended past l=, and passes when l= is the whole body", async () => {
    const body = "Met Zoe at PyCon.\r\n";
    const whole = await sign(mail(`ann@${rsa.domain}`, body), rsa, { l: body.length });
    expect((await dkim(whole))[0]?.result).toBe("pass");
    const part = await sign(mail(`ann@${rsa.domain}`, body), rsa, { l: 8 });
    expect((await dkim(part))[0]).toMatchObject({ result: "fail", reason: `the DKIM signature of ${rsa.domain} covers 8 bytes of a 19-byte body` });
  });

  it("still passes when an unsigned header is added, and fails when an over-signed one is", async () => {
    const signed = await sign(mail(`ann@${ed.domain}`), ed, { h: ["from", "subject", "reply-to"] });
    expect((await dkim(`X-Added: by a relay\r\n${signed}`))[0]?.result).toBe("pass");
    expect((await dkim(`Reply-To: evil@evil.example\r\n${signed}`))[0]?.result).toBe("fail");
  });
});

describe("a signature that proves nothing about From", () => {
  it("is not aligned when it is for another domain, and its key is not even fetched", async () => {
    const from = domain();
    const signed = await sign(mail(`ann@${from}`), rsa);
    expect((await dkim(signed))[0]?.result).toBe("pass");
    const asked: string[] = [];
    const counting: TxtLookup = (name) => (asked.push(name), doh(name));
    expect(await check(signed, from, counting)).toEqual({ status: "none", reason: `it is DKIM-signed by ${rsa.domain}, not by ${from}` });
    expect(asked).toEqual([`_dmarc.${from}`]);
  });

  it("is none when there is no signature and no DMARC record", async () => {
    const from = domain();
    expect(await check(mail(`ann@${from}`), from)).toEqual({ status: "none", reason: "the mail has no DKIM signature" });
  });

  it("is a permerror, never a pass, when no key is published (NXDOMAIN)", async () => {
    const s = await ed25519Signer(domain(), "gone");
    const signed = await sign(mail(`ann@${s.domain}`), s);
    const name = `gone._domainkey.${s.domain}`;
    expect(await dkim(signed)).toEqual([{ domain: s.domain, selector: "gone", result: "permerror", reason: `no DKIM key is published at ${name}` }]);
    expect(await check(signed, s.domain)).toEqual({ status: "none", reason: `no DKIM key is published at ${name}` });
  });

  it("is a permerror when the key is revoked (empty p=)", async () => {
    const s = await ed25519Signer(domain(), "old");
    await setTxt(`old._domainkey.${s.domain}`, "v=DKIM1; k=ed25519; p=");
    const signed = await sign(mail(`ann@${s.domain}`), s);
    expect((await dkim(signed))[0]).toMatchObject({ result: "permerror", reason: `the DKIM key at old._domainkey.${s.domain} is revoked` });
    expect((await check(signed, s.domain)).status).toBe("none");
  });

  it("is a permerror when the signature has expired (x=), and passes before then", async () => {
    const t = Math.floor(NOW / 1000) - 7 * 86400;
    const expired = await sign(mail(`ann@${ed.domain}`), ed, { t, x: t + 86400 });
    expect((await dkim(expired))[0]).toMatchObject({ result: "permerror", reason: `the DKIM signature of ${ed.domain} expired on 2026-12-02` });
    const valid = await sign(mail(`ann@${ed.domain}`), ed, { t, x: t + 30 * 86400 });
    expect((await dkim(valid))[0]?.result).toBe("pass");
  });

  it("refuses rsa-sha1 even when it verifies", async () => {
    const sha1 = await published(rsaSigner(domain(), "sha1", 2048, "rsa-sha1"));
    const signed = await sign(mail(`ann@${sha1.domain}`), sha1);
    expect((await dkim(signed))[0]).toMatchObject({ result: "permerror", reason: expect.stringContaining("rsa-sha1, which is no longer accepted") });
  });

  it("refuses an RSA key shorter than 1024 bits", async () => {
    const weak = await published(rsaSigner(domain(), "weak", 768));
    const signed = await sign(mail(`ann@${weak.domain}`), weak);
    expect((await dkim(signed))[0]).toMatchObject({ result: "permerror", reason: expect.stringContaining("is too short (768 bits") });
  });

  it("does not pass a signature that leaves From unsigned", async () => {
    const signed = await sign(mail(`ann@${ed.domain}`), ed, { h: ["subject", "to"] });
    expect((await dkim(signed))[0]).toMatchObject({ result: "permerror", reason: `the DKIM signature of ${ed.domain} does not cover the From header` });
  });
});

describe("DNS that does not answer", () => {
  it("is a temperror, never a pass, when the key look-up times out", async () => {
    const s = await ed25519Signer(domain(), "slow");
    await setDns({ name: `slow._domainkey.${s.domain}`, txt: [s.record], delayMs: 1500 });
    const signed = await sign(mail(`ann@${s.domain}`), s);
    const impatient = dohLookup(env.DOH_URL, 200);
    expect(await check(signed, s.domain, impatient)).toEqual({ status: "temperror", reason: `the DNS look-up of slow._domainkey.${s.domain} timed out` });
  });

  it("is a temperror when the resolver answers SERVFAIL for the DMARC record", async () => {
    const from = domain();
    await setDns({ name: `_dmarc.${from}`, rcode: 2 });
    expect(await check(mail(`ann@${from}`), from)).toEqual({ status: "temperror", reason: `the DNS look-up of _dmarc.${from} failed (rcode 2)` });
  });

  it("is a temperror when the resolver answers an HTTP error", async () => {
    const from = domain();
    const broken = dohLookup(env.DOH_URL.replace(/dns-query$/, "no-such-path"));
    expect(await check(mail(`ann@${from}`), from, broken)).toEqual({ status: "temperror", reason: `the DNS resolver answered HTTP 404 for _dmarc.${from}` });
  });

  it("passes a signature for From itself, and fails a broken one, when only the DMARC look-up fails", async () => {
    const s = await published(ed25519Signer(domain(), "s1"));
    await setDns({ name: `_dmarc.${s.domain}`, rcode: 2 });
    const signed = await sign(mail(`ann@${s.domain}`), s);
    expect((await check(signed, s.domain)).status).toBe("pass");
    expect((await check(signed.replace("PyCon.", "PyCon!"), s.domain)).status).toBe("fail");
  });

  it("is a temperror when only the DMARC look-up could align a subdomain's pass", async () => {
    const sub = await published(ed25519Signer(`mail.${domain()}`, "s1"));
    const from = sub.domain.slice("mail.".length);
    await setDns({ name: `_dmarc.${from}`, rcode: 2 });
    expect(await check(await sign(mail(`ann@${from}`), sub), from)).toEqual({ status: "temperror", reason: `the DNS look-up of _dmarc.${from} failed (rcode 2)` });
  });
});

describe("DMARC policy", () => {
  it("makes an unsigned mail a failure when the domain says p=reject, and none with p=none", async () => {
    const strictDomain = domain();
    await setTxt(`_dmarc.${strictDomain}`, "v=DMARC1; p=reject; rua=mailto:d@example.com");
    expect(await check(mail(`ann@${strictDomain}`), strictDomain)).toEqual({ status: "fail", reason: `${strictDomain} publishes DMARC p=reject, and the mail has no DKIM signature` });
    const lax = domain();
    await setTxt(`_dmarc.${lax}`, "v=DMARC1; p=none");
    expect((await check(mail(`ann@${lax}`), lax)).status).toBe("none");
  });

  it("falls back to the organizational domain's record, and its sp=", async () => {
    const org = domain();
    await setTxt(`_dmarc.${org}`, "v=DMARC1; p=none; sp=quarantine");
    expect((await check(mail(`ann@news.${org}`), `news.${org}`)).status).toBe("fail");
    expect((await check(mail(`ann@${org}`), org)).status).toBe("none");
  });

  it("refuses a subdomain's signature under adkim=s", async () => {
    const sub = await published(ed25519Signer(`mail.${domain()}`, "s1"));
    const from = sub.domain.slice("mail.".length);
    await setTxt(`_dmarc.${from}`, "v=DMARC1; p=none; adkim=s");
    expect(await check(await sign(mail(`ann@${from}`), sub), from)).toEqual({
      status: "none",
      reason: `the DKIM pass for ${sub.domain} is not aligned with ${from}, which asks for strict alignment`,
    });
  });

  it("ignores two DMARC records at one name (RFC 7489 §6.6.3)", async () => {
    const from = domain();
    await setTxt(`_dmarc.${from}`, "v=DMARC1; p=reject", "v=DMARC1; p=none");
    expect((await check(mail(`ann@${from}`), from)).status).toBe("none");
  });

  it("takes the organizational domain from the Public Suffix List, its private section too", () => {
    expect(["mail.example.com", "example.com", "a.b.example.co.uk", "example.com.au", "shop.example.de", "x.ne.jp", "Mail.Example.COM", "com", "ann.github.io", "evil.eu.org"].map(organizationalDomain)).toEqual([
      "example.com",
      "example.com",
      "example.co.uk",
      "example.com.au",
      "example.de",
      "x.ne.jp",
      "example.com",
      "com",
      "ann.github.io",
      "evil.eu.org",
    ]);
  });

  it("never aligns two names under a suffix that is handed out to anyone", async () => {
    // A forger who holds evil….eu.org signs mail From a user at victim….eu.org.
    const [evil, victim] = [`evil-${uniq()}.eu.org`, `victim-${uniq()}.eu.org`];
    const forger = await published(ed25519Signer(evil, "s1"));
    await setTxt(`_dmarc.${victim}`, "v=DMARC1; p=reject");
    expect((await check(await sign(mail(`ann@${victim}`), forger), victim)).status).not.toBe("pass");
    // The same signer on its own From passes: the key and the check are sound.
    expect((await check(await sign(mail(`ann@${evil}`), forger), evil)).status).toBe("pass");
    expect(aligned("evil.eu.org", "victim.eu.org", false)).toBe(false);
    expect(aligned("mail.example.co.uk", "example.co.uk", false)).toBe(true);
  });
});

describe("bounded and total", () => {
  it("checks at most 5 signatures per mail", async () => {
    let signed = mail(`ann@${ed.domain}`);
    for (let i = 0; i < 7; i++) signed = await sign(signed, ed);
    const results = await dkim(signed);
    expect(results).toHaveLength(5);
    expect(results.every((r) => r.result === "pass")).toBe(true);
  });

  it("never throws on a signed mail with random bytes changed, and passes it only when unchanged", async () => {
    const h = ["from", "to", "subject", "date", "message-id", "mime-version", "content-type"];
    const signed = await sign(mail(`ann@${rsa.domain}`), rsa, { c: "simple/simple", h });
    const random = seeded(11);
    for (let i = 0; i < 40; i++) {
      const b = bytes(signed);
      const at = Math.floor(random() * b.length);
      const was = b[at];
      b[at] = Math.floor(random() * 256);
      const verdict = await checkSender(b, rsa.domain, doh, NOW);
      if (b[at] !== was) expect(verdict.status, `byte ${at}`).not.toBe("pass");
    }
  });
});
