import { createMiddleware } from "hono/factory";
import type { WebEnv } from "./deps";

/** Every page: no script at all (the dashboard works without JavaScript), styles only
 * from Kith's own stylesheet, forms that post back to Kith only, never in a frame, and
 * no Referer (links carry tokens). */
export const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const pageHeaders = createMiddleware<WebEnv>(async (c, next) => {
  await next();
  if (!(c.res.headers.get("content-type") ?? "").startsWith("text/html")) return;
  c.res.headers.set("Content-Security-Policy", CSP);
  c.res.headers.set("Referrer-Policy", "no-referrer");
  c.res.headers.set("X-Content-Type-Options", "nosniff");
  c.res.headers.set("Cache-Control", "no-store");
});
