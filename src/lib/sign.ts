import { z } from "zod";

/** Signed, expiring tokens for one-click links and reply addresses: HMAC-SHA256 over
 * a small JSON payload, so a link names one user, one action and one item. */

const Payload = z.object({
  a: z.string(), // action
  u: z.number().int(), // user id (0 before the sender is a user)
  r: z.string(), // the item: held:<id>, alias:<email>, ...
  x: z.number().int(), // expiry, epoch seconds
});
export type TokenPayload = z.infer<typeof Payload>;

const enc = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromB64url(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function key(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

export async function signToken(secret: string, p: TokenPayload): Promise<string> {
  const body = b64url(enc.encode(JSON.stringify(p)));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), enc.encode(body)));
  return `${body}.${b64url(mac)}`;
}

export type Verified = { ok: true; payload: TokenPayload } | { ok: false; reason: string };

/** Constant-time check (crypto.subtle.verify), then expiry. */
export async function verifyToken(secret: string, token: string, nowMs: number): Promise<Verified> {
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined || token.length > 2048) return { ok: false, reason: "This link is not valid." };
  const macBytes = fromB64url(mac);
  const bodyBytes = fromB64url(body);
  if (!macBytes || !bodyBytes) return { ok: false, reason: "This link is not valid." };
  const good = await crypto.subtle.verify("HMAC", await key(secret), macBytes, enc.encode(body));
  if (!good) return { ok: false, reason: "This link is not valid." };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bodyBytes));
  } catch {
    return { ok: false, reason: "This link is not valid." };
  }
  const parsed = Payload.safeParse(json);
  if (!parsed.success) return { ok: false, reason: "This link is not valid." };
  if (parsed.data.x * 1000 < nowMs) return { ok: false, reason: "This link has expired." };
  return { ok: true, payload: parsed.data };
}

/** A short HMAC for addresses and paths that must survive case-folding (mail local
 * parts): `bytes` bytes of HMAC-SHA256 over `message`, two base-36 digits each. */
export async function shortMac(secret: string, message: string, bytes = 8): Promise<string> {
  const sig = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), enc.encode(message)));
  return [...sig.slice(0, bytes)].map((b) => b.toString(36).padStart(2, "0")).join("");
}

/** String equality whose time does not depend on where the strings differ. */
export function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
