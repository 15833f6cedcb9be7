/**
 * Fault injection at every D1 call of a handler (test/support/faulty-d1.ts), and what a
 * fault must never do to a user: half-store a mail, lose work the platform's retry should
 * finish, or send a mail twice.
 *
 * A scenario is set up afresh (new addresses, so state is the run's own) for a clean run
 * and then once per fault: call n fails, for every call n the clean run made, in both
 * modes (the call lost before D1; a writing call committed, then its answer lost).
 * Each faulty run then gets what production gives it: the platform's retry with a
 * healthy D1 (the MTA redelivers the mail, Svix the webhook, the queue the job, the next
 * cron the tick, the user presses the button again) and a later tick that sends whatever
 * is still queued. Mail goes out through the real Resend SDK to the loopback server,
 * one API key (one account) per run, so the server's log is the run's own.
 */

import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Clock, Deps } from "../../src/core/deps";
import { depsFor } from "../../src/core/wiring";
import { exportAttacher } from "../../src/network/export/index";
import { type FaultMode, FaultyD1 } from "../support/faulty-d1";
import { deliveredEmails, newApiKey, receivedRequests } from "../mail-out/resend-control";
import { DAY, HOUR, uniq } from "../support/clock";
import { eml, send, userId } from "../support/mail";

export const KITH = "kith@kith.test";
export const MINUTE = 60_000;
/** Tuesday 2 March 2027, 10:00 UTC: inside the default delivery hours. */
export const T0 = Date.parse("2027-03-02T10:00:00Z");
export const date = (t: number) => new Date(t).toUTCString().replace("GMT", "+0000");

/** Past every lease (reminder claims, sends in flight: 15 minutes of real time), as a
 * retry that comes later would be. */
export const LEASES_LAPSED = 20 * MINUTE;

/** The Worker's bindings with `db` as D1 and Resend (loopback, account `apiKey`) as the
 * transport: how a test injects a faulty D1 into any door without touching the rest. */
export function bindings(db: D1Database, apiKey: string): Env {
  return { ...env, DB: db, MAIL_TRANSPORT: "resend", RESEND_API_KEY: apiKey } as Env;
}

/** The core's dependencies as the entry builds them, on `db`, at logical time `now`, with
 * the wall clock `wallAhead` ms in the future. */
export function depsOn(db: D1Database, apiKey: string, now: number, wallAhead = 0): Deps {
  const clock: Clock = { now: () => now, wall: () => Date.now() + wallAhead };
  return depsFor(bindings(db, apiKey), clock, exportAttacher);
}

/** Columns whose values differ between two runs that did the same thing: ids (random),
 * Message-IDs, token hashes, and the bookkeeping of sends and leases. */
const VOLATILE = /^(id|.*_id|introduced_by|message_id|token_hash|payload|attempts|error|claimed_at|sending_at|next_attempt_at|enqueued_at)$/;
/** Per table: columns that say how (how often, when) a send happened, not what was sent. */
const VOLATILE_IN: Record<string, RegExp> = { outbound_messages: /^sent_at$/ };
/** Derived or local-only tables: the search index (kept by triggers), the local outbox
 * (the runs send through Resend), sign-in rate limits (real time). */
const SKIPPED = new Set(["outbox", "outbox_attachments", "rate_limits", "d1_migrations"]);

export type Digest = Record<string, string[]>;

/**
 * Every row of every user table that belongs to the run tagged `tag` (its users' rows
 * and theirs through contacts, interactions and mails; other rows that name the tag),
 * with volatile columns dropped and the tag and long numbers (ids inside text) blanked,
 * sorted: two runs that did the same thing have equal digests. `loose` also treats a mail
 * recorded but not yet sent as sent (what a fault between recording and sending leaves).
 */
export async function digest(tag: string, opts: { loose?: boolean; volatile?: RegExp } = {}): Promise<Digest> {
  const tables = await tableColumns();
  const users = `(SELECT id FROM users WHERE instr(email, '${tag}') > 0)`;
  const queries = [...tables].map(([table, cols]) => {
    const has = (c: string) => cols.includes(c);
    const where =
      table === "users"
        ? `id IN ${users}`
        : has("user_id")
          ? `user_id IN ${users}`
          : has("contact_id")
            ? `contact_id IN (SELECT id FROM contacts WHERE user_id IN ${users})`
            : has("interaction_id")
              ? `interaction_id IN (SELECT id FROM interactions WHERE user_id IN ${users})`
              : has("outbound_id")
                ? `outbound_id IN (SELECT id FROM outbound_messages WHERE user_id IN ${users})`
                : cols.map((c) => `instr(CAST("${c}" AS TEXT), '${tag}') > 0`).join(" OR ");
    return env.DB.prepare(`SELECT * FROM "${table}" WHERE ${where}`);
  });
  const results = await env.DB.batch<Record<string, unknown>>(queries);
  const out: Digest = {};
  [...tables.keys()].forEach((table, i) => {
    const rows = (results[i]?.results ?? []).map((row) => {
      const kept: Record<string, unknown> = {};
      for (const [col, value] of Object.entries(row)) {
        if (VOLATILE.test(col) || VOLATILE_IN[table]?.test(col) || opts.volatile?.test(col)) continue;
        kept[col] = typeof value === "string" ? value.replaceAll(tag, "TAG").replace(/\d{9,}/g, "#") : value;
      }
      if (opts.loose && table === "outbound_messages" && ["queued", "sending"].includes(String(kept.status))) kept.status = "sent";
      return JSON.stringify(kept);
    });
    if (rows.length > 0) out[table] = rows.sort();
  });
  return out;
}

let columns: Map<string, string[]> | undefined;
async function tableColumns(): Promise<Map<string, string[]>> {
  if (columns) return columns;
  const { results } = await env.DB.prepare(
    `SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_cf_%' AND m.name NOT LIKE 'contact_search%'`,
  ).all<{ t: string; c: string }>();
  columns = new Map();
  for (const { t, c } of results) if (!SKIPPED.has(t)) columns.set(t, [...(columns.get(t) ?? []), c]);
  return columns;
}

/** What the loopback Resend accepted for the run: one line per mail that would reach an
 * inbox (recipient, kind, subject), sorted, the tag blanked. */
export async function inboxes(apiKey: string, tag: string): Promise<string[]> {
  return (await deliveredEmails(apiKey))
    .map(({ body }) => `${String(body.to)} ${(body.headers as Record<string, string>)["X-Kith-Kind"]} ${String(body.subject)}`.replaceAll(tag, "TAG"))
    .sort();
}

/** The server's log: requests that carry the same mail (the same recipient, kind,
 * subject and text, whatever its Message-ID) all carry one idempotency key, so Resend
 * delivers it once however often Kith retries; a mail composed twice would not. */
export async function expectOneKeyPerMail(apiKey: string): Promise<void> {
  const keys = new Map<string, Set<string>>();
  for (const r of await receivedRequests(apiKey)) {
    if (r.path !== "/emails") continue;
    const body = r.body as { to?: string; subject?: string; text?: string; headers?: Record<string, string> };
    const mail = `${body.to} ${body.headers?.["X-Kith-Kind"]} ${body.subject}\n${body.text}`;
    keys.set(mail, (keys.get(mail) ?? new Set()).add(r.headers["idempotency-key"] ?? "(none)"));
  }
  for (const [mail, set] of keys) expect([mail, [...set]]).toEqual([mail, [expect.stringMatching(/^kith-out-\d+$/)]]);
}

export interface Run<C> {
  tag: string;
  apiKey: string;
  ctx: C;
}

export interface Scenario<C> {
  /** The state the handler acts on, built on the healthy D1. */
  setup(tag: string): Promise<C>;
  /** The handler, on `db`: resolves when it succeeded, throws (or, for HTTP and the
   * queue, reports) when the platform would retry. `retry` is true for the platform's
   * second delivery. */
  act(run: Run<C>, db: D1Database, retry: boolean): Promise<"ok" | "retry">;
  /** After the handler (and its retry): the later work that finishes what is queued. */
  settle(run: Run<C>): Promise<void>;
  /** Whether one fault leaves the state as before or as after the clean run (one
   * batch), rather than somewhere along a multi-step process (a tick). */
  atomic: boolean;
  /** More columns to ignore (a door that runs on real time). */
  volatile?: RegExp;
}

interface Outcome {
  digest: Digest;
  inboxes: string[];
}

/**
 * Runs `s` clean, then with a fault at every call in both modes, and checks each: the
 * state is applied whole or not at all (atomic scenarios); the handler reports the fault
 * (so the platform retries) or, having absorbed it, leaves the rest to the cron; and
 * after the retry and a later tick the state and the mail delivered equal the clean
 * run's, each mail under one idempotency key. Returns how many faulty runs there were
 * and the calls whose fault the handler absorbed, for the caller to assert on.
 */
export interface Report {
  /** Faulty runs made. */
  runs: number;
  /** D1 calls of the clean run. */
  calls: number;
  /** Faults the handler went on after (a send's bookkeeping, left to the cron). */
  absorbed: string[];
  /** Every run that broke a rule: where, and the first line of what went wrong. */
  failures: string[];
}

export async function atEveryCall<C>(s: Scenario<C>, modes: FaultMode[] = ["lost", "after"]): Promise<Report> {
  const opts = { volatile: s.volatile };
  const clean = await (async () => {
    const run = await start(s);
    const before = await digest(run.tag, { ...opts, loose: true });
    const counted = new FaultyD1(env.DB);
    expect(await s.act(run, counted.binding, false)).toBe("ok");
    const after = await digest(run.tag, { ...opts, loose: true });
    // A handler that did nothing (a refused form, say) would pass every check below.
    expect(after, "the clean run changed nothing").not.toEqual(before);
    await s.settle(run);
    const out: Outcome = { digest: await digest(run.tag, opts), inboxes: await inboxes(run.apiKey, run.tag) };
    return { after, out, trace: counted.trace };
  })();
  expect(clean.trace.length).toBeGreaterThan(0);

  const report: Report = { runs: 0, calls: clean.trace.length, absorbed: [], failures: [] };
  for (const mode of modes) {
    for (let at = 1; at <= clean.trace.length; at++) {
      const call = clean.trace[at - 1]!;
      // Losing the answer to a read is the same fault as losing the read.
      if (mode === "after" && !call.writes) continue;
      const where = `${mode} fault at call ${at}/${clean.trace.length} (${call.kind}: ${call.sql})`;
      try {
        await faultyRun(s, clean, { at, mode }, where, opts, report);
      } catch (err) {
        report.failures.push(`${where}: ${String(err instanceof Error ? err.message : err).split("\n")[0]}`);
      }
      report.runs++;
    }
  }
  return report;
}

/** No faulty run broke a rule, and there were at least `min` of them. */
export function expectNoHarm(report: Report, min: number): void {
  expect(report.failures).toEqual([]);
  expect(report.runs).toBeGreaterThanOrEqual(min);
}

async function faultyRun<C>(
  s: Scenario<C>,
  clean: { after: Digest; out: Outcome },
  plan: { at: number; mode: FaultMode },
  where: string,
  opts: { volatile?: RegExp },
  report: Report,
): Promise<void> {
  const run = await start(s);
  const before = await digest(run.tag, { ...opts, loose: true });
  const faulty = new FaultyD1(env.DB, plan);
  const first = await s.act(run, faulty.binding, false).catch(() => "threw" as const);
  if (!faulty.fired) throw new Error("the run made fewer calls than the clean one");
  if (s.atomic) {
    const mid = await digest(run.tag, { ...opts, loose: true });
    if (![before, clean.after].some((d) => JSON.stringify(d) === JSON.stringify(mid))) throw new Error(`half applied: ${JSON.stringify(mid)}`);
  }
  // A handler that went on after the fault gets no retry from the platform: the later
  // tick alone must finish the work.
  if (first === "ok") report.absorbed.push(where);
  else if ((await s.act(run, env.DB, true)) !== "ok") throw new Error("the healthy retry failed");
  await s.settle(run);
  expect(await digest(run.tag, opts), "the state after the retry").toEqual(clean.out.digest);
  expect(await inboxes(run.apiKey, run.tag), "the mail delivered").toEqual(clean.out.inboxes);
  await expectOneKeyPerMail(run.apiKey);
}

async function start<C>(s: Scenario<C>): Promise<Run<C>> {
  const tag = uniq();
  return { tag, apiKey: newApiKey(), ctx: await s.setup(tag) };
}

/** A user in UTC whose card note of yesterday afternoon has its follow-up due by T0;
 * with `summary`, their weekly summary is due at T0 too (Tuesdays at 10). */
export async function dueUser(tag: string, summary: boolean): Promise<number> {
  const me = `cron-${tag}@example.com`;
  const t = T0 - 20 * HOUR;
  const mail = async (subject: string, body = "", at = t - DAY) =>
    expect((await send(eml({ From: `Ann Example <${me}>`, To: KITH, Subject: subject, Date: date(at) }, body), { now: at })).outcome).toBe("applied");
  await mail("hello", "Hi Kith");
  await mail(summary ? "summary tuesday at 10am" : "summary off");
  await mail("Met at PyCon", "Jane Smith\nCTO, Acme Corp\njane@acme.com\n", t);
  const id = await userId(me);
  const due = await env.DB.prepare("SELECT max(due_at) AS due FROM reminders WHERE user_id = ?1 AND status = 'pending' AND kind = 'follow-up'").bind(id).first<{ due: number }>();
  expect(due!.due).toBeLessThanOrEqual(T0);
  if (summary) {
    const next = await env.DB.prepare("SELECT next_summary_at AS at FROM users WHERE id = ?1").bind(id).first<{ at: number }>();
    expect(next!.at).toBe(T0);
  }
  return id;
}
