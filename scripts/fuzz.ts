// npm run fuzz                          the long run: 100,000 intake cases (test/fuzz/intake.test.ts)
// npm run fuzz -- --cases 5000 --seed 7 a run of another size or seed
// npm run fuzz -- --seed 7 --case 1234  one case again, alone
//
// The cases run inside workerd (vitest.fuzz.config.ts), which has no disk. Each failing
// case is reported as "seed S case N [fingerprint]"; this script makes the same bytes
// again in Node from the same sources (test/fuzz/cases.ts), checks the fingerprint, and
// writes them to fuzz-failures/<seed>-<case>.eml. A replayed case is written either way.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_SEED, fingerprint, fuzzCase, ordered, SOURCE_FILE, type Source } from "../test/fuzz/cases.ts";

const root = resolve(import.meta.dirname, "..");
const outDir = join(root, "fuzz-failures");
// As vitest.config.ts finds it.
const corpusDir = resolve(process.env.KITH_CORPUS ?? join(root, "..", "shared", "corpus"));

const { values } = parseArgs({ options: { seed: { type: "string" }, cases: { type: "string" }, first: { type: "string" }, case: { type: "string" } } });
const replay = values.case !== undefined;
const env = {
  ...process.env,
  FUZZ_SEED: values.seed ?? process.env.FUZZ_SEED ?? "",
  FUZZ_FIRST: values.case ?? values.first ?? process.env.FUZZ_FIRST ?? "",
  FUZZ_CASES: replay ? "1" : (values.cases ?? process.env.FUZZ_CASES ?? ""),
};

/** The files test/fuzz/sources.ts has inside workerd, under the same names. */
function sources(): Source[] {
  const walk = (dir: string, prefix: string): Source[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return walk(path, prefix);
      return SOURCE_FILE.test(name) ? [{ name: `${prefix}/${relative(prefix === "corpus" ? corpusDir : join(root, "test", "fixtures"), path)}`, bytes: readFileSync(path).toString("latin1") }] : [];
    });
  return ordered([...walk(corpusDir, "corpus"), ...walk(join(root, "test", "fixtures"), "fixtures")]);
}

async function write(seed: number, index: number, expected?: string): Promise<void> {
  const c = fuzzCase(sources(), seed, index);
  const made = await fingerprint(c.raw);
  if (expected && made !== expected) {
    console.error(`seed ${seed} case ${index}: made ${made} here, workerd made ${expected}; the sources differ (KITH_CORPUS?)`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${seed}-${index}.eml`);
  writeFileSync(file, c.raw);
  console.log(`wrote ${relative(root, file)} (from ${c.source}: ${c.ops.join("; ") || "unchanged"})`);
}

// The vitest run, its output shown as it comes (a line per chunk of cases) and kept for
// the failure lines.
const child = spawn("npx", ["vitest", "run", "-c", "vitest.fuzz.config.ts", "--reporter=verbose"], { cwd: root, env, stdio: ["inherit", "pipe", "pipe"] });
let output = "";
for (const stream of [child.stdout, child.stderr]) {
  stream.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
  });
}
const code: number = await new Promise((done) => child.on("close", (c) => done(c ?? 1)));

// Colour codes are stripped before matching.
const failed = new Map<string, [number, number, string]>();
for (const m of output.replace(/\x1b\[[0-9;]*m/g, "").matchAll(/seed (\d+) case (\d+) \[([0-9a-f]{12})\]/g)) {
  failed.set(`${m[1]}-${m[2]}`, [Number(m[1]), Number(m[2]), m[3]!]);
}
if (replay && failed.size === 0) {
  await write(Number(env.FUZZ_SEED || DEFAULT_SEED), Number(values.case));
}
for (const [seed, index, print] of failed.values()) await write(seed, index, print);
if (failed.size > 0) console.log(`${failed.size} failing case(s) written to fuzz-failures/; replay one with npm run fuzz -- --seed S --case N`);
process.exitCode ||= code;
