/**
 * A small DKIM signer (RFC 6376, RFC 8463) for tests, with keys made by WebCrypto here.
 * It canonicalizes on its own, not with Kith's code, so that a mistake in Kith's
 * canonicalization shows up as a failing test rather than cancelling out.
 */

export type Algorithm = "rsa-sha256" | "ed25519-sha256" | "rsa-sha1";
export type Canonicalization = "simple/simple" | "relaxed/relaxed" | "relaxed/simple" | "simple/relaxed";

export interface Signer {
  domain: string;
  selector: string;
  algorithm: Algorithm;
  privateKey: CryptoKey;
  /** The TXT record to publish at `${selector}._domainkey.${domain}`. */
  record: string;
}

export interface SignOptions {
  c?: Canonicalization;
  /** Header names to sign, in order; a name listed once more than the mail has it is over-signed. */
  h?: string[];
  /** t= and x=, seconds since the epoch. */
  t?: number;
  x?: number;
  /** Sign only this many bytes of the canonical body (l=). */
  l?: number;
  i?: string;
}

export async function rsaSigner(domain: string, selector: string, bits = 2048, algorithm: "rsa-sha256" | "rsa-sha1" = "rsa-sha256"): Promise<Signer> {
  const hash = algorithm === "rsa-sha1" ? "SHA-1" : "SHA-256";
  const pair = (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash }, true, ["sign", "verify"])) as CryptoKeyPair;
  const spki = new Uint8Array((await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer);
  return { domain, selector, algorithm, privateKey: pair.privateKey, record: `v=DKIM1; k=rsa; p=${b64(spki)}` };
}

export async function ed25519Signer(domain: string, selector: string): Promise<Signer> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  return { domain, selector, algorithm: "ed25519-sha256", privateKey: pair.privateKey, record: `v=DKIM1; k=ed25519; p=${b64(raw)}` };
}

/** The mail with a DKIM-Signature for `signer` on top. `mail` uses CRLF line ends. */
export async function sign(mail: string, signer: Signer, options: SignOptions = {}): Promise<string> {
  const bytes = latin1(new TextEncoder().encode(mail));
  const split = bytes.indexOf("\r\n\r\n");
  const head = bytes.slice(0, split);
  const body = bytes.slice(split + 4);
  const [hc, bc] = (options.c ?? "relaxed/relaxed").split("/") as ["simple" | "relaxed", "simple" | "relaxed"];
  const names = options.h ?? ["from", "to", "subject", "date", "message-id"];
  const sha = signer.algorithm === "rsa-sha1" ? "SHA-1" : "SHA-256";

  let canonical = bc === "simple" ? simpleBody(body) : relaxedBody(body);
  if (options.l !== undefined) canonical = canonical.slice(0, options.l);
  const bh = b64(await digest(sha, canonical));
  const tags = [
    "v=1",
    `a=${signer.algorithm}`,
    `c=${hc}/${bc}`,
    `d=${signer.domain}`,
    `s=${signer.selector}`,
    ...(options.i ? [`i=${options.i}`] : []),
    ...(options.t !== undefined ? [`t=${options.t}`] : []),
    ...(options.x !== undefined ? [`x=${options.x}`] : []),
    ...(options.l !== undefined ? [`l=${options.l}`] : []),
    `h=${names.join(":")}`,
  ];
  // Folded as real signers fold, so that unfolding is tested too.
  const unsigned = `DKIM-Signature: ${tags.join("; ")};\r\n\tbh=${bh};\r\n\tb=`;

  const fields = headerFields(head);
  const used = new Set<number>();
  let data = "";
  for (const name of names) {
    let at = -1;
    for (let k = fields.length - 1; k >= 0; k--) {
      if (!used.has(k) && fields[k]!.split(":")[0]!.trim().toLowerCase() === name) {
        at = k;
        break;
      }
    }
    if (at < 0) continue;
    used.add(at);
    data += (hc === "simple" ? fields[at]! : relaxedHeader(fields[at]!)) + "\r\n";
  }
  data += hc === "simple" ? unsigned : relaxedHeader(unsigned);

  const signed = octets(data);
  const signature =
    signer.algorithm === "ed25519-sha256"
      ? await crypto.subtle.sign("Ed25519", signer.privateKey, await digest("SHA-256", data))
      : await crypto.subtle.sign("RSASSA-PKCS1-v1_5", signer.privateKey, signed);
  return `${unsigned}${b64(new Uint8Array(signature))}\r\n${mail}`;
}

function headerFields(head: string): string[] {
  const fields: string[] = [];
  for (const line of head.split("\r\n")) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += `\r\n${line}`;
    else fields.push(line);
  }
  return fields;
}

function relaxedHeader(field: string): string {
  const colon = field.indexOf(":");
  const value = field.slice(colon + 1).replace(/\r\n([ \t])/g, "$1").replace(/[ \t]+/g, " ").trim();
  return `${field.slice(0, colon).trim().toLowerCase()}:${value}`;
}

function simpleBody(body: string): string {
  return body.replace(/(\r\n)*$/, "") + "\r\n";
}

function relaxedBody(body: string): string {
  const text = body
    .split("\r\n")
    .map((line) => line.replace(/[ \t]+$/, "").replace(/[ \t]+/g, " "))
    .join("\r\n")
    .replace(/(\r\n)*$/, "");
  return text === "" ? "" : `${text}\r\n`;
}

async function digest(hash: "SHA-1" | "SHA-256", text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(hash, octets(text)));
}

function latin1(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => String.fromCharCode(b)).join("");
}

function octets(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function b64(bytes: Uint8Array): string {
  return btoa(latin1(bytes));
}
