import { env } from "cloudflare:test";
import { type Config, loadConfig } from "../../src/config";
import type { Deps, Outcome } from "../../src/core/deps";
import { intake } from "../../src/inbound/intake";
import { listOutbox, OutboxMailer } from "../../src/mail-out/outbox";
import { exportAttacher } from "../../src/network/export/index";

/** Build a raw RFC 5322 message. Headers in order; CRLF line ends like real MTAs. */
export function eml(headers: Record<string, string | undefined>, body: string): string {
  const lines = Object.entries(headers)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`);
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "message-id")) lines.push(`Message-ID: <${crypto.randomUUID()}@test.example>`);
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "mime-version")) lines.push("MIME-Version: 1.0");
  if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) lines.push("Content-Type: text/plain; charset=utf-8");
  return `${lines.join("\r\n")}\r\n\r\n${body.replace(/\r?\n/g, "\r\n")}`;
}

export function config(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig(env), ...overrides };
}

/** The core's dependencies as the entry builds them, on a clock the test sets (`now`;
 * leases run on real time). */
export function deps(overrides: Partial<Config> = {}, now: () => number = Date.now): Deps {
  return { db: env.DB, config: config(overrides), mailer: new OutboxMailer(env.DB, now), clock: { now, wall: Date.now }, attach: exportAttacher(env.DB) };
}

/** The same dependencies at another instant (a later tick). */
export function at(d: Deps, t: number): Deps {
  return { ...d, mailer: new OutboxMailer(env.DB, () => t), clock: { now: () => t, wall: Date.now } };
}

/** Deliver a raw mail to the pipeline as Email Routing would. */
export function send(raw: string | Uint8Array, opts: { from?: string; now?: number; config?: Partial<Config> } = {}): Promise<Outcome> {
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
  const now = opts.now ?? Date.now();
  const envelope = opts.from ?? /^From:.*?<?([^\s<>]+@[^\s<>]+?)>?\s*$/im.exec(new TextDecoder().decode(bytes.slice(0, 8192)))?.[1] ?? "unknown-sender@example.com";
  return intake(deps(opts.config, () => now), { from: envelope, raw: bytes });
}

export const outbox = () => listOutbox(env.DB);

export async function count(table: string, where = "1=1", ...binds: unknown[]): Promise<number> {
  const r = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).bind(...binds).first<{ n: number }>();
  return r?.n ?? 0;
}

export async function userId(email: string): Promise<number> {
  const r = await env.DB.prepare("SELECT id FROM users WHERE email = ?1").bind(email).first<{ id: number }>();
  if (!r) throw new Error(`no user ${email}`);
  return r.id;
}

/** The contacts of a user, with their addresses and phones, by name. */
export async function contactsOf(email: string) {
  const { results } = await env.DB.prepare(
    `SELECT c.id, c.name, c.company, c.title, c.met_at, c.introduced_by, c.last_interaction_at,
       (SELECT group_concat(email) FROM contact_emails WHERE contact_id = c.id) AS emails,
       (SELECT group_concat(phone) FROM contact_phones WHERE contact_id = c.id) AS phones
     FROM contacts c JOIN users u ON u.id = c.user_id WHERE u.email = ?1 ORDER BY c.name`,
  )
    .bind(email)
    .all<{ id: number; name: string | null; company: string | null; title: string | null; met_at: string | null; introduced_by: number | null; last_interaction_at: number | null; emails: string | null; phones: string | null }>();
  return results;
}

/** Sign a user up with a plain first mail; returns when the welcome is in the outbox. */
export async function signUp(address: string, name = "Ann Example"): Promise<void> {
  const out = await send(eml({ From: `${name} <${address}>`, To: "kith@kith.test", Subject: "hello", Date: new Date().toUTCString() }, "Hi Kith"));
  if (out.outcome !== "applied") throw new Error(`sign-up failed: ${JSON.stringify(out)}`);
}
