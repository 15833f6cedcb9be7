import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { loginMail } from "../account/commands";
import { allow, limitKeys } from "../account/limits";
import { deleteLoginLinks, linkHash, loginLinkUser, useLoginLink } from "../account/login";
import { endAllSessions, endSession, sessionFromLink } from "../account/sessions";
import { newToken, revokeToken, tokensOf } from "../account/tokens";
import { commandNamed } from "../commands/index";
import type { Plan } from "../core/commands";
import { isReadError } from "../core/commands";
import { DAY, HOUR } from "../lib/time";
import { atLocal, describeZone, localTime, type Zone } from "../lib/zone";
import { undeliveredTo } from "../mail-out/outbound";
import { failureSentence } from "../mail-out/suppressions";
import { eraseAccount } from "../network/delete";
import { correct, type EditContext, type Edited, everyStatements, forgetStatements, mergeStatements, metStatements, stopStatements } from "../network/edit";
import { EXPORT_FILES, type ExportFormat } from "../network/export/json";
import { exportResponse } from "../network/export/stream";
import { cursorText, type Filters, peoplePage, readCursor, searchPage } from "../people/browse";
import { clearFact, contactsByIds, removePhoneOf } from "../people/contacts";
import { MAX_NOTE } from "../people/notes";
import { contactIdByAddress } from "../people/search";
import { actOnReminder } from "../reminders/act-link";
import { openReminderIds, remindersByIds, upcomingReminderIds } from "../reminders/store";
import { summaryHour, summaryOff } from "../summary/schedule";
import { prefsOf, zoneOf } from "../users/delivery";
import { PAUSED_UNTIL_RESUMED, pausedUntil, whenText } from "../users/pause";
import { addressesOf, userByAddress, userById } from "../users/store";
import type { User } from "../users/user";
import { secureCookies, type WebEnv } from "./deps";
import { commit, commitLater } from "./mail";
import { DuePage } from "./pages/due";
import { PeoplePage } from "./pages/people";
import { ConfirmPage, PersonPage } from "./pages/person";
import { GonePage, NotFoundPage, SettingsPage, TokenPage } from "./pages/settings";
import { CheckMailPage, ConfirmSignInPage, DeadLinkPage, SignInPage } from "./pages/signin";
import { personView } from "./person-view";
import { clearSessionCookie, setSessionCookie, withUser } from "./session";
import { CSS } from "./style";

/**
 * The dashboard, /app: server-rendered pages, one POST form per change, no script. Every
 * read and write names the signed-in user; an id that is not theirs is a 404, the same
 * as one that does not exist. A change redirects (303) to the page it came from with a
 * one-time notice (a short-lived cookie), so that a reload repeats nothing.
 */

type C = Context<WebEnv>;

export const dashboard = new Hono<WebEnv>();

const PAGE = 25;
const FLASH = "kith_flash";
const Flash = z.object({ t: z.string().max(400), e: z.boolean() });

dashboard.get("/app.css", (c) => c.body(CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600" }));

dashboard.use(withUser);

// ---- helpers

function flash(c: C, text: string, error = false): void {
  setCookie(c, FLASH, JSON.stringify({ t: text.slice(0, 400), e: error }), { path: "/app", httpOnly: true, sameSite: "Lax", secure: secureCookies(c.req.url), maxAge: 60 });
}

function takeFlash(c: C): { notice: string | null; error: boolean } {
  const raw = getCookie(c, FLASH);
  if (!raw) return { notice: null, error: false };
  deleteCookie(c, FLASH, { path: "/app", secure: secureCookies(c.req.url) });
  try {
    const v = Flash.parse(JSON.parse(raw));
    return { notice: v.t, error: v.e };
  } catch {
    return { notice: null, error: false };
  }
}

/** Back to a page of the dashboard, with what was done said once. */
function done(c: C, to: string, text: string, error = false): Response {
  flash(c, text, error);
  return c.redirect(to, 303);
}

/** Only a path of the dashboard itself: a form cannot send the browser elsewhere. */
const LOCAL = /^\/app(?:\/[A-Za-z0-9/_-]*)?(?:\?[A-Za-z0-9=&%+._-]*)?$/;
const localPath = (v: unknown, fallback: string) => (typeof v === "string" && LOCAL.test(v) ? v : fallback);

function me(c: C): User {
  const user = c.var.user;
  if (!user) throw new Error("signed-in route without a user");
  return user;
}

const notFound = (c: C) => c.html(<NotFoundPage user={c.var.user} />, 404);

const field = (body: Record<string, unknown>, name: string) => {
  const v = body[name];
  return typeof v === "string" ? v.trim() : "";
};

const idParam = (c: C) => {
  const id = Number(c.req.param("id"));
  return Number.isSafeInteger(id) && id > 0 ? id : null;
};

const ctxOf = (c: C): EditContext => ({ db: c.var.deps.db, user: me(c), now: c.var.deps.clock.now() });

async function body(c: C): Promise<Record<string, unknown>> {
  // withUser parsed it already (for the CSRF token); Hono caches the parse.
  return (await c.req.parseBody()) as Record<string, unknown>;
}

// ---- signed out: the address form, the link

dashboard.get("/", async (c) => {
  if (!c.var.user) {
    const f = takeFlash(c);
    return c.html(<SignInPage csrf={c.var.csrf} notice={f.notice} error={f.error} />);
  }
  return peopleList(c);
});

const Email = z.string().trim().toLowerCase().max(320).pipe(z.email());
const SIGN_INS_PER_ADDRESS = 5;
const SIGN_INS_PER_CLIENT = 30;
const ALIAS_MAILS_PER_HOUR = 5;

/** The same answer whoever asks: no way to learn who has an account. Limited per address
 * and per client (D1 counters, src/account/limits.ts), counted before the look-up. */
dashboard.post("/sign-in", async (c) => {
  const { deps } = c.var;
  const now = deps.clock.now();
  const email = Email.safeParse(field(await body(c), "email"));
  if (!email.success) return c.html(<SignInPage csrf={c.var.csrf} notice="That does not look like an email address." error />, 400);
  const client = c.req.header("cf-connecting-ip") ?? "local";
  const okClient = await allow(deps.db, await limitKeys.loginClient(client), SIGN_INS_PER_CLIENT, HOUR, now);
  const okAddress = okClient && (await allow(deps.db, await limitKeys.loginAddress(email.data), SIGN_INS_PER_ADDRESS, HOUR, now));
  if (!okClient || !okAddress) {
    return c.html(<SignInPage csrf={c.var.csrf} notice="Too many sign-in links were asked for. Wait an hour, or mail “login” to Kith." error />, 429);
  }
  const user = await userByAddress(deps.db, email.data);
  if (user) {
    const { mail, statement } = await loginMail(deps.db, deps.config, user, now);
    // Queued with the link in one batch; sent after the answer (the tick retries it),
    // so that a user's answer takes no longer than a stranger's.
    const { sent } = await commitLater(deps, [statement], [mail]);
    c.executionCtx.waitUntil(sent);
  }
  return c.html(<CheckMailPage />);
});

/** GET shows a button (mail scanners open links); only its POST signs in. */
dashboard.get("/login/:token", async (c) => {
  const { deps } = c.var;
  // On the primary: a link mailed a moment ago may not be on a replica yet.
  const userId = await loginLinkUser(c.env.DB, c.req.param("token"), deps.clock.now());
  const user = userId === null ? null : await userById(deps.db, userId);
  if (!user) return c.html(<DeadLinkPage />, 410);
  return c.html(<ConfirmSignInPage csrf={c.var.csrf} email={user.email} action={`/app/login/${c.req.param("token")}`} />);
});

/** The session and the link's use in one batch: a used link always made a session, and
 * of two racing clicks one signs in. */
dashboard.post("/login/:token", async (c) => {
  const { deps } = c.var;
  const now = deps.clock.now();
  const hash = await linkHash(c.req.param("token"));
  if (hash === null) return c.html(<DeadLinkPage />, 410);
  const session = await sessionFromLink(deps.db, hash, now);
  const [made] = await deps.db.batch([session.statement, useLoginLink(deps.db, hash, now)]);
  if (!made?.meta.changes) return c.html(<DeadLinkPage />, 410);
  // A browser signed in as someone else is now this user only.
  if (c.var.session) await deps.db.batch([endSession(deps.db, c.var.session.hash)]);
  setSessionCookie(c, session.token);
  return c.redirect("/app", 303);
});

// Everything below is signed in. A signed-out GET goes to the sign-in page; a POST too.
dashboard.use(async (c, next) => {
  if (c.var.user) return next();
  if (c.req.method === "GET") return c.redirect("/app", 303);
  return done(c, "/app", "You are signed out. Sign in again to do that.", true);
});

dashboard.post("/sign-out", async (c) => {
  const s = c.var.session;
  if (s) await c.var.deps.db.batch([endSession(c.var.deps.db, s.hash)]);
  clearSessionCookie(c);
  return done(c, "/app", "Signed out.");
});

dashboard.post("/sign-out-everywhere", async (c) => {
  // Every session, and every sign-in link not used yet.
  await c.var.deps.db.batch([endAllSessions(c.var.deps.db, me(c).id), deleteLoginLinks(c.var.deps.db, me(c).id)]);
  clearSessionCookie(c);
  return done(c, "/app", "Signed out on every device.");
});

// ---- people

async function peopleList(c: C) {
  const user = me(c);
  const { db, clock } = c.var.deps;
  const now = clock.now();
  const q = (c.req.query("q") ?? "").trim().slice(0, 200);
  const met = (c.req.query("met") ?? "").trim().slice(0, 200);
  const byId = Number(c.req.query("by"));
  const filters: Filters = {
    ...(met && { met }),
    ...(Number.isSafeInteger(byId) && byId > 0 && { introducedBy: byId }),
    ...(c.req.query("losing") === "1" && { losingTouch: true }),
    ...(c.req.query("muted") === "1" && { muted: true }),
  };
  const by = filters.introducedBy !== undefined ? (await contactsByIds(db, user.id, [filters.introducedBy]))[0] : undefined;
  if (filters.introducedBy !== undefined && !by) return notFound(c);
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (met) params.set("met", met);
  if (by) params.set("by", String(by.id));
  if (filters.losingTouch) params.set("losing", "1");
  if (filters.muted) params.set("muted", "1");
  const href = (extra: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    const s = p.toString();
    return s ? `/app?${s}` : "/app";
  };
  const zone = zoneOf(prefsOf(user));
  const f = takeFlash(c);
  const common = { user, zone, now, notice: f.notice, error: f.error, byName: by ? (by.name ?? "them") : null, filtered: params.size > 0 };
  const query = { q, met, losing: !!filters.losingTouch, muted: !!filters.muted, by: by ? String(by.id) : "" };
  if (q) {
    const offset = Math.max(0, Math.min(10_000, Math.floor(Number(c.req.query("o")) || 0)));
    const { people, more } = await searchPage(db, user.id, q, filters, offset, PAGE, now);
    const next = more ? href({ o: String(offset + PAGE) }) : null;
    return c.html(<PeoplePage {...common} query={query} people={people} matches={more ? null : offset + people.length} next={next} first={offset > 0 ? href({}) : null} />);
  }
  const cursor = readCursor(c.req.query("after") ?? "");
  const { people, next } = await peoplePage(db, user.id, filters, cursor, PAGE, now);
  return c.html(
    <PeoplePage {...common} query={query} people={people} matches={undefined} next={next ? href({ after: cursorText(next) }) : null} first={cursor ? href({}) : null} />,
  );
}

async function contactOf(c: C) {
  const id = idParam(c);
  return id === null ? undefined : (await contactsByIds(c.var.deps.db, me(c).id, [id]))[0];
}

dashboard.get("/people/:id", async (c) => {
  const user = me(c);
  const id = idParam(c);
  const p = id === null ? null : await personView(c.var.deps.db, user.id, id);
  if (!p) return notFound(c);
  const f = takeFlash(c);
  const zone = zoneOf(prefsOf(user));
  const now = c.var.deps.clock.now();
  return c.html(<PersonPage user={user} csrf={c.var.csrf} p={p} defaultCadence={user.cadence_days} today={isoDay(now, zone)} zone={zone} now={now} notice={f.notice} error={f.error} />);
});

const isoDay = (t: number, zone: Zone) => {
  const l = localTime(t, zone);
  return `${l.year}-${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`;
};

/** A day the user typed (2026-12-03) as midday of it in their zone; null unless a real
 * day that is not in the future. */
function dayAt(text: string, zone: Zone, now: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = atLocal(zone, y, mo, d, 12);
  const back = localTime(t, zone);
  if (back.year !== y || back.month !== mo || back.day !== d) return null;
  return t > now ? (isoDay(now, zone) === text ? now : null) : t;
}

/** Apply an edit to one person and go back to their page. */
async function edit(c: C, make: (person: NonNullable<Awaited<ReturnType<typeof contactOf>>>, form: Record<string, unknown>) => Promise<Edited | { error: string }> | Edited | { error: string }) {
  const person = await contactOf(c);
  if (!person) return notFound(c);
  const back = `/app/people/${person.id}`;
  const e = await make(person, await body(c));
  if ("error" in e) return done(c, back, e.error, true);
  if (e.statements.length > 0) await c.var.deps.db.batch(e.statements);
  return done(c, back, e.lines.join(" ") || "Nothing to change.");
}

const FACTS = ["name", "title", "company", "met_at"] as const;

dashboard.post("/people/:id/facts", (c) =>
  edit(c, (person, form) => {
    const ctx = ctxOf(c);
    const out: Edited = { statements: [], lines: [] };
    for (const fact of FACTS) {
      const value = field(form, fact).replace(/\s+/g, " ");
      if (value === (person[fact] ?? "")) continue;
      if (value.length > 200) return { error: `That ${fact === "met_at" ? "place" : fact} is longer than Kith keeps (200 characters).` };
      if (value === "") {
        if (fact === "name") return { error: "A name cannot be empty." };
        out.statements.push(clearFact(ctx.db, ctx.user.id, person.id, fact, ctx.now));
        out.lines.push(`Cleared ${fact === "met_at" ? "where you met" : `the ${fact}`}.`);
        continue;
      }
      const e = correct(ctx, person, { fact, value });
      if ("error" in e) return e;
      out.statements.push(...e.statements);
      out.lines.push(...e.lines);
    }
    return out.lines.length > 0 ? out : { statements: [], lines: ["Nothing changed."] };
  }),
);

dashboard.post("/people/:id/phones", (c) => edit(c, (person, form) => correct(ctxOf(c), person, { fact: "phone", value: field(form, "phone").slice(0, 40) })));

dashboard.post("/people/:id/phones/remove", (c) =>
  edit(c, (person, form) => {
    const ctx = ctxOf(c);
    return { statements: [removePhoneOf(ctx.db, ctx.user.id, person.id, field(form, "phone").slice(0, 40))], lines: ["Phone removed."] };
  }),
);

dashboard.post("/people/:id/notes", (c) =>
  edit(c, (person, form) => {
    const text = field(form, "text");
    if (!text) return { error: "A note needs some text." };
    if (text.length > MAX_NOTE) return { error: `A note can be at most ${MAX_NOTE.toLocaleString("en-US")} characters; this one has ${text.length.toLocaleString("en-US")}.` };
    return correct(ctxOf(c), person, { fact: "note", value: text });
  }),
);

dashboard.post("/people/:id/cadence", (c) =>
  edit(c, (person, form) => {
    const days = Number(field(form, "days"));
    if (!Number.isInteger(days) || days < 1 || days > 3660) return { error: "Choose how often to check in." };
    return everyStatements(ctxOf(c), person, days);
  }),
);

dashboard.post("/people/:id/met", (c) =>
  edit(c, (person, form) => {
    const ctx = ctxOf(c);
    const at = dayAt(field(form, "on"), zoneOf(prefsOf(ctx.user)), ctx.now);
    if (at === null) return { error: "Choose the day you met (today or before)." };
    return metStatements(ctx, person, field(form, "what").replace(/\s+/g, " ").slice(0, 200) || null, at);
  }),
);

dashboard.post("/people/:id/stop", (c) => edit(c, (person) => stopStatements(ctxOf(c), person)));

dashboard.post("/people/:id/merge", async (c) => {
  const person = await contactOf(c);
  if (!person) return notFound(c);
  const ctx = ctxOf(c);
  const address = Email.safeParse(field(await body(c), "address"));
  const back = `/app/people/${person.id}`;
  if (!address.success) return done(c, back, "Give the other person's email address.", true);
  const otherId = await contactIdByAddress(ctx.db, ctx.user.id, address.data);
  const [other] = otherId === null ? [] : await contactsByIds(ctx.db, ctx.user.id, [otherId]);
  if (!other) return done(c, back, `Kith knows no one at ${address.data}.`, true);
  if (other.id === person.id) return done(c, back, "That is this person already.", true);
  const e = mergeStatements(ctx, person, other);
  await ctx.db.batch(e.statements);
  return done(c, `/app/people/${e.kept.id}`, e.lines.join(" "));
});

dashboard.get("/people/:id/forget", async (c) => {
  const person = await contactOf(c);
  if (!person) return notFound(c);
  const name = person.name ?? "this person";
  return c.html(
    <ConfirmPage
      user={me(c)}
      csrf={c.var.csrf}
      section="people"
      title={`Forget ${name}?`}
      text={`Kith erases ${name}: their addresses, phones, notes, reminders and their places in your interactions and introductions. Mail that names their addresses will not bring them back. This cannot be undone.`}
      action={`/app/people/${person.id}/forget`}
      button={`Forget ${name}`}
      back={`/app/people/${person.id}`}
    />,
  );
});

dashboard.post("/people/:id/forget", async (c) => {
  const person = await contactOf(c);
  if (!person) return notFound(c);
  const e = await forgetStatements(ctxOf(c), person);
  await c.var.deps.db.batch(e.statements);
  return done(c, "/app", e.lines.join(" "));
});

// ---- due

dashboard.get("/due", async (c) => {
  const user = me(c);
  const { db, clock } = c.var.deps;
  const now = clock.now();
  const [due, soon, failed] = await Promise.all([
    openReminderIds(db, user.id, now, DUE_SHOWN),
    upcomingReminderIds(db, user.id, now, now + WEEK, SOON_SHOWN),
    undeliveredTo(db, user.id, now - 2 * WEEK),
  ]);
  const items = await remindersByIds(db, user.id, [...due, ...soon]);
  const f = takeFlash(c);
  return c.html(
    <DuePage
      user={user}
      csrf={c.var.csrf}
      items={items.sort((a, b) => a.due_at - b.due_at)}
      zone={zoneOf(prefsOf(user))}
      now={now}
      notice={f.notice}
      error={f.error}
      undelivered={failed ? `Kith could not deliver ${failed.n === 1 ? "a mail" : `${failed.n} mails`} to you in the last two weeks (${failed.n > 1 ? "the latest: " : ""}${failureSentence(failed.error, failed.to_address)}).` : null}
    />,
  );
});

const SNOOZE_DAYS = new Set([1, 3, 7, 14, 30]);
const WEEK = 7 * DAY;
/** The due page: what is due (and asked by mail) now, and the next of the coming week. */
const DUE_SHOWN = 50;
const SOON_SHOWN = 20;

dashboard.post("/reminders/:id", async (c) => {
  const user = me(c);
  const id = idParam(c);
  const form = await body(c);
  const action = field(form, "action");
  const days = Number(field(form, "days"));
  const what = action === "done" ? { kind: "done" as const } : action === "skip" ? { kind: "skip" as const } : action === "snooze" && SNOOZE_DAYS.has(days) ? { kind: "snooze" as const, days } : null;
  const back = localPath(form.back, "/app/due");
  if (!what) return done(c, back, "Choose done, snooze or skip.", true);
  const said = id === null ? null : await actOnReminder(c.var.deps, c.var.deps.clock.now(), user, id, what);
  if (said === null) return notFound(c);
  return done(c, back, said);
});

// ---- settings

dashboard.get("/settings", async (c) => {
  const user = me(c);
  const { db, clock } = c.var.deps;
  const now = clock.now();
  const [addresses, tokens] = await Promise.all([addressesOf(db, user.id), tokensOf(db, user.id)]);
  const zone = zoneOf(prefsOf(user));
  const pauseText = (until: number | null) => (until === null ? null : until >= PAUSED_UNTIL_RESUMED ? "until you resume" : `until ${whenText(until, zone)} (${describeZone(zone)})`);
  const off = summaryOff(user);
  const f = takeFlash(c);
  return c.html(
    <SettingsPage
      csrf={c.var.csrf}
      now={now}
      notice={f.notice}
      error={f.error}
      v={{
        user,
        zone,
        zones: Intl.supportedValuesOf("timeZone"),
        addresses,
        tokens,
        remindersPausedUntil: pauseText(pausedUntil(user, "reminders", now)),
        summaryPausedUntil: off ? null : pauseText(pausedUntil(user, "summary", now)),
        summaryOff: off,
        summaryHour: summaryHour(user),
      }}
    />,
  );
});

/** Each settings form, as the mail command it is (by name) and the line it would be:
 * read by the command's own grammar and run by it, so that the web and mail cannot
 * disagree. */
const SETTINGS: Record<string, { command: string; line: (form: Record<string, unknown>) => string | null }> = {
  timezone: { command: "timezone", line: (f) => (field(f, "zone") ? `timezone ${field(f, "zone")}` : null) },
  deliver: { command: "deliver", line: (f) => `deliver at ${field(f, "hour")}` },
  quiet: { command: "quiet", line: (f) => (field(f, "off") ? "quiet hours off" : `quiet hours ${field(f, "start")}-${field(f, "end")}`) },
  cadence: { command: "cadence", line: (f) => `cadence ${field(f, "days")} days` },
  cap: { command: "cap", line: (f) => `cap ${field(f, "items")}` },
  summary: { command: "summary-schedule", line: (f) => (field(f, "off") ? "summary off" : `summary ${field(f, "day")} at ${field(f, "hour")}`) },
  pause: { command: "pause", line: (f) => (field(f, "for") ? `pause for ${field(f, "for")}` : "pause") },
  resume: { command: "resume", line: () => "resume" },
  alias: { command: "alias", line: (f) => `alias ${field(f, "address")}` },
  unalias: { command: "unalias", line: (f) => `unalias ${field(f, "address")}` },
};
/** A command's answer by mail is what the dashboard shows instead; the other mails it
 * causes (an alias's confirmation to the new address) are sent. */
const ANSWERS = new Set(["settings", "confirmation", "help"]);

/** The answer's first paragraph: what was done. */
const said = (plan: Plan) => (plan.mail.find((m) => ANSWERS.has(m.kind))?.text.split("\n\n")[0] ?? "Saved.").replace(/\s+/g, " ").trim();

dashboard.post("/settings/tokens", async (c) => {
  const user = me(c);
  const { db, clock } = c.var.deps;
  const form = await body(c);
  const name = field(form, "name").replace(/\s+/g, " ").slice(0, 80);
  if (!name) return done(c, "/app/settings", "Give the token a name, to know it by later.", true);
  const scope = field(form, "read_only") ? ("read" as const) : ("write" as const);
  const t = await newToken(db, user.id, name, scope, clock.now());
  await db.batch([t.statement]);
  return c.html(<TokenPage user={user} token={t.token} name={name} scope={scope} />);
});

dashboard.post("/settings/tokens/:id/revoke", async (c) => {
  const user = me(c);
  const id = idParam(c);
  const { db, clock } = c.var.deps;
  const t = id === null ? undefined : (await tokensOf(db, user.id)).find((x) => x.id === id);
  if (!t) return notFound(c);
  await db.batch([revokeToken(db, user.id, t.id, clock.now())]);
  return done(c, "/app/settings", `Revoked the token “${t.name}”: it no longer works.`);
});

dashboard.get("/settings/delete", (c) =>
  c.html(
    <ConfirmPage
      user={me(c)}
      csrf={c.var.csrf}
      section="settings"
      title="Delete your account?"
      text="Kith erases everything it holds for you: every person, address, phone, note, interaction, introduction and reminder, your settings, tokens and sessions, and the log of mail. It cannot be undone."
      action="/app/settings/delete"
      button="Delete my account"
      back="/app/settings"
    />,
  ),
);

dashboard.post("/settings/delete", async (c) => {
  await eraseAccount(c.var.deps, me(c));
  clearSessionCookie(c);
  return c.html(<GonePage title="Your account is deleted" text="Kith has erased everything it held for you. If you mail Kith again, you start afresh." />);
});

// ---- downloads, written as they are read

dashboard.get("/export/:file", (c) => {
  const format = (Object.keys(EXPORT_FILES) as ExportFormat[]).find((f) => EXPORT_FILES[f].filename === c.req.param("file"));
  if (!format) return notFound(c);
  return exportResponse(c.var.deps.db, me(c).id, format, c.var.deps.clock.now());
});

// After /settings/tokens and /settings/delete, which it would otherwise take.
dashboard.post("/settings/:setting", async (c) => {
  const name = c.req.param("setting");
  const setting = SETTINGS[name];
  const cmd = setting && commandNamed(setting.command);
  if (!setting || !cmd) return notFound(c);
  const line = setting.line(await body(c));
  const user = me(c);
  const { deps } = c.var;
  const now = deps.clock.now();
  // Each "alias" mails the address it names: a few an hour, or the form mails strangers.
  if (name === "alias" && !(await allow(deps.db, limitKeys.aliasMail(user.id), ALIAS_MAILS_PER_HOUR, HOUR, now))) {
    return done(c, "/app/settings", "Kith has sent enough confirmations for an hour; try again later.", true);
  }
  const read = line === null ? { error: "Choose a value first." } : cmd.read(line, { where: "mail", now, user, typed: line });
  if (read === null) return done(c, "/app/settings", "Kith could not read that setting.", true);
  if (isReadError(read)) return done(c, "/app/settings", read.error, true);
  const plan = await cmd.run(read, { deps, now, user, signup: false });
  const sent = plan.mail.filter((m) => !ANSWERS.has(m.kind));
  await commit(deps, plan.statements, sent);
  // A command that changed nothing and sent nothing said why not.
  return done(c, "/app/settings", said(plan), plan.statements.length === 0 && sent.length === 0);
});

dashboard.notFound((c) => notFound(c));
