/** One load run against a running local server (DESIGN.md "Local mode"): users sign up,
 * sign in and get API tokens by mail; then a storm of their mail, some of it delivered
 * several times at once, while signed-in pages and API calls run and several ticks fire
 * for the same scheduled time; then replies to the reminders those ticks sent. The
 * database is read at the end (check.ts). */
import type { LocalServer } from "../test/e2e/local-server";
import { seeded } from "../test/support/random";
import { type Findings, inspect } from "./check";
import { Limiter, percentile, Tally, type FiveXX } from "./drive";
import { ASSISTANT, command, hello, type Mail, makeUsers, reminderReply, type User, userMail } from "./mails";

export interface Plan {
  users: number;
  /** Distinct mails of the storm, after sign-up and sign-in (replies come on top). */
  mails: number;
  /** How many of them are each delivered `times` times at once. */
  redelivered: number;
  times: number;
  /** Tick rounds, as offsets from the start: each fires `ticksAtOnce` ticks for one time. */
  tickRounds: number[];
  ticksAtOnce: number;
  /** Loops of web requests running through the storm. */
  webLoops: number;
  /** Requests in flight at most, all doors together. */
  inFlight: number;
  seed: number;
}

const HOUR = 3_600_000;
const BURST = 4;
const DAY = 24 * HOUR;

export const FULL: Plan = { users: 40, mails: 400, redelivered: 10, times: 5, tickRounds: [25 * HOUR, 3 * DAY, 5 * DAY, 7 * DAY], ticksAtOnce: 4, webLoops: 8, inFlight: 50, seed: 11 };

export interface Stats {
  n: number;
  p50: number;
  p99: number;
}

export interface Report {
  plan: Plan;
  seconds: number;
  /** Seconds spent signing up and in, in the storm, and reading the database. */
  phases: { setup: number; storm: number; check: number };
  distinct: number;
  deliveries: number;
  accepted: number;
  /** Accepted deliveries per second of the storm. */
  mailsPerSecond: number;
  rejected: string[];
  ticks: number;
  web: number;
  latency: { mail: Stats; web: Stats; tick: Stats };
  transient: FiveXX[];
  fiveXX: FiveXX[];
  unexpected: string[];
  peakInFlight: number;
  /** The Worker's own error log lines ({"level":"error",…}) during the run. */
  serverErrors: string[];
  findings: Findings;
  /** Mails each user's outbox got, by kind. */
  sent: Record<string, number>;
}

interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
}

interface WebUser {
  user: User;
  cookie: string;
  token: string;
  ids: number[];
}

export async function runLoad(server: LocalServer, plan: Plan): Promise<Report> {
  const started = Date.now();
  const tally = new Tally(server.base, new Limiter(plan.inFlight));
  const rand = seeded(plan.seed);
  const tag = `load-${plan.seed}-${started.toString(36)}`;
  const users = makeUsers(rand, plan.users, 12, tag);
  const accepted = new Map<string, Mail>();
  const rejected: string[] = [];
  let deliveries = 0;
  let acceptedDeliveries = 0;

  async function deliver(m: Mail): Promise<void> {
    deliveries++;
    const url = `/cdn-cgi/handler/email?from=${encodeURIComponent(m.user.email)}&to=${encodeURIComponent(ASSISTANT)}`;
    const res = await tally.request("mail", url, { method: "POST", body: m.raw });
    if (res.status === 200) {
      acceptedDeliveries++;
      accepted.set(`${m.user.email} ${m.messageId}`, m);
    } else if (res.status < 500 && res.status !== 0) {
      rejected.push(`${m.shape} ${m.messageId}: HTTP ${res.status} ${res.body.trim().slice(0, 200)}`);
    }
  }
  const all = <T>(xs: T[], f: (x: T) => Promise<unknown>) => Promise.all(xs.map(f));
  const outbox = async () => (await (await fetch(`${server.base}/dev/outbox`)).json()) as OutboxMail[];

  // Sign-up, then a sign-in link and an API token for everyone, by mail.
  await all(users, (u) => deliver(hello(u, Date.now(), tag)));
  await all(users, (u) => all(["login", "token"], (w) => deliver(command(u, w, Date.now(), tag))));
  await settle(server.base);
  const web = await signIn(tally, users, await outbox());

  // The storm: wave A with the first tick round inside it, then wave B with the others
  // and replies to the reminders the first round sent.
  const stormStart = performance.now();
  const setup = (Date.now() - started) / 1000;
  const beforeStorm = acceptedDeliveries;
  // A user's mail comes in bursts of BURST (a batch forwarded after an event), so that
  // mails naming the same person are in flight together.
  const mails = users.length === 0 ? [] : Array.from({ length: plan.mails }, (_, i) => userMail(rand, users[Math.floor(i / BURST) % users.length]!, i, Date.now(), tag));
  const again = new Set(mails.filter((_, i) => i % Math.max(1, Math.floor(plan.mails / plan.redelivered)) === 0).slice(0, plan.redelivered));
  let ticks = 0;
  const tickRound = (offset: number) => async () => {
    const at = started + offset;
    ticks += plan.ticksAtOnce;
    await Promise.all(Array.from({ length: plan.ticksAtOnce }, () => tally.request("tick", `/cdn-cgi/handler/scheduled?time=${at}`)));
  };
  const send = (m: Mail) => () => (again.has(m) ? Promise.all(Array.from({ length: plan.times }, () => deliver(m))) : deliver(m));

  // Its own generator: browsing interleaves with the mail by timing, the mail stays the seed's.
  const clicks = seeded(plan.seed + 1);
  let stormDone = false;
  let webRequests = 0;
  const browsing = Promise.all(
    Array.from({ length: web.length > 0 ? plan.webLoops : 0 }, async () => {
      while (!stormDone) {
        webRequests++;
        await browse(tally, web[Math.floor(clicks() * web.length)]!, clicks);
      }
    }),
  );
  const [firstRound, ...laterRounds] = plan.tickRounds;
  const cut = Math.ceil(mails.length * 0.6);
  const waveA: (() => Promise<unknown>)[] = mails.slice(0, cut).map(send);
  if (firstRound !== undefined) waveA.splice(Math.floor(waveA.length / 3), 0, tickRound(firstRound));
  // Web loops and a tick round keep their share of the requests in flight.
  const mailWidth = Math.max(1, plan.inFlight - plan.webLoops - plan.ticksAtOnce);
  await pool(waveA, mailWidth);

  const reminders = (await outbox()).filter((m) => m.headers["X-Kith-Kind"] === "reminder");
  const replies = users.flatMap((u) => {
    const r = reminders.find((m) => m.to === u.email);
    return r ? [reminderReply(rand, u, { messageId: r.headers["Message-ID"]!, subject: r.subject, text: r.text }, Date.now(), tag)] : [];
  });
  replies.slice(0, Math.ceil(plan.redelivered / 2)).forEach((m) => again.add(m));
  const waveB: (() => Promise<unknown>)[] = [...mails.slice(cut), ...replies].sort(() => rand() - 0.5).map(send);
  laterRounds.forEach((offset, i) => waveB.splice(Math.floor(((i + 1) * waveB.length) / (laterRounds.length + 1)), 0, tickRound(offset)));
  await pool(waveB, mailWidth);
  const stormSeconds = (performance.now() - stormStart) / 1000;
  const stormAccepted = acceptedDeliveries - beforeStorm;
  stormDone = true;
  await browsing;

  const checkStart = performance.now();
  await settle(server.base);
  const findings = await inspect(server.stateDir, [...accepted.values()], coversAWeek(plan.tickRounds) ? users.map((u) => u.email) : []);
  const sent: Record<string, number> = {};
  for (const m of await outbox()) {
    const kind = m.headers["X-Kith-Kind"] ?? "none";
    sent[kind] = (sent[kind] ?? 0) + 1;
  }
  const stats = (xs: number[]): Stats => ({ n: xs.length, p50: percentile(xs, 50), p99: percentile(xs, 99) });
  return {
    plan,
    seconds: (Date.now() - started) / 1000,
    phases: { setup, storm: stormSeconds, check: (performance.now() - checkStart) / 1000 },
    distinct: accepted.size,
    deliveries,
    accepted: acceptedDeliveries,
    mailsPerSecond: stormAccepted / stormSeconds,
    rejected,
    ticks,
    web: webRequests,
    latency: { mail: stats(tally.latency.mail), web: stats(tally.latency.web), tick: stats(tally.latency.tick) },
    transient: tally.fiveXX.filter((f) => f.transient),
    fiveXX: tally.fiveXX.filter((f) => !f.transient),
    unexpected: tally.unexpected,
    peakInFlight: tally.limiter.peak,
    serverErrors: server.output().split("\n").filter((l) => l.startsWith('{"level":"error"')),
    findings,
    sent,
  };
}

/** Whether the tick rounds reach every user's first weekly summary slot within the grace
 * of src/summary/schedule.ts (a slot missed by more than two days is skipped): a round
 * at least every two days, for a week. */
function coversAWeek(rounds: number[]): boolean {
  const at = [0, ...rounds].sort((a, b) => a - b);
  return at.at(-1)! >= 7 * DAY && at.every((t, i) => i === 0 || t - at[i - 1]! <= 2 * DAY);
}

/** Whether the run found nothing wrong. */
export const passed = (r: Report) =>
  Object.keys(r.findings.duplicates).length === 0 && r.findings.lost.length === 0 && r.findings.stuck.length === 0 && r.findings.missingSummaries.length === 0 && r.findings.missingPeople.length === 0 && r.fiveXX.length === 0 && r.unexpected.length === 0 && r.rejected.length === 0 && r.serverErrors.length === 0;

/** Runs `jobs` with at most `width` of them at once. */
async function pool(jobs: (() => Promise<unknown>)[], width: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, jobs.length) }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

/** Mail sent "after the answer" (waitUntil: sign-in links) lands a moment later; waits
 * until the outbox stops growing. */
async function settle(base: string): Promise<void> {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const n = ((await (await fetch(`${base}/dev/outbox`)).json()) as unknown[]).length;
    if (n === last) return;
    last = n;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The sign-in link's page, then its button: a session cookie per user. The API token
 * from the "token" mail. Users whose mails are missing are left out (and said so). */
async function signIn(tally: Tally, users: User[], mails: OutboxMail[]): Promise<WebUser[]> {
  const out: WebUser[] = [];
  await Promise.all(
    users.map(async (user) => {
      const mine = mails.filter((m) => m.to === user.email);
      const link = mine.map((m) => /\/app\/login\/[A-Za-z0-9_-]+/.exec(m.text)?.[0]).find(Boolean);
      const token = mine.map((m) => /\bkith_[A-Za-z0-9_-]{43}\b/.exec(m.text)?.[0]).find(Boolean);
      if (!link || !token) return void tally.unexpected.push(`${user.email}: no ${link ? "API token" : "sign-in link"} mail in the outbox`);
      const page = await tally.request("web", link);
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
      const pre = cookies(page.headers);
      if (page.status !== 200 || !csrf) return void tally.unexpected.push(`${user.email}: sign-in page answered ${page.status}`);
      const post = await tally.request("web", link, { method: "POST", headers: { Cookie: pre, "Content-Type": "application/x-www-form-urlencoded" }, body: `csrf=${encodeURIComponent(csrf)}` });
      const session = cookies(post.headers).split("; ").find((c) => c.startsWith("kith_session="));
      if (post.status !== 303 || !session) return void tally.unexpected.push(`${user.email}: signing in answered ${post.status}`);
      out.push({ user, cookie: session, token, ids: [] });
    }),
  );
  return out;
}

/** name=value pairs of a response's Set-Cookie headers. */
const cookies = (h: Headers) =>
  h
    .getSetCookie()
    .map((c) => c.split(";", 1)[0]!)
    .filter((c) => !c.endsWith("="))
    .join("; ");

/** One signed-in page or API call for `w`, checked for a 200. */
async function browse(tally: Tally, w: WebUser, rand: () => number): Promise<void> {
  const someone = w.user.circle[Math.floor(rand() * w.user.circle.length)]!;
  const page = { Cookie: w.cookie };
  const api = { Authorization: `Bearer ${w.token}` };
  const id = w.ids[Math.floor(rand() * w.ids.length)];
  const choices: [string, Record<string, string>][] = [
    ["/app", page],
    [`/app?q=${encodeURIComponent(someone.name.split(" ")[0]!)}`, page],
    ["/app/due", page],
    ["/app/settings", page],
    [`/api/v1/contacts?q=${encodeURIComponent(someone.company)}`, api],
    ["/api/v1/reminders", api],
    ...(id === undefined ? [] : ([[`/app/people/${id}`, page]] as [string, Record<string, string>][])),
  ];
  const [path, headers] = choices[Math.floor(rand() * choices.length)]!;
  const res = await tally.request("web", path, { headers });
  if (res.status >= 500 || res.status === 0) return;
  if (res.status !== 200) return void tally.unexpected.push(`GET ${path.split("?")[0]} for ${w.user.email}: HTTP ${res.status}`);
  if (path.startsWith("/api/v1/contacts")) {
    for (const c of (JSON.parse(res.body) as { contacts: { id: number }[] }).contacts) if (!w.ids.includes(c.id)) w.ids.push(c.id);
  }
}
