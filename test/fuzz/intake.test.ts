/**
 * Mutation fuzzing of the inbound pipeline, on real D1: every corpus file and fixture,
 * damaged in seeded ways (test/fuzz/mutate.ts), goes through intake() as Email Routing
 * would hand it over. After each case: intake answered with an outcome (it throws only
 * on transient faults, and none can happen against local D1 and the outbox), the mail
 * was stored whole or not at all (test/support/orphans.ts), and the same bytes delivered
 * again changed nothing. A short run is part of `npm test`; `npm run fuzz` is the long one
 * and writes each failing mail to fuzz-failures/<seed>-<case>.eml (README: Fuzzing).
 */
import { describe, expect, inject, it } from "vitest";
import type { Outcome } from "../../src/core/deps";
import { TransientSendError } from "../../src/mail-out/mailer";
import { eml, send } from "../support/mail";
import { orphans } from "../support/orphans";
import { DEFAULT_SEED, type FuzzCase, fingerprint, fuzzCase, latin1Text } from "./cases";
import { emptyTables, snapshot } from "./database";
import { SOURCES } from "./sources";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by vitest.fuzz.config.ts (npm run fuzz); the short run in npm test has none. */
    fuzz?: { seed?: number; first: number; cases: number };
  }
}

const { seed = DEFAULT_SEED, first, cases } = inject("fuzz") ?? { first: 0, cases: 100 };
// Cases per test: a long run reports as it goes, and one failure does not hide the rest.
const CHUNK = 250;
// Arrival time of every case (the sign-up and the mail), and of the redelivery a minute on.
const NOW = Date.parse("2026-03-02T10:00:00Z");
// A case that takes this long has found a way to make intake slow (real ones take milliseconds).
const SLOW_MS = 10_000;

/** What went wrong with one case, or null. */
async function check(c: FuzzCase): Promise<string | null> {
  await emptyTables();
  // The sender as send() takes it from the raw mail for the envelope.
  const from = /^From:.*?<?([^\s<>]+@[^\s<>]+?)>?\s*$/im.exec(latin1Text(c.raw.subarray(0, 8192)))?.[1];
  if (c.signUpFirst && from) {
    const signed = await deliver(eml({ From: `Fuzz Sender <${from}>`, To: "kith@kith.test", Subject: "hello" }, "Hi Kith"), NOW);
    if ("problem" in signed) return `sign-up first: ${signed.problem}`;
  }
  const started = Date.now();
  const out = await deliver(c.raw, NOW);
  if ("problem" in out) return out.problem;
  if (Date.now() - started > SLOW_MS) return `took ${Date.now() - started} ms`;
  const broken = await orphans();
  if (broken.length > 0) return `stored by halves (${out.outcome}): ${broken.join(", ")}`;
  // After a transient fault the sender's retry may well store what the first try did not.
  if (out.outcome === "retry") return null;
  const before = await snapshot();
  const again = await deliver(c.raw, NOW + 60_000);
  if ("problem" in again) return `redelivery: ${again.problem}`;
  const after = await snapshot();
  if (after !== before) return `redelivery (${out.outcome}, then ${again.outcome}) changed ${changedTables(before, after).join(", ")}`;
  return null;
}

/** What intake answered; "retry" when it threw the transient kind (the sender's server
 * tries again later); any other throw is a problem. */
async function deliver(raw: string | Uint8Array, now: number): Promise<{ outcome: Outcome["outcome"] | "retry" } | { problem: string }> {
  try {
    return await send(raw, { now });
  } catch (err) {
    if (err instanceof TransientSendError) return { outcome: "retry" };
    return { problem: `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}` };
  }
}

function changedTables(before: string, after: string): string[] {
  const byTable = (s: string) => new Map(s.split(/\n(?=\w+: )/).map((t) => [t.slice(0, t.indexOf(":")), t]));
  const a = byTable(before);
  return [...byTable(after)].filter(([t, rows]) => a.get(t) !== rows).map(([t]) => t);
}

describe(`intake, fuzzed with seed ${seed}`, () => {
  it("has every corpus file and fixture to start from", () => {
    expect(SOURCES.filter((s) => s.name.startsWith("corpus/")).length).toBeGreaterThan(150);
    expect(SOURCES.filter((s) => /^fixtures\/.*\.(ics|vcf|csv)$/.test(s.name)).length).toBeGreaterThan(8);
  });

  for (let start = first; start < first + cases; start += CHUNK) {
    const end = Math.min(first + cases, start + CHUNK);
    it(`cases ${start} to ${end - 1}`, async () => {
      const failures: string[] = [];
      for (let i = start; i < end; i++) {
        const c = fuzzCase(SOURCES, seed, i);
        const problem = await check(c);
        // The line scripts/fuzz.ts reads to write the mail to disk.
        if (problem) failures.push(`seed ${seed} case ${i} [${await fingerprint(c.raw)}] from ${c.source} (${c.ops.join("; ")}): ${problem.slice(0, 500)}`);
      }
      // Every line in full (a diff of arrays would shorten them).
      if (failures.length > 0) expect.fail(`${failures.length} of ${end - start} cases failed:\n${failures.join("\n")}`);
    }, CHUNK * SLOW_MS);
  }
});
