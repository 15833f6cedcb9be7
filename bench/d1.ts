/** D1 rows read and written per inbound mail: the real intake() against the real D1
 * (workerd's SQLite, through wrangler's platform proxy), for one user with 10,000
 * contacts, summed over every statement the pipeline runs for the mail. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getPlatformProxy, unstable_splitSqlQuery } from "wrangler";
import { loadConfig } from "../src/config";
import { clockAt, type Deps } from "../src/core/deps";
import { intake } from "../src/inbound/intake";
import { OutboxMailer } from "../src/mail-out/outbox";
import { countingDb, type Executed, Tally } from "./counting-db";
import { scenarios } from "./scenarios";

const root = join(import.meta.dirname, "..");
const ME = "ann@example.com";
export const CONTACTS = 10_000;

// As the test bindings in vitest.config.ts.
export const ENV = {
  KITH_ENV: "test",
  ASSISTANT_ADDRESS: "kith@kith.test",
  PUBLIC_URL: "https://kith.test",
  ALLOWED_USERS: "*",
  SENDER_AUTH: "off",
  MAIL_TRANSPORT: "outbox",
  LINK_SECRET: "bench-link-secret-bench-link-secret",
};

export interface ScenarioResult {
  name: string;
  outcome: string;
  participants: number;
  statements: number;
  read: number;
  written: number;
  /** The local outbox transport's own statements (production sends through Resend instead). */
  outbox: { read: number; written: number };
  target: number;
  /** Every statement the pipeline ran for the mail, in order. */
  log: Executed[];
  /** For a mail over target: where its rows read go, by statement, with query plans. */
  heaviest: Grouped[];
}

export interface Grouped {
  sql: string;
  calls: number;
  read: number;
  plan: string[];
}

export const targetFor = (participants: number) => 20 + 3 * participants;

async function migrate(db: D1Database): Promise<void> {
  const dir = join(root, "migrations");
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    const queries = unstable_splitSqlQuery(readFileSync(join(dir, file), "utf8"));
    await db.batch(queries.map((q) => db.prepare(q)));
  }
}

/** Contacts as a long-time user has them: a name and an address each, a phone for one in four. */
export async function seed(db: D1Database, userId: number, now: number): Promise<void> {
  const numbers = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)`;
  await db.batch([
    db
      .prepare(
        `INSERT INTO contacts (id, user_id, name, name_rank, company, source, created_at, updated_at, last_interaction_at)
         ${numbers} SELECT 1000000 + i, ?1, 'Person ' || i, 2, CASE WHEN i % 3 = 0 THEN 'Company ' || (i % 97) END,
           'bcc', ?3 - i * 60000, ?3 - i * 60000, ?3 - i * 60000 FROM n`,
      )
      .bind(userId, CONTACTS, now),
    db
      .prepare(`INSERT INTO contact_emails (contact_id, user_id, email) ${numbers} SELECT 1000000 + i, ?1, 'person' || i || '@example.org' FROM n`)
      .bind(userId, CONTACTS),
    db
      .prepare(`INSERT INTO contact_phones (contact_id, phone) ${numbers} SELECT 1000000 + i, '+1555' || printf('%07d', i) FROM n WHERE i % 4 = 0`)
      .bind(userId, CONTACTS),
  ]);
}

/** The same statement run for each participant adds up: group by SQL, heaviest first. */
export async function breakdown(db: D1Database, log: Executed[]): Promise<Grouped[]> {
  const groups = new Map<string, { first: Executed; calls: number; read: number }>();
  for (const e of log) {
    const g = groups.get(e.sql) ?? { first: e, calls: 0, read: 0 };
    g.calls++;
    g.read += e.read;
    groups.set(e.sql, g);
  }
  const top = [...groups.values()].sort((a, b) => b.read - a.read).slice(0, 4);
  return Promise.all(top.map(async (g) => ({ sql: g.first.sql, calls: g.calls, read: g.read, plan: await plan(db, g.first) })));
}

async function plan(db: D1Database, e: Executed): Promise<string[]> {
  try {
    const { results } = await db.prepare(`EXPLAIN QUERY PLAN ${e.sql}`).bind(...e.params).all<{ detail: string }>();
    return results.map((r) => r.detail);
  } catch (err) {
    return [`(no plan: ${err instanceof Error ? err.message : String(err)})`];
  }
}

/** People the stored interaction links: the participants that the target allows for. */
async function participants(db: D1Database, messageId: string): Promise<number> {
  const row = await db
    .prepare(
      `SELECT count(DISTINCT ic.contact_id) AS n FROM inbound_messages m
       JOIN interactions i ON i.inbound_id = m.id JOIN interaction_contacts ic ON ic.interaction_id = i.id
       WHERE m.message_id = ?1`,
    )
    .bind(messageId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** A fresh, migrated local D1 (workerd's SQLite through wrangler's platform proxy) for
 * the length of `run`, removed afterwards. */
export async function withFreshD1<T>(run: (db: D1Database) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "kith-bench-"));
  const proxy = await getPlatformProxy<{ DB: D1Database }>({
    configPath: join(root, "wrangler.toml"),
    persist: { path: dir },
    envFiles: [],
    remoteBindings: false,
  });
  try {
    await migrate(proxy.env.DB);
    return await run(proxy.env.DB);
  } finally {
    await proxy.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runD1(): Promise<{ results: ScenarioResult[]; seconds: number }> {
  const start = performance.now();
  return withFreshD1(async (raw) => {
    const tally = new Tally();
    const mailTally = new Tally();
    const now = Date.now();
    const deps: Deps = {
      db: countingDb(raw, tally),
      config: loadConfig(ENV),
      mailer: new OutboxMailer(countingDb(raw, mailTally), () => now),
      clock: clockAt(now),
    };
    const mails = scenarios(ME, now);
    const signup = await intake(deps, { from: ME, raw: mails.signup });
    if (signup.outcome !== "applied") throw new Error(`sign-up failed: ${JSON.stringify(signup)}`);
    await seed(raw, signup.userId, now);

    const results: ScenarioResult[] = [];
    for (const s of mails.list) {
      tally.reset();
      mailTally.reset();
      const out = await intake(deps, { from: ME, raw: s.raw });
      if (tally.uncounted + mailTally.uncounted > 0) throw new Error(`${s.name}: the pipeline ran statements that report no meta`);
      const n = out.outcome === "applied" ? await participants(raw, s.messageId) : 0;
      results.push({
        name: s.name,
        outcome: out.outcome === "applied" ? `applied (${out.kind})` : out.outcome,
        participants: n,
        statements: tally.log.length,
        read: tally.read,
        written: tally.written,
        outbox: { read: mailTally.read, written: mailTally.written },
        target: targetFor(n),
        log: tally.log,
        heaviest: tally.read > targetFor(n) ? await breakdown(raw, tally.log) : [],
      });
    }
    return { results, seconds: (performance.now() - start) / 1000 };
  });
}
