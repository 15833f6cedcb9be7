import { fromBase64, tagList } from "./canonical";
import type { TxtLookup } from "./dns";

/** A DKIM public key from DNS (RFC 6376 §3.6.1; Ed25519 from RFC 8463), ready for WebCrypto. */

export interface DkimKey {
  type: "rsa" | "ed25519";
  key: CryptoKey;
  /** t=s: the i= of a signature must be d= itself, not a subdomain. */
  strictIdentity: boolean;
}

export interface KeyProblem {
  result: "temperror" | "permerror";
  reason: string;
}

/** Below 1024 bits an RSA key is forgeable (RFC 8301); above 8192 no one publishes one,
 * and checking it costs more than a mail is worth. */
const MIN_RSA_BITS = 1024;
const MAX_RSA_BITS = 8192;

/** The key at `name` (selector._domainkey.domain). Never throws. */
export async function dkimKey(lookup: TxtLookup, name: string): Promise<DkimKey | KeyProblem> {
  const answer = await lookup(name);
  if (answer.kind === "temperror") return { result: "temperror", reason: answer.reason };
  if (answer.kind === "nxdomain" || answer.records.length === 0) return permerror(`no DKIM key is published at ${name}`);
  // Which of two records a signer meant is anyone's guess.
  if (answer.records.length > 1) return permerror(`more than one DKIM key is published at ${name}`);
  const tags = tagList(answer.records[0] ?? "");
  if (tags === undefined) return permerror(`the DKIM key at ${name} is malformed`);
  const v = tags.get("v");
  if (v !== undefined && v !== "DKIM1") return permerror(`the DKIM key at ${name} is not DKIM1`);
  const type = (tags.get("k") ?? "rsa").toLowerCase();
  if (type !== "rsa" && type !== "ed25519") return permerror(`the DKIM key at ${name} is of an unknown type`);
  if (!listed(tags.get("h"), "sha256")) return permerror(`the DKIM key at ${name} does not allow SHA-256`);
  if (!listed(tags.get("s"), "email") && !listed(tags.get("s"), "*")) return permerror(`the DKIM key at ${name} is not for email`);
  const p = tags.get("p");
  if (p === undefined) return permerror(`the DKIM key at ${name} has no p= tag`);
  if (p.trim() === "") return permerror(`the DKIM key at ${name} is revoked`);
  const bytes = fromBase64(p);
  if (bytes === undefined) return permerror(`the DKIM key at ${name} has unreadable base64`);
  // t=y (testing) is not treated specially: the large receivers do not either.
  const strictIdentity = (tags.get("t") ?? "").split(":").some((f) => f.trim() === "s");
  const key = type === "rsa" ? await rsaKey(bytes) : await ed25519Key(bytes);
  if (typeof key === "string") return permerror(`the DKIM key at ${name} ${key}`);
  return { type, key, strictIdentity };
}

function permerror(reason: string): KeyProblem {
  return { result: "permerror", reason };
}

/** Whether a colon-separated tag value names `item`; an absent tag allows everything. */
function listed(value: string | undefined, item: string): boolean {
  return value === undefined || value.split(":").some((x) => x.trim().toLowerCase() === item);
}

async function rsaKey(der: Uint8Array): Promise<CryptoKey | string> {
  // Most publish a SubjectPublicKeyInfo; the RFC's wording allows a bare RSAPublicKey.
  for (const spki of [der, spkiOfRsaPublicKey(der)]) {
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey("spki", spki, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
    } catch {
      continue;
    }
    const bits = "modulusLength" in key.algorithm ? key.algorithm.modulusLength : 0;
    if (bits < MIN_RSA_BITS) return `is too short (${bits} bits; at least ${MIN_RSA_BITS} are needed)`;
    if (bits > MAX_RSA_BITS) return `is longer than ${MAX_RSA_BITS} bits`;
    return key;
  }
  return "is not a readable RSA key";
}

async function ed25519Key(raw: Uint8Array): Promise<CryptoKey | string> {
  if (raw.length !== 32) return "is not a 32-byte Ed25519 key";
  try {
    return await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  } catch {
    return "is not a readable Ed25519 key";
  }
}

/** SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { RSAPublicKey } } in DER. */
function spkiOfRsaPublicKey(rsaPublicKey: Uint8Array): Uint8Array {
  const algorithm = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const bitString = [0x03, ...derLength(rsaPublicKey.length + 1), 0x00, ...rsaPublicKey];
  return new Uint8Array([0x30, ...derLength(algorithm.length + bitString.length), ...algorithm, ...bitString]);
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}
