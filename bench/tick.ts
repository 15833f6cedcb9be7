/** D1 rows read and written per reminder tick: the real tick() against a fresh local D1
 * holding 1,000 users and 100,000 pending reminders (plus history), summed over every
 * statement the tick runs. The target: a tick with nothing due reads a handful
 * of rows whatever the table size. */
import { loadConfig } from "../src/config";
import { clockAt, type Deps } from "../src/core/deps";
import { OutboxMailer } from "../src/mail-out/outbox";
import { tick } from "../src/cron/tick";
import { countingDb, type Executed, Tally } from "./counting-db";
import { breakdown, ENV, type Grouped, withFreshD1 } from "./d1";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const USERS = 1_000;
export const CONTACTS_PER_USER = 100;
/** One pending reminder per contact, due over the 90 days after the tick. */
export const PENDING = USERS * CONTACTS_PER_USER;
/** Reminders already mailed ('sent') or acted on ('done'), due over the 90 days before. */
export const HISTORY = 50_000;
/** Past reminder mails, sent, per user (outbound_messages). */
export const MAILS_PER_USER = 20;
/** Held mail that was applied or expired long ago, per user (held_messages): the table
 * keeps it, nothing deletes it. */
export const HELD_PER_USER = 2;
/** Users with something due in (b), each with 1 to 5 items. */
const DUE_USERS = 10;
/** The target for a tick with nothing due. */
export const IDLE_TARGET = 10;

// Id ranges apart from each other (and, in practice, from the random 52-bit newId()s).
const USER0 = 5_000_000;
const CONTACT0 = 10_000_000;
const REMINDER0 = 20_000_000;
const HISTORY0 = 30_000_000;
const OUTBOUND0 = 40_000_000;
const HELD0 = 50_000_000;

export interface TickResult {
  name: string;
  /** Run after ANALYZE: the query planner has statistics. */
  stats: boolean;
  /** The tick's own return value. */
  reminders: number;
  sent: number;
  statements: number;
  read: number;
  written: number;
  /** Rows read per reminder mail sent, when the tick sent any ... */
  perMail: number | null;
  /** ... and the same less what the idle tick before it read: the cost of mailing. */
  perMailOverIdle: number | null;
  /** For the idle ticks. */
  target: number | null;
  outbox: { read: number; written: number };
  log: Executed[];
  /** Where the rows read go, by statement, heaviest first, with query plans. */
  heaviest: Grouped[];
}

export interface TickRun {
  results: TickResult[];
  /** Rows in the tables the tick reads, after seeding. */
  sizes: Record<string, number>;
  /** Items made due in (b), per user. */
  due: number[];
  seedSeconds: number;
  seconds: number;
}

/** Numbers 1..n as a CTE, as the contacts seed in d1.ts: every row is generated inside
 * SQLite by one INSERT ... SELECT per table (two for reminders), with at most five bound
 * integers (D1 allows 100 per statement); 270,000 rows in a couple of seconds. */
const numbers = (n: number) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${Math.floor(n)})`;

async function seed(db: D1Database, now: number): Promise<void> {
  const per = CONTACTS_PER_USER;
  const ahead = 90 * DAY - HOUR;
  await db.batch([
    // Users: id, email, created_at; the schema's defaults for the rest (UTC, 09:00, quiet 21–8).
    db.prepare(`INSERT INTO users (id, email, created_at) ${numbers(USERS)} SELECT ?1 + i, 'user' || i || '@bench.test', ?2 - i * ${MINUTE} FROM n`).bind(USER0, now - 200 * DAY),
    db.prepare(`INSERT INTO user_addresses (email, user_id, status, created_at) SELECT email, id, 'confirmed', created_at FROM users WHERE id > ?1`).bind(USER0),
    // 100 contacts per user, each with an address: the reminders join them.
    db
      .prepare(
        `INSERT INTO contacts (id, user_id, name, name_rank, source, created_at, updated_at, last_interaction_at)
         ${numbers(PENDING)} SELECT ?1 + i, ?2 + (i - 1) / ${per} + 1, 'Person ' || i, 2, 'bcc', ?3 - i * 1000, ?3 - i * 1000, ?3 - i * 1000 FROM n`,
      )
      .bind(CONTACT0, USER0, now - 100 * DAY),
    db.prepare(`INSERT INTO contact_emails (contact_id, user_id, email) SELECT id, user_id, 'person' || (id - ?1) || '@example.org' FROM contacts WHERE id > ?1`).bind(CONTACT0),
    // One pending reminder per contact, one in ten a follow-up, due from an hour after
    // the tick to 90 days after it, scattered by a multiplicative hash of the row number.
    db
      .prepare(
        `INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at)
         ${numbers(PENDING)} SELECT ?1 + i, ?2 + (i - 1) / ${per} + 1, ?3 + i, CASE WHEN i % 10 = 0 THEN 'follow-up' ELSE 'check-in' END,
           ?4 + ${HOUR} + (i * 2654435761) % ${ahead}, 'pending', ?4 - ${DAY} - (i * 40503) % ${60 * DAY} FROM n`,
      )
      .bind(REMINDER0, USER0, CONTACT0, now),
    // Past reminder mails, sent over the 90 days before (none in the last two days).
    db
      .prepare(
        `INSERT INTO outbound_messages (id, user_id, message_id, kind, to_address, subject, status, attempts, provider_id, created_at, sent_at)
         ${numbers(USERS * MAILS_PER_USER)} SELECT ?1 + i, ?2 + (i - 1) / ${MAILS_PER_USER} + 1, '<bench-' || i || '@kith.test>', 'reminder',
           'user' || ((i - 1) / ${MAILS_PER_USER} + 1) || '@bench.test', 'Reminders', 'sent', 1, 'p' || i, ?3 - 2 * ${DAY} - (i * 7919) % ${88 * DAY},
           ?3 - 2 * ${DAY} - (i * 7919) % ${88 * DAY} FROM n`,
      )
      .bind(OUTBOUND0, USER0, now),
    // History: reminders those mails carried, half of them acted on since.
    db
      .prepare(
        `INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, claim_id, claimed_at, sent_at, acted_at, created_at)
         ${numbers(HISTORY)} SELECT ?1 + i, ?2 + (i - 1) % ${USERS} + 1, ?3 + ((i - 1) % ${USERS}) * ${per} + (i * 31) % ${per} + 1,
           CASE WHEN i % 10 = 0 THEN 'follow-up' ELSE 'check-in' END, ?4 - 2 * ${DAY} - (i * 7919) % ${88 * DAY},
           CASE WHEN i % 2 = 0 THEN 'done' ELSE 'sent' END, ?5 + ((i - 1) % ${USERS}) * ${MAILS_PER_USER} + (i * 13) % ${MAILS_PER_USER} + 1,
           ?4 - 2 * ${DAY} - (i * 7919) % ${88 * DAY}, ?4 - 2 * ${DAY} - (i * 7919) % ${88 * DAY},
           CASE WHEN i % 2 = 0 THEN ?4 - ${DAY} END, ?4 - 100 * ${DAY} FROM n`,
      )
      .bind(HISTORY0, USER0, CONTACT0, now, OUTBOUND0),
    // Held mail, long since applied or expired.
    db
      .prepare(
        `INSERT INTO held_messages (id, user_id, address, message_id, intent, status, created_at, expires_at)
         ${numbers(USERS * HELD_PER_USER)} SELECT ?1 + i, ?2 + (i - 1) % ${USERS} + 1, 'user' || ((i - 1) % ${USERS} + 1) || '@bench.test',
           '<held-' || i || '@example.com>', '{}', CASE WHEN i % 2 = 0 THEN 'applied' ELSE 'expired' END,
           ?3 - 3 * ${DAY} - i * ${MINUTE}, ?3 - 2 * ${DAY} - i * ${MINUTE} FROM n`,
      )
      .bind(HELD0, USER0, now),
  ]);
}

/** (b): ten users (the `first`th seeded, then every 100th) get 1..5 of their pending reminders
 * moved to the hour before `now`. */
async function makeDue(db: D1Database, now: number, first: number): Promise<number[]> {
  const due: number[] = [];
  const statements: D1PreparedStatement[] = [];
  for (let k = 0; k < DUE_USERS; k++) {
    const n = (k % 5) + 1;
    due.push(n);
    statements.push(
      db
        .prepare(
          `UPDATE reminders SET due_at = ?2 - id % ${HOUR} WHERE id IN
             (SELECT id FROM reminders WHERE user_id = ?1 AND status = 'pending' ORDER BY id LIMIT ?3)`,
        )
        .bind(USER0 + first + k * (USERS / DUE_USERS), now, n),
    );
  }
  await db.batch(statements);
  return due;
}

async function sizes(db: D1Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ["users", "contacts", "reminders", "outbound_messages", "held_messages"]) {
    out[t] = (await db.prepare(`SELECT count(*) AS n FROM ${t}`).first<{ n: number }>())!.n;
  }
  return out;
}

export async function runTick(): Promise<TickRun> {
  const start = performance.now();
  // A fixed time of day, 12:00 UTC: the seeded users are on UTC with the default quiet
  // hours (21:00–08:00), which would otherwise defer (b)'s mails depending on when the
  // bench runs.
  const today = new Date();
  const now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 12);
  return withFreshD1(async (raw) => {
    await seed(raw, now);
    const tableSizes = await sizes(raw);
    const seedSeconds = (performance.now() - start) / 1000;

    const tally = new Tally();
    const mailTally = new Tally();
    const results: TickResult[] = [];
    const measure = async (name: string, stats: boolean, at: number, mails: number, idle: boolean): Promise<TickResult> => {
      tally.reset();
      mailTally.reset();
      const deps: Deps = {
        db: countingDb(raw, tally),
        config: loadConfig(ENV),
        mailer: new OutboxMailer(countingDb(raw, mailTally), () => at),
        clock: clockAt(at),
      };
      const out = await tick(deps);
      if (tally.uncounted + mailTally.uncounted > 0) throw new Error(`${name}: the tick ran statements that report no meta`);
      if (out.reminders !== mails) throw new Error(`${name}: the tick sent ${out.reminders} reminder mails, expected ${mails}`);
      const r: TickResult = {
        name,
        stats,
        reminders: out.reminders,
        sent: out.sent,
        statements: tally.log.length,
        read: tally.read,
        written: tally.written,
        perMail: out.reminders > 0 ? tally.read / out.reminders : null,
        perMailOverIdle: null,
        target: idle ? IDLE_TARGET : null,
        outbox: { read: mailTally.read, written: mailTally.written },
        log: tally.log,
        heaviest: await breakdown(raw, tally.log),
      };
      results.push(r);
      return r;
    };
    // (a), (b), (c) in a fresh database, whose planner has no statistics; then the same
    // again (other users due in (b)) after ANALYZE, which D1's docs advise (as `PRAGMA
    // optimize`) after creating indexes: with statistics the planner may pick other plans.
    // Nothing seeded is due before an hour after `now`; each tick comes five minutes on.
    let due: number[] = [];
    for (const stats of [false, true]) {
      if (stats) await raw.prepare("ANALYZE").run();
      const at = stats ? now + 15 * MINUTE : now;
      const a = await measure("(a) nothing due", stats, at, 0, true);
      due = await makeDue(raw, at, stats ? 50 : 100);
      const b = await measure(`(b) ${DUE_USERS} users due`, stats, at + 5 * MINUTE, DUE_USERS, false);
      b.perMailOverIdle = (b.read - a.read) / DUE_USERS;
      await measure("(c) next tick, nothing due", stats, at + 10 * MINUTE, 0, true);
    }
    return { results, sizes: tableSizes, due, seedSeconds, seconds: (performance.now() - start) / 1000 };
  });
}
