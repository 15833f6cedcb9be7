import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type Plugin } from "vitest/config";

// The shared real-world corpus lives beside the repository (../shared/corpus).
const corpusDir = resolve(process.env.KITH_CORPUS ?? join(import.meta.dirname, "..", "shared", "corpus"));

/** `virtual:corpus` exports every corpus file as base64, so tests inside workerd
 * see the exact bytes (charsets other than UTF-8 survive). */
function corpus(): Plugin {
  const id = "virtual:corpus";
  return {
    name: "kith-corpus",
    resolveId: (source) => (source === id ? "\0" + id : undefined),
    load(loaded) {
      if (loaded !== "\0" + id) return undefined;
      const files: Record<string, string> = {};
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) walk(path);
          else files[relative(corpusDir, path)] = readFileSync(path).toString("base64");
        }
      };
      walk(corpusDir);
      return `export default ${JSON.stringify(files)};`;
    },
  };
}

/** standardwebhooks ships a source map whose sources are not in its package; vite says
 * so on every run. Its map is of no use to us, so it is dropped. */
function withoutBrokenSourceMaps(): Plugin {
  return {
    name: "kith-without-broken-source-maps",
    enforce: "pre",
    load(id) {
      if (!/node_modules\/standardwebhooks\/dist\/.*\.js$/.test(id)) return undefined;
      return { code: readFileSync(id, "utf8").replace(/\/\/# sourceMappingURL=\S+\s*$/, ""), map: null };
    },
  };
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(join(import.meta.dirname, "migrations"));
  return {
    test: {
      projects: [
        {
          plugins: [
            corpus(),
            withoutBrokenSourceMaps(),
            // A function so that it can read what globalSetup provides (the loopback Resend API and DoH resolver).
            cloudflareTest(({ inject }) => ({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  KITH_ENV: "test",
                  EMAIL_FORWARD_PARSER_DISABLE_RE2: "1",
                  ASSISTANT_ADDRESS: "kith@kith.test",
                  PUBLIC_URL: "https://kith.test",
                  ALLOWED_USERS: "*",
                  SENDER_AUTH: "off",
                  MAIL_TRANSPORT: "outbox",
                  LINK_SECRET: "test-link-secret-test-link-secret",
                  // Tests sign their Resend webhooks with this (test/support/svix.ts).
                  RESEND_WEBHOOK_SECRET: "whsec_a2l0aC10ZXN0LXdlYmhvb2stc2lnbmluZy1rZXktMjQ=",
                  // Set in every test so that nothing can reach the real Resend API by default.
                  RESEND_BASE_URL: inject<string>("resendBaseUrl"),
                  // Kith's DKIM and DMARC look-ups go to the loopback resolver (test/support/doh-server.ts).
                  DOH_URL: inject<string>("dohUrl"),
                },
              },
            })),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            isolate: false,
            exclude: ["test/e2e/**", "test/arch/**"],
            globalSetup: ["./test/support/resend-global-setup.ts"],
            setupFiles: ["./test/support/apply-migrations.ts", "./test/support/quiet.ts"],
          },
        },
        // In Node: rules about the source tree (import cycles, table owners).
        { test: { name: "arch", include: ["test/arch/**/*.test.ts"], environment: "node" } },
        // In Node: starts `npm start` and drives it over HTTP (npm run test:e2e runs it alone).
        "./vitest.e2e.config.ts",
      ],
    },
  };
});
