import { nameKey } from "./names";

/** Finding a user's people: by address (the contact_emails key), or by words through the
 * full-text index contact_search (written only by the triggers of migration 0004).
 * Every query ANDs the user's owner token, so it reads that user's postings only. */

/** Where the words must match: anywhere, or in one field. */
export type SearchField = "any" | "name" | "met";

const COLUMNS: Record<SearchField, string> = { any: "{name work met emails notes}", name: "name", met: "met" };
const MAX_WORDS = 8;

/** The words of a query as FTS5 prefix terms, quoted so that nothing the user types is
 * FTS syntax; empty when nothing searchable is left. */
export function searchTerms(text: string): string[] {
  return (text.normalize("NFKC").match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_WORDS).map((w) => `"${w.replace(/"/g, '""')}"*`);
}

/** The MATCH expression for these words in the user's postings (or null: nothing to
 * search), as `who is` reads them. */
export function matchFor(userId: number, field: SearchField, words: string): string | null {
  const terms = searchTerms(words);
  return terms.length === 0 ? null : matchExpr(userId, field, terms);
}

/** bm25 weights: a name counts most, then work and event, addresses, notes. */
export const RANK = "bm25(contact_search, 0, 10, 4, 4, 2, 1)";

function matchExpr(userId: number, field: SearchField, terms: string[]): string {
  return `owner:"u${userId}" AND ${COLUMNS[field]} : (${terms.join(" AND ")})`;
}

/** Contact ids whose fields hold every word, best first (bm25, a name counting most), and
 * how many match in all. */
export async function searchContacts(db: D1Database, userId: number, field: SearchField, words: string, limit: number, offset = 0): Promise<{ ids: number[]; total: number }> {
  const terms = searchTerms(words);
  if (terms.length === 0) return { ids: [], total: 0 };
  const expr = matchExpr(userId, field, terms);
  const [hits, count] = await db.batch([
    db.prepare(`SELECT rowid AS id FROM contact_search WHERE contact_search MATCH ?1 ORDER BY ${RANK} LIMIT ?2 OFFSET ?3`).bind(expr, limit, offset),
    db.prepare("SELECT count(*) AS n FROM contact_search WHERE contact_search MATCH ?1").bind(expr),
  ]);
  return { ids: ((hits?.results ?? []) as { id: number }[]).map((r) => r.id), total: ((count?.results ?? []) as { n: number }[])[0]?.n ?? 0 };
}

/** The user's contact with this address, if any. */
export async function contactIdByAddress(db: D1Database, userId: number, email: string): Promise<number | null> {
  const row = await db.prepare("SELECT contact_id FROM contact_emails WHERE user_id = ?1 AND email = ?2").bind(userId, email.toLowerCase()).first<{ contact_id: number }>();
  return row?.contact_id ?? null;
}

/** People whose names start like `word` (its first two letters), for "did you mean": at
 * most `limit`, with their names. */
export async function namesLike(db: D1Database, userId: number, word: string, limit: number): Promise<{ id: number; name: string }[]> {
  const stem = (word.normalize("NFKC").match(/[\p{L}\p{N}]/gu) ?? []).slice(0, 2).join("");
  if (stem.length < 2) return [];
  const { results } = await db
    .prepare(
      `SELECT c.id, c.name FROM contact_search s JOIN contacts c ON c.id = s.rowid
       WHERE contact_search MATCH ?1 AND c.user_id = ?2 AND c.name IS NOT NULL LIMIT ?3`,
    )
    .bind(matchExpr(userId, "name", [`"${stem}"*`]), userId, limit)
    .all<{ id: number; name: string }>();
  return results;
}

/** People someone matching `words` introduced (to the user, or to each other). */
export async function introducedBy(db: D1Database, userId: number, words: string, limit: number): Promise<{ ids: number[]; total: number }> {
  const terms = searchTerms(words);
  if (terms.length === 0) return { ids: [], total: 0 };
  const { results } = await db
    .prepare(
      // Each side through its own index (introduced_by, introducer_id), then the contacts
      // by primary key: never a read of all the user's people.
      `WITH introducer AS (SELECT rowid AS id FROM contact_search WHERE contact_search MATCH ?2 LIMIT 20),
         ids AS (
           SELECT id FROM contacts WHERE introduced_by IN (SELECT id FROM introducer)
           UNION SELECT contact_a_id FROM introductions WHERE introducer_id IN (SELECT id FROM introducer)
           UNION SELECT contact_b_id FROM introductions WHERE introducer_id IN (SELECT id FROM introducer) AND contact_b_id IS NOT NULL)
       SELECT c.id FROM contacts c WHERE c.id IN (SELECT id FROM ids) AND +c.user_id = ?1
       ORDER BY c.last_interaction_at DESC`,
    )
    .bind(userId, matchExpr(userId, "name", terms))
    .all<{ id: number }>();
  return { ids: results.slice(0, limit).map((r) => r.id), total: results.length };
}

/** People called `name`, or whose name starts with it as a word ("Bob" finds "Bob
 * Stone"): at most `limit`, through the (user_id, name_key) index. */
export async function contactsCalled(db: D1Database, userId: number, name: string, limit: number): Promise<{ id: number; name: string }[]> {
  const key = nameKey(name);
  if (!key) return [];
  const { results } = await db
    .prepare("SELECT id, name FROM contacts WHERE user_id = ?1 AND (name_key = ?2 OR (name_key >= ?2 || ' ' AND name_key < ?2 || '!')) LIMIT ?3")
    .bind(userId, key, limit)
    .all<{ id: number; name: string }>();
  return results;
}
