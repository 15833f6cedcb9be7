import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { newSecret } from "../account/secret";
import { renewal, SESSION_TTL, sessionOf } from "../account/sessions";
import { sameText, shortMac } from "../lib/sign";
import { userById } from "../users/store";
import { secureCookies, type WebEnv } from "./deps";

/** Who is signed in on /app, and the CSRF check of every POST there. The session cookie
 * is HttpOnly, SameSite=Lax, Secure but on plain-http localhost. A form's CSRF token is
 * an HMAC of the session (or, signed out, of a random pre-session cookie), so a page of
 * another site can neither read nor forge it. */

export const SESSION_COOKIE = "kith_session";
const PRE_COOKIE = "kith_pre";

export const withUser = createMiddleware<WebEnv>(async (c, next) => {
  const { db, config, clock } = c.var.deps;
  const now = clock.now();
  const token = getCookie(c, SESSION_COOKIE);
  // On the primary, never a replica: a session ended a moment ago must not still work.
  const session = token ? await sessionOf(c.env.DB, token, now) : null;
  const user = session ? await userById(db, session.userId) : null;
  if (session && user) {
    c.set("session", session);
    c.set("user", user);
    c.set("csrf", await shortMac(config.linkSecret, `csrf:${session.hash}`, 16));
    const renew = renewal(db, session, now);
    if (renew && token) {
      await renew.run();
      setSessionCookie(c, token);
    }
  } else {
    if (token) deleteCookie(c, SESSION_COOKIE, { path: "/" });
    let pre = getCookie(c, PRE_COOKIE);
    if (!pre || !/^[A-Za-z0-9_-]{43}$/.test(pre)) {
      pre = newSecret();
      setCookie(c, PRE_COOKIE, pre, { path: "/app", httpOnly: true, sameSite: "Lax", secure: secureCookies(c.req.url), maxAge: 86400 });
    }
    c.set("csrf", await shortMac(config.linkSecret, `csrf-pre:${pre}`, 16));
  }
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    const body = await c.req.parseBody();
    const sent = typeof body.csrf === "string" ? body.csrf : "";
    if (!sameText(sent, c.var.csrf)) return c.text("This form has expired or did not come from Kith. Go back, reload the page and try again.", 403);
  }
  await next();
});

export function setSessionCookie(c: Parameters<typeof setCookie>[0], token: string): void {
  setCookie(c, SESSION_COOKIE, token, { path: "/", httpOnly: true, sameSite: "Lax", secure: secureCookies(c.req.url), maxAge: Math.floor(SESSION_TTL / 1000) });
}

export function clearSessionCookie(c: Parameters<typeof deleteCookie>[0]): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: secureCookies(c.req.url) });
}
