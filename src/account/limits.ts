import { sha256Hex } from "../lib/ids";
import { DAY } from "../lib/time";

/** SQL for rate_limits: fixed-window counters in D1 (exact across every isolate and
 * location, at one row written per counted request; Cloudflare's rate-limiting binding
 * would be free of writes but counts per location and only over 10 or 60 seconds, too
 * short for "5 sign-in mails an hour"). The only module that writes the table. */

/** Count one request against `key` in the window of `windowMs` that holds `now`; true
 * while at most `limit` have been counted. */
export async function allow(db: D1Database, key: string, limit: number, windowMs: number, now: number): Promise<boolean> {
  const window = now - (now % windowMs);
  const row = await db
    .prepare("INSERT INTO rate_limits (key, window, count) VALUES (?1, ?2, 1) ON CONFLICT (key, window) DO UPDATE SET count = count + 1 RETURNING count")
    .bind(key, window)
    .first<{ count: number }>();
  return (row?.count ?? 0) <= limit;
}

/** How many have been counted against `key` in the window of `windowMs` that holds `now`. */
export async function counted(db: D1Database, key: string, windowMs: number, now: number): Promise<number> {
  const row = await db.prepare("SELECT count FROM rate_limits WHERE key = ?1 AND window = ?2").bind(key, now - (now % windowMs)).first<{ count: number }>();
  return row?.count ?? 0;
}

/** Count one against `key`, as a statement for the batch that stores what it counts: a
 * mail not stored (a redelivery, a failed batch) is not counted. */
export function countOne(db: D1Database, key: string, windowMs: number, now: number): D1PreparedStatement {
  return db
    .prepare("INSERT INTO rate_limits (key, window, count) VALUES (?1, ?2, 1) ON CONFLICT (key, window) DO UPDATE SET count = count + 1")
    .bind(key, now - (now % windowMs));
}

/** The tick's part: windows older than a day go. */
export function pruneLimits(db: D1Database, now: number): D1PreparedStatement {
  return db.prepare("DELETE FROM rate_limits WHERE window < ?1").bind(now - DAY);
}

/** Account deletion: the counters keyed by this user. */
export function deleteLimits(db: D1Database, keys: string[]): D1PreparedStatement {
  return db.prepare("DELETE FROM rate_limits WHERE key IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(keys));
}

/** The counters' keys: what each limits. Addresses are hashed (a counter is no place
 * for an address in clear). */
export const limitKeys = {
  loginAddress: async (address: string) => `login:address:${await sha256Hex(address.toLowerCase())}`,
  loginClient: async (ip: string) => `login:client:${await sha256Hex(ip)}`,
  api: (userId: number) => `api:user:${userId}`,
  aliasMail: (userId: number) => `alias:user:${userId}`,
  inboundAddress: async (address: string, authenticated: boolean) => `inbound:${authenticated ? "address" : "unverified"}:${await sha256Hex(address.toLowerCase())}`,
};
