/** The database around one fuzz case: emptied before it, and read whole to see that a
 * redelivery changed nothing. */
import { env } from "cloudflare:workers";
import { tables } from "../support/walk";

// The search index's shadow tables (FTS5's own storage, migrations/0004_network.sql)
// change with contact_search itself, which is emptied and compared in their stead.
const isSearchIndex = (t: string): boolean => t.startsWith("contact_search_");

let names: Promise<string[]> | undefined;
const dataTables = async (): Promise<string[]> => (await (names ??= tables())).filter((t) => !isSearchIndex(t));

/** Every table empty, as a test file starts (test/support/apply-migrations.ts). */
export async function emptyTables(): Promise<void> {
  await env.DB.batch((await dataTables()).map((t) => env.DB.prepare(`DELETE FROM "${t}"`)));
}

/** Every row of every table, in a stable order: equal strings, equal databases. */
export async function snapshot(): Promise<string> {
  const list = await dataTables();
  const results = await env.DB.batch<Record<string, unknown>>(list.map((t) => env.DB.prepare(`SELECT * FROM "${t}"`)));
  return list.map((t, i) => `${t}: ${results[i]!.results.map((row) => JSON.stringify(row)).sort().join("\n")}`).join("\n");
}
