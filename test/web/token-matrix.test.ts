/**
 * Every kind of token Kith hands out, against every way to misuse it: forged (random),
 * altered (one character changed in each of its parts), expired, replayed (the one
 * single-use kind, sign-in links) and used by another user. One table: each row is the
 * request a person (or a mail client) would make, the answer they see (status and
 * words), and the proof that nothing in D1 changed (every row of every table that
 * belongs to the users, before and after). The last test sends each untouched token,
 * so that a refusal above is the token's doing and nothing else's.
 */
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { newLoginLink } from "../../src/account/login";
import { newSession } from "../../src/account/sessions";
import { revokeToken, tokenOwner } from "../../src/account/tokens";
import { signToken } from "../../src/lib/sign";
import { unsubscribeToken } from "../../src/mail-out/unsubscribe";
import { itemToken, LINK_TTL } from "../../src/reminders/item-links";
import { card, contactId, KITH, latest, member } from "../network/support";
import { DAY, HOUR, tickAt } from "../support/clock";
import { count, eml, send, userId } from "../support/mail";
import { seeded } from "../support/random";
import { apiToken, Browser, call, ORIGIN, readable, signedIn } from "./support";

const config = loadConfig(env);
const random = seeded(11);
const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
const B36 = "0123456789abcdefghijklmnopqrstuvwxyz";
const B64URL = `ABCDEFGHIJKLMNOPQRSTUVWXYZ${B36}-_`;

/** The token with the last character of its `part` (split on ".") changed, in its own alphabet. */
function flip(token: string, part: number): string {
  const parts = token.split(".");
  const p = parts[part]!;
  parts[part] = p.slice(0, -1) + (p.at(-1) === "0" ? "1" : "0");
  return parts.join(".");
}
/** The token with its `part` (split on ".") replaced. */
function withPart(token: string, part: number, value: string): string {
  const parts = token.split(".");
  parts[part] = value;
  return parts.join(".");
}
const flipChar = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);

/** An old-style /a/ token with its payload changed and the old MAC kept. */
function rewritten(token: string, change: Record<string, unknown>): string {
  const [body, mac] = token.split(".") as [string, string];
  const json = JSON.parse(atob(body.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
  const b64 = btoa(JSON.stringify({ ...json, ...change })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${b64}.${mac}`;
}

/** Every row of every table that names the users (by user_id, or their own row), but
 * `skip`. */
async function state(ids: number[], skip: string[]): Promise<string> {
  const { results: tables } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%user_id%' ORDER BY name").all<{ name: string }>();
  const parts: string[] = [JSON.stringify((await env.DB.prepare(`SELECT * FROM users WHERE id IN (${ids.join(",")}) ORDER BY id`).all()).results)];
  for (const { name } of tables) {
    if (skip.includes(name)) continue;
    parts.push(name, JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}" WHERE user_id IN (${ids.join(",")}) ORDER BY 1`).all()).results));
  }
  return parts.join("\n");
}

interface Answer {
  status: number | string;
  text: string;
}

/** The status and the words of the page's main part (what a person reads under the header). */
async function page(res: Response): Promise<Answer> {
  const html = await res.text();
  return { status: res.status, text: readable(/<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html) };
}
const json = async (res: Response): Promise<Answer> => ({ status: res.status, text: ((await res.json()) as { error: { message: string } }).error.message });
const get = (path: string, init: RequestInit = {}) => SELF.fetch(`${ORIGIN}${path}`, { redirect: "manual", ...init });
const post = (path: string, form: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  get(path, { method: "POST", body: new URLSearchParams(form), headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers } });
const withCookie = (session: string) => ({ Cookie: `kith_session=${session}` });

/** The world the rows act on: Ann (whose things are attacked) and Bob (another user). */
let ann: string;
let bob: string;
let annId: number;
let bobId: number;
let reminderId: number;
let contact: number;
let annToken: string;
let bobToken: string;
let bobBrowser: Browser;
let replyTo: string;
let annSession: string;

/** A reply by `from` to an address, without the headers that thread it. */
const mailTo = (from: string, to: string, text: string) => send(eml({ From: from, To: to, Subject: "Re: Kith: follow up", Date: new Date().toUTCString() }, text), { from });

beforeAll(async () => {
  ann = await member();
  bob = await member();
  [annId, bobId] = [await userId(ann), await userId(bob)];
  await card(ann, "Carol Diaz\nVP Sales, Globex\ncarol@globex-labs.com");
  await card(bob, "Dan Wu\ndan@wu.example");
  contact = await contactId(ann, "carol@globex-labs.com");
  // The follow-up goes out in a reminder mail (with its signed reply address), in the
  // first hour outside quiet hours.
  const start = Date.now();
  for (let t = start + HOUR; t < start + 2 * DAY && !(await count("outbound_messages", "user_id = ?1 AND kind = 'reminder'", annId)); t += HOUR) await tickAt(t);
  reminderId = (await env.DB.prepare("SELECT id FROM reminders WHERE user_id = ?1 AND kind = 'follow-up'").bind(annId).first<{ id: number }>())!.id;
  replyTo = (await latest(ann, "reminder")).headers["Reply-To"]!;
  expect(replyTo).toMatch(/^kith\+r[0-9a-z]+\.[0-9a-z]{16}@kith\.test$/);
  annToken = await apiToken(ann);
  bobToken = await apiToken(bob);
  bobBrowser = await signedIn(bob);
  const s = await newSession(env.DB, annId, Date.now());
  await s.statement.run();
  annSession = s.token;
}, 60_000);

const INVALID_LINK = "Kith This link is not valid.";
const EXPIRED_LINK = "Kith This link has expired.";
const GONE = "Kith This reminder no longer exists.";
const INVALID_UNSUB = 'Kith This unsubscribe link is not valid. To stop Kith\'s mail, send "pause" to Kith from your address.';
const DEAD_LOGIN = /This link no longer works A sign-in link works once, for 15 minutes\./;
const SIGNED_OUT = /Sign in to Kith/;
const NOT_FOUND = /Not found There is nothing here, or it is not yours\./;
const NO_TOKEN = "Send a valid token: Authorization: Bearer kith_…";

interface Row {
  token: string;
  misuse: "forged" | "altered" | "expired" | "replayed" | "other user";
  what: string;
  /** Bob acting with his own credentials: his own rows may change (a token's last use). */
  byBob?: boolean;
  /** A mail to Kith: it is logged and answered like any other (inbound and outbound logs). */
  mail?: boolean;
  run: () => Promise<Answer>;
  want: { status: number | string; text: string | RegExp };
}

/** Short reminder links, /r/<action><reminder>.<user>.<expiry>.<mac>. */
const item = () => itemToken(config, "done", annId, reminderId, Date.now());
/** Old signed links, /a/<base64url JSON>.<mac>. */
const old = () => signToken(config.linkSecret, { a: "done", u: annId, r: `rem:${reminderId}`, x: Math.floor((Date.now() + DAY) / 1000) });
const unsub = () => unsubscribeToken(config, annId, "reminders");
const local = (a: string) => a.slice(0, a.indexOf("@"));

const rows: Row[] = [
  // ---- /r/ short reminder links (POST acts; GET only asks)
  { token: "/r/", misuse: "forged", what: "random token", run: async () => page(await post(`/r/d${pick(B36, 10)}.${pick(B36, 6)}.${pick(B36, 3)}.${pick(B36, 20)}`)), want: { status: 400, text: INVALID_LINK } },
  { token: "/r/", misuse: "altered", what: "action (done → snooze)", run: async () => page(await post(`/r/s${(await item()).slice(1)}`, { days: "3" })), want: { status: 400, text: INVALID_LINK } },
  { token: "/r/", misuse: "altered", what: "reminder id", run: async () => page(await post(`/r/${flip(await item(), 0)}`)), want: { status: 400, text: INVALID_LINK } },
  { token: "/r/", misuse: "altered", what: "user id", run: async () => page(await post(`/r/${flip(await item(), 1)}`)), want: { status: 400, text: INVALID_LINK } },
  { token: "/r/", misuse: "altered", what: "expiry (pushed later)", run: async () => page(await post(`/r/${withPart(await item(), 2, "zzz")}`)), want: { status: 400, text: INVALID_LINK } },
  { token: "/r/", misuse: "altered", what: "mac", run: async () => page(await post(`/r/${flip(await item(), 3)}`)), want: { status: 400, text: INVALID_LINK } },
  { token: "/r/", misuse: "expired", what: "signed 46 days ago", run: async () => page(await post(`/r/${await itemToken(config, "done", annId, reminderId, Date.now() - LINK_TTL - DAY)}`)), want: { status: 400, text: EXPIRED_LINK } },
  { token: "/r/", misuse: "other user", what: "signed for Bob, naming Ann's reminder (GET)", run: async () => page(await get(`/r/${await itemToken(config, "done", bobId, reminderId, Date.now())}`)), want: { status: 404, text: GONE } },
  { token: "/r/", misuse: "other user", what: "signed for Bob, naming Ann's reminder (POST)", run: async () => page(await post(`/r/${await itemToken(config, "done", bobId, reminderId, Date.now())}`)), want: { status: 200, text: GONE } },

  // ---- /a/ signed links from before short links
  { token: "/a/", misuse: "forged", what: "random token", run: async () => page(await post(`/a/${pick(B64URL, 60)}.${pick(B64URL, 43)}`)), want: { status: 400, text: INVALID_LINK } },
  { token: "/a/", misuse: "altered", what: "action (done → snooze)", run: async () => page(await post(`/a/${rewritten(await old(), { a: "snooze" })}`, { days: "3" })), want: { status: 400, text: INVALID_LINK } },
  { token: "/a/", misuse: "altered", what: "reminder id", run: async () => page(await post(`/a/${rewritten(await old(), { r: `rem:${reminderId + 1}` })}`)), want: { status: 400, text: INVALID_LINK } },
  { token: "/a/", misuse: "altered", what: "user id", run: async () => page(await post(`/a/${rewritten(await old(), { u: bobId })}`)), want: { status: 400, text: INVALID_LINK } },
  { token: "/a/", misuse: "altered", what: "expiry (pushed later)", run: async () => page(await post(`/a/${rewritten(await old(), { x: Math.floor(Date.now() / 1000) + 365 * 86400 })}`)), want: { status: 400, text: INVALID_LINK } },
  { token: "/a/", misuse: "altered", what: "mac", run: async () => page(await post(`/a/${flipChar(await old(), (await old()).length - 5)}`)), want: { status: 400, text: INVALID_LINK } },
  {
    token: "/a/",
    misuse: "expired",
    what: "expired an hour ago",
    run: async () => page(await post(`/a/${await signToken(config.linkSecret, { a: "done", u: annId, r: `rem:${reminderId}`, x: Math.floor((Date.now() - HOUR) / 1000) })}`)),
    want: { status: 400, text: EXPIRED_LINK },
  },
  {
    token: "/a/",
    misuse: "other user",
    what: "signed for Bob, naming Ann's reminder",
    run: async () => page(await post(`/a/${await signToken(config.linkSecret, { a: "done", u: bobId, r: `rem:${reminderId}`, x: Math.floor((Date.now() + DAY) / 1000) })}`)),
    want: { status: 200, text: GONE },
  },

  // ---- /u/ unsubscribe links (RFC 8058 one-click POST) and the kith+u… address
  { token: "/u/", misuse: "forged", what: "random token", run: async () => page(await post(`/u/r${pick(B36, 8)}.${pick(B36, 20)}`, { "List-Unsubscribe": "One-Click" })), want: { status: 400, text: INVALID_UNSUB } },
  { token: "/u/", misuse: "altered", what: "kind (reminders → summary)", run: async () => page(await post(`/u/s${(await unsub()).slice(1)}`, { "List-Unsubscribe": "One-Click" })), want: { status: 400, text: INVALID_UNSUB } },
  { token: "/u/", misuse: "altered", what: "user id", run: async () => page(await post(`/u/${flip(await unsub(), 0)}`, { "List-Unsubscribe": "One-Click" })), want: { status: 400, text: INVALID_UNSUB } },
  { token: "/u/", misuse: "altered", what: "mac", run: async () => page(await post(`/u/${flip(await unsub(), 1)}`, { "List-Unsubscribe": "One-Click" })), want: { status: 400, text: INVALID_UNSUB } },
  {
    token: "kith+u…@",
    misuse: "forged",
    what: "random address",
    run: async () => {
      const out = await mailTo(bob, `kith+ur${pick(B36, 8)}.${pick(B36, 20)}@kith.test`, "unsubscribe");
      return { status: out.outcome, text: "reason" in out ? out.reason : "" };
    },
    want: { status: "rejected", text: `This unsubscribe address is not valid. To stop Kith's mail, send "pause" to ${KITH} from your own address.` },
  },
  {
    token: "kith+u…@",
    misuse: "altered",
    what: "mac",
    run: async () => {
      const out = await mailTo(ann, `kith+u${flip(await unsub(), 1)}@kith.test`, "unsubscribe");
      return { status: out.outcome, text: "reason" in out ? out.reason : "" };
    },
    want: { status: "rejected", text: `This unsubscribe address is not valid. To stop Kith's mail, send "pause" to ${KITH} from your own address.` },
  },

  // ---- the signed reply address kith+r<mail>.<mac>@ (for clients that drop In-Reply-To)
  // A reply that no address ties to a Kith mail is a plain mail to Kith: "done" alone is no command.
  {
    token: "kith+r…@",
    misuse: "forged",
    what: "random address",
    run: async () => ({ status: (await mailTo(ann, `kith+r${pick(B36, 8)}.${pick(B36, 16)}@kith.test`, "done")).outcome, text: await lastAnswer(ann) }),
    want: { status: "applied", text: /^Kith did not understand that mail/ },
    mail: true,
  },
  {
    token: "kith+r…@",
    misuse: "altered",
    what: "mail id",
    run: async () => ({ status: (await mailTo(ann, `${flip(local(replyTo), 0)}@kith.test`, "done")).outcome, text: await lastAnswer(ann) }),
    want: { status: "applied", text: /^Kith did not understand that mail/ },
    mail: true,
  },
  {
    token: "kith+r…@",
    misuse: "altered",
    what: "mac",
    run: async () => ({ status: (await mailTo(ann, `${flip(local(replyTo), 1)}@kith.test`, "done")).outcome, text: await lastAnswer(ann) }),
    want: { status: "applied", text: /^Kith did not understand that mail/ },
    mail: true,
  },
  {
    token: "kith+r…@",
    misuse: "other user",
    what: "Bob replies 'done' to Ann's reminder address",
    byBob: true,
    run: async () => ({ status: (await mailTo(bob, replyTo, "done")).outcome, text: await lastAnswer(bob) }),
    want: { status: "applied", text: /^Kith did not understand that mail/ },
    mail: true,
  },

  // ---- sign-in links /app/login/<43 characters>
  { token: "login link", misuse: "forged", what: "random token", run: async () => signInWith(pick(B64URL, 43)), want: { status: 410, text: DEAD_LOGIN } },
  { token: "login link", misuse: "altered", what: "one character", run: async () => signInWith(flipChar(links.alive, 10)), want: { status: 410, text: DEAD_LOGIN } },
  { token: "login link", misuse: "expired", what: "made 16 minutes ago", run: async () => signInWith(links.expired), want: { status: 410, text: DEAD_LOGIN } },
  { token: "login link", misuse: "replayed", what: "used once already", run: async () => signInWith(links.used), want: { status: 410, text: DEAD_LOGIN } },
  {
    token: "login link",
    misuse: "other user",
    what: "Bob's signed-in browser posts Ann's used link",
    byBob: true,
    run: async () => {
      await bobBrowser.page(`/app/login/${links.used}`);
      return page(await bobBrowser.post(`/app/login/${links.used}`));
    },
    want: { status: 410, text: DEAD_LOGIN },
  },

  // ---- session cookies
  { token: "session", misuse: "forged", what: "random cookie", run: async () => page(await get("/app/settings", { headers: withCookie(pick(B64URL, 43)) })), want: { status: 303, text: "" } },
  { token: "session", misuse: "altered", what: "one character", run: async () => page(await get("/app/settings", { headers: withCookie(flipChar(annSession, 20)) })), want: { status: 303, text: "" } },
  {
    token: "session",
    misuse: "expired",
    what: "began 31 days ago, never renewed",
    run: async () => page(await get("/app", { headers: withCookie(links.expiredSession) })),
    want: { status: 200, text: SIGNED_OUT },
  },
  { token: "session", misuse: "other user", what: "Bob's session on Ann's contact", byBob: true, run: async () => page(await bobBrowser.fetch(`/app/people/${contact}`)), want: { status: 404, text: NOT_FOUND } },
  { token: "session", misuse: "other user", what: "Bob's session adds a note to Ann's contact", byBob: true, run: async () => page(await bobBrowser.post(`/app/people/${contact}/notes`, { text: "mine now" })), want: { status: 404, text: NOT_FOUND } },
  { token: "session", misuse: "other user", what: "Bob's session marks Ann's reminder done", byBob: true, run: async () => page(await bobBrowser.post(`/app/reminders/${reminderId}`, { action: "done" })), want: { status: 404, text: NOT_FOUND } },
  {
    token: "session",
    misuse: "other user",
    what: "Bob's session downloads the export: his people only",
    byBob: true,
    run: async () => {
      const res = await bobBrowser.fetch("/app/export/kith-export.json");
      const body = await res.text();
      return { status: res.status, text: body.includes("carol@globex-labs.com") ? "Ann's data" : body.includes("dan@wu.example") ? "Bob's data" : body.slice(0, 200) };
    },
    want: { status: 200, text: "Bob's data" },
  },

  // ---- API tokens (Authorization: Bearer kith_…)
  { token: "API token", misuse: "forged", what: "random token", run: async () => json(await call(`kith_${pick(B64URL, 43)}`, "/contacts")), want: { status: 401, text: NO_TOKEN } },
  { token: "API token", misuse: "altered", what: "one character", run: async () => json(await call(flipChar(annToken, 12), `/contacts/${contact}`, { method: "PATCH", json: { name: "Mallory" } })), want: { status: 401, text: NO_TOKEN } },
  { token: "API token", misuse: "expired", what: "revoked", run: async () => json(await call(revokedToken, "/contacts")), want: { status: 401, text: NO_TOKEN } },
  { token: "API token", misuse: "other user", what: "Bob's token reads Ann's contact", byBob: true, run: async () => json(await call(bobToken, `/contacts/${contact}`)), want: { status: 404, text: "No such contact." } },
  { token: "API token", misuse: "other user", what: "Bob's token renames Ann's contact", byBob: true, run: async () => json(await call(bobToken, `/contacts/${contact}`, { method: "PATCH", json: { name: "Mallory" } })), want: { status: 404, text: "No such contact." } },
  { token: "API token", misuse: "other user", what: "Bob's token marks Ann's reminder done", byBob: true, run: async () => json(await call(bobToken, `/reminders/${reminderId}`, { method: "POST", json: { action: "done" } })), want: { status: 404, text: "No such reminder." } },
  {
    token: "API token",
    misuse: "other user",
    what: "Bob's token exports: his people only",
    byBob: true,
    run: async () => {
      const res = await call(bobToken, "/export?format=csv");
      const body = await res.text();
      return { status: res.status, text: body.includes("carol@globex-labs.com") ? "Ann's data" : body.includes("dan@wu.example") ? "Bob's data" : body.slice(0, 200) };
    },
    want: { status: 200, text: "Bob's data" },
  },
];

/** The first paragraph of the user's latest mail from Kith. */
const lastAnswer = async (me: string) => (await latest(me)).text.split("\n\n")[0] ?? "";

/** A sign-in link of Ann's, as the login mail carries it, made at `at`. */
async function loginLinkAt(at: number): Promise<string> {
  const l = await newLoginLink(env.DB, annId, at);
  await l.statement.run();
  return l.token;
}

/** A browser with no session, on Kith's sign-in page (so that it holds a form's CSRF
 * token), opens the link and presses its button: the answer to the press. */
async function signInWith(token: string): Promise<Answer> {
  const b = new Browser();
  await b.page("/app");
  await b.page(`/app/login/${token}`);
  return page(await b.post(`/app/login/${token}`));
}

/** Credentials made before the rows run, so that making them is no change a row sees. */
const links = { alive: "", expired: "", used: "", expiredSession: "" };
let revokedToken = "";

describe("the token matrix", () => {
  beforeAll(async () => {
    links.alive = await loginLinkAt(Date.now());
    links.expired = await loginLinkAt(Date.now() - 16 * 60_000);
    links.used = await loginLinkAt(Date.now());
    expect((await signInWith(links.used)).status).toBe(303);
    const s = await newSession(env.DB, annId, Date.now() - 31 * DAY);
    await s.statement.run();
    links.expiredSession = s.token;
    revokedToken = await apiToken(ann);
    await revokeToken(env.DB, annId, (await tokenOwner(env.DB, revokedToken))!.id, Date.now()).run();
  });

  it.each(rows.map((r) => [`${r.token} ${r.misuse}: ${r.what}`, r] as const))("%s is refused", async (_, row) => {
    const watched = row.byBob ? [annId] : [annId, bobId];
    const skip = row.mail ? ["inbound_messages", "outbound_messages"] : [];
    const before = await state(watched, skip);
    const answer = await row.run();
    expect(answer.status).toBe(row.want.status);
    if (typeof row.want.text === "string") expect(answer.text).toBe(row.want.text);
    else expect(answer.text).toMatch(row.want.text);
    // Whatever it said, nothing of Ann's (nor, but for Bob's own doings, Bob's) changed.
    expect(await state(watched, skip)).toBe(before);
  });
});

describe("the same tokens untouched", () => {
  it("are accepted: the refusals above are the tokens' doing", async () => {
    expect((await page(await get(`/r/${await item()}`))).text).toMatch(/^Kith Mark the follow-up with Carol Diaz done\?/);
    expect((await page(await get(`/a/${await old()}`))).text).toMatch(/^Kith Mark the follow-up with Carol Diaz done\?/);
    expect((await page(await get(`/u/${await unsub()}`))).status).toBe(200);
    expect((await page(await get("/app/settings", { headers: withCookie(annSession) }))).status).toBe(200);
    expect((await call(annToken, `/contacts/${contact}`)).status).toBe(200);
    expect((await signInWith(links.alive)).status).toBe(303);
    // The reply address ties Ann's "done" to her reminder.
    const out = await mailTo(ann, replyTo, "done");
    expect(out.outcome).toBe("applied");
    const r = await env.DB.prepare("SELECT status FROM reminders WHERE id = ?1").bind(reminderId).first<{ status: string }>();
    expect(r?.status).toBe("done");
  });
});
