import { env } from "cloudflare:workers";

/** Every table of the schema, as D1 has it now (a table added later is walked too). */
export async function tables(): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
  ).all<{ name: string }>();
  return results.map((r) => r.name);
}

/**
 * The places (table.column: count) where a row still names one of `needles`: a number
 * (an id) as a value or inside text, or a string (an address) anywhere in a value, text
 * or blob, case-insensitively for text. Walks every column of every table but `skip`.
 */
export async function rowsNaming(needles: (number | string)[], skip: string[] = []): Promise<string[]> {
  const found: string[] = [];
  for (const table of await tables()) {
    if (skip.includes(table)) continue;
    const { results: columns } = await env.DB.prepare(`PRAGMA table_info("${table}")`).all<{ name: string }>();
    for (const { name } of columns) {
      const col = `"${name}"`;
      for (const needle of needles) {
        const text = String(needle).toLowerCase();
        const where =
          typeof needle === "number"
            ? `${col} = ?1 OR instr(CAST(${col} AS BLOB), CAST(?2 AS BLOB)) > 0`
            : `instr(lower(CAST(${col} AS TEXT)), ?2) > 0 OR instr(CAST(${col} AS BLOB), CAST(?2 AS BLOB)) > 0`;
        const row = await env.DB.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`).bind(needle, text).first<{ n: number }>();
        if (row && row.n > 0) found.push(`${table}.${name} names ${needle} (${row.n})`);
      }
    }
  }
  return found;
}
