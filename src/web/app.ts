import { Hono } from "hono";
import { ConfigError, loadConfig } from "../config";
import { listOutbox } from "../mail-out/outbox";
import { actions } from "./actions";
import { unsubscribe } from "./unsubscribe";
import { webhooks } from "./webhooks";

export const app = new Hono<{ Bindings: Env }>();

app.get("/", (c) => c.text(`Kith is running. Mail ${loadConfig(c.env).assistant} to use it.\n`));
app.get("/health", (c) => c.json({ ok: true }));
app.route("/a", actions);
app.route("/u", unsubscribe);
app.route("/webhooks", webhooks);

/** Development only: what the local transport "delivered", oldest first. */
app.get("/dev/outbox", async (c) => {
  if (loadConfig(c.env).env === "production") return c.notFound();
  return c.json(await listOutbox(c.env.DB));
});

app.onError((err, c) => {
  console.error(err);
  if (err instanceof ConfigError) return c.text(err.message, 500);
  return c.text("Something went wrong on Kith's side. Please try again.", 500);
});
