import { latin1Bytes } from "../../lib/bytes";
import { base64, type Canon, canonicalBody, canonicalField, fromBase64, type HeaderField, type RawMessage, tagList } from "./canonical";
import type { TxtLookup } from "./dns";
import { dkimKey, type DkimKey, type KeyProblem } from "./dkim-key";

/**
 * DKIM verification (RFC 6376) with WebCrypto: rsa-sha256 and ed25519-sha256 (RFC 8463).
 * rsa-sha1 is refused (RFC 8301). Never throws; every outcome is one of:
 *   pass       the signature verifies against the key published for d= and s=
 *   fail       the mail was changed after it was signed (body or signed headers)
 *   temperror  the key could not be fetched now (DNS timeout or failure): never a pass
 *   permerror  the signature or its key cannot be used (syntax, algorithm, no key,
 *              revoked key, expired signature)
 *
 * l= (body length): a signature whose l= is not the whole canonical body does not pass.
 * Text past l= is unsigned, and Kith acts on the body, so a signed prefix with anything
 * appended is a changed mail (fail); a body shorter than l= was cut (fail).
 */

export type DkimStatus = "pass" | "fail" | "temperror" | "permerror";

export interface DkimResult {
  /** The d= tag, lower-cased; "" when unreadable. */
  domain: string;
  selector: string;
  result: DkimStatus;
  /** Why, in words a user can read. */
  reason: string;
}

/** Signatures checked per mail, at most: each costs a DNS look-up and a hash of the body. */
export const MAX_SIGNATURES = 5;

/** The DKIM-Signature fields of a mail, top (newest) first. */
export function signatureFields(message: RawMessage): HeaderField[] {
  return message.fields.filter((f) => f.name === "dkim-signature");
}

/** The d= of a signature field, lower-cased, if it has a readable one. */
export function signingDomain(field: HeaderField): string | undefined {
  const d = tagList(valueOf(field))?.get("d")?.toLowerCase();
  return d !== undefined && isDomain(d) ? d : undefined;
}

/** Verifies the first MAX_SIGNATURES signatures of the mail. */
export function verifyDkim(message: RawMessage, lookup: TxtLookup, nowMs: number): Promise<DkimResult[]> {
  const context = new Context(message, lookup, nowMs);
  return Promise.all(signatureFields(message).slice(0, MAX_SIGNATURES).map((f) => context.verify(f)));
}

interface Signature {
  algorithm: "rsa-sha256" | "ed25519-sha256";
  domain: string;
  selector: string;
  headers: string[];
  headerCanon: Canon;
  bodyCanon: Canon;
  bodyHash: string;
  signature: Uint8Array;
  length: number | undefined;
  /** The domain of i=, for a key that says t=s. */
  identityDomain: string;
}

/** One mail's verifications: its canonical bodies and keys are worked out once each. */
export class Context {
  private bodies = new Map<Canon, { length: number; hash: Promise<string> }>();
  private keys = new Map<string, Promise<DkimKey | KeyProblem>>();

  constructor(
    private message: RawMessage,
    private lookup: TxtLookup,
    private nowMs: number,
  ) {}

  async verify(field: HeaderField): Promise<DkimResult> {
    const parsed = parseSignature(field, this.nowMs);
    if ("reason" in parsed) return { domain: signingDomain(field) ?? "", selector: "", result: "permerror", reason: parsed.reason };
    const sig = parsed;
    const done = (result: DkimStatus, reason: string): DkimResult => ({ domain: sig.domain, selector: sig.selector, result, reason });
    const of = `the DKIM signature of ${sig.domain}`;

    const body = this.body(sig.bodyCanon);
    if (sig.length !== undefined && sig.length !== body.length) {
      return done("fail", `${of} covers ${sig.length} bytes of a ${body.length}-byte body`);
    }
    if ((await body.hash) !== sig.bodyHash) return done("fail", `the body changed after ${sig.domain} signed it`);

    const key = await this.key(sig.selector, sig.domain);
    if ("reason" in key) return done(key.result, key.reason);
    if (key.type !== sig.algorithm.split("-")[0]) return done("permerror", `${of} uses ${sig.algorithm} with a ${key.type} key`);
    if (key.strictIdentity && sig.identityDomain !== sig.domain) return done("permerror", `the key of ${sig.domain} does not allow signing for ${sig.identityDomain}`);

    const signed = latin1Bytes(this.signedHeaders(field, sig));
    return (await verifyBytes(key, sig, signed)) ? done("pass", `DKIM pass for ${sig.domain}`) : done("fail", `${of} does not verify: a signed header changed, or another key made it`);
  }

  private body(canon: Canon): { length: number; hash: Promise<string> } {
    let body = this.bodies.get(canon);
    if (!body) {
      const bytes = latin1Bytes(canonicalBody(this.message.body, canon));
      this.bodies.set(canon, (body = { length: bytes.length, hash: sha256(bytes).then(base64) }));
    }
    return body;
  }

  private key(selector: string, domain: string): Promise<DkimKey | KeyProblem> {
    const name = `${selector}._domainkey.${domain}`;
    let key = this.keys.get(name);
    if (!key) this.keys.set(name, (key = dkimKey(this.lookup, name)));
    return key;
  }

  /** The signed header fields, each chosen bottom-up by name, then this signature with b= emptied. */
  private signedHeaders(field: HeaderField, sig: Signature): string {
    const used = new Set<HeaderField>([field]);
    let out = "";
    for (const name of sig.headers) {
      const chosen = this.message.fields.findLast((f) => f.name === name && !used.has(f));
      // Naming a field that is not there (over-signing) is how signers forbid adding one.
      if (chosen === undefined) continue;
      used.add(chosen);
      out += `${canonicalField(chosen.raw, sig.headerCanon)}\r\n`;
    }
    return out + canonicalField(withoutSignature(field.raw), sig.headerCanon);
  }
}

function parseSignature(field: HeaderField, nowMs: number): Signature | { reason: string } {
  const tags = tagList(valueOf(field));
  if (tags === undefined) return { reason: "a DKIM signature is malformed" };
  const a = tags.get("a")?.toLowerCase();
  const d = tags.get("d")?.toLowerCase() ?? "";
  const s = tags.get("s")?.toLowerCase() ?? "";
  const of = `the DKIM signature of ${d || "an unreadable domain"}`;
  for (const tag of ["v", "a", "b", "bh", "d", "h", "s"]) if (!tags.has(tag)) return { reason: `${of} has no ${tag}= tag` };
  if (tags.get("v") !== "1") return { reason: `${of} is not DKIM version 1` };
  if (a === "rsa-sha1") return { reason: `${of} uses rsa-sha1, which is no longer accepted (RFC 8301)` };
  if (a !== "rsa-sha256" && a !== "ed25519-sha256") return { reason: `${of} uses an unknown algorithm` };
  if (!isDomain(d) || !s.split(".").every(isLabel)) return { reason: `${of} names an unusable domain or selector` };
  const headers = (tags.get("h") ?? "").split(":").map((h) => h.trim().toLowerCase());
  if (!headers.includes("from")) return { reason: `${of} does not cover the From header` };
  const identityDomain = (tags.get("i") ?? `@${d}`).toLowerCase().replace(/^.*@/, "");
  if (identityDomain !== d && !identityDomain.endsWith(`.${d}`)) return { reason: `${of} has an i= outside its domain` };
  const canon = (tags.get("c") ?? "simple/simple").toLowerCase().split("/");
  const [headerCanon, bodyCanon = "simple"] = canon;
  if (canon.length > 2 || !isCanon(headerCanon) || !isCanon(bodyCanon)) return { reason: `${of} names an unknown canonicalization` };
  const q = tags.get("q");
  if (q !== undefined && !q.split(":").some((m) => m.trim().toLowerCase() === "dns/txt")) return { reason: `${of} names no DNS key` };
  const length = optionalNumber(tags.get("l"));
  const signedAt = optionalNumber(tags.get("t"));
  const expires = optionalNumber(tags.get("x"));
  if (length === null || signedAt === null || expires === null) return { reason: `${of} has an unreadable l=, t= or x= tag` };
  if (expires !== undefined && signedAt !== undefined && expires < signedAt) return { reason: `${of} expires before it was made` };
  if (expires !== undefined && expires * 1000 < nowMs) return { reason: `${of} expired on ${new Date(expires * 1000).toISOString().slice(0, 10)}` };
  const signature = fromBase64(tags.get("b") ?? "");
  const bodyHash = fromBase64(tags.get("bh") ?? "");
  if (!signature?.length || !bodyHash) return { reason: `${of} has unreadable base64` };
  return { algorithm: a, domain: d, selector: s, headers, headerCanon, bodyCanon, bodyHash: base64(bodyHash), signature, length, identityDomain };
}

async function verifyBytes(key: DkimKey, sig: Signature, signed: Uint8Array): Promise<boolean> {
  try {
    if (key.type === "rsa") return await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key.key, sig.signature, signed);
    // Ed25519 signs the SHA-256 of the canonical headers (RFC 8463 §3).
    return await crypto.subtle.verify("Ed25519", key.key, sig.signature, await sha256(signed));
  } catch {
    // A signature of the wrong length for its key is rejected by throwing.
    return false;
  }
}

function valueOf(field: HeaderField): string {
  return field.raw.slice(field.raw.indexOf(":") + 1);
}

/** The field with the value of b= (and the whitespace around it) removed, as it was when signed. */
function withoutSignature(raw: string): string {
  const colon = raw.indexOf(":");
  return raw.slice(0, colon + 1) + raw.slice(colon + 1).replace(/(^|;)([ \t\r\n]*b[ \t\r\n]*=)[^;]*/, "$1$2");
}

function isCanon(c: string | undefined): c is Canon {
  return c === "simple" || c === "relaxed";
}

function isLabel(label: string): boolean {
  return /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label);
}

function isDomain(domain: string): boolean {
  return domain.length <= 253 && domain.includes(".") && domain.split(".").every(isLabel);
}

/** undefined when absent, null when present but not a plain decimal number. */
function optionalNumber(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  return /^[0-9]{1,16}$/.test(value) ? Number(value) : null;
}

async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data));
}
