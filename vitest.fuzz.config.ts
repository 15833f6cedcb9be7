import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import base from "./vitest.config.ts";

// The long fuzz run (npm run fuzz, which scripts/fuzz.ts starts): the workers project as
// `npm test` has it, with real D1, running only the intake fuzzer, with its size and
// seed from the environment. FUZZ_CASES (default 100000), FUZZ_SEED (default the short
// run's), FUZZ_FIRST (the first case, to replay one: FUZZ_FIRST=n FUZZ_CASES=1).
function num(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

export default defineConfig(async (env) => {
  const resolved = typeof base === "function" ? await base(env) : base;
  const workers = resolved.test?.projects?.find((p): p is TestProjectInlineConfiguration => typeof p === "object" && "test" in p && p.test?.name === "workers");
  if (!workers) throw new Error("vitest.config.ts has no workers project");
  return {
    test: {
      projects: [
        {
          ...workers,
          test: {
            ...workers.test,
            name: "fuzz",
            include: ["test/fuzz/intake.test.ts"],
            exclude: [],
            provide: { fuzz: { seed: num("FUZZ_SEED"), first: num("FUZZ_FIRST") ?? 0, cases: num("FUZZ_CASES") ?? 100_000 } },
          },
        },
      ],
    },
  };
});
