#!/usr/bin/env node
// Local mode (DESIGN.md "Local mode"): local D1 with migrations applied, the outbox
// transport, open sign-up, sender authentication off, and a ticker that fires the
// scheduled handler every minute (KITH_TICKER=off disables it).
import { spawn, spawnSync } from "node:child_process";

const port = Number(process.env.PORT ?? 8787);
const base = `http://127.0.0.1:${port}`;
const wrangler = ["exec", "--", "wrangler"];
const quiet = { ...process.env, WRANGLER_SEND_METRICS: "false" };

const migrate = spawnSync("npm", [...wrangler, "d1", "migrations", "apply", "DB", "--local"], {
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
  "npm",
  [...wrangler, "dev", "--ip", "127.0.0.1", "--port", String(port), ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`])],
  { stdio: "inherit", env: quiet },
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
    console.log(`kith: ticker on, firing ${base}/cdn-cgi/handler/scheduled every minute (KITH_TICKER=off disables it)`);
    ticker = setInterval(() => {
      fetch(`${base}/cdn-cgi/handler/scheduled?time=${Date.now()}`).catch((e) => console.error(`kith: tick failed: ${e.message}`));
    }, 60_000);
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
