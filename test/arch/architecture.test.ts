/// <reference types="node" />
/** The layout as rules a change cannot break by accident: no import cycle between the
 * folders of src/ (dependency-cruiser, type-only imports included), and every table's
 * SQL in its one owner module. Runs in Node: it reads the source tree. */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

/** Each table and the one module that holds its SQL. */
const OWNERS: Record<string, string> = {
  users: "src/users/store.ts",
  user_addresses: "src/users/store.ts",
  contacts: "src/people/contacts.ts",
  contact_emails: "src/people/contacts.ts",
  contact_phones: "src/people/contacts.ts",
  contact_notes: "src/people/notes.ts",
  interactions: "src/people/interactions.ts",
  interaction_contacts: "src/people/interactions.ts",
  introductions: "src/people/introductions.ts",
  reminders: "src/reminders/store.ts",
  reminder_jobs: "src/reminders/jobs.ts",
  inbound_messages: "src/received/log.ts",
  held_messages: "src/received/held.ts",
  outbound_messages: "src/mail-out/outbound.ts",
  outbox: "src/mail-out/outbox.ts",
  suppressions: "src/mail-out/suppressions.ts",
  webhook_events: "src/mail-out/resend-events.ts",
  forgotten_addresses: "src/people/forgotten.ts",
  listed_contacts: "src/people/listings.ts",
  duplicate_suggestions: "src/people/duplicates.ts",
  outbox_attachments: "src/mail-out/outbox.ts",
  login_links: "src/account/login.ts",
  sessions: "src/account/sessions.ts",
  api_tokens: "src/account/tokens.ts",
  rate_limits: "src/account/limits.ts",
  promises: "src/promises/store.ts",
  meetings: "src/meetings/store.ts",
  plans: "src/plans/store.ts",
  tick_marks: "src/reminders/jobs.ts",
};
/** Read-only reports over several tables: SQL, but no writes. (The search index,
 * contact_search, is written by migration 0004's triggers alone: any write to it from
 * src/ has no owner and fails the test.) */
const REPORTS = ["src/summary/gather.ts", "src/people/search.ts", "src/people/browse.ts"];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith(".ts")) out.push(relative(root, path));
  }
  return out;
}

const files = sources(join(root, "src")).map((path) => ({ path, text: readFileSync(join(root, path), "utf8") }));
const WRITE = /\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+([a-z_]+)\b/g;
const SQL = /\.prepare\(|\bSELECT\s[\s\S]{0,400}?\bFROM\s+[a-z_]+/;

describe("architecture", () => {
  it("has no import cycle between the folders of src/, nor between its files", () => {
    let output = "";
    try {
      output = execFileSync(process.execPath, [join(root, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs"), "src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], { cwd: root, encoding: "utf8" });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      expect.fail(`dependency-cruiser found cycles:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
    expect(output).toContain("no dependency violations found");
  });

  it("writes every table from its owner module only", () => {
    const wrong: string[] = [];
    const written = new Set<string>();
    for (const { path, text } of files) {
      for (const m of text.matchAll(WRITE)) {
        const table = m[1]!;
        written.add(table);
        if (OWNERS[table] !== path) wrong.push(`${path} writes ${table} (owner: ${OWNERS[table] ?? "none"})`);
      }
    }
    expect(wrong).toEqual([]);
    // The scan sees the writes at all: every table is written somewhere.
    expect([...written].sort()).toEqual(Object.keys(OWNERS).sort());
  });

  it("keeps SQL in owner modules and named reports, out of the features' logic", () => {
    const allowed = new Set([...Object.values(OWNERS), ...REPORTS]);
    const withSql = files.filter((f) => SQL.test(f.text)).map((f) => f.path);
    expect(withSql.filter((p) => !allowed.has(p))).toEqual([]);
  });

  it("names an owner for every table the migrations create", () => {
    const dir = join(root, "migrations");
    const sql = readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
    const dropped = new Set([...sql.matchAll(/DROP TABLE\s+([a-z_]+)/g)].map((m) => m[1]!));
    const tables = [...sql.matchAll(/CREATE TABLE\s+([a-z_]+)/g)].map((m) => m[1]!).filter((t) => !dropped.has(t));
    expect(tables.filter((t) => !OWNERS[t])).toEqual([]);
    expect(Object.keys(OWNERS).filter((t) => !tables.includes(t))).toEqual([]);
  });
});
