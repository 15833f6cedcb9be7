import { Hono } from "hono";
import { confirmAliasNow } from "../aliases/confirm";
import { confirmHeld } from "../inbound/held";
import { heldAddress } from "../received/held";
import { verifyToken } from "../lib/sign";
import { actByLink, linkTarget } from "../reminders/act-link";
import { readItemToken } from "../reminders/item-links";
import type { WebEnv } from "./deps";
import { choicePage, confirmPage, messagePage } from "./pages";

/** One-click links: /a/<signed token> (held mail, aliases, and reminder links from
 * before short links) and /r/<short token> (reminder items). GET asks, naming what it
 * acts on; POST acts. */
export const actions = new Hono<WebEnv>();
export const itemActions = new Hono<WebEnv>();

const QUESTIONS: Record<string, [string, string]> = {
  held: ["Apply the mail Kith held for your confirmation?", "Yes, I sent it"],
  alias: ["Treat mail from this address as yours in Kith?", "Yes, confirm this address"],
};

const SNOOZES: [string, number][] = [
  ["1 day", 1],
  ["3 days", 3],
  ["1 week", 7],
  ["2 weeks", 14],
  ["1 month", 30],
];

actions.get("/:token", async (c) => {
  const { config, clock } = c.var.deps;
  const v = await verifyToken(config.linkSecret, c.req.param("token"), clock.now());
  if (!v.ok) return c.html(messagePage(v.reason), 400);
  if ((v.payload.a === "snooze" || v.payload.a === "done") && v.payload.r.startsWith("rem:")) {
    return reminderPage(c.var.deps.db, v.payload.u, Number(v.payload.r.slice(4)), v.payload.a, (html, status) => c.html(html, status));
  }
  const q = QUESTIONS[v.payload.a];
  if (!q) return c.html(messagePage("This link is not valid."), 400);
  const [question, button] = q;
  const detail = v.payload.a === "alias" ? ` (${v.payload.r.slice(6)})` : "";
  return c.html(confirmPage(question + detail, button));
});

actions.post("/:token", async (c) => {
  const deps = c.var.deps;
  const now = deps.clock.now();
  const v = await verifyToken(deps.config.linkSecret, c.req.param("token"), now);
  if (!v.ok) return c.html(messagePage(v.reason), 400);
  const { a, r, u } = v.payload;
  if (a === "alias" && r.startsWith("alias:")) {
    const ok = await confirmAliasNow(deps.db, u, r.slice(6), now);
    return c.html(messagePage(ok ? "Done: mail from that address is now yours in Kith." : "Nothing to do: this address was already confirmed, or was removed."));
  }
  if ((a === "done" || a === "snooze") && r.startsWith("rem:")) {
    const days = a === "snooze" ? Number((await c.req.parseBody())["days"]) : 0;
    if (a === "snooze" && !SNOOZES.some(([, d]) => d === days)) return c.html(messagePage("Choose how long to snooze."), 400);
    const message = await actByLink(deps, now, u, Number(r.slice(4)), a === "done" ? { kind: "done" } : { kind: "snooze", days });
    return c.html(messagePage(message));
  }
  if (a === "held" && r.startsWith("held:")) {
    const address = await heldAddress(deps.db, Number(r.slice(5)), u);
    if (!address) return c.html(messagePage("This link is not valid."), 400);
    const out = await confirmHeld(deps, now, Number(r.slice(5)), address);
    return c.html(messagePage(out.outcome === "applied" ? "Done: Kith applied your mail." : "Nothing to do: that mail was already applied, or has expired."));
  }
  return c.html(messagePage("This link is not valid."), 400);
});

const STATUS_WORDS: Record<string, string> = { done: "done", skipped: "skipped", snoozed: "snoozed (a later copy carries on)", stopped: "stopped" };

/** "Snooze the follow-up with Jane Smith for…", "Mark the follow-up with Jane Smith done?";
 * what became of a reminder already acted on. The page of both kinds of link. */
async function reminderPage<R>(db: D1Database, userId: number, reminderId: number, action: "done" | "snooze", html: (page: string, status?: 404) => R): Promise<R> {
  const target = await linkTarget(db, userId, reminderId);
  if (!target) return html(messagePage("This reminder no longer exists."), 404);
  const what = target.label.charAt(0).toUpperCase() + target.label.slice(1);
  if (target.closed) return html(messagePage(`${what} is already ${STATUS_WORDS[target.closed] ?? target.closed}.`));
  if (action === "snooze") return html(choicePage(`Snooze ${target.label} for`, "days", SNOOZES));
  return html(confirmPage(`Mark ${target.label} done?`, "Done"));
}

itemActions.get("/:token", async (c) => {
  const { config, clock, db } = c.var.deps;
  const t = await readItemToken(config, c.req.param("token"), clock.now());
  if (!t.ok) return c.html(messagePage(t.reason), 400);
  return reminderPage(db, t.userId, t.reminderId, t.action, (html, status) => c.html(html, status));
});

itemActions.post("/:token", async (c) => {
  const deps = c.var.deps;
  const now = deps.clock.now();
  const t = await readItemToken(deps.config, c.req.param("token"), now);
  if (!t.ok) return c.html(messagePage(t.reason), 400);
  const days = t.action === "snooze" ? Number((await c.req.parseBody())["days"]) : 0;
  if (t.action === "snooze" && !SNOOZES.some(([, d]) => d === days)) return c.html(messagePage("Choose how long to snooze."), 400);
  const message = await actByLink(deps, now, t.userId, t.reminderId, t.action === "done" ? { kind: "done" } : { kind: "snooze", days });
  return c.html(messagePage(message));
});
