import { Hono } from "hono";
import { readUnsubscribeToken } from "../mail-out/unsubscribe";
import { PAUSED_UNTIL_RESUMED, unsubscribedText } from "../users/pause";
import { setPauses } from "../users/store";
import type { WebEnv } from "./deps";
import { confirmPage, messagePage } from "./pages";

/** List-Unsubscribe's https link: /u/<token>. RFC 8058 one-click: the mail client POSTs
 * `List-Unsubscribe=One-Click` with no cookies and no session; the signed token alone
 * says whose mail of which kind to stop. GET only shows a button that POSTs, so link
 * scanners unsubscribe nobody. */
export const unsubscribe = new Hono<WebEnv>();

const INVALID = "This unsubscribe link is not valid. To stop Kith's mail, send \"pause\" to Kith from your address.";

unsubscribe.get("/:token", async (c) => {
  const { config } = c.var.deps;
  const target = await readUnsubscribeToken(config, c.req.param("token"));
  if (!target) return c.html(messagePage(INVALID), 400);
  const what = target.kind === "reminders" ? "reminder mails" : "weekly summaries";
  return c.html(confirmPage(`Stop Kith's ${what}? You can turn them back on by mailing "resume" to ${config.assistant}.`, "Unsubscribe"));
});

// Whatever the body says (RFC 8058 clients send List-Unsubscribe=One-Click, a person's
// browser sends the empty form): the POST itself is the request. Repeats are harmless.
unsubscribe.post("/:token", async (c) => {
  const { config, db } = c.var.deps;
  const target = await readUnsubscribeToken(config, c.req.param("token"));
  if (!target) return c.html(messagePage(INVALID), 400);
  // Repeating it changes nothing more.
  await db.batch(setPauses(db, target.userId, [target.kind], PAUSED_UNTIL_RESUMED));
  return c.html(messagePage(unsubscribedText(target.kind, config.assistant)));
});
