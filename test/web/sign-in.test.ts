import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newLoginLink } from "../../src/account/login";
import { newSession } from "../../src/account/sessions";
import { tick } from "../../src/cron/tick";
import { DAY, MINUTE } from "../../src/lib/time";
import { uniq } from "../support/clock";
import { count, deps, outbox, userId } from "../support/mail";
import { mail, member } from "../network/support";
import { Browser, loginLink, readable, signedIn } from "./support";

/** Sign-in without passwords: the address form, the one-time link, the session cookie,
 * sign-out, and the CSRF token every POST carries. */

const loginMails = async (to: string) => (await outbox()).filter((m) => m.to === to && m.headers["X-Kith-Kind"] === "login").length;

/** The sign-in mail leaves after the answer (waitUntil): wait for it. */
async function loginMailsSettled(to: string, expected: number): Promise<number> {
  for (let i = 0; i < 40 && (await loginMails(to)) !== expected; i++) await new Promise((r) => setTimeout(r, 50));
  return loginMails(to);
}

describe("signing in", () => {
  it("asks a signed-out visitor for their address, and says the same whether or not it is a user", async () => {
    const me = await member();
    const stranger = `nobody-${uniq()}@example.com`;
    const b = new Browser();
    const page = await b.page("/app");
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<input type="email"[^>]*name="email"/);
    const forUser = await b.post("/app/sign-in", { email: me.toUpperCase() });
    const forStranger = await b.post("/app/sign-in", { email: stranger });
    expect(forUser.status).toBe(200);
    expect(forStranger.status).toBe(200);
    expect(readable(await forUser.text())).toBe(readable(await forStranger.text()));
    // Only the user gets a link; the stranger gets no mail and no account.
    expect(await loginMailsSettled(me, 1)).toBe(1);
    expect((await outbox()).filter((m) => m.to === stranger)).toHaveLength(0);
    expect(await count("users", "email = ?1", stranger)).toBe(0);
  });

  it("refuses what is not an address", async () => {
    const b = new Browser();
    await b.page("/app");
    const res = await b.post("/app/sign-in", { email: "not an address" });
    expect(res.status).toBe(400);
    expect(readable(await res.text())).toContain("does not look like an email address");
  });

  it("limits sign-in mails per address, for users and strangers alike", async () => {
    const me = await member();
    const b = new Browser();
    await b.page("/app");
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await b.post("/app/sign-in", { email: me })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(await loginMailsSettled(me, 5)).toBe(5);
    const stranger = `nobody-${uniq()}@example.com`;
    const other: number[] = [];
    for (let i = 0; i < 6; i++) other.push((await b.post("/app/sign-in", { email: stranger })).status);
    expect(other.at(-1)).toBe(429);
  });

  it("limits sign-in requests per client, whatever the address", async () => {
    const b = new Browser();
    await b.page("/app");
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await b.post("/app/sign-in", { email: `x${i}-${uniq()}@example.com` })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });

  it("opens a page with a button: the GET signs no one in, the POST does, once", async () => {
    const me = await member();
    await mail(me, "login");
    const link = await loginLink(me);
    // A mail scanner fetches the link: nothing happens, and it still works after.
    const scanner = new Browser();
    const shown = await scanner.page(link);
    expect(shown.status).toBe(200);
    expect(shown.html).toMatch(/<form method="post"/);
    expect(readable(shown.html)).toContain(me);
    expect(scanner.cookies.has("kith_session")).toBe(false);
    expect(await count("sessions", "user_id = ?1", await userId(me))).toBe(0);

    const b = new Browser();
    await b.page(link);
    const res = await b.post(link);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/app");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("kith_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/Max-Age=2592000/);
    const people = await b.page("/app");
    expect(readable(people.html)).toContain("People");
    expect(people.html).toMatch(/<input type="search"[^>]*name="q"/);
    // The session is stored hashed: the cookie's value is in no row.
    const token = b.cookies.get("kith_session")!;
    expect(await count("sessions", "token_hash = ?1", token)).toBe(0);
    expect(await count("sessions", "user_id = ?1", await userId(me))).toBe(1);

    // Used: the link does nothing again, in any browser.
    const again = new Browser();
    await again.page("/app");
    expect((await again.page(link)).status).toBe(410);
    const used = await again.post(link);
    expect(used.status).toBe(410);
    expect(again.cookies.has("kith_session")).toBe(false);
    expect(await count("sessions", "user_id = ?1", await userId(me))).toBe(1);
  });

  it("signs in once when the button is pressed twice at the same moment", async () => {
    const me = await member();
    await mail(me, "login");
    const link = await loginLink(me);
    const a = new Browser();
    const b = new Browser();
    await Promise.all([a.page("/app"), b.page("/app")]);
    await Promise.all([a.page(link), b.page(link)]);
    const answers = await Promise.all([a.post(link), b.post(link)]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 410]);
    expect(await count("sessions", "user_id = ?1", await userId(me))).toBe(1);
  });

  it("ends a session 90 days after it began, however much it is used", async () => {
    const me = await member();
    const uid = await userId(me);
    const s = await newSession(env.DB, uid, Date.now() - 91 * DAY);
    await env.DB.batch([s.statement, env.DB.prepare("UPDATE sessions SET expires_at = ?2 WHERE token_hash = ?1").bind(s.hash, Date.now() + DAY)]);
    const b = new Browser();
    b.cookies.set("kith_session", s.token);
    const res = await b.fetch("/app/settings");
    expect(res.status).toBe(303);
    expect(b.cookies.has("kith_session")).toBe(false);
  });

  it("does nothing with an expired link", async () => {
    const me = await member();
    const { token, statement } = await newLoginLink(env.DB, await userId(me), Date.now() - 16 * MINUTE);
    await env.DB.batch([statement]);
    const b = new Browser();
    await b.page("/app");
    const shown = await b.page(`/app/login/${token}`);
    expect(shown.status).toBe(410);
    const res = await b.post(`/app/login/${token}`);
    expect(res.status).toBe(410);
    expect(b.cookies.has("kith_session")).toBe(false);
    expect(await count("sessions", "user_id = ?1", await userId(me))).toBe(0);
  });

  it("refuses a link that is no link", async () => {
    const b = new Browser();
    expect((await b.page("/app/login/not-a-token")).status).toBe(410);
  });
});

describe("CSRF", () => {
  it("refuses a POST without the token, or with another session's, and changes nothing", async () => {
    const me = await member();
    const b = await signedIn(me);
    const other = await signedIn(await member());
    const before = await count("api_tokens", "user_id = ?1", await userId(me));
    for (const csrf of [null, "", other.csrf, b.csrf.slice(0, -1) + (b.csrf.endsWith("a") ? "b" : "a")]) {
      const res = await b.post("/app/settings/tokens", { name: "sneaky" }, { csrf });
      expect(res.status).toBe(403);
    }
    expect(await count("api_tokens", "user_id = ?1", await userId(me))).toBe(before);
    // With its own token the same form works.
    expect((await b.post("/app/settings/tokens", { name: "mine" })).status).toBe(200);
    expect(await count("api_tokens", "user_id = ?1", await userId(me))).toBe(before + 1);
  });

  it("guards the signed-out forms too", async () => {
    const me = await member();
    const b = new Browser();
    await b.page("/app");
    expect((await b.post("/app/sign-in", { email: me }, { csrf: null })).status).toBe(403);
    expect(await loginMails(me)).toBe(0);
  });
});

describe("signing out", () => {
  it("ends this session, or every session", async () => {
    const me = await member();
    const laptop = await signedIn(me);
    const phone = await signedIn(me);
    const res = await laptop.post("/app/sign-out");
    expect(res.status).toBe(303);
    expect(laptop.cookies.has("kith_session")).toBe(false);
    expect((await laptop.page("/app")).html).toMatch(/name="email"/);
    // The phone is still signed in, until "everywhere".
    expect((await phone.page("/app/settings")).status).toBe(200);
    const again = await signedIn(me);
    // A link asked for and not used yet goes too.
    await mail(me, "login");
    const unused = await loginLink(me);
    await again.post("/app/sign-out-everywhere");
    expect(await count("sessions", "user_id = ?1", await userId(me))).toBe(0);
    expect(await count("login_links", "user_id = ?1", await userId(me))).toBe(0);
    expect((await new Browser().page(unused)).status).toBe(410);
    const after = await phone.fetch("/app/settings");
    expect(after.status).toBe(303);
    expect(after.headers.get("Location")).toBe("/app");
  });

  it("lets the tick sweep expired sessions and old links, and keeps live ones", async () => {
    const me = await member();
    const uid = await userId(me);
    const old = await newSession(env.DB, uid, Date.now() - 30 * DAY);
    const live = await newSession(env.DB, uid, Date.now());
    const link = await newLoginLink(env.DB, uid, Date.now() - 2 * DAY);
    await env.DB.batch([old.statement, live.statement, link.statement]);
    // The hour's first tick sweeps (the others leave it, to stay a handful of rows).
    const onTheHour = Math.ceil(Date.now() / 3600_000) * 3600_000 + 60_000;
    await tick(deps({}, () => onTheHour));
    expect(await count("sessions", "token_hash = ?1", old.hash)).toBe(0);
    expect(await count("sessions", "token_hash = ?1", live.hash)).toBe(1);
    expect(await count("login_links", "user_id = ?1", uid)).toBe(0);
  });

  it("sends every page with a strict Content-Security-Policy and no Referer", async () => {
    const b = await signedIn(await member());
    for (const path of ["/app", "/app/due", "/app/settings"]) {
      const res = await b.fetch(path);
      const csp = res.headers.get("Content-Security-Policy") ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toMatch(/default-src 'none'/);
      expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
      const html = await res.text();
      expect(html).not.toMatch(/<script|style="/);
    }
  });
});
