#!/usr/bin/env node
// Local mode (DESIGN.md "Local mode"): local D1 with migrations applied, the outbox
// transport, open sign-up, sender authentication off, and a ticker that fires the
// scheduled handler every minute (KITH_TICKER=off disables it).
// KITH_STATE_DIR moves local data away from wrangler's default .wrangler/state (the
// end-to-end test runs on a throwaway directory); KITH_TICK_MS shortens the ticker.
import { spawn, spawnSync } from "node:child_process";
import { delimiter, join } from "node:path";

const port = Number(process.env.PORT ?? 8787);
const base = `http://127.0.0.1:${port}`;
// wrangler runs straight from node_modules/.bin, not through `npm exec` (npm, then sh, then
// wrangler): that shell does not pass SIGTERM on, so stopping this script left wrangler and
// workerd running on the port. .bin first on PATH keeps the node@22 that wrangler needs.
const bin = join(import.meta.dirname, "..", "node_modules", ".bin");
const windows = process.platform === "win32";
const wrangler = [join(bin, windows ? "wrangler.cmd" : "wrangler"), { shell: windows }];
const quiet = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`, WRANGLER_SEND_METRICS: "false" };
// Migrations and the dev server must use the same directory, or the server sees no tables.
const persist = process.env.KITH_STATE_DIR ? ["--persist-to", process.env.KITH_STATE_DIR] : [];
const tickMs = Number(process.env.KITH_TICK_MS ?? 60_000);
if (!Number.isInteger(tickMs) || tickMs < 100) {
  console.error(`kith: KITH_TICK_MS must be a whole number of milliseconds (100 or more), not ${process.env.KITH_TICK_MS}`);
  process.exit(2);
}

const migrate = spawnSync(wrangler[0], ["d1", "migrations", "apply", "DB", "--local", ...persist], {
  ...wrangler[1],
  stdio: "inherit",
  env: { ...quiet, CI: "true" }, // CI=true: apply without the interactive prompt
});
if (migrate.status !== 0) {
  console.error("kith: applying migrations to the local D1 failed (see above)");
  process.exit(migrate.status ?? 1);
}

const vars = {
  KITH_ENV: "development",
  PUBLIC_URL: base,
  ALLOWED_USERS: "*",
  SENDER_AUTH: "off",
  MAIL_TRANSPORT: "outbox",
  LINK_SECRET: process.env.LINK_SECRET ?? "local-development-secret-not-for-production",
};
const dev = spawn(
  wrangler[0],
  ["dev", "--ip", "127.0.0.1", "--port", String(port), ...persist, ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`])],
  { ...wrangler[1], stdio: "inherit", env: quiet },
);

let ticker;
async function ready() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

if (process.env.KITH_TICKER !== "off") {
  ready().then((ok) => {
    if (!ok) return;
    const every = tickMs === 60_000 ? "minute" : `${tickMs} ms`;
    console.log(`kith: ticker on, firing ${base}/cdn-cgi/handler/scheduled every ${every} (KITH_TICKER=off disables it)`);
    ticker = setInterval(() => {
      fetch(`${base}/cdn-cgi/handler/scheduled?time=${Date.now()}`).catch((e) => console.error(`kith: tick failed: ${e.message}`));
    }, tickMs);
  });
}

const stop = (signal) => {
  clearInterval(ticker);
  dev.kill(signal);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
dev.on("exit", (code) => {
  clearInterval(ticker);
  process.exit(code ?? 0);
});
