/** Printing the scale scenario (bench/scale.ts): a table for the console and a Markdown
 * block for the README, with the limits of one D1 database worked out from the figures
 * and Cloudflare's published limits. */
import { JOB_LEASE_MS } from "../src/reminders/jobs";
import {
  ITEM_CAP,
  QUEUE_BATCH,
  SCALE_CONTACTS_PER_USER,
  SCALE_DUE_PER_USER,
  SCALE_FOLLOW_UPS_PER_USER,
  SCALE_USERS,
  type ScaleRun,
  type ScaleTick,
} from "./scale";

/** Cloudflare's published limits and prices (developers.cloudflare.com: d1/platform/limits,
 * d1/platform/pricing, queues/platform/limits), Workers Paid. */
export const CLOUDFLARE = {
  /** D1: "Queries per Worker invocation". */
  queriesPerInvocation: 1_000,
  /** D1: a database runs one query at a time; "if your average query takes 1 ms, you can
   * run approximately 1,000 queries per second". */
  queriesPerSecondAt1ms: 1_000,
  /** D1: maximum database size. */
  databaseBytes: 10e9,
  /** D1: included per month, then $0.001 per million rows read and $1.00 per million written. */
  rowsReadPerMonth: 25e9,
  rowsWrittenPerMonth: 50e6,
  /** Queues: per-queue throughput, concurrent push consumers, messages per sendBatch. */
  queueMessagesPerSecond: 5_000,
  concurrentConsumers: 250,
  sendBatch: 100,
} as const;

const en = (n: number) => Math.round(n).toLocaleString("en");
const oneLine = (sql: string) => sql.replace(/\s+/g, " ").trim();
const secs = (s: number) => (s < 120 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;

/** Everything the README paragraph computes, in one place. */
function derived(s: ScaleRun) {
  const enqueue = s.ticks[0]!;
  const q = s.perJob.statements.p50;
  const drainedAll = s.bulk === 0;
  const rate = s.jobs / s.drainSeconds;
  const readPerUserDay = s.perJob.read.p50 + enqueue.read / SCALE_USERS;
  const writtenPerUserDay = s.perJob.written.p50 + enqueue.written / SCALE_USERS;
  return {
    enqueue,
    leased: s.ticks.find((t) => t.name.startsWith("(5)"))!,
    after: s.ticks.find((t) => t.name.startsWith("(4)"))!,
    q,
    drainedAll,
    rate,
    /** Seconds for all 10,000 jobs at the measured rate. */
    allSeconds: drainedAll ? s.drainSeconds : SCALE_USERS / rate,
    /** Jobs a second one database can serve at 1 ms a query. */
    jobsPerSecond: CLOUDFLARE.queriesPerSecondAt1ms / q,
    /** Users due in one tick whose jobs all finish within the lease, at that rate. */
    leaseUsers: ((JOB_LEASE_MS / 1000) * CLOUDFLARE.queriesPerSecondAt1ms) / q,
    /** Largest consumer batch within the queries-per-invocation limit. */
    maxBatch: Math.floor(CLOUDFLARE.queriesPerInvocation / q),
    /** Users one enqueuing tick can take before its statements reach the limit. */
    tickUsers: (CLOUDFLARE.queriesPerInvocation / enqueue.statements) * SCALE_USERS,
    readPerUserDay,
    writtenPerUserDay,
    /** Users mailed once a day whose rows stay within the monthly inclusions. */
    usersForReads: CLOUDFLARE.rowsReadPerMonth / (30 * readPerUserDay),
    usersForWrites: CLOUDFLARE.rowsWrittenPerMonth / (30 * writtenPerUserDay),
    bytesPerUser: s.after.bytes / SCALE_USERS,
    usersForStorage: CLOUDFLARE.databaseBytes / (s.after.bytes / SCALE_USERS),
  };
}

function drainLine(s: ScaleRun): string {
  const d = derived(s);
  const measured = `${en(s.jobs)} jobs in ${en(s.batches)} batches of ${QUEUE_BATCH}, one after another in one process: ${secs(s.drainSeconds)} (${d.rate.toFixed(0)} jobs/s)`;
  return d.drainedAll
    ? `${measured}`
    : `${measured}; all ${en(SCALE_USERS)} at that rate: ~${secs(d.allSeconds)} (extrapolated; BENCH_SCALE_JOBS=${SCALE_USERS} drains them all)`;
}

export function printScale(s: ScaleRun): void {
  const d = derived(s);
  console.log(
    `\nD1 at scale: ${en(s.sizes.users!)} users, ${en(s.sizes.contacts!)} contacts (${SCALE_CONTACTS_PER_USER} a user, each with an address), ` +
      `${en(s.sizes.due!)} reminders due at or before the tick (${SCALE_DUE_PER_USER} a user: ${SCALE_FOLLOW_UPS_PER_USER} follow-ups, ${SCALE_DUE_PER_USER - SCALE_FOLLOW_UPS_PER_USER} check-ins), item cap ${ITEM_CAP}  [seed ${s.seedSeconds.toFixed(1)} s, ${s.seconds.toFixed(1)} s]`,
  );
  console.log("  The real tick() and consumeJobs(), run inside workerd (wrangler's unstable_startWorker) on a fresh local D1; meta.rows_read/rows_written summed over every statement.");
  console.log("  The Queue is an in-process stand-in that records sendBatch bodies, and the drain hands them to consumeJobs() as MessageBatch-like objects;");
  console.log("  mail goes to a stand-in for Resend (not the local outbox transport). Measured: D1 work and the Worker's code, not the Queues service.");
  const head = ["tick", "at", "mails", "enqueued", "stmts", "rows read", "written", "time"];
  const rows = s.ticks.map((t) => [t.name, `+${t.minutes} min`, en(t.mails), en(t.enqueued), en(t.statements), en(t.read), en(t.written), `${en(t.ms)} ms`]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) console.log("    " + r.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  console.log(`  ticks in the order run: (1), then (5) before any job is drained, then the drain, then (4)`);

  console.log(`\n  per queue message (one user's job), over ${en(s.jobs)} jobs:      p50      p99      max`);
  const line = (label: string, x: { p50: number; p99: number; max: number }, unit = "") =>
    console.log(`    ${label.padEnd(48)}${`${en(x.p50)}${unit}`.padStart(9)}${`${en(x.p99)}${unit}`.padStart(9)}${`${en(x.max)}${unit}`.padStart(9)}`);
  line("D1 statements", s.perJob.statements);
  line("rows read", s.perJob.read);
  line("rows written", s.perJob.written);
  line("time (wall, in-process; shared, noisy machine)", s.perJob.ms, " ms");
  console.log(`  drain: ${drainLine(s)}`);
  if (d.drainedAll) {
    console.log(`  rows read per job, p50 over the first / last 1,000 jobs: ${s.drift.first} / ${s.drift.last}; time ${s.drift.firstMs.toFixed(0)} / ${s.drift.lastMs.toFixed(0)} ms`);
  }
  console.log(`  jobs acked ${en(s.acked)}, retried ${en(s.retried)}; mails sent ${en(s.mails)}, duplicate sends ${s.duplicateSends}`);
  const r = s.after.reminders;
  console.log(
    `  after the drain: ${en(s.after.outbound)} mails, ${en(s.after.items)} items, ${en(r.sent ?? 0)} reminders sent, ${en(r.pending ?? 0)} pending, ${s.after.leases} leases left; ` +
      `${s.after.shapes === 1 ? "every user alike" : `${s.after.shapes} different end states`}; database ${mb(s.after.bytes)}`,
  );
  if (s.bulk > 0) {
    console.log(
      `  (the other ${en(s.bulk)} users were brought to the end state their job leaves in bulk SQL, with the times the consumer chose, so that (4) sees a drained database; ` +
        `checked: all ${en(SCALE_USERS)} users end alike)`,
    );
  }
  console.log(`  every user's reminders after the drain: ${readableShape(s.after.shape)}`);

  console.log("\n  one job, by statement (calls, rows read, rows written per job) and plan:");
  for (const st of s.statements) {
    console.log(`    ${st.calls.toFixed(0).padStart(3)} × ${st.read.toFixed(1).padStart(6)} ${st.written.toFixed(1).padStart(6)}  ${oneLine(st.sql).slice(0, 120)}`);
    if (process.env.BENCH_VERBOSE) for (const p of st.plan) console.log(`                           plan: ${p}`);
  }
  for (const t of [d.enqueue, d.leased]) {
    const g = t.heaviest[0]!;
    console.log(`\n  ${t.name}: ${en(g.read)} of its ${en(t.read)} rows read in ${g.calls} × ${oneLine(g.sql).slice(0, 110)}`);
    for (const p of g.plan) console.log(`      plan: ${p}`);
  }
}

/** "check-in:pending:due:0 ... | look 18000000 | mails 1 items 5" as "5 × check-in
 * pending, due; ...; next look +5.0 h; mails 1 items 5". */
function readableShape(shape: string): string {
  const [parts, look, mail] = shape.split(" | ");
  const counts = new Map<string, number>();
  for (const p of parts!.split(" ")) {
    const [kind, status, due, made] = p.split(":");
    const when = due === "" ? "" : due === "due" ? ", due" : `, due ${hence(Number(due))}`;
    const key = `${kind} ${status}${when}${made === "1" ? " (mailed by the job, moved on)" : ""}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return `${[...counts].map(([k, n]) => `${n} × ${k}`).join("; ")}; next look ${hence(Number(look!.replace("look ", "")))}; ${mail}`;
}

const hence = (ms: number) => (ms < 2 * 86_400_000 ? `+${(ms / 3_600_000).toFixed(1)} h` : `+${(ms / 86_400_000).toFixed(1)} d`);

function tickRow(t: ScaleTick): string {
  return `| ${t.name} | ${en(t.mails)} | ${en(t.enqueued)} | ${en(t.statements)} | ${en(t.read)} | ${en(t.written)} | ${en(t.ms)} ms |`;
}

export function scaleMarkdown(s: ScaleRun): string {
  const d = derived(s);
  const lease = JOB_LEASE_MS / 60_000;
  const thousands = (x: number) => en(Math.floor(x / 1000) * 1000);
  return [
    `**Scale: one D1 database, ${en(SCALE_USERS)} users**, ${en(s.sizes.contacts!)} contacts (${SCALE_CONTACTS_PER_USER} a user, each with an address) and ${en(s.sizes.due!)} reminders due at once (${SCALE_DUE_PER_USER} a user: ${SCALE_FOLLOW_UPS_PER_USER} follow-ups, ${SCALE_DUE_PER_USER - SCALE_FOLLOW_UPS_PER_USER} check-ins; item cap ${ITEM_CAP}). The real \`tick\` and queue consumer (\`consumeJobs\`) run inside workerd on local D1. The Queue is an in-process stand-in that records \`sendBatch\` bodies, drained by calling \`consumeJobs\` with batches of ${QUEUE_BATCH} (wrangler.toml's \`max_batch_size\`), and mail goes to a stand-in for Resend: these are D1 and Worker figures, not the Queues service's.`,
    "",
    "| tick | reminder mails | jobs enqueued | statements | rows read | rows written | time |",
    "|---|---:|---:|---:|---:|---:|---:|",
    tickRow(d.enqueue),
    tickRow(d.leased),
    tickRow(d.after),
    "",
    `(5) runs before any job is drained; (4) after all of them, when every user has had one mail of ${ITEM_CAP} items and the other ${SCALE_DUE_PER_USER - ITEM_CAP} wait for the next slot.`,
    "",
    `| per queue message (one user's job; ${en(s.jobs)} jobs) | p50 | p99 |`,
    "|---|---:|---:|",
    `| D1 statements | ${en(s.perJob.statements.p50)} | ${en(s.perJob.statements.p99)} |`,
    `| rows read | ${en(s.perJob.read.p50)} | ${en(s.perJob.read.p99)} |`,
    `| rows written | ${en(s.perJob.written.p50)} | ${en(s.perJob.written.p99)} |`,
    `| time (wall, in-process) | ${en(s.perJob.ms.p50)} ms | ${en(s.perJob.ms.p99)} ms |`,
    "",
    `Drain: ${drainLine(s)}; no job retried, no mail sent twice. Times are the local runtime's on a shared, noisy machine; the statement and row counts are what D1 serialises and bills.`,
    "",
    `**Limits of one D1 database.** A D1 database runs one query at a time (Cloudflare: ~${en(CLOUDFLARE.queriesPerSecondAt1ms)} queries a second at 1 ms a query). A job is ${d.q} statements, so one database mails at most ~${d.jobsPerSecond.toFixed(0)} users a second whatever the consumer concurrency (Queues allows ${CLOUDFLARE.concurrentConsumers} concurrent consumers and ${en(CLOUDFLARE.queueMessagesPerSecond)} messages a second per queue): ${en(SCALE_USERS)} due users take ≥ ~${secs(SCALE_USERS / d.jobsPerSecond)} of the database, and past ~${thousands(d.leaseUsers)} users due in one tick jobs outlive their ${lease}-minute lease and are enqueued again (claims stop a second mail, not the work). While jobs wait, a tick reads only what fell due after the last enqueuing tick (${en(d.leased.read)} rows in (5), the watermark in \`tick_marks\`). A Worker invocation may make ${en(CLOUDFLARE.queriesPerInvocation)} D1 queries: a consumer batch costs ${QUEUE_BATCH} × ${d.q} = ${QUEUE_BATCH * d.q} (keep \`max_batch_size\` ≤ ${d.maxBatch}), and the enqueuing tick made ${d.enqueue.statements} for ${en(SCALE_USERS)} users (~${thousands(d.tickUsers)} at the limit). A daily mail per user costs ~${d.readPerUserDay.toFixed(0)} rows read and ~${d.writtenPerUserDay.toFixed(0)} written, so the Workers Paid inclusions (${CLOUDFLARE.rowsReadPerMonth / 1e9} billion rows read, ${CLOUDFLARE.rowsWrittenPerMonth / 1e6} million written a month; then $0.001 and $1.00 a million) cover ~${en(Math.floor(d.usersForReads / 1e5) * 1e5)} users' reads but ~${thousands(d.usersForWrites)} users' writes: writes, mostly index entries, are the cost. Storage is not the limit here: ${mb(s.after.bytes)} after the drain, ~${(d.bytesPerUser / 1000).toFixed(1)} kB a user of this size, against ${CLOUDFLARE.databaseBytes / 1e9} GB. One database serves some tens of thousands of users; past that, shard.`,
    "",
    "**Sharding users across databases.** Each user lives in one D1 database, chosen at sign-up by a hash of the user id (`hash(id) mod N`) or by cohort (fill database k, then open k+1), and recorded in a small directory, a KV namespace or a directory D1 database mapping each of a user's addresses to `{userId, shard}`. Every shard has the same schema and migrations (`wrangler d1 migrations apply` per database) and its own binding (`DB_0` … `DB_n`); no query joins two users, so none spans shards. `email()` looks the sender's address up in the directory and runs intake, replies included, on that shard (a new sender gets a shard and a directory entry first); one-click links carry a signed user id and Resend webhooks name the recipient's address, so both find the shard the same way. The cron handler fans out, one tick per shard (a queue message or a `waitUntil` each), so every shard has its own query budget and `reminder_jobs` leases; jobs carry `{shard, userId, now}`, and one queue serves every shard. A directory, rather than `hash mod N` alone, lets users move and new shards open without rehashing.",
  ].join("\n");
}
