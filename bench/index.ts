/** `npm run bench`: the inbound pipeline's CPU cost against bare postal-mime over the
 * shared corpus, then D1 rows per inbound mail for a user with 10,000 contacts. Prints a
 * table and the README section. A benchmark, not a test: it fails only on errors. */
import { availableParallelism } from "node:os";
import { type CpuResult, runCpu } from "./cpu";
import { CONTACTS, runD1, type ScenarioResult } from "./d1";
import { corpus } from "./mails";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const WARMUP = 3;
const RATIO_TARGET = 1.5;

const ms = (x: number) => `${x < 10 ? x.toFixed(3) : x.toFixed(1)} ms`;
const times = (x: number) => `${x.toFixed(2)}×`;
const verdict = (r: ScenarioResult) => (r.read <= r.target ? "PASS" : "OVER");
const oneLine = (sql: string) => sql.replace(/\s+/g, " ").trim();

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

function markdown(c: CpuResult, results: ScenarioResult[], seconds: number): string {
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
  ].join("\n");
}

async function main(): Promise<void> {
  const start = performance.now();
  console.log(`Kith bench: Node ${process.versions.node}, ${availableParallelism()} cores\n`);
  const cpu = await runCpu(corpus(), ROUNDS, WARMUP);
  printCpu(cpu);
  const d1 = await runD1();
  printD1(d1.results, d1.seconds);
  const seconds = (performance.now() - start) / 1000;
  console.log(`\n---- README section ----\n\n${markdown(cpu, d1.results, seconds)}\n`);
  console.log(`bench took ${seconds.toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
