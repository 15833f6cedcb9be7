/** A D1Database that adds up `meta.rows_read` / `rows_written` of every statement run
 * through it, so one inbound mail's total can be read off after intake() returns.
 *
 * `first()` returns no meta, so here it runs the statement with `.all()` and returns the
 * first row. That is what D1 itself does (first() runs the whole query; the row count is
 * the same), so the figures are those of the real calls, and every statement still runs
 * exactly once: running it a second time just to count would repeat writes such as the
 * outbound claim (`UPDATE ... RETURNING` through first()). */

export interface Executed {
  sql: string;
  params: unknown[];
  read: number;
  written: number;
}

export class Tally {
  log: Executed[] = [];
  /** Calls that give no meta (raw(), exec()): passed through, but not counted. */
  uncounted = 0;

  get read(): number {
    return this.log.reduce((n, e) => n + e.read, 0);
  }
  get written(): number {
    return this.log.reduce((n, e) => n + e.written, 0);
  }
  reset(): void {
    this.log = [];
    this.uncounted = 0;
  }
  add(stmt: Statement, result: D1Result): void {
    this.log.push({ sql: stmt.sql, params: stmt.params, read: result.meta.rows_read ?? 0, written: result.meta.rows_written ?? 0 });
  }
}

class Statement {
  constructor(
    readonly inner: D1PreparedStatement,
    readonly tally: Tally,
    readonly sql: string,
    readonly params: unknown[] = [],
  ) {}

  bind(...values: unknown[]): Statement {
    return new Statement(this.inner.bind(...values), this.tally, this.sql, values);
  }

  async all<T>(): Promise<D1Result<T>> {
    const result = await this.inner.all<T>();
    this.tally.add(this, result);
    return result;
  }

  async run<T>(): Promise<D1Result<T>> {
    const result = await this.inner.run<T>();
    this.tally.add(this, result);
    return result;
  }

  async first<T>(column?: string): Promise<T | null> {
    const row = (await this.all<Record<string, unknown>>()).results[0];
    if (row === undefined) return null;
    return (column === undefined ? row : row[column]) as T;
  }

  raw<T>(options?: { columnNames?: boolean }): Promise<T[]> {
    this.tally.uncounted++;
    return this.inner.raw<T>(options as { columnNames: true }) as Promise<T[]>;
  }
}

export function countingDb(db: D1Database, tally: Tally): D1Database {
  const counting = {
    prepare: (sql: string) => new Statement(db.prepare(sql), tally, sql),
    async batch<T>(statements: Statement[]): Promise<D1Result<T>[]> {
      const results = await db.batch<T>(statements.map((s) => s.inner));
      results.forEach((r, i) => tally.add(statements[i]!, r));
      return results;
    },
    exec(sql: string): Promise<D1ExecResult> {
      tally.uncounted++;
      return db.exec(sql);
    },
  };
  // Only the methods above exist; a pipeline that starts using another fails loudly here.
  return counting as unknown as D1Database;
}
