/** The Worker side of the scale scenario (bench/scale.ts), run in workerd by wrangler's
 * unstable_startWorker with this repository's wrangler.toml: tick() and consumeJobs()
 * call D1 from inside the runtime, as in production, instead of one proxied round trip
 * per statement from Node (getPlatformProxy), which costs several milliseconds of CPU
 * each: 10,000 jobs would take tens of minutes.
 *
 * Each route runs one step and answers with the figures; bench/scale.ts drives them.
 * The Queue is a stand-in that records sendBatch bodies, the mailer one that records
 * idempotency keys: the figures are D1's and the Worker's, not the Queues service's or
 * Resend's.
 *
 * Timing: workerd's clock only moves when I/O completes, so a span that ends with a
 * D1 call (every job does: it ends by deleting its lease) is timed to the end of that
 * call; the CPU between the last I/O and the ack is not in it (a few microseconds). */
import { loadConfig } from "../src/config";
import { clockAt, type Deps, type ReminderJob } from "../src/core/deps";
import type { Mailer, OutboundMail, SendResult } from "../src/mail-out/mailer";
import { consumeJobs } from "../src/cron/consume";
import { tick } from "../src/cron/tick";
import { countingDb, type Executed, Tally } from "./counting-db";

interface Env {
  DB: D1Database;
}

export interface StatementTotal {
  sql: string;
  params: unknown[];
  calls: number;
  read: number;
  written: number;
}

export interface TickAnswer {
  out: { reminders: number; enqueued: number; sent: number; expired: number };
  ms: number;
  statements: number;
  read: number;
  written: number;
  groups: StatementTotal[];
  sendBatches: number;
  bodies: ReminderJob[];
}

export interface JobFigures {
  read: number;
  written: number;
  statements: number;
  ms: number;
  outcome: "ack" | "retry";
}

export interface DrainAnswer {
  jobs: JobFigures[];
  groups: StatementTotal[];
  /** Idempotency keys of the mails sent, in order. */
  keys: string[];
  batches: number;
  ms: number;
}

class RecordingQueue {
  bodies: ReminderJob[] = [];
  sendBatches = 0;
  async send(body: ReminderJob): Promise<void> {
    this.bodies.push(body);
  }
  async sendBatch(messages: Iterable<MessageSendRequest<ReminderJob>>): Promise<void> {
    this.sendBatches++;
    for (const m of messages) this.bodies.push(m.body);
  }
}

/** Resend's place. Not the local outbox transport: that one finds a repeated Message-ID
 * by scanning its own table (json_extract over every row), a local-only cost that grows
 * with every mail and would swamp the drain. */
class RecordingMailer implements Mailer {
  keys: string[] = [];
  async send(mail: OutboundMail): Promise<SendResult> {
    this.keys.push(mail.idempotencyKey);
    return { providerId: `stand-in-${this.keys.length}` };
  }
}

function totals(log: Executed[], into = new Map<string, StatementTotal>()): Map<string, StatementTotal> {
  for (const e of log) {
    const g = into.get(e.sql) ?? { sql: e.sql, params: e.params, calls: 0, read: 0, written: 0 };
    g.calls++;
    g.read += e.read;
    g.written += e.written;
    into.set(e.sql, g);
  }
  return into;
}

async function runTick(env: Env, body: { env: object; at: number; threshold?: number }): Promise<TickAnswer> {
  const tally = new Tally();
  const queue = new RecordingQueue();
  const deps: Deps = { db: countingDb(env.DB, tally), config: loadConfig(body.env), mailer: new RecordingMailer(), clock: clockAt(body.at), queue: queue as unknown as Queue<ReminderJob> };
  const start = performance.now();
  const out = await tick(deps);
  const ms = performance.now() - start;
  if (tally.uncounted > 0) throw new Error("the tick ran statements that report no meta");
  return {
    out,
    ms,
    statements: tally.log.length,
    read: tally.read,
    written: tally.written,
    groups: [...totals(tally.log).values()],
    sendBatches: queue.sendBatches,
    bodies: queue.bodies,
  };
}

/** consumeJobs() over `bodies`, `batchSize` messages a MessageBatch, one batch after the
 * other. consumeJobs calls depsAt() once per message before its work and ack()s or
 * retry()s it after, so each message gets its own counting D1 and its own span. */
async function runDrain(env: Env, body: { env: object; bodies: ReminderJob[]; batchSize: number; firstId: number }): Promise<DrainAnswer> {
  const config = loadConfig(body.env);
  const mailer = new RecordingMailer();
  const spans: { tally: Tally; start: number; end: number; outcome: "ack" | "retry" | null }[] = [];
  const depsAt = (now: number): Deps => {
    const tally = new Tally();
    spans.push({ tally, start: performance.now(), end: Number.NaN, outcome: null });
    return { db: countingDb(env.DB, tally), config, mailer, clock: clockAt(now) };
  };
  const settle = (outcome: "ack" | "retry") => {
    const s = spans[spans.length - 1]!;
    s.end = performance.now();
    s.outcome = outcome;
  };
  let batches = 0;
  const start = performance.now();
  for (let i = 0; i < body.bodies.length; i += body.batchSize) {
    const messages = body.bodies.slice(i, i + body.batchSize).map((job, k) => ({
      id: `job-${body.firstId + i + k}`,
      timestamp: new Date(job.now),
      body: job,
      attempts: 1,
      ack: () => settle("ack"),
      retry: () => settle("retry"),
    }));
    const batch = { queue: "kith-reminders", messages, ackAll: () => undefined, retryAll: () => undefined };
    await consumeJobs(batch as unknown as MessageBatch<unknown>, depsAt);
    batches++;
  }
  const ms = performance.now() - start;
  if (spans.length !== body.bodies.length || spans.some((s) => s.outcome === null)) {
    throw new Error(`${spans.length} jobs run for ${body.bodies.length} messages, or one neither acked nor retried`);
  }
  if (spans.some((s) => s.tally.uncounted > 0)) throw new Error("the consumer ran statements that report no meta");
  const groups = new Map<string, StatementTotal>();
  for (const s of spans) totals(s.tally.log, groups);
  return {
    jobs: spans.map((s) => ({ read: s.tally.read, written: s.tally.written, statements: s.tally.log.length, ms: s.end - s.start, outcome: s.outcome! })),
    groups: [...groups.values()],
    keys: mailer.keys,
    batches,
    ms,
  };
}

/** Statements straight on D1 (migrations, seed, counts, query plans), in one batch. */
async function runSql(env: Env, body: { statements: { sql: string; params?: unknown[] }[] }): Promise<unknown[][]> {
  if (body.statements.length === 0) return [];
  const results = await env.DB.batch(body.statements.map((s) => env.DB.prepare(s.sql).bind(...(s.params ?? []))));
  return results.map((r) => r.results);
}

/** The database's size in bytes, as D1 reports it after a statement (meta.size_after). */
async function runSize(env: Env): Promise<{ bytes: number }> {
  const r = await env.DB.prepare("SELECT 1").run();
  return { bytes: r.meta.size_after };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = new URL(request.url).pathname;
    try {
      const body = (await request.json()) as never;
      if (route === "/size") return Response.json(await runSize(env));
      if (route === "/sql") return Response.json(await runSql(env, body));
      if (route === "/tick") return Response.json(await runTick(env, body));
      if (route === "/drain") return Response.json(await runDrain(env, body));
      return new Response("not found", { status: 404 });
    } catch (err) {
      return new Response(err instanceof Error ? `${err.message}\n${err.stack}` : String(err), { status: 500 });
    }
  },
} satisfies ExportedHandler<Env>;
