import type { Contact } from "./contacts";
import { matchFor, RANK } from "./search";

/** The people page's reads: a user's people, most recently in touch first, a page at a
 * time by cursor, or the best matches of a search (ranked as `who is` ranks them), with
 * optional filters either way. Read-only (a report over contacts, their addresses,
 * reminders and the search index); a page reads about a page of rows, whatever the
 * number of people (index contacts_user_recent, migration 0005), and a search the
 * postings of its words. */

/** A contact as a list shows it: with its first address. */
export interface PersonRow extends Omit<Contact, "name_rank" | "source"> {
  email: string | null;
}

export interface Filters {
  /** People met at this event (words of it, through the index). */
  met?: string;
  /** People this contact introduced. */
  introducedBy?: number;
  /** People whose check-in is overdue. */
  losingTouch?: boolean;
  muted?: boolean;
}

/** Where a page starts: after this (recency, id). */
export interface Cursor {
  at: number;
  id: number;
}

/** A cursor as a link or an API carries it: "<recency>.<id>". */
export const cursorText = (c: Cursor) => `${c.at}.${c.id}`;

export function readCursor(text: string): Cursor | null {
  const m = /^(\d{1,16})\.(\d{1,16})$/.exec(text);
  return m ? { at: Number(m[1]), id: Number(m[2]) } : null;
}

const COLS = `c.id, c.name, (SELECT email FROM contact_emails WHERE contact_id = c.id ORDER BY email LIMIT 1) AS email,
  c.company, c.title, c.met_at, c.last_interaction_at, c.muted_at, c.introduced_by, c.cadence_days, c.created_at`;

/** The filters as conditions on `c`, binding from `binds` on (?1 is the user). */
function conditions(userId: number, f: Filters, now: number, binds: unknown[]): string[] {
  const bind = (v: unknown) => {
    binds.push(v);
    return `?${binds.length}`;
  };
  const where: string[] = [];
  if (f.introducedBy !== undefined) where.push(`c.introduced_by = ${bind(f.introducedBy)}`);
  if (f.muted) where.push("c.muted_at IS NOT NULL");
  if (f.losingTouch) where.push(`c.id IN (SELECT contact_id FROM reminders WHERE user_id = ?1 AND status = 'pending' AND kind = 'check-in' AND due_at <= ${bind(now)})`);
  const met = f.met ? matchFor(userId, "met", f.met) : null;
  if (met) where.push(`c.id IN (SELECT rowid FROM contact_search WHERE contact_search MATCH ${bind(met)})`);
  return where;
}

export async function peoplePage(db: D1Database, userId: number, f: Filters, cursor: Cursor | null, size: number, now: number): Promise<{ people: PersonRow[]; next: Cursor | null }> {
  const binds: unknown[] = [userId];
  const where = ["c.user_id = ?1", ...conditions(userId, f, now, binds)];
  if (cursor) {
    // Written so that the index range starts at the cursor: a row-value comparison on
    // the expression index would be a scan from the top (5,000 rows 200 pages in).
    binds.push(cursor.at, cursor.id);
    const [at, id] = [`?${binds.length - 1}`, `?${binds.length}`];
    where.push(`ifnull(c.last_interaction_at, 0) <= ${at} AND (ifnull(c.last_interaction_at, 0) < ${at} OR c.id < ${id})`);
  }
  binds.push(size + 1);
  const { results } = await db
    .prepare(`SELECT ${COLS} FROM contacts c WHERE ${where.join(" AND ")} ORDER BY ifnull(c.last_interaction_at, 0) DESC, c.id DESC LIMIT ?${binds.length}`)
    .bind(...binds)
    .all<PersonRow>();
  const people = results.slice(0, size);
  const last = people[people.length - 1];
  return { people, next: results.length > size && last ? { at: last.last_interaction_at ?? 0, id: last.id } : null };
}

/** A page of the people matching every word of `q` (in any field), best first, and
 * whether more match. (No count of them all: that is a second pass over the words'
 * postings, as many rows again as the page.) */
export async function searchPage(db: D1Database, userId: number, q: string, f: Filters, offset: number, size: number, now: number): Promise<{ people: PersonRow[]; more: boolean }> {
  const expr = matchFor(userId, "any", q);
  if (!expr) return { people: [], more: false };
  const binds: unknown[] = [userId, expr];
  const where = ["contact_search MATCH ?2", "+c.user_id = ?1", ...conditions(userId, f, now, binds)];
  const n = binds.length;
  const { results } = await db
    .prepare(`SELECT ${COLS} FROM contact_search JOIN contacts c ON c.id = contact_search.rowid WHERE ${where.join(" AND ")} ORDER BY ${RANK} LIMIT ?${n + 1} OFFSET ?${n + 2}`)
    .bind(...binds, size + 1, offset)
    .all<PersonRow>();
  return { people: results.slice(0, size), more: results.length > size };
}
