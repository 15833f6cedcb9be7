/** Your network at 10,000 people for one user: D1 rows per lookup (the real intake of a
 * "who is"/"find" mail, full-text index included), and the export's size, time and
 * memory. Run by `npm run bench`. */
import { loadConfig } from "../src/config";
import { clockAt, type Deps } from "../src/core/deps";
import { intake } from "../src/inbound/intake";
import { OutboxMailer } from "../src/mail-out/outbox";
import { buildExport, exportAttachments } from "../src/network/export/index";
import { countingDb, Tally } from "./counting-db";
import { CONTACTS, ENV, seed, withFreshD1 } from "./d1";

const ME = "nora@example.com";

export interface LookupResult {
  query: string;
  found: string;
  statements: number;
  read: number;
  written: number;
}

export interface ExportResult {
  people: number;
  seconds: number;
  /** Bytes of each file, and of the three as base64 (what the mail carries). */
  vcf: number;
  csv: number;
  json: number;
  mail: number;
  /** The heap the files and their base64 hold, alive at once. */
  heapMb: number;
  interactions: number;
  read: number;
}

export interface NetworkRun {
  lookups: LookupResult[];
  exported: ExportResult;
  seconds: number;
}

const QUERIES = ["who is person 4242", "who is person4242@example.org", "find company 42", "who is company", "find person 9999 company", "who is nobody", "people met at nowhere"];

const INTERACTIONS = 30_000;

/** A history behind the people: three interactions each (with a subject and a summary),
 * and a note for one in five. */
async function history(db: D1Database, userId: number, now: number): Promise<void> {
  const numbers = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)`;
  await db.batch([
    db
      .prepare(
        `INSERT INTO interactions (id, user_id, kind, occurred_at, subject, summary, created_at)
         ${numbers} SELECT 5000000 + i, ?1, 'bcc', ?3 - i * 60000, 'Catching up, part ' || i, 'Hi! Good to see you at the meetup; let us talk about the roadmap next week. ' || i, ?3 FROM n`,
      )
      .bind(userId, INTERACTIONS, now),
    db.prepare(`INSERT INTO interaction_contacts (interaction_id, contact_id, role) ${numbers} SELECT 5000000 + i, 1000000 + 1 + (i % ${CONTACTS}), 'to' FROM n`).bind(userId, INTERACTIONS),
    db
      .prepare(`INSERT INTO contact_notes (id, user_id, contact_id, text, created_at) ${numbers} SELECT 9000000 + i, ?1, 1000000 + i * 5, 'Met at the conference dinner; into sailing and chess. ' || i, ?3 FROM n`)
      .bind(userId, CONTACTS / 5, now),
  ]);
}

function mailTo(subject: string, i: number): Uint8Array {
  return new TextEncoder().encode(
    `From: Nora <${ME}>\r\nTo: kith@kith.test\r\nSubject: ${subject}\r\nMessage-ID: <bench-lookup-${i}-${Date.now()}@example.com>\r\nDate: ${new Date().toUTCString()}\r\n\r\n`,
  );
}

export async function runNetwork(): Promise<NetworkRun> {
  const start = performance.now();
  return withFreshD1(async (raw) => {
    const tally = new Tally();
    const now = Date.now();
    const deps: Deps = { db: countingDb(raw, tally), config: loadConfig(ENV), mailer: new OutboxMailer(raw, () => now), clock: clockAt(now) };
    const signup = await intake(deps, { from: ME, raw: new TextEncoder().encode(`From: ${ME}\r\nTo: kith@kith.test\r\nSubject: hello\r\nMessage-ID: <bench-signup@example.com>\r\n\r\nhi`) });
    if (signup.outcome !== "applied") throw new Error(`sign-up failed: ${JSON.stringify(signup)}`);
    await seed(raw, signup.userId, now);
    await history(raw, signup.userId, now);

    const lookups: LookupResult[] = [];
    for (const [i, q] of QUERIES.entries()) {
      tally.reset();
      await intake(deps, { from: ME, raw: mailTo(q, i) });
      const answer = await raw.prepare("SELECT subject FROM outbox ORDER BY id DESC LIMIT 1").first<{ subject: string }>();
      lookups.push({ query: q, found: answer?.subject ?? "", statements: tally.log.length, read: tally.read, written: tally.written });
    }

    tally.reset();
    // With --expose-gc (npm run bench): the heap the export holds at its largest, the
    // files and their base64 alive at once, over a collected heap before.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const files = await buildExport(countingDb(raw, tally), signup.userId, now);
    if (!files) throw new Error("no export");
    const attachments = exportAttachments(files);
    const seconds = (performance.now() - t0) / 1000;
    gc?.();
    const peak = process.memoryUsage().heapUsed;
    const bytes = (s: string) => Buffer.byteLength(s, "utf8");
    return {
      lookups,
      exported: {
        people: files.people,
        seconds,
        vcf: bytes(files.vcf),
        csv: bytes(files.csv),
        json: bytes(files.json),
        mail: attachments.reduce((n, a) => n + a.content.length, 0),
        heapMb: (peak - heap0) / 1048576,
        interactions: INTERACTIONS,
        read: tally.read,
      },
      seconds: (performance.now() - start) / 1000,
    };
  });
}

const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

export function printNetwork(n: NetworkRun): void {
  console.log(`\nNetwork: one user with ${CONTACTS.toLocaleString("en")} people; rows per lookup mail (intake, search and answer), and the export  [${n.seconds.toFixed(1)} s]`);
  for (const l of n.lookups) console.log(`  ${l.query.padEnd(34)} ${String(l.statements).padStart(3)} stmts ${String(l.read).padStart(6)} read ${String(l.written).padStart(4)} written   → ${l.found}`);
  const e = n.exported;
  console.log(`  export of ${e.people.toLocaleString("en")} people, ${e.interactions.toLocaleString("en")} interactions: ${e.seconds.toFixed(2)} s, vcf ${mb(e.vcf)}, csv ${mb(e.csv)}, json ${mb(e.json)}, ${mb(e.mail)} base64 in the mail (limit 40 MB), heap held ${e.heapMb.toFixed(0)} MB, ${e.read.toLocaleString("en")} rows read`);
}

export function networkMarkdown(n: NetworkRun): string {
  const e = n.exported;
  return [
    `**Look up and export** for one user with ${CONTACTS.toLocaleString("en")} people (each with a name and an address, a third with a company, a quarter with a phone): the real \`intake\` of a lookup mail on local D1, rows summed over every statement of the mail (its inbound log, the full-text search, the profiles of up to ten people, the answer and its numbered items).`,
    "",
    "| lookup mail | answer | statements | rows read | rows written |",
    "|---|---|---:|---:|---:|",
    ...n.lookups.map((l) => `| \`${l.query}\` | ${l.found.replace(/^Kith: /, "")} | ${l.statements} | ${l.read} | ${l.written} |`),
    "",
    `**Export** of the ${e.people.toLocaleString("en")} people with ${e.interactions.toLocaleString("en")} interactions and ${(CONTACTS / 5).toLocaleString("en")} notes, made in Node by the same code the Worker runs: ${e.seconds.toFixed(2)} s; kith-contacts.vcf ${mb(e.vcf)}, kith-contacts.csv ${mb(e.csv)}, kith-export.json ${mb(e.json)}; ${mb(e.mail)} of base64 in the mail, against Resend's 40 MB; the files and their base64 hold ${e.heapMb.toFixed(0)} MB of heap at once (a Worker has 128 MB; the export is cut at 12 MB of files to stay well under); ${e.read.toLocaleString("en")} rows read.`,
  ].join("\n");
}
