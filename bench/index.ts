/** `npm run bench`: the inbound pipeline's CPU cost against bare postal-mime over the
 * shared corpus, D1 rows per inbound mail for a user with 10,000 contacts, D1 rows per
 * reminder tick over 100,000 pending reminders, rows per lookup and the export at 10,000
 * people, then the scale scenario: 10,000 users
 * with 100,000 reminders due at once through the Queue path. Prints tables and the
 * README section. A benchmark, not a test: it fails only on errors. */
import { availableParallelism } from "node:os";
import { type CpuResult, runCpu } from "./cpu";
import { CONTACTS, runD1, type ScenarioResult } from "./d1";
import { corpus } from "./mails";
import { networkMarkdown, printNetwork, runNetwork, type NetworkRun } from "./network";
import { printWeb, runWeb, type WebRun, webMarkdown } from "./web";
import { runScale, type ScaleRun } from "./scale";
import { printScale, scaleMarkdown } from "./scale-report";
import { CONTACTS_PER_USER, HELD_PER_USER, HISTORY, IDLE_TARGET, MAILS_PER_USER, PENDING, runTick, type TickResult, type TickRun, USERS } from "./tick";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = 3;
const RATIO_TARGET = 1.5;

const ms = (x: number) => `${x < 10 ? x.toFixed(3) : x.toFixed(1)} ms`;
const times = (x: number) => `${x.toFixed(2)}×`;
const verdict = (r: ScenarioResult) => (r.read <= r.target ? "PASS" : "OVER");
const oneLine = (sql: string) => sql.replace(/\s+/g, " ").trim();
const en = (n: number) => n.toLocaleString("en");
const tickVerdict = (r: TickResult) => (r.target === null ? "" : r.read <= r.target ? "PASS" : "OVER");
const perMail = (r: TickResult) => (r.perMail === null ? "–" : r.perMail.toFixed(1));
const overIdle = (r: TickResult) => (r.perMailOverIdle === null ? "–" : r.perMailOverIdle.toFixed(1));

function printCpu(c: CpuResult): void {
  const p50 = c.pipe.p50 / c.base.p50;
  console.log(`CPU: ${c.messages} corpus mails × ${c.rounds} rounds (${WARMUP} warm-up), baseline and pipeline interleaved per mail  [${c.seconds.toFixed(1)} s]`);
  const row = (label: string, a: string, b: string, note = "") => console.log(`  ${label.padEnd(36)}${a.padStart(11)}${b.padStart(11)}${note}`);
  row("", "p50", "p99");
  row("bare PostalMime.parse", ms(c.base.p50), ms(c.base.p99));
  row("pipeline CPU (parse, guard, classify)", ms(c.pipe.p50), ms(c.pipe.p99));
  row("  of which parseMail", ms(c.parse.p50), ms(c.parse.p99), `   (${times(c.parse.p50 / c.base.p50)} / ${times(c.parse.p99 / c.base.p99)} of bare)`);
  row("ratio pipeline / bare", times(p50), times(c.pipe.p99 / c.base.p99), `   target ≤ ${RATIO_TARGET} at p50: ${p50 <= RATIO_TARGET ? "PASS" : "OVER"}`);
  console.log(`  median of per-mail ratios: ${times(c.pairedRatio)}`);
  console.log(`  most added time (median per run): ${c.heaviest.map((h) => `${h.name} ${h.base.toFixed(2)} → ${h.pipe.toFixed(2)} ms`).join("; ")}`);
}

function printD1(results: ScenarioResult[], seconds: number): void {
  console.log(`\nD1: one user with ${CONTACTS.toLocaleString("en")} contacts; rows per inbound mail, meta summed over every statement  [${seconds.toFixed(1)} s]`);
  const head = ["mail", "outcome", "people", "stmts", "read", "written", "target", "", "outbox r/w"];
  const rows = results.map((r) => [
    r.name, r.outcome, String(r.participants), String(r.statements), String(r.read), String(r.written),
    `≤ ${r.target}`, verdict(r), `${r.outbox.read}/${r.outbox.written}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) console.log("  " + r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  console.log("  (outbox r/w: the local outbox transport's statements, not counted; production sends through Resend)");
  if (process.env.BENCH_VERBOSE) {
    for (const r of results) {
      console.log(`\n  ${r.name}: every statement (rows read / written)`);
      for (const e of r.log) console.log(`    ${String(e.read).padStart(5)} ${String(e.written).padStart(5)}  ${oneLine(e.sql).slice(0, 110)}`);
    }
  }
  for (const r of results.filter((x) => verdict(x) === "OVER")) {
    console.log(`\n  OVER: ${r.name} reads ${r.read} rows (target ${r.target}). Rows read by statement:`);
    for (const g of r.heaviest) {
      console.log(`    ${String(g.read).padStart(4)} = ${g.calls} × ${oneLine(g.sql).slice(0, 120)}`);
      for (const p of g.plan) console.log(`           plan: ${p}`);
      if (g.plan.length === 0) console.log("           plan: none; the rows it reads are key checks (foreign keys, UNIQUE)");
    }
  }
}

const statsLabel = (stats: boolean) =>
  stats ? "after ANALYZE (planner statistics, as D1's docs advise after creating indexes)" : "fresh database (no planner statistics)";

/** For the README: each statement that takes an over-target tick past its target, once,
 * with its plan and the ticks it does it in. */
function overCauses(t: TickRun): string[] {
  const causes = new Map<string, { sql: string; plan: string[]; ticks: string[] }>();
  for (const r of t.results.filter((x) => tickVerdict(x) === "OVER")) {
    for (const g of r.heaviest.filter((h) => h.read > IDLE_TARGET)) {
      const key = `${g.sql}\n${g.plan.join("\n")}`;
      const c = causes.get(key) ?? { sql: g.sql, plan: g.plan, ticks: [] };
      c.ticks.push(`${r.name.slice(0, 3)} ${r.stats ? "after ANALYZE" : "without statistics"}: ${en(g.read)} of ${en(r.read)}`);
      causes.set(key, c);
    }
  }
  if (causes.size === 0) return [];
  return ["", "Rows read past the target, by statement:", "", ...[...causes.values()].map((c) => `- \`${oneLine(c.sql)}\`, plan \`${c.plan.join("; ") || "key checks"}\`: ${c.ticks.join("; ")}.`)];
}

function printTick(t: TickRun): void {
  const z = t.sizes;
  console.log(
    `\nD1: reminder tick over ${en(z.users!)} users, ${en(z.reminders!)} reminders (${en(PENDING)} pending due over the next 90 days, ${en(HISTORY)} sent/done), ` +
      `${en(z.contacts!)} contacts, ${en(z.outbound_messages!)} past mails, ${en(z.held_messages!)} old held mails; rows per tick, meta summed over every statement  [seed ${t.seedSeconds.toFixed(1)} s, ${t.seconds.toFixed(1)} s]`,
  );
  console.log(`  (b): ${t.due.length} users with ${t.due.join("/")} items due; each tick five minutes after the one before`);
  const head = ["tick", "mails", "stmts", "read", "written", "read/mail", "over (a)", "target", "", "outbox r/w"];
  const rows = t.results.map((r) => [
    r.name, String(r.reminders), String(r.statements), String(r.read), String(r.written), perMail(r), overIdle(r),
    r.target === null ? "" : `≤ ${r.target}`, tickVerdict(r), `${r.outbox.read}/${r.outbox.written}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => "    " + r.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  for (const stats of [false, true]) {
    console.log(`  ${statsLabel(stats)}:`);
    console.log(line(head));
    t.results.forEach((r, i) => r.stats === stats && console.log(line(rows[i]!)));
  }
  console.log("  (mails: reminder mails sent; over (a): rows read per mail less what the idle tick before read; outbox r/w: the local outbox transport's statements, not counted)");
  const label = (r: TickResult) => `${r.name}${r.stats ? ", after ANALYZE" : ""}`;
  if (process.env.BENCH_VERBOSE) {
    for (const r of t.results) {
      console.log(`\n  ${label(r)}: every statement (rows read / written)`);
      for (const e of r.log) console.log(`    ${String(e.read).padStart(6)} ${String(e.written).padStart(5)}  ${oneLine(e.sql).slice(0, 110)}`);
    }
  }
  const shown = process.env.BENCH_VERBOSE ? t.results : t.results.filter((x) => tickVerdict(x) === "OVER");
  for (const r of shown) {
    const over = tickVerdict(r) === "OVER" ? `OVER: ${label(r)} reads ${r.read} rows (target ${r.target})` : `${label(r)} reads ${r.read} rows`;
    console.log(`\n  ${over}. Rows read by statement:`);
    for (const g of r.heaviest) {
      console.log(`    ${String(g.read).padStart(6)} = ${g.calls} × ${oneLine(g.sql).slice(0, 120)}`);
      for (const p of g.plan) console.log(`             plan: ${p}`);
      if (g.plan.length === 0) console.log("             plan: none; the rows it reads are key checks (foreign keys, UNIQUE)");
    }
  }
}

function markdown(c: CpuResult, results: ScenarioResult[], t: TickRun, scale: ScaleRun, network: NetworkRun, web: WebRun, seconds: number): string {
  const p50 = c.pipe.p50 / c.base.p50;
  const fmt = (x: number) => `${x.toFixed(x < 10 ? 3 : 1)} ms`;
  return [
    "## Performance",
    "",
    `\`npm run bench\` (${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}, ${availableParallelism()} cores; ${Math.round(seconds)} s).`,
    "",
    `**CPU per inbound mail**, in Node: workerd's clock stands still while code runs. The ${c.messages} mails of the shared corpus, ${c.rounds} rounds, the pipeline's CPU work (parse with limits, machine-mail guard, classification: all of \`intake\` but D1) interleaved with bare \`PostalMime.parse\` of the same bytes in the same process. The ratios are the figures to compare; the times depend on the machine.`,
    "",
    "| per mail | p50 | p99 |",
    "|---|---|---|",
    `| bare \`PostalMime.parse\` | ${fmt(c.base.p50)} | ${fmt(c.base.p99)} |`,
    `| pipeline CPU | ${fmt(c.pipe.p50)} | ${fmt(c.pipe.p99)} |`,
    `| **ratio** (target ≤ ${RATIO_TARGET} at p50) | **${times(p50)}** | ${times(c.pipe.p99 / c.base.p99)} |`,
    "",
    `**D1 rows per inbound mail** for a user with ${CONTACTS.toLocaleString("en")} contacts: the real \`intake\` on local D1, \`meta.rows_read\`/\`rows_written\` summed over every statement (the local outbox transport excluded). Target: rows read ≤ 20 + 3 per participant.`,
    "",
    "| mail | participants | rows read | rows written | target | |",
    "|---|---:|---:|---:|---:|---|",
    ...results.map((r) => `| ${r.name} | ${r.participants} | ${r.read} | ${r.written} | ≤ ${r.target} | ${verdict(r)} |`),
    "",
    `**D1 rows per reminder tick**: the real \`tick\` (held mail expiry, reminder and summary delivery, outbound retries) on local D1 with ${en(USERS)} users, ${en(PENDING)} pending reminders due over the next 90 days (one per contact, ${en(CONTACTS_PER_USER)} contacts a user), ${en(HISTORY)} sent or done ones, ${en(USERS * MAILS_PER_USER)} past reminder mails and ${en(USERS * HELD_PER_USER)} old held mails; \`meta.rows_read\`/\`rows_written\` summed over every statement (the local outbox transport excluded). (b) makes ${t.due.length} users due, with ${t.due.join("/")} items; each tick comes five minutes after the one before. The three ticks run in the fresh database, then again (other users due) after \`ANALYZE\`, the statistics that D1's docs advise collecting (\`PRAGMA optimize\`) after creating indexes. Target: (a) a handful of rows (≤ ${IDLE_TARGET}).`,
    "",
    "| tick | planner statistics | reminder mails | rows read | rows written | rows read per mail | per mail, less (a) | target | |",
    "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ...t.results.map(
      (r) => `| ${r.name} | ${r.stats ? "after ANALYZE" : "none"} | ${r.reminders} | ${r.read} | ${r.written} | ${perMail(r)} | ${overIdle(r)} | ${r.target === null ? "" : `≤ ${r.target}`} | ${tickVerdict(r)} |`,
    ),
    ...overCauses(t),
    "",
    networkMarkdown(network),
    "",
    webMarkdown(web, network.exported.heapMb),
    "",
    scaleMarkdown(scale),
  ].join("\n");
}

async function main(): Promise<void> {
  const start = performance.now();
  console.log(`Kith bench: Node ${process.versions.node}, ${availableParallelism()} cores\n`);
  const cpu = await runCpu(corpus(), ROUNDS, WARMUP);
  printCpu(cpu);
  const d1 = await runD1();
  printD1(d1.results, d1.seconds);
  const ticks = await runTick();
  printTick(ticks);
  const network = await runNetwork();
  printNetwork(network);
  const web = await runWeb();
  printWeb(web);
  const scale = await runScale();
  printScale(scale);
  const seconds = (performance.now() - start) / 1000;
  console.log(`\n---- README section ----\n\n${markdown(cpu, d1.results, ticks, scale, network, web, seconds)}\n`);
  console.log(`bench took ${seconds.toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
