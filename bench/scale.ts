/** The scale scenario (issue 4, "Scale-out"): 10,000 users, 100,000 contacts and
 * 100,000 reminders due at once, through the queue path of the real tick() and the real
 * consumer, on a fresh local D1 (workerd's SQLite). tick() and consumeJobs() run inside
 * workerd (bench/scale-worker.ts, started by wrangler with this repository's
 * wrangler.toml); this side seeds, drives the steps and adds up their figures. The Queue
 * is an in-process stand-in that records sendBatch bodies; the drain hands them to
 * consumeJobs() in MessageBatch-like objects of max_batch_size messages: what is
 * measured is D1 and the Worker's code, not the Queues service. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_splitSqlQuery, unstable_startWorker } from "wrangler";
import type { ReminderJob } from "../src/core/deps";
import { percentile } from "./cpu";
import { ENV } from "./d1";
import type { DrainAnswer, JobFigures, StatementTotal, TickAnswer } from "./scale-worker";

const root = join(import.meta.dirname, "..");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const SCALE_USERS = 10_000;
export const SCALE_CONTACTS_PER_USER = 10;
/** One reminder per contact, all due at or before the tick. */
export const SCALE_DUE_PER_USER = 10;
/** Of each user's due reminders, this many are follow-ups, the rest check-ins: fewer
 * than the item cap, so all of them go into the first mail. */
export const SCALE_FOLLOW_UPS_PER_USER = 3;
/** users.item_cap's default (migrations/0002). */
export const ITEM_CAP = 5;
/** The consumer's max_batch_size in wrangler.toml. */
export const QUEUE_BATCH = maxBatchSize();
/** Jobs per request to the bench Worker during the drain. */
const JOBS_PER_REQUEST = 500;

const USER0 = 6_000_000;
const CONTACT0 = 60_000_000;
const REMINDER0 = 70_000_000;

function maxBatchSize(): number {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const m = /^\s*max_batch_size\s*=\s*(\d+)/m.exec(toml);
  if (!m) throw new Error("wrangler.toml: no max_batch_size in [[queues.consumers]]");
  return Number(m[1]);
}

type Call = <T>(route: string, body: unknown) => Promise<T>;
interface Stmt {
  sql: string;
  params?: unknown[];
}

const numbers = (n: number) => `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${Math.floor(n)})`;

/** As the tick bench: every row made inside SQLite by INSERT ... SELECT over a CTE. */
function seed(now: number): Stmt[] {
  const per = SCALE_CONTACTS_PER_USER;
  const contacts = SCALE_USERS * per;
  return [
    // The schema's defaults for the rest: UTC, delivery at 09:00, quiet 21–08, item_cap 5,
    // no weekly summary scheduled (next_summary_at NULL).
    { sql: `INSERT INTO users (id, email, created_at) ${numbers(SCALE_USERS)} SELECT ?1 + i, 'user' || i || '@scale.test', ?2 - i * ${MINUTE} FROM n`, params: [USER0, now - 200 * DAY] },
    { sql: `INSERT INTO user_addresses (email, user_id, status, created_at) SELECT email, id, 'confirmed', created_at FROM users WHERE id > ?1`, params: [USER0] },
    {
      sql: `INSERT INTO contacts (id, user_id, name, name_rank, source, created_at, updated_at, last_interaction_at)
         ${numbers(contacts)} SELECT ?1 + i, ?2 + (i - 1) / ${per} + 1, 'Person ' || i, 2, 'bcc', ?3 - i * 1000, ?3 - i * 1000, ?3 - i * 1000 FROM n`,
      params: [CONTACT0, USER0, now - 100 * DAY],
    },
    { sql: `INSERT INTO contact_emails (contact_id, user_id, email) SELECT id, user_id, 'person' || (id - ?1) || '@example.org' FROM contacts WHERE id > ?1`, params: [CONTACT0] },
    // One reminder per contact, due over the three days up to the tick; each user's first
    // SCALE_FOLLOW_UPS_PER_USER are follow-ups, created a day before they fell due.
    {
      sql: `INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at)
         ${numbers(contacts)} SELECT ?1 + i, ?2 + (i - 1) / ${per} + 1, ?3 + i,
           CASE WHEN (i - 1) % ${per} < ${SCALE_FOLLOW_UPS_PER_USER} THEN 'follow-up' ELSE 'check-in' END,
           ?4 - (i * 2654435761) % ${3 * DAY}, 'pending', ?4 - (i * 2654435761) % ${3 * DAY} - ${DAY} FROM n`,
      params: [REMINDER0, USER0, CONTACT0, now],
    },
  ];
}

export interface Dist {
  p50: number;
  p99: number;
  max: number;
}

export interface ScaleTick {
  name: string;
  /** Minutes after the first tick. */
  minutes: number;
  mails: number;
  enqueued: number;
  statements: number;
  read: number;
  written: number;
  ms: number;
  heaviest: { sql: string; calls: number; read: number; plan: string[] }[];
}

export interface PerStatement {
  sql: string;
  /** Per job, means over all jobs. */
  calls: number;
  read: number;
  written: number;
  plan: string[];
}

const dist = (xs: number[]): Dist => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? 0 };
};

async function plan(call: Call, s: StatementTotal): Promise<string[]> {
  try {
    const [rows] = await call<{ detail: string }[][]>("/sql", { statements: [{ sql: `EXPLAIN QUERY PLAN ${s.sql}`, params: s.params }] });
    return rows!.map((r) => r.detail);
  } catch (err) {
    return [`(no plan: ${err instanceof Error ? err.message.split("\n")[0] : String(err)})`];
  }
}

/** A fresh local D1 behind the bench Worker, for the length of `run`. */
async function withScaleWorker<T>(run: (call: Call) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "kith-scale-"));
  // Wrangler's warnings (offline, it cannot fetch the Request.cf placeholder the bench
  // Worker never reads) would land in the middle of the tables: errors only.
  const logLevel = process.env.WRANGLER_LOG;
  process.env.WRANGLER_LOG = "error";
  let worker: Awaited<ReturnType<typeof unstable_startWorker>> | undefined;
  try {
    worker = await unstable_startWorker({
      config: join(root, "wrangler.toml"),
      entrypoint: join(root, "bench", "scale-worker.ts"),
      dev: { persist: dir, server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, remote: false, logLevel: "error" },
    });
    await worker.ready;
    const w = worker;
    const call: Call = async <T>(route: string, body: unknown) => {
      const res = await w.fetch(`http://bench${route}`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
      if (!res.ok) throw new Error(`bench worker ${route}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const migrations = join(root, "migrations");
    for (const file of readdirSync(migrations).filter((f) => f.endsWith(".sql")).sort()) {
      await call("/sql", { statements: unstable_splitSqlQuery(readFileSync(join(migrations, file), "utf8")).map((sql) => ({ sql })) });
    }
    return await run(call);
  } finally {
    await worker?.dispose();
    rmSync(dir, { recursive: true, force: true });
    if (logLevel === undefined) delete process.env.WRANGLER_LOG;
    else process.env.WRANGLER_LOG = logLevel;
  }
}

async function count(call: Call, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await call<{ n: number }[][]>("/sql", { statements: [{ sql, params }] });
  return rows![0]!.n;
}

/** How many of the 10,000 jobs go through consumeJobs(). A sequential drain of all of
 * them takes minutes (a dozen D1 round trips a job, each some milliseconds in the local
 * runtime), so by default the first DEFAULT_DRAIN_JOBS are drained and timed, and the
 * other users are brought to the state their job leaves (completeInBulk, checked);
 * BENCH_SCALE_JOBS=10000 drains every job through the consumer. */
export const DEFAULT_DRAIN_JOBS = 1_000;
export const DRAIN_JOBS = Math.max(QUEUE_BATCH, Math.min(SCALE_USERS, Number(process.env.BENCH_SCALE_JOBS ?? DEFAULT_DRAIN_JOBS)));

const BULK_OUTBOUND0 = 200_000_000;

/** What deliverFor() does for each user of this seed, for `userIds` at once, in SQL: the
 * mail (as sent) with its items (follow-ups first, then by due time, up to the cap), each
 * check-in mailed moved on to its next time, the user's next look at the next slot (the rest
 * of what is due waits for it), the lease released. `slot` and `nextCheckIn` are read off
 * users the consumer served, so that nothing of the schedule is re-implemented here;
 * shapes() checks the result. */
function completeInBulk(userIds: number[], now: number, slot: number, nextCheckIn: number): Stmt[] {
  return [
    { sql: "CREATE TABLE bench_bulk (user_id INTEGER PRIMARY KEY, outbound_id INTEGER NOT NULL)" },
    { sql: "INSERT INTO bench_bulk SELECT value, ?2 + value FROM json_each(?1)", params: [JSON.stringify(userIds), BULK_OUTBOUND0] },
    { sql: "CREATE TABLE bench_take (reminder_id INTEGER PRIMARY KEY, user_id INTEGER, outbound_id INTEGER, item_no INTEGER, kind TEXT, contact_id INTEGER)" },
    {
      sql: `INSERT INTO bench_take SELECT id, user_id, outbound_id, item_no, kind, contact_id FROM (
              SELECT r.id, r.user_id, b.outbound_id, r.kind, r.contact_id,
                row_number() OVER (PARTITION BY r.user_id ORDER BY CASE r.kind WHEN 'follow-up' THEN 0 WHEN 'intro-check' THEN 1 ELSE 2 END, r.due_at) AS item_no
              FROM reminders r JOIN bench_bulk b ON b.user_id = r.user_id WHERE r.status = 'pending' AND r.due_at <= ?1)
            WHERE item_no <= ${ITEM_CAP}`,
      params: [now],
    },
    {
      sql: `INSERT INTO outbound_messages (id, user_id, message_id, kind, to_address, subject, status, attempts, provider_id, created_at, sent_at, items)
            SELECT b.outbound_id, b.user_id, '<bulk-' || b.outbound_id || '@kith.test>', 'reminder', u.email, 'Reminders', 'sent', 1, 'bulk-' || b.outbound_id, ?1, ?1,
              (SELECT json_group_array(reminder_id) FROM (SELECT reminder_id FROM bench_take t WHERE t.outbound_id = b.outbound_id ORDER BY item_no))
            FROM bench_bulk b JOIN users u ON u.id = b.user_id`,
      params: [now],
    },
    {
      sql: `UPDATE reminders SET status = iif(t.kind = 'check-in', 'pending', 'sent'), due_at = iif(t.kind = 'check-in', ?2, reminders.due_at), sent_at = ?1
            FROM bench_take t WHERE t.reminder_id = reminders.id`,
      params: [now, nextCheckIn],
    },
    { sql: "UPDATE users SET remind_at = ?1 WHERE id IN (SELECT user_id FROM bench_bulk)", params: [slot] },
    { sql: "DELETE FROM reminder_jobs WHERE user_id IN (SELECT user_id FROM bench_bulk)" },
    { sql: "DROP TABLE bench_take" },
    { sql: "DROP TABLE bench_bulk" },
  ];
}

/** Every user's reminders, as (kind, status, due time relative to the tick if pending and
 * not yet due, mailed and moved on by the job or not), their next look and their mail: one shape for
 * all 10,000 users means the bulk completion left each user as the consumer did. */
const SHAPES = `SELECT sig, count(*) AS users, min(user_id) AS example FROM (
    SELECT r.user_id, group_concat(r.part, ' ') || ' | look ' || (SELECT CAST(remind_at - ?1 AS INTEGER) FROM users WHERE id = r.user_id)
      || ' | mails ' || (SELECT count(*) FROM outbound_messages o WHERE o.user_id = r.user_id)
      || ' items ' || (SELECT sum(json_array_length(o.items)) FROM outbound_messages o WHERE o.user_id = r.user_id) AS sig
    FROM (SELECT user_id, kind || ':' || status || ':' || CASE WHEN status <> 'pending' THEN '' WHEN due_at <= ?1 THEN 'due' ELSE CAST(due_at - ?1 AS INTEGER) END
            || ':' || (status = 'pending' AND sent_at IS ?1) AS part
          FROM reminders ORDER BY user_id, part) r
    GROUP BY r.user_id)
  GROUP BY sig ORDER BY users DESC`;

export interface ScaleRun {
  sizes: Record<string, number>;
  seedSeconds: number;
  ticks: ScaleTick[];
  jobs: number;
  /** Users brought to their job's end state in SQL instead (0 when every job was drained). */
  bulk: number;
  sendBatches: number;
  batches: number;
  acked: number;
  retried: number;
  mails: number;
  duplicateSends: number;
  perJob: { read: Dist; written: Dist; statements: Dist; ms: Dist };
  /** p50 of rows read per job and of its time over the first and the last thousand jobs
   * drained: a job's cost should not grow as the drain fills outbound_messages
   * (meaningful when every job is drained). */
  drift: { first: number; last: number; firstMs: number; lastMs: number };
  statements: PerStatement[];
  /** Wall time of the drain as the driver saw it (its requests to the Worker included)
   * and as the Worker saw it (the sum over its requests). */
  drainSeconds: number;
  workerDrainSeconds: number;
  after: {
    reminders: Record<string, number>;
    items: number;
    leases: number;
    outbound: number;
    /** Distinct end states over all users (1: every user alike). */
    shapes: number;
    shape: string;
    /** Database size after the drain, as D1 reports it (meta.size_after). */
    bytes: number;
  };
  seconds: number;
}

export async function runScale(): Promise<ScaleRun> {
  const start = performance.now();
  // 12:00 UTC, as in tick.ts: outside the seeded users' quiet hours whatever the hour the
  // bench runs; the next delivery slot is then later the same day, where the items over
  // the cap are deferred to.
  const today = new Date();
  const now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), 12);
  return withScaleWorker(async (call) => {
    await call("/sql", { statements: seed(now) });
    const sizes: Record<string, number> = {};
    for (const t of ["users", "contacts", "contact_emails", "reminders"]) sizes[t] = await count(call, `SELECT count(*) AS n FROM ${t}`);
    sizes.due = await count(call, "SELECT count(*) AS n FROM reminders WHERE status = 'pending' AND due_at <= ?1", [now]);
    sizes.followUps = await count(call, "SELECT count(*) AS n FROM reminders WHERE kind = 'follow-up'");
    const seedSeconds = (performance.now() - start) / 1000;

    const ticks: ScaleTick[] = [];
    const measureTick = async (name: string, minutes: number): Promise<TickAnswer> => {
      const t = await call<TickAnswer>("/tick", { env: ENV, at: now + minutes * MINUTE });
      const heaviest = [];
      for (const g of [...t.groups].sort((a, b) => b.read - a.read).slice(0, 2)) {
        heaviest.push({ sql: g.sql, calls: g.calls, read: g.read, plan: g.read > 10 ? await plan(call, g) : [] });
      }
      ticks.push({ name, minutes, mails: t.out.reminders, enqueued: t.out.enqueued, statements: t.statements, read: t.read, written: t.written, ms: t.ms, heaviest });
      return t;
    };

    // (1) The tick that finds every user due: one job each, handed to the queue.
    const first = await measureTick("(1) enqueuing tick", 0);
    if (first.out.enqueued !== SCALE_USERS || first.bodies.length !== SCALE_USERS || new Set(first.bodies.map((b) => b.userId)).size !== SCALE_USERS) {
      throw new Error(`(1): enqueued ${first.out.enqueued}, the queue got ${first.bodies.length} jobs; expected one for each of ${SCALE_USERS} users`);
    }
    // (5) Five minutes on, every job still waiting (leases last 10 minutes): nothing may
    // be enqueued again.
    const leased = await measureTick("(5) tick +5 min, all leased", 5);
    if (leased.out.enqueued !== 0 || leased.out.reminders !== 0) throw new Error(`(5): ${leased.out.enqueued} enqueued, ${leased.out.reminders} mailed again`);

    // The drain: one consumer, one batch after another.
    const bodies: ReminderJob[] = first.bodies.slice(0, DRAIN_JOBS);
    const jobs: JobFigures[] = [];
    const groups = new Map<string, StatementTotal>();
    const keys: string[] = [];
    let batches = 0;
    let workerMs = 0;
    const drainStart = performance.now();
    for (let i = 0; i < bodies.length; i += JOBS_PER_REQUEST) {
      const d = await call<DrainAnswer>("/drain", { env: ENV, bodies: bodies.slice(i, i + JOBS_PER_REQUEST), batchSize: QUEUE_BATCH, firstId: i });
      jobs.push(...d.jobs);
      keys.push(...d.keys);
      batches += d.batches;
      workerMs += d.ms;
      for (const g of d.groups) {
        const t = groups.get(g.sql) ?? { ...g, calls: 0, read: 0, written: 0 };
        t.calls += g.calls;
        t.read += g.read;
        t.written += g.written;
        groups.set(g.sql, t);
      }
      if (process.env.BENCH_VERBOSE) console.error(`  scale: drained ${jobs.length} jobs in ${((performance.now() - drainStart) / 1000).toFixed(1)} s`);
    }
    const drainSeconds = (performance.now() - drainStart) / 1000;

    // The users whose jobs were not drained: their job's end state, in bulk, with the
    // times the consumer chose for the users it served.
    const rest = first.bodies.slice(DRAIN_JOBS).map((b) => b.userId);
    if (rest.length > 0) {
      const served = bodies[0]!.userId;
      const slot = await count(call, "SELECT remind_at AS n FROM users WHERE id = ?1", [served]);
      const nextCheckIn = await count(call, "SELECT max(due_at) AS n FROM reminders WHERE user_id = ?1 AND status = 'pending' AND sent_at = ?2", [served, now]);
      await call("/sql", { statements: completeInBulk(rest, now, slot, nextCheckIn) });
    }

    // (4) The tick after the drain: each user got one mail with ITEM_CAP items, the rest
    // wait for the next slot, so nothing is due.
    const after4 = await measureTick("(4) tick +10 min, after the drain", 10);
    if (after4.out.enqueued !== 0 || after4.out.reminders !== 0) throw new Error(`(4): ${after4.out.reminders} mails, ${after4.out.enqueued} enqueued; expected none`);

    const [statusRows, shapeRows] = await call<unknown[][]>("/sql", {
      statements: [
        { sql: "SELECT status, count(*) AS n FROM reminders GROUP BY status" },
        { sql: SHAPES, params: [now] },
      ],
    });
    const shapes = shapeRows as { sig: string; users: number; example: number }[];
    if (shapes.length !== 1 || shapes[0]!.users !== SCALE_USERS) {
      throw new Error(`after the drain, users are not all alike:\n${shapes.slice(0, 4).map((s) => `  ${s.users} users (e.g. ${s.example}): ${s.sig}`).join("\n")}`);
    }
    const after = {
      reminders: Object.fromEntries((statusRows as { status: string; n: number }[]).map((r) => [r.status, r.n])),
      items: await count(call, "SELECT sum(json_array_length(items)) AS n FROM outbound_messages"),
      leases: await count(call, "SELECT count(*) AS n FROM reminder_jobs"),
      outbound: await count(call, "SELECT count(*) AS n FROM outbound_messages"),
      shapes: shapes.length,
      shape: shapes[0]!.sig,
      bytes: (await call<{ bytes: number }>("/size", {})).bytes,
    };

    const n = jobs.length;
    const statements: PerStatement[] = [];
    for (const g of [...groups.values()].sort((a, b) => b.read - a.read || b.calls - a.calls)) {
      statements.push({ sql: g.sql, calls: g.calls / n, read: g.read / n, written: g.written / n, plan: await plan(call, g) });
    }
    const p50 = (xs: number[]) => dist(xs).p50;
    const head = jobs.slice(0, 1000);
    const tail = jobs.slice(-1000);
    return {
      sizes,
      seedSeconds,
      ticks,
      jobs: n,
      bulk: rest.length,
      sendBatches: first.sendBatches,
      batches,
      acked: jobs.filter((j) => j.outcome === "ack").length,
      retried: jobs.filter((j) => j.outcome === "retry").length,
      mails: keys.length,
      duplicateSends: keys.length - new Set(keys).size,
      perJob: {
        read: dist(jobs.map((j) => j.read)),
        written: dist(jobs.map((j) => j.written)),
        statements: dist(jobs.map((j) => j.statements)),
        ms: dist(jobs.map((j) => j.ms)),
      },
      drift: { first: p50(head.map((j) => j.read)), last: p50(tail.map((j) => j.read)), firstMs: p50(head.map((j) => j.ms)), lastMs: p50(tail.map((j) => j.ms)) },
      statements,
      drainSeconds,
      workerDrainSeconds: workerMs / 1000,
      after,
      seconds: (performance.now() - start) / 1000,
    };
  });
}
