/** The dashboard and the API at 10,000 people for one user: D1 rows per page (the real
 * Hono app on local D1, every statement of the request counted, the session's and the
 * token's look-ups included), and the streamed download's time and memory. Run by
 * `npm run bench`. */
import { newSession } from "../src/account/sessions";
import { newToken } from "../src/account/tokens";
import { loadConfig } from "../src/config";
import { clockAt } from "../src/core/deps";
import { intake } from "../src/inbound/intake";
import { OutboxMailer } from "../src/mail-out/outbox";
import { app } from "../src/web/app";
import { countingDb, Tally } from "./counting-db";
import { CONTACTS, ENV, seed, withFreshD1 } from "./d1";

const ME = "wes@example.com";
const PAGE = 25;
/** Pending check-ins, one per person; this many are due now. */
const DUE_NOW = 40;

export interface PageResult {
  name: string;
  path: string;
  status: number;
  /** What the page lists: people, reminders, timeline entries, notes. */
  items: number;
  statements: number;
  read: number;
  written: number;
  target: number;
}

export interface DownloadResult {
  bytes: number;
  seconds: number;
  /** The most heap alive while it streamed (collected at each chunk), over the heap before. */
  heapMb: number;
  read: number;
}

export interface WebRun {
  pages: PageResult[];
  download: DownloadResult;
  seconds: number;
}

/** Bounded by what the page shows, never by the number of people: a handful of rows
 * for the session and the page, and a few for each item listed (its row, its address,
 * its reminder's last subject). */
export const webTarget = (items: number) => 30 + 20 * items;

async function history(db: D1Database, userId: number, now: number): Promise<void> {
  const numbers = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)`;
  await db.batch([
    db
      .prepare(
        `INSERT INTO interactions (id, user_id, kind, occurred_at, subject, summary, created_at)
         ${numbers} SELECT 5000000 + i, ?1, 'bcc', ?3 - i * 60000, 'Catching up, part ' || i, NULL, ?3 FROM n`,
      )
      .bind(userId, CONTACTS * 3, now),
    db.prepare(`INSERT INTO interaction_contacts (interaction_id, contact_id, role) ${numbers} SELECT 5000000 + i, 1000000 + 1 + (i % ${CONTACTS}), 'to' FROM n`).bind(userId, CONTACTS * 3),
    db
      .prepare(`INSERT INTO contact_notes (id, user_id, contact_id, text, created_at) ${numbers} SELECT 9000000 + i, ?1, 1000000 + i * 5, 'Met at the conference dinner; into sailing and chess. ' || i, ?3 FROM n`)
      .bind(userId, CONTACTS / 5, now),
    // A check-in for everyone, the first few due now, the rest over the next year.
    db
      .prepare(
        `INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at)
         ${numbers} SELECT 7000000 + i, ?1, 1000000 + i, 'check-in', CASE WHEN i <= ${DUE_NOW} THEN ?3 - i * 60000 ELSE ?3 + i * 3000000 END, 'pending', ?3 FROM n`,
      )
      .bind(userId, CONTACTS, now),
  ]);
}

export async function runWeb(): Promise<WebRun> {
  const start = performance.now();
  return withFreshD1(async (raw) => {
    const tally = new Tally();
    const now = Date.now();
    const config = loadConfig(ENV);
    const signup = await intake(
      { db: raw, config, mailer: new OutboxMailer(raw, () => now), clock: clockAt(now) },
      { from: ME, raw: new TextEncoder().encode(`From: ${ME}\r\nTo: kith@kith.test\r\nSubject: hello\r\nMessage-ID: <bench-web-signup@example.com>\r\n\r\nhi`) },
    );
    if (signup.outcome !== "applied") throw new Error(`sign-up failed: ${JSON.stringify(signup)}`);
    await seed(raw, signup.userId, now);
    await history(raw, signup.userId, now);
    const session = await newSession(raw, signup.userId, now);
    const token = await newToken(raw, signup.userId, "bench", "read", now);
    await raw.batch([session.statement, token.statement]);

    // The app as the Worker serves it, its D1 counted (a D1 session is the database itself).
    const counted = countingDb(raw, tally);
    const DB = Object.assign(Object.create(counted) as D1Database, { withSession: () => Object.assign(Object.create(counted), { getBookmark: () => null }) });
    const env = { ...ENV, DB } as unknown as Env;
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const get = (path: string, headers: Record<string, string>) => app.fetch(new Request(`https://kith.test${path}`, { headers }), env, ctx);
    const browser = { Cookie: `kith_session=${session.token}` };
    const script = { Authorization: `Bearer ${token.token}` };

    // The cursor of the people page two hundred pages in (5,000 people down).
    const deep = await raw.prepare("SELECT last_interaction_at AS at, id FROM contacts WHERE user_id = ?1 ORDER BY last_interaction_at DESC, id DESC LIMIT 1 OFFSET 5000").bind(signup.userId).first<{ at: number; id: number }>();
    const person = 1000000 + 4240; // three interactions and a note
    const visits: [string, string, Record<string, string>][] = [
      ["people page (first)", "/app", browser],
      ["people page (200 pages in)", `/app?after=${deep!.at}.${deep!.id}`, browser],
      ["search, one match", "/app?q=person+4242", browser],
      ["search, 34 matches", "/app?q=company+42", browser],
      ["losing touch", "/app?losing=1", browser],
      ["person page", `/app/people/${person}`, browser],
      ["due page", "/app/due", browser],
      ["settings", "/app/settings", browser],
      ["API: contacts", "/api/v1/contacts", script],
      ["API: contacts?q=", "/api/v1/contacts?q=person+4242", script],
      ["API: a contact", `/api/v1/contacts/${person}`, script],
      ["API: reminders", "/api/v1/reminders", script],
    ];
    const pages: PageResult[] = [];
    for (const [name, path, headers] of visits) {
      tally.reset();
      const res = await get(path, headers);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      const items = path.startsWith("/api/") ? listed(JSON.parse(body)) : (body.match(/<li[ >]/g) ?? []).length;
      pages.push({ name, path, status: res.status, items, statements: tally.log.length, read: tally.read, written: tally.written, target: webTarget(items) });
      if (process.env.BENCH_VERBOSE) for (const e of tally.log) console.log(`    ${name}: ${String(e.read).padStart(6)} ${e.sql.replace(/\s+/g, " ").slice(0, 150)}`);
    }

    // Twice: once for the time and the rows, once for the memory (collecting the garbage
    // at every chunk, which the timing must not pay for).
    const download = async (collect: boolean) => {
      const gc = collect ? (globalThis as { gc?: () => void }).gc : undefined;
      gc?.();
      const heap0 = process.memoryUsage().heapUsed;
      let peak = heap0;
      let bytes = 0;
      const t0 = performance.now();
      const reader = (await get("/app/export/kith-export.json", browser)).body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if (gc) {
          gc();
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      }
      return { bytes, seconds: (performance.now() - t0) / 1000, heapMb: (peak - heap0) / 1048576 };
    };
    tally.reset();
    const timed = await download(false);
    const read = tally.read;
    const held = await download(true);
    return {
      pages,
      download: { bytes: timed.bytes, seconds: timed.seconds, heapMb: held.heapMb, read },
      seconds: (performance.now() - start) / 1000,
    };
  });
}

/** How many things a JSON answer lists. */
function listed(v: object): number {
  return Object.values(v).reduce((n: number, x) => n + (Array.isArray(x) ? x.length : 0), 0);
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

export function printWeb(w: WebRun): void {
  console.log(`\nWeb: one user with ${CONTACTS.toLocaleString("en")} people; rows per request (target: 30 + 20 per item shown)  [${w.seconds.toFixed(1)} s]`);
  for (const p of w.pages) console.log(`  ${p.name.padEnd(28)} ${String(p.items).padStart(3)} items ${String(p.statements).padStart(3)} stmts ${String(p.read).padStart(6)} read ${String(p.written).padStart(4)} written  ≤ ${p.target} ${p.read <= p.target ? "" : "OVER"}`);
  const d = w.download;
  console.log(`  kith-export.json streamed: ${mb(d.bytes)} in ${d.seconds.toFixed(2)} s, heap at most ${d.heapMb.toFixed(1)} MB over the start, ${d.read.toLocaleString("en")} rows read`);
}

export function webMarkdown(w: WebRun, mailExportHeapMb: number): string {
  const d = w.download;
  return [
    `**Dashboard and API** for one user with ${CONTACTS.toLocaleString("en")} people, 30,000 interactions, 2,000 notes and a check-in each (${DUE_NOW} due): the real Hono app on local D1, rows summed over every statement of the request (the session or token look-up included). Target: bounded by what the page shows (30 + 20 per item listed: a person, a reminder, a timeline entry), never by the number of people; the page 200 pages in reads what the first does.`,
    "",
    "| request | items shown | statements | rows read | rows written | target | |",
    "|---|---:|---:|---:|---:|---:|---|",
    ...w.pages.map((p) => `| ${p.name} (\`${p.path.replace(/after=\d+\.\d+/, "after=…")}\`) | ${p.items} | ${p.statements} | ${p.read} | ${p.written} | ≤ ${p.target} | ${p.read <= p.target ? "ok" : "OVER"} |`),
    "",
    `**The download** of kith-export.json, streamed a page of 500 people at a time: ${mb(d.bytes)} in ${d.seconds.toFixed(2)} s, at most ${d.heapMb.toFixed(1)} MB of heap alive above where it started (a page of people and its JSON; the export mail holds ${mailExportHeapMb.toFixed(0)} MB for its files, ${(mailExportHeapMb / Math.max(d.heapMb, 0.1)).toFixed(0)}× more), ${d.read.toLocaleString("en")} rows read (every row once, and no cap on size).`,
  ].join("\n");
}
