import { SELF } from "cloudflare:test";
import { latest, mail } from "../network/support";

/** A browser for the dashboard over the Worker's own fetch(): cookies kept, redirects
 * not followed (tests look at them), forms posted with the page's CSRF token. */

export const ORIGIN = "https://kith.test";

export class Browser {
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page that had a form. */
  csrf = "";
  /** Each browser its own client address (sign-in requests are limited per client). */
  readonly ip = `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", this.ip);
    if (this.cookies.size > 0) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await SELF.fetch(`${ORIGIN}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (gone || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** GET a page; its text, with the CSRF token remembered. */
  async page(path: string): Promise<{ status: number; html: string; res: Response }> {
    const res = await this.fetch(path);
    const html = await res.text();
    const m = /name="csrf" value="([^"]*)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { status: res.status, html, res };
  }

  /** POST a form (the CSRF token added unless `csrf: null`). */
  post(path: string, form: Record<string, string> = {}, opts: { csrf?: string | null } = {}): Promise<Response> {
    const body = new URLSearchParams(form);
    const token = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (token !== null) body.set("csrf", token);
    return this.fetch(path, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  }

  /** POST, then follow the redirect to the page it names: that page's text. */
  async submit(path: string, form: Record<string, string> = {}): Promise<{ status: number; html: string; location: string | null }> {
    const res = await this.post(path, form);
    const location = res.headers.get("Location");
    if (res.status !== 303 || !location) return { status: res.status, html: await res.text(), location };
    await res.body?.cancel();
    const next = await this.page(location);
    return { status: next.status, html: next.html, location };
  }
}

/** The sign-in link of the user's latest login mail. */
export async function loginLink(me: string): Promise<string> {
  const m = /https:\/\/kith\.test(\/app\/login\/[A-Za-z0-9_-]+)/.exec((await latest(me, "login")).text);
  if (!m) throw new Error("no sign-in link in the login mail");
  return m[1]!;
}

/** A browser signed in as `me`, by the "login" mail and its link. */
export async function signedIn(me: string): Promise<Browser> {
  await mail(me, "login");
  const b = new Browser();
  const link = await loginLink(me);
  await b.page(link);
  const res = await b.post(link);
  if (res.status !== 303 || !b.cookies.has("kith_session")) throw new Error(`sign-in failed: ${res.status}`);
  // A page with forms: the CSRF token of this session.
  await b.page("/app/settings");
  return b;
}

/** A personal API token of `me`, by the "token" mail. */
export async function apiToken(me: string, scope: "read" | "write" = "write"): Promise<string> {
  await mail(me, scope === "read" ? "token read" : "token");
  const m = /kith_[A-Za-z0-9_-]{43}/.exec((await latest(me, "api-token")).text);
  if (!m) throw new Error("no token in the api-token mail");
  return m[0];
}

/** An API call with a token. */
export function call(token: string | null, path: string, init: { method?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  return SELF.fetch(`${ORIGIN}/api/v1${path}`, { method: init.method ?? "GET", headers, body: init.json === undefined ? undefined : JSON.stringify(init.json) });
}

/** The text of a page, tags dropped and spaces folded, to assert on what a user reads. */
export const readable = (html: string) =>
  html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
