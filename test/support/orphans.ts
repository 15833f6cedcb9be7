/**
 * Rows that a mail stored by halves would leave: the schema has no FOREIGN KEYs
 * (migrations/0001_capture.sql says why), so integrity is checked here. Every column
 * that names another table's id, in whichever table has it now (a table added later is
 * checked too), plus the rules ids cannot say.
 */
import { env } from "cloudflare:workers";
import { tables } from "./walk";

// A column to the table whose id it holds ("<table>_id", and the few named otherwise).
// reminders.claim_id is left out: it names a mail that may never be recorded (a claim lost).
const REFERENCES: Record<string, string> = {
  user_id: "users",
  contact_id: "contacts",
  introducer_id: "contacts",
  contact_a_id: "contacts",
  contact_b_id: "contacts",
  other_id: "contacts",
  introduced_by: "contacts",
  interaction_id: "interactions",
  inbound_id: "inbound_messages",
  outbound_id: "outbound_messages",
  reminder_id: "reminders",
  promise_id: "promises",
  meeting_id: "meetings",
  plan_id: "plans",
  introduction_id: "introductions",
  outbox_id: "outbox",
};

// Each counts rows that break one rule.
const RULES: Record<string, string> = {
  "an interaction with no one in it": "SELECT count(*) FROM interactions i WHERE NOT EXISTS (SELECT 1 FROM interaction_contacts WHERE interaction_id = i.id)",
  "a user without their own address": "SELECT count(*) FROM users u WHERE NOT EXISTS (SELECT 1 FROM user_addresses a WHERE a.email = u.email AND a.user_id = u.id AND a.status = 'confirmed')",
  "a person with no name, address or phone": `SELECT count(*) FROM contacts c WHERE c.name IS NULL
     AND NOT EXISTS (SELECT 1 FROM contact_emails WHERE contact_id = c.id) AND NOT EXISTS (SELECT 1 FROM contact_phones WHERE contact_id = c.id)`,
  "an address filed under another user than its person": "SELECT count(*) FROM contact_emails e JOIN contacts c ON c.id = e.contact_id WHERE c.user_id <> e.user_id",
  "a user's own address as one of their people": `SELECT count(*) FROM contacts c JOIN user_addresses a ON a.user_id = c.user_id
     JOIN contact_emails e ON e.contact_id = c.id AND e.email = a.email`,
  // users.remind_at is how a tick finds a user's reminders: without it they never go.
  "a pending reminder no tick would look at": `SELECT count(*) FROM reminders r JOIN users u ON u.id = r.user_id
     WHERE r.status = 'pending' AND u.remind_at IS NULL`,
};

/** Every broken rule with its count, e.g. "reminders.contact_id → contacts: 2"; [] when whole. */
export async function orphans(): Promise<string[]> {
  const list = await (schemaChecks ??= checks());
  const counts = await env.DB.batch<{ n: number }>(list.map(([, sql]) => env.DB.prepare(sql.replace(/^SELECT count\(\*\)/, "SELECT count(*) AS n"))));
  return list.flatMap(([rule], i) => {
    const n = counts[i]?.results[0]?.n ?? 0;
    return n > 0 ? [`${rule}: ${n}`] : [];
  });
}

// The schema is the same for a whole run: read once.
let schemaChecks: Promise<[string, string][]> | undefined;

async function checks(): Promise<[string, string][]> {
  const checks: [string, string][] = Object.entries(RULES);
  const present = new Set(await tables());
  for (const table of present) {
    if (table.startsWith("contact_search")) continue;
    const { results } = await env.DB.prepare(`PRAGMA table_info("${table}")`).all<{ name: string }>();
    for (const { name } of results) {
      const target = REFERENCES[name];
      if (!target || !present.has(target)) continue;
      checks.push([`${table}.${name} → ${target}`, `SELECT count(*) FROM "${table}" t WHERE t."${name}" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "${target}" WHERE id = t."${name}")`]);
    }
  }
  return checks;
}
