/// <reference types="vite/client" />
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { senderVerdict, type HeaderLine } from "../../src/inbound/sender/auth";
import { corpusBytes, corpusFiles } from "../support/corpus";

const CLOUDFLARE = ["mx.cloudflare.net"];

/** Whole messages, header sets modelled on what each receiver really writes (see the files). */
const fixtures = import.meta.glob<string>("../fixtures/auth/*.eml", { query: "?raw", import: "default", eager: true });

function fixture(name: string): string {
  const text = fixtures[`../fixtures/auth/${name}`];
  if (text === undefined) throw new Error(`no fixture ${name}`);
  return text;
}

/** Headers and From exactly as the inbound pipeline gets them from postal-mime. */
async function parsed(raw: string | Uint8Array): Promise<{ headers: HeaderLine[]; from: string }> {
  const email = await PostalMime.parse(raw);
  return { headers: email.headers, from: email.from?.address ?? "" };
}

const ar = (value: string): HeaderLine => ({ key: "authentication-results", value });
const arc = (value: string): HeaderLine => ({ key: "arc-authentication-results", value });
const TRUSTED_EXAMPLE = { trusted: true, reason: "DMARC pass for example.com from mx.cloudflare.net" };

describe("whole messages as receivers stamp them", () => {
  const cases: { file: string; ids?: string[]; trusted: boolean; reason: string }[] = [
    // Email Routing, newer order: ARC set, Received-SPF, then Authentication-Results on top of the sender's.
    { file: "cloudflare-gmail-pass.eml", trusted: true, reason: "DMARC pass for gmail.com from mx.cloudflare.net" },
    // Older order (2024): Authentication-Results first, folded with tabs, ARC set below it.
    { file: "cloudflare-custom-domain-pass-folded.eml", trusted: true, reason: "DMARC pass for northwind.example from mx.cloudflare.net" },
    // Only Cloudflare's ARC set, no Authentication-Results (the shape cloudflare/workerd#6740 describes).
    { file: "cloudflare-arc-only-pass.eml", trusted: true, reason: "DMARC pass for gmail.com from mx.cloudflare.net" },
    // Gmail auto-forward: Cloudflare's i=2 on top of Google's i=1; DKIM survives, so DMARC passes.
    { file: "cloudflare-forwarded-by-gmail.eml", trusted: true, reason: "DMARC pass for acme.example from mx.cloudflare.net" },
    // Microsoft 365 sender: its id-less `authentication-results: ... dmarc=none` is ignored.
    { file: "cloudflare-microsoft365-sender.eml", trusted: true, reason: "DMARC pass for contoso.example from mx.cloudflare.net" },
    { file: "cloudflare-fastmail-sender.eml", trusted: true, reason: "DMARC pass for fastmail.com from mx.cloudflare.net" },
    { file: "cloudflare-dmarc-none.eml", trusted: false, reason: "DMARC none for example.de" },
    { file: "cloudflare-dmarc-temperror.eml", trusted: false, reason: "DMARC temperror for orbit.example" },
    // The sender wrote a passing mx.cloudflare.net Authentication-Results and ARC set (i=2) below the real fail.
    { file: "cloudflare-dmarc-fail-forged-pass-below.eml", trusted: false, reason: "DMARC fail for example.com" },
    // Cloudflare wrote only ARC (fail); the sender's plain Authentication-Results below must not win.
    { file: "cloudflare-arc-only-fail-forged-ar-below.eml", trusted: false, reason: "DMARC fail for gmail.com" },
    // Two From headers: Cloudflare judged evil.example, postal-mime reads the first From.
    { file: "cloudflare-duplicate-from.eml", trusted: false, reason: "DMARC pass was for evil.example, not the From domain gmail.com" },
    { file: "gmail-received.eml", trusted: false, reason: "no Authentication-Results from a trusted server" },
    { file: "gmail-received.eml", ids: ["mx.google.com"], trusted: true, reason: "DMARC pass for acme.example from mx.google.com" },
    // Exchange Online writes no authserv-id at all, so nothing in it can ever be trusted.
    { file: "microsoft-received.eml", trusted: false, reason: "no Authentication-Results from a trusted server" },
    { file: "microsoft-received.eml", ids: ["mx.microsoft.com", "protection.outlook.com"], trusted: false, reason: "no Authentication-Results from a trusted server" },
    // `mx.microsoft.com 1;`: the version number after the authserv-id is read past.
    { file: "cloudflare-microsoft365-sender.eml", ids: ["mx.microsoft.com"], trusted: true, reason: "DMARC pass for contoso.example from mx.microsoft.com" },
    { file: "cloudflare-gmail-pass.eml", ids: ["mx.google.com"], trusted: false, reason: "no Authentication-Results from a trusted server" },
    { file: "no-authentication-results.eml", trusted: false, reason: "no Authentication-Results from a trusted server" },
  ];

  it.each(cases)("$file, trusting $ids → $reason", async ({ file, ids, trusted, reason }) => {
    const { headers, from } = await parsed(fixture(file));
    expect(senderVerdict(headers, from, ids ?? CLOUDFLARE)).toEqual({ trusted, reason });
  });

  it("covers every fixture", () => {
    const used = new Set(cases.map((c) => `../fixtures/auth/${c.file}`));
    expect(Object.keys(fixtures).filter((f) => !used.has(f))).toEqual([]);
  });

  it("refuses a pass when a trusted ARC header below claims a later instance", async () => {
    const { headers, from } = await parsed(fixture("cloudflare-arc-only-pass.eml"));
    const score = headers.findIndex((h) => h.key === "x-cf-spamh-score");
    const forged = arc("i=2; mx.cloudflare.net; dmarc=pass header.from=gmail.com");
    const verdict = senderVerdict([...headers.slice(0, score + 1), forged, ...headers.slice(score + 1)], from, CLOUDFLARE);
    expect(verdict).toEqual({
      trusted: false,
      reason: "ARC-Authentication-Results from mx.cloudflare.net are out of order (i=2 below i=1), so the pass is not believed",
    });
  });
});

describe("choosing among several headers", () => {
  const cases: { name: string; headers: HeaderLine[]; ids?: string[]; trusted: boolean; reason: string }[] = [
    {
      name: "a forged pass below the receiver's fail",
      headers: [ar("mx.cloudflare.net; dmarc=fail header.from=example.com"), ar("mx.cloudflare.net; dmarc=pass header.from=example.com")],
      trusted: false,
      reason: "DMARC fail for example.com",
    },
    {
      name: "a forged fail below the receiver's pass",
      headers: [ar("mx.cloudflare.net; dmarc=pass header.from=example.com"), ar("mx.cloudflare.net; dmarc=fail header.from=example.com")],
      ...TRUSTED_EXAMPLE,
    },
    {
      name: "a receiver's verdict without DMARC, a forged pass below",
      headers: [ar("mx.cloudflare.net; spf=pass smtp.mailfrom=ann@example.com"), ar("mx.cloudflare.net; dmarc=pass header.from=example.com")],
      trusted: false,
      reason: "mx.cloudflare.net gave no DMARC result",
    },
    {
      // Split verdicts (Fastmail's Authentication-Results) cost a confirmation; see the rule in auth.ts.
      name: "one receiver's verdict split over several headers",
      headers: [
        ar("mx4.messagingengine.com; x-csa=none; x-me-sender=none; x-ptr=pass smtp.helo=out1-smtp.messagingengine.com"),
        ar("mx4.messagingengine.com; dkim=none (no signatures found); dmarc=pass header.from=example.com"),
      ],
      ids: ["mx4.messagingengine.com"],
      trusted: false,
      reason: "mx4.messagingengine.com gave no DMARC result",
    },
    {
      name: "other servers' passes above and below",
      headers: [
        ar("mx.google.com; dmarc=fail (p=NONE sp=NONE dis=NONE) header.from=example.com"),
        ar("mx.cloudflare.net; dmarc=pass header.from=example.com"),
        ar("attacker.example; dmarc=pass header.from=example.com"),
      ],
      ...TRUSTED_EXAMPLE,
    },
    {
      name: "only other servers' passes",
      headers: [ar("mx.google.com; dmarc=pass header.from=example.com"), arc("i=1; mx.google.com; dmarc=pass header.from=example.com")],
      trusted: false,
      reason: "no Authentication-Results from a trusted server",
    },
    {
      name: "ARC fail at i=1, a forged pass at i=7 below",
      headers: [arc("i=1; mx.cloudflare.net; dmarc=fail header.from=example.com"), arc("i=7; mx.cloudflare.net; dmarc=pass header.from=example.com")],
      trusted: false,
      reason: "DMARC fail for example.com",
    },
    {
      name: "ARC through Cloudflare twice, newest on top",
      headers: [arc("i=2; mx.cloudflare.net; dmarc=pass header.from=example.com"), arc("i=1; mx.cloudflare.net; dmarc=none header.from=example.com")],
      ...TRUSTED_EXAMPLE,
    },
    {
      name: "ARC pass with a later trusted instance below",
      headers: [arc("i=1; mx.cloudflare.net; dmarc=pass header.from=example.com"), arc("i=3; mx.cloudflare.net; arc=none")],
      trusted: false,
      reason: "ARC-Authentication-Results from mx.cloudflare.net are out of order (i=3 below i=1), so the pass is not believed",
    },
    {
      name: "ARC on top of Authentication-Results, same verdict",
      headers: [arc("i=1; mx.cloudflare.net; dmarc=pass header.from=example.com"), ar("mx.cloudflare.net; dmarc=pass header.from=example.com")],
      ...TRUSTED_EXAMPLE,
    },
    {
      name: "Authentication-Results pass on top of a higher trusted ARC (only ARC is numbered)",
      headers: [ar("mx.cloudflare.net; dmarc=pass header.from=example.com"), arc("i=9; mx.cloudflare.net; dmarc=fail header.from=example.com")],
      ...TRUSTED_EXAMPLE,
    },
    {
      name: "the unrelated headers around it",
      headers: [
        { key: "received", value: "from mail.example.com (192.0.2.1) by cloudflare-email.net (cloudflare) id x for <kith@kith.test>" },
        { key: "received-spf", value: "pass (mx.cloudflare.net: domain of ann@example.com designates 192.0.2.1 as permitted sender)" },
        ar("mx.cloudflare.net; dmarc=pass header.from=example.com"),
        { key: "x-original-authentication-results", value: "mx.cloudflare.net; dmarc=fail header.from=example.com" },
      ],
      ...TRUSTED_EXAMPLE,
    },
  ];

  it.each(cases)("$name", ({ headers, ids, trusted, reason }) => {
    expect(senderVerdict(headers, "ann@example.com", ids ?? CLOUDFLARE)).toEqual({ trusted, reason });
  });
});

describe("reading one header", () => {
  const cases: { value: string; from?: string; key?: string; trusted: boolean; reason: string }[] = [
    { value: "mx.cloudflare.net; dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com", ...TRUSTED_EXAMPLE },
    { value: "MX.CloudFlare.NET; DMARC=Pass Header.From=EXAMPLE.com", from: "Ann@Example.COM", ...TRUSTED_EXAMPLE },
    { value: "mx.cloudflare.net; dmarc=pass header.from=example.com", key: "Authentication-Results", ...TRUSTED_EXAMPLE },
    { value: "mx.cloudflare.net 1; dmarc=pass header.from=example.com", ...TRUSTED_EXAMPLE },
    { value: '"mx.cloudflare.net"; dmarc=pass header.from=example.com', ...TRUSTED_EXAMPLE },
    { value: "mx.cloudflare.net ; dmarc = pass header.from = example.com", ...TRUSTED_EXAMPLE },
    { value: "mx.cloudflare.net;dkim=pass header.d=example.com;dmarc=pass header.from=example.com;spf=pass", ...TRUSTED_EXAMPLE },
    { value: "mx.cloudflare.net;\r\n\tdkim=pass header.d=example.com;\r\n\tdmarc=pass header.from=example.com", ...TRUSTED_EXAMPLE },
    { value: "mx.cloudflare.net; dmarc/1=pass header.from=example.com", ...TRUSTED_EXAMPLE },
    {
      value: "mx.cloudflare.net; spf=pass (mx.cloudflare.net: domain of a;b (nested; \\) c) designates 192.0.2.1) smtp.mailfrom=ann@example.com; dmarc=pass header.from=example.com",
      ...TRUSTED_EXAMPLE,
    },
    { value: 'mx.cloudflare.net; dmarc=pass header.from="example.com"', ...TRUSTED_EXAMPLE },
    { value: "mx.cloudflare.net; dmarc=pass header.from=ann@example.com", ...TRUSTED_EXAMPLE },
    { value: "mx.cloudflare.net; dmarc=pass header.from=example.com.", ...TRUSTED_EXAMPLE },
    { value: "mx.cloudflare.net; dkim=pass header.d=other.example; dmarc=pass header.from=example.com; spf=fail smtp.mailfrom=x@other.example", ...TRUSTED_EXAMPLE },
    {
      value: "mx.cloudflare.net; dmarc=pass header.from=xn--bcher-kva.example",
      from: "ann@bücher.example",
      trusted: true,
      reason: "DMARC pass for xn--bcher-kva.example from mx.cloudflare.net",
    },
    { value: "mx.cloudflare.net; dmarc=pass header.from=example.com", from: "Ann Lee <ann@example.com>", ...TRUSTED_EXAMPLE },
    // What a pass hidden in a comment or a quoted string must not do.
    {
      value: "mx.cloudflare.net; dmarc=fail (was dmarc=pass header.from=example.com; really) header.from=example.com",
      trusted: false,
      reason: "DMARC fail for example.com",
    },
    {
      value: 'mx.cloudflare.net; dmarc=fail reason="; dmarc=pass header.from=example.com" header.from=example.com',
      trusted: false,
      reason: "DMARC fail for example.com",
    },
    { value: 'mx.cloudflare.net; dmarc=pass "header.from=example.com"', trusted: false, reason: "DMARC pass from mx.cloudflare.net does not say which domain it was for" },
    // Results that are not a pass.
    { value: "mx.cloudflare.net; dmarc=fail header.from=example.com policy.dmarc=reject", trusted: false, reason: "DMARC fail for example.com" },
    { value: "mx.cloudflare.net; dmarc=none header.from=example.com policy.dmarc=none", trusted: false, reason: "DMARC none for example.com" },
    { value: "mx.cloudflare.net; dmarc=TempError header.from=example.com", trusted: false, reason: "DMARC temperror for example.com" },
    { value: "mx.cloudflare.net; dmarc=permerror header.from=example.com", trusted: false, reason: "DMARC permerror for example.com" },
    { value: "mx.cloudflare.net; dmarc=bestguesspass header.from=example.com", trusted: false, reason: "DMARC bestguesspass for example.com" },
    { value: "mx.cloudflare.net; dmarc=pass\u0000 header.from=example.com", trusted: false, reason: "DMARC unreadable for example.com" },
    { value: "mx.cloudflare.net; dmarc=fail header.from=other.example", trusted: false, reason: "DMARC fail for other.example, and the From domain is example.com" },
    // A pass for some other domain.
    { value: "mx.cloudflare.net; dmarc=pass header.from=other.example", trusted: false, reason: "DMARC pass was for other.example, not the From domain example.com" },
    { value: "mx.cloudflare.net; dmarc=pass header.from=mail.example.com", trusted: false, reason: "DMARC pass was for mail.example.com, not the From domain example.com" },
    { value: "mx.cloudflare.net; dmarc=pass header.from=example.com.evil.example", trusted: false, reason: "DMARC pass was for example.com.evil.example, not the From domain example.com" },
    { value: "mx.cloudflare.net; dmarc=pass header.from=notexample.com", trusted: false, reason: "DMARC pass was for notexample.com, not the From domain example.com" },
    { value: "mx.cloudflare.net; dmarc=pass header.from=example.com", from: "ann@mail.example.com", trusted: false, reason: "DMARC pass was for example.com, not the From domain mail.example.com" },
    { value: "mx.cloudflare.net; dmarc=pass header.from=exa<mple.com", trusted: false, reason: "DMARC pass was for an unreadable domain, not the From domain example.com" },
    // Verdicts that do not say enough.
    { value: "mx.cloudflare.net; dmarc=pass", trusted: false, reason: "DMARC pass from mx.cloudflare.net does not say which domain it was for" },
    { value: "mx.cloudflare.net; dmarc=pass header.from=example.com header.from=evil.example", trusted: false, reason: "DMARC pass from mx.cloudflare.net names more than one domain" },
    {
      value: "mx.cloudflare.net; dmarc=fail header.from=evil.example; dmarc=pass header.from=example.com",
      trusted: false,
      reason: "mx.cloudflare.net gave more than one DMARC result",
    },
    { value: "mx.cloudflare.net; dkim=pass header.d=example.com; spf=pass smtp.mailfrom=ann@example.com", trusted: false, reason: "mx.cloudflare.net gave no DMARC result" },
    { value: "mx.cloudflare.net; none", trusted: false, reason: "mx.cloudflare.net gave no DMARC result" },
    { value: "mx.cloudflare.net; arc=none smtp.remote-ip=192.0.2.1", trusted: false, reason: "mx.cloudflare.net gave no DMARC result" },
    // Look-alike or missing authserv-ids: exact host, nothing else.
    ...[
      "mx.cloudflare.net.evil.example",
      "evil-mx.cloudflare.net",
      "xmx.cloudflare.net",
      "cloudflare.net",
      "mx.cloudflare.net.",
      "mx.cloudflare.netx",
      "mx.cloudflare.net:25",
      "mx.cloudflare.net/",
      "",
    ].map((id) => ({ value: `${id}; dmarc=pass header.from=example.com`, trusted: false, reason: "no Authentication-Results from a trusted server" })),
    {
      value: "spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.com; dkim=pass (signature was verified) header.d=example.com;dmarc=pass action=none header.from=example.com;compauth=pass reason=100",
      trusted: false,
      reason: "no Authentication-Results from a trusted server",
    },
    // An ARC value put in a plain Authentication-Results has no authserv-id where RFC 8601 wants it.
    { value: "i=1; mx.cloudflare.net; dmarc=pass header.from=example.com", trusted: false, reason: "no Authentication-Results from a trusted server" },
    // ARC-Authentication-Results.
    { key: "arc-authentication-results", value: "i=1; mx.cloudflare.net; dmarc=pass header.from=example.com", ...TRUSTED_EXAMPLE },
    { key: "arc-authentication-results", value: "i=50;mx.cloudflare.net;dmarc=pass header.from=example.com", ...TRUSTED_EXAMPLE },
    { key: "ARC-Authentication-Results", value: "I = 1 ; mx.cloudflare.net ; dmarc=pass header.from=example.com", ...TRUSTED_EXAMPLE },
    ...["i=0; ", "i=51; ", "i=x; ", "i=; ", "i=-1; ", ""].map((tag) => ({
      key: "arc-authentication-results",
      value: `${tag}mx.cloudflare.net; dmarc=pass header.from=example.com`,
      trusted: false,
      reason: "ARC-Authentication-Results from mx.cloudflare.net has no valid instance number",
    })),
  ];

  const rows = cases.map((c) => ({ key: "authentication-results", from: "ann@example.com", ...c }));
  it.each(rows)("$key: $value (From $from)", ({ value, from, key, trusted, reason }) => {
    expect(senderVerdict([{ key, value }], from, CLOUDFLARE)).toEqual({ trusted, reason });
  });
});

describe("configuration and the From address", () => {
  const pass = [ar("mx.cloudflare.net; dmarc=pass header.from=example.com")];
  const cases: { ids: string[]; from: string; trusted: boolean; reason: string }[] = [
    { ids: [], from: "ann@example.com", trusted: false, reason: "no trusted authentication server is configured" },
    { ids: ["", "  "], from: "ann@example.com", trusted: false, reason: "no trusted authentication server is configured" },
    { ids: ["  MX.Cloudflare.NET "], from: "ann@example.com", ...TRUSTED_EXAMPLE },
    { ids: ["mx.google.com", "mx.cloudflare.net"], from: "ann@example.com", ...TRUSTED_EXAMPLE },
    { ids: CLOUDFLARE, from: "", trusted: false, reason: "the From address has no domain to check" },
    { ids: CLOUDFLARE, from: "ann", trusted: false, reason: "the From address has no domain to check" },
    { ids: CLOUDFLARE, from: "ann@", trusted: false, reason: "the From address has no domain to check" },
    { ids: CLOUDFLARE, from: "ann@[192.0.2.1]", trusted: false, reason: "the From address has no domain to check" },
    { ids: CLOUDFLARE, from: "example.com", trusted: false, reason: "the From address has no domain to check" },
  ];

  it.each(cases)("trusting $ids, From $from", ({ ids, from, trusted, reason }) => {
    expect(senderVerdict(pass, from, ids)).toEqual({ trusted, reason });
  });
});

describe("garbage never throws and never trusts", () => {
  const values = [
    "",
    ";",
    ";;;;",
    "=",
    "==;==",
    "(",
    ")",
    "(((((",
    '"',
    '"unterminated; dmarc=pass header.from=example.com',
    "\\",
    "\u0000\u0001\u0002",
    "mx.cloudflare.net",
    "mx.cloudflare.net;",
    "mx.cloudflare.net; dmarc",
    "mx.cloudflare.net; dmarc=",
    "mx.cloudflare.net; =pass header.from=example.com",
    "mx.cloudflare.net; dmarc=pass header.from",
    "mx.cloudflare.net; dmarc=pass header.from=",
    "mx.cloudflare.net; dmarc=pass header.from=;",
    "mx.cloudflare.net; dmarc=pass (unclosed header.from=example.com",
    "mx.cloudflare.net; dmarc=pass header.from=example.com)",
    "mx.cloudflare.net; dmarc=pass header.from=\ud800",
    "(mx.cloudflare.net); dmarc=pass header.from=example.com",
    `${"(".repeat(100_000)}mx.cloudflare.net; dmarc=pass header.from=example.com`,
    `mx.cloudflare.net; ${"x".repeat(200_000)}=pass`,
  ];

  it.each(values.map((value) => ({ shown: JSON.stringify(value.slice(0, 60)), full: value })))(
    "$shown",
    ({ full }) => {
      for (const header of [ar(full), arc(full), arc(`i=1; ${full}`)]) {
        const verdict = senderVerdict([header], "ann@example.com", CLOUDFLARE);
        expect(verdict.trusted).toBe(false);
        expect(verdict.reason.length).toBeGreaterThan(0);
        expect(verdict.reason.length).toBeLessThan(200);
      }
    },
  );

  it("reads a huge but valid verdict, and many headers, in linear time", () => {
    const huge = ar(`mx.cloudflare.net; ${"dkim=pass header.d=example.com; ".repeat(20_000)}dmarc=pass header.from=example.com`);
    const noise = Array.from({ length: 20_000 }, (_, i) => ar(`relay${i}.example; dmarc=pass header.from=example.com`));
    const started = performance.now();
    expect(senderVerdict([huge, ...noise], "ann@example.com", CLOUDFLARE)).toEqual(TRUSTED_EXAMPLE);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("real Authentication-Results from the shared corpus", () => {
  it("trusts none of them when only mx.cloudflare.net is trusted", async () => {
    const files = corpusFiles("").filter((f) => f.endsWith(".eml"));
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const { headers, from } = await parsed(corpusBytes(file)).catch(() => ({ headers: [], from: "" }));
      expect(senderVerdict(headers, from, CLOUDFLARE).trusted, file).toBe(false);
    }
  });

  const cases: { file: string; ids: string[]; trusted: boolean; reason: string }[] = [
    { file: "auto/sisimai_bounce_google_workspace_dsn.eml", ids: CLOUDFLARE, trusted: false, reason: "no Authentication-Results from a trusted server" },
    // Google's ARC-Authentication-Results is its topmost stamp.
    { file: "auto/sisimai_bounce_google_workspace_dsn.eml", ids: ["mx.google.com"], trusted: true, reason: "DMARC pass for googlemail.com from mx.google.com" },
    // Fastmail's consolidated ARC-Authentication-Results sits above its split Authentication-Results.
    {
      file: "auto/postalmime_fastmail_postfix_bounce.eml",
      ids: ["mx4.messagingengine.com"],
      trusted: true,
      reason: "DMARC pass for messagingengine.com from mx4.messagingengine.com",
    },
    // The pass belongs to the original inside the message/rfc822 attachment, not to this mail.
    {
      file: "forwarded/sisimai_applemail_fwd_attachment_not_bounce.eml",
      ids: ["mx.example.com"],
      trusted: false,
      reason: "no Authentication-Results from a trusted server",
    },
    { file: "malformed/mikel_to_header_trailing_comma.eml", ids: ["mx.google.com"], trusted: false, reason: "mx.google.com gave no DMARC result" },
    // `header.from=` here belongs to a sender-id result, not to DMARC.
    { file: "auto/sisimai_bounce_amazon_ses.eml", ids: ["nijo.example.jp"], trusted: false, reason: "nijo.example.jp gave no DMARC result" },
    { file: "auto/php_ezmlm_list_reply.eml", ids: ["pb1.pair.com"], trusted: false, reason: "pb1.pair.com gave no DMARC result" },
    { file: "auto/sisimai_bounce_hotmail_utf7.eml", ids: ["hotmail.example.com"], trusted: false, reason: "hotmail.example.com gave no DMARC result" },
    // Exchange's id-less header only appears quoted-printable inside the bounce body.
    { file: "auto/sisimai_bounce_office365_ndr.eml", ids: CLOUDFLARE, trusted: false, reason: "no Authentication-Results from a trusted server" },
  ];

  it.each(cases)("$file, trusting $ids → $reason", async ({ file, ids, trusted, reason }) => {
    const { headers, from } = await parsed(corpusBytes(file));
    expect(senderVerdict(headers, from, ids)).toEqual({ trusted, reason });
  });
});
