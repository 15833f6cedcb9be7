/** After a load run: what the local D1 holds, read with wrangler's own `d1 execute`
 * on the server's state directory (local mode has no query route), turned into the
 * run's verdict: duplicates and lost mail. */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { root } from "../test/e2e/local-server";
import type { Mail } from "./mails";

/** Each query lists offending rows; an empty answer is a pass. */
const DUPLICATES = {
  "interactions captured twice from one mail": `SELECT inbound_id, count(*) AS n FROM interactions WHERE inbound_id IS NOT NULL GROUP BY inbound_id HAVING n > 1`,
  "two records of one person (same name, same user)": `SELECT u.email AS user, c.name_key AS name, count(*) AS n FROM contacts c JOIN users u ON u.id = c.user_id WHERE c.name_key IS NOT NULL GROUP BY c.user_id, c.name_key HAVING n > 1`,
  "people with no address (a second record whose address went to the first)": `SELECT u.email AS user, c.name FROM contacts c JOIN users u ON u.id = c.user_id WHERE NOT EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id)`,
  "one mail answered twice (same kind, same In-Reply-To)": `SELECT to_address, json_extract(headers, '$."X-Kith-Kind"') AS kind, json_extract(headers, '$."In-Reply-To"') AS irt, count(*) AS n FROM outbox WHERE irt IS NOT NULL GROUP BY 1, 2, 3 HAVING n > 1`,
  "scheduled mail sent twice for one tick time": `SELECT user_id, kind, created_at, count(*) AS n FROM outbound_messages WHERE kind IN ('reminder', 'weekly-summary', 'plan', 'plan-recap') GROUP BY 1, 2, 3 HAVING n > 1`,
  "a weekly summary twice for one week": `SELECT user_id, ref, count(*) AS n FROM outbound_messages WHERE kind = 'weekly-summary' GROUP BY 1, 2 HAVING n > 1`,
  // A weekly summary may list a reminder that the same tick's reminder mail carries.
  "a reminder in two mails of one kind and tick time": `SELECT i.value AS reminder_id, o.kind, o.created_at, count(*) AS n FROM outbound_messages o, json_each(o.items) i GROUP BY 1, 2, 3 HAVING n > 1`,
  "sent mail not in the outbox exactly once": `SELECT o.message_id, o.kind FROM outbound_messages o WHERE o.status = 'sent' AND (SELECT count(*) FROM outbox x WHERE json_extract(x.headers, '$."Message-ID"') = o.message_id) != 1`,
} as const;

const RECORDED = `SELECT u.email AS user, m.message_id AS mid FROM inbound_messages m JOIN users u ON u.id = m.user_id`;
const ADDRESSES = `SELECT u.email AS user, e.email AS email FROM contact_emails e JOIN users u ON u.id = e.user_id`;
// A mail still in flight (the outbox transport never fails, so every send has ended by
// the time the ticks answered), or a pending reminder no tick would look at.
const STUCK = `SELECT 'mail in flight' AS what, id, user_id, kind FROM outbound_messages WHERE status = 'sending'
  UNION ALL SELECT 'reminder no tick looks at', r.id, r.user_id, r.kind FROM reminders r JOIN users u ON u.id = r.user_id WHERE r.status = 'pending' AND u.remind_at IS NULL`;
const SUMMARIES = `SELECT u.email AS user FROM users u WHERE EXISTS (SELECT 1 FROM outbound_messages o WHERE o.user_id = u.id AND o.kind = 'weekly-summary')`;

type Row = Record<string, unknown>;

/** Runs the statements in one `wrangler d1 execute`; one list of rows per statement. */
export function query(stateDir: string, sql: string[]): Promise<Row[][]> {
  const wrangler = join(root, "node_modules", ".bin", "wrangler");
  const args = ["d1", "execute", "DB", "--local", "--persist-to", stateDir, "--json", "--command", sql.join(";\n")];
  return new Promise((resolve, reject) => {
    execFile(wrangler, args, { cwd: root, maxBuffer: 64 << 20, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" } }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`wrangler d1 execute failed: ${err.message}\n${stderr}`));
      try {
        resolve((JSON.parse(stdout) as { results: Row[] }[]).map((r) => r.results));
      } catch {
        reject(new Error(`wrangler d1 execute answered no JSON:\n${stdout.slice(0, 2000)}`));
      }
    });
  });
}

export interface Findings {
  /** Offending rows by check; only checks that found some. */
  duplicates: Record<string, Row[]>;
  /** Mails the server accepted (200) that no inbound_messages row records. */
  lost: Mail[];
  /** Mail left in flight, and pending reminders no tick would look at. */
  stuck: Row[];
  /** Users without a weekly summary, when the ticks covered a week (else empty). */
  missingSummaries: string[];
  /** People a recorded mail named whom the user's contacts lack. */
  missingPeople: { user: string; email: string }[];
}

/** `accepted`: every distinct mail the server answered 200 for. `summariesFor`: users who
 * must each have had a weekly summary (the ticks covered a week), or none. */
export async function inspect(stateDir: string, accepted: Mail[], summariesFor: string[]): Promise<Findings> {
  const names = Object.keys(DUPLICATES) as (keyof typeof DUPLICATES)[];
  const [recorded, addresses, summaries, stuck, ...found] = await query(stateDir, [RECORDED, ADDRESSES, SUMMARIES, STUCK, ...names.map((n) => DUPLICATES[n])]);
  const summarised = new Set(summaries!.map((r) => r.user));
  const duplicates: Record<string, Row[]> = {};
  names.forEach((n, i) => {
    if (found[i]!.length > 0) duplicates[n] = found[i]!;
  });
  const has = new Set(recorded!.map((r) => `${r.user} ${r.mid}`));
  const lost = accepted.filter((m) => !has.has(`${m.user.email} ${m.messageId}`));
  const known = new Set(addresses!.map((r) => `${r.user} ${r.email}`));
  const missingPeople = [...new Set(accepted.filter((m) => !lost.includes(m)).flatMap((m) => m.people.map((e) => `${m.user.email} ${e}`)))]
    .filter((k) => !known.has(k))
    .map((k) => {
      const [user, email] = k.split(" ") as [string, string];
      return { user, email };
    });
  return { duplicates, lost, stuck: stuck!, missingSummaries: summariesFor.filter((u) => !summarised.has(u)), missingPeople };
}
