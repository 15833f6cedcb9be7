/** `npm run load`: a bounded load test of the local server (`npm start` on a free port
 * and a throwaway state directory). Prints a short report; exits 1 on any duplicate,
 * lost mail, non-transient 5xx or unexpected answer. LOAD_MAILS, LOAD_USERS and
 * LOAD_SEED change the plan. */
import { availableParallelism } from "node:os";
import { startLocalServer } from "../test/e2e/local-server";
import { FULL, type Plan, passed, type Report, runLoad } from "./run";

const number = (name: string, fallback: number) => {
  const v = process.env[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not ${v}`);
  return n;
};
const plan: Plan = { ...FULL, mails: number("LOAD_MAILS", FULL.mails), users: number("LOAD_USERS", FULL.users), seed: number("LOAD_SEED", FULL.seed) };

const ms = (x: number) => (Number.isNaN(x) ? "–" : `${Math.round(x)} ms`);

function print(r: Report): void {
  const { findings: f } = r;
  console.log(`kith load: ${r.plan.users} users, ${r.distinct} distinct mails (${r.plan.redelivered} of the storm's and some replies delivered ${r.plan.times}× at once), ${r.ticks} ticks in ${r.plan.tickRounds.length} rounds of ${r.plan.ticksAtOnce} at one time, ${r.web} web requests; at most ${r.peakInFlight} in flight; ${availableParallelism()} CPUs`);
  console.log(`  run ${r.seconds.toFixed(1)} s (sign-up and sign-in ${r.phases.setup.toFixed(1)} s, storm ${r.phases.storm.toFixed(1)} s, checks ${r.phases.check.toFixed(1)} s): ${r.accepted} of ${r.deliveries} deliveries accepted; the storm held ${r.mailsPerSecond.toFixed(1)} mails/s`);
  console.log(`  latency     n      p50      p99`);
  for (const door of ["mail", "web", "tick"] as const) {
    const s = r.latency[door];
    console.log(`  ${door.padEnd(8)}${String(s.n).padStart(5)}${ms(s.p50).padStart(9)}${ms(s.p99).padStart(9)}`);
  }
  console.log(`  sent: ${Object.entries(r.sent).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  const dups = Object.entries(f.duplicates);
  console.log(`  duplicates: ${dups.reduce((n, [, rows]) => n + rows.length, 0)}`);
  for (const [what, rows] of dups) console.log(`    ${what}: ${rows.length}, e.g. ${JSON.stringify(rows.slice(0, 3))}`);
  console.log(`  lost mails: ${f.lost.length}${f.lost.length ? `, e.g. ${f.lost.slice(0, 5).map((m) => `${m.shape} ${m.messageId}`).join(", ")}` : ""}`);
  console.log(`  mail left in flight, reminders no tick looks at: ${f.stuck.length}`);
  console.log(`  users without their weekly summary: ${f.missingSummaries.length}${f.missingSummaries.length ? `, e.g. ${f.missingSummaries.slice(0, 3).join(", ")}` : ""}`);
  console.log(`  people missing from a recorded mail: ${f.missingPeople.length}${f.missingPeople.length ? `, e.g. ${JSON.stringify(f.missingPeople.slice(0, 5))}` : ""}`);
  console.log(`  5xx: ${r.fiveXX.length} (transient, retried: ${r.transient.length})`);
  for (const x of [...r.fiveXX, ...r.transient].slice(0, 10)) console.log(`    ${x.transient ? "transient" : "FAIL"} ${x.door} ${x.path} ${x.status}: ${x.said}`);
  for (const x of [...r.rejected, ...r.unexpected].slice(0, 10)) console.log(`  unexpected: ${x}`);
  console.log(`  Worker error log lines: ${r.serverErrors.length}`);
  for (const l of r.serverErrors.slice(0, 5)) console.log(`    ${l.slice(0, 300)}`);
  console.log(passed(r) ? "  PASS" : "  FAIL");
}

const server = await startLocalServer({ KITH_TICKER: "off" });
let report: Report | undefined;
try {
  report = await runLoad(server, plan);
} finally {
  const left = await server.stop();
  if (left.length > 0) console.error(`kith load: processes of npm start still running: ${left.join("; ")}`);
}
print(report);
process.exit(passed(report) ? 0 : 1);
