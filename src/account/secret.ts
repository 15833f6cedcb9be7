import { sha256Hex } from "../lib/ids";

/** A secret for a link, a cookie or an API token: 32 random bytes, base64url. Only its
 * SHA-256 is ever stored, so a copy of the database signs no one in. */
export function newSecret(prefix = ""): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return prefix + btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export const hashSecret = (secret: string): Promise<string> => sha256Hex(secret);

/** What a secret looks like, checked before it is hashed and looked up. */
export const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;
