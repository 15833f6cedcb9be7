import { Hono } from "hono";
import { ConfigError } from "../config";
import { log } from "../lib/log";
import { listOutbox } from "../mail-out/outbox";
import { actions, itemActions } from "./actions";
import { api } from "./api";
import { dashboard } from "./dashboard";
import { type WebEnv, withDeps } from "./deps";
import { pageHeaders } from "./security";
import { unsubscribe } from "./unsubscribe";
import { webhooks } from "./webhooks";

export const app = new Hono<WebEnv>();

app.get("/health", (c) => c.json({ ok: true }));
app.use(pageHeaders);
app.use(withDeps);
app.get("/", (c) => c.text(`Kith is running. Mail ${c.var.deps.config.assistant} to use it.\n`));
app.route("/app", dashboard);
app.route("/api/v1", api);
app.route("/a", actions);
app.route("/r", itemActions);
app.route("/u", unsubscribe);
app.route("/webhooks", webhooks);

/** Development only: what the local transport "delivered", oldest first. */
app.get("/dev/outbox", async (c) => {
  if (c.var.deps.config.env === "production") return c.notFound();
  return c.json(await listOutbox(c.var.deps.db));
});

app.onError((err, c) => {
  // The route, not the path: paths hold tokens (/a/…, /r/…, /u/…, /app/login/…).
  log.error("http", { route: c.req.routePath, error: err });
  if (err instanceof ConfigError) return c.text(err.message, 500);
  return c.text("Something went wrong on Kith's side. Please try again.", 500);
});
