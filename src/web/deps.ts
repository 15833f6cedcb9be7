import { getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { Session } from "../account/sessions";
import { clockAt, type Deps } from "../core/deps";
import { depsFor } from "../core/wiring";
import { exportAttacher } from "../network/export/index";
import type { User } from "../users/user";

/** The web's environment: the bindings, the core's dependencies for this request, and
 * (on /app) who is signed in and the CSRF token their forms carry. */
export interface WebEnv {
  Bindings: Env;
  Variables: { deps: Deps; user: User | null; session: Session | null; csrf: string };
}

const BOOKMARK = "kith_bm";

/**
 * One clock per request: every rule runs at the instant it arrived. Reads go through a
 * D1 session (the Sessions API): a GET may be served by a read replica near the user,
 * from the bookmark of this browser's last write on, so it always sees its own changes;
 * any other method starts at the primary, and hands its bookmark on. (Locally there are
 * no replicas and nothing changes.)
 */
export const withDeps = createMiddleware<WebEnv>(async (c, next) => {
  const read = c.req.method === "GET" || c.req.method === "HEAD";
  const session = c.env.DB.withSession(read ? (getCookie(c, BOOKMARK) ?? "first-unconstrained") : "first-primary");
  // A D1 session has the prepare() and batch() that every owner module uses.
  const deps = { ...depsFor(c.env, clockAt(Date.now()), exportAttacher), db: session as unknown as D1Database };
  c.set("deps", deps);
  c.set("user", null);
  c.set("session", null);
  c.set("csrf", "");
  await next();
  const bookmark = session.getBookmark();
  if (!read && bookmark) setCookie(c, BOOKMARK, bookmark, { path: "/", httpOnly: true, sameSite: "Lax", secure: secureCookies(c.req.url), maxAge: 3600 });
});

/** Cookies are Secure everywhere but plain-http localhost (local mode). */
export function secureCookies(url: string): boolean {
  const u = new URL(url);
  return !(u.protocol === "http:" && (u.hostname === "localhost" || u.hostname === "127.0.0.1" || u.hostname === "[::1]"));
}
