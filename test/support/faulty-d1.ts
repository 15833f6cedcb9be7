/**
 * A D1 binding that fails the way D1 fails, for fault-injection tests: a wrapper around
 * the real D1Database (local SQLite in workerd) that counts every call that reaches D1
 * (a prepared statement's run, all, first or raw, and each batch) and makes call number
 * `at` throw. Nothing else is changed: every other call runs on the real database.
 *
 * Two ways to fail:
 * - "lost": the call never reaches D1 (the connection dropped, the DB is overloaded).
 * - "after": the call runs against D1, is committed, and then throws (the connection was
 *   lost on the way back), so the caller cannot know its write happened.
 * - "down": that call and every one after it are lost (D1 gone for the rest of the
 *   invocation, or the invocation dying there).
 *
 * The messages are the ones D1 throws in production (Cloudflare's D1 docs, "Errors").
 */

export type FaultMode = "lost" | "after" | "down";

export interface FaultPlan {
  /** The 1-based call that fails; 0 never fails (a clean run that only counts). */
  at: number;
  mode: FaultMode;
  /** Count only calls whose SQL (a batch: any of its statements') matches. */
  match?: RegExp;
}

/** What one call was, for choosing where "after" faults are worth injecting. */
export interface CallTrace {
  kind: "run" | "all" | "first" | "raw" | "batch";
  /** Whether it may write: any statement that is not a plain SELECT (an UPDATE … RETURNING
   * read with first() writes). */
  writes: boolean;
  /** The start of its SQL (a batch: its first statement's, and how many), to name it. */
  sql: string;
}

const D1_MESSAGES = [
  "D1_ERROR: Network connection lost.",
  "D1_ERROR: D1 DB storage operation exceeded timeout which caused object to be reset.",
  "D1 DB is overloaded. Requests queued for too long.",
  "D1_ERROR: Cannot resolve D1 DB due to transient issue on remote node.",
  "D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.",
];

/** The error D1 throws; which one depends on the call, so a run sees several. */
export function d1Error(n: number): Error {
  return new Error(D1_MESSAGES[n % D1_MESSAGES.length]!);
}

export class FaultyD1 {
  /** Calls made so far. */
  calls = 0;
  /** Whether the planned fault has been thrown. */
  fired = false;
  readonly trace: CallTrace[] = [];
  readonly binding: D1Database;
  /** Each wrapped statement's real statement and SQL, for batch(). */
  private readonly inner = new WeakMap<object, { real: D1PreparedStatement; sql: string }>();

  constructor(
    private readonly real: D1Database,
    private readonly plan: FaultPlan = { at: 0, mode: "lost" },
  ) {
    this.binding = this.wrap(real);
  }

  /** The binding's face: prepare, batch, exec, dump, withSession, all counted. A session
   * (the web's reads go through one) is wrapped the same way, on the same count. */
  private wrap(db: D1Database | D1DatabaseSession): D1Database {
    const self = this;
    const face = {
      prepare: (sql: string) => self.statement(db.prepare(sql), sql),
      batch: <T>(statements: D1PreparedStatement[]) => {
        const inner = statements.map((s) => self.inner.get(s) ?? { real: s, sql: "?" });
        const sql = `${inner.length} × ${short(inner[0]?.sql ?? "")}`;
        const all = inner.map((s) => s.sql).join("\n");
        return self.call("batch", inner.some((s) => writes(s.sql)), sql, () => db.batch<T>(inner.map((s) => s.real)), all);
      },
      exec: (sql: string) => self.call("run", true, short(sql), () => (db as D1Database).exec(sql), sql),
      dump: () => (db as D1Database).dump(),
      withSession: (constraint?: string) => {
        const session = (db as D1Database).withSession(constraint);
        return Object.assign(self.wrap(session), { getBookmark: () => session.getBookmark() });
      },
    };
    return face as unknown as D1Database;
  }

  private statement(real: D1PreparedStatement, sql: string): D1PreparedStatement {
    const [w, name] = [writes(sql), short(sql)];
    const wrapped: Record<string, unknown> = {
      bind: (...values: unknown[]) => this.statement(real.bind(...values), sql),
      run: () => this.call("run", w, name, () => real.run(), sql),
      all: () => this.call("all", w, name, () => real.all(), sql),
      first: (column?: string) => this.call("first", w, name, () => (column === undefined ? real.first() : real.first(column)), sql),
      raw: (options?: { columnNames?: boolean }) => this.call("raw", w, name, () => (options?.columnNames ? real.raw({ columnNames: true }) : real.raw()), sql),
    };
    this.inner.set(wrapped, { real, sql });
    return wrapped as unknown as D1PreparedStatement;
  }

  /** Calls counted towards the plan (all of them, or those its `match` names). */
  private counted = 0;

  private async call<R>(kind: CallTrace["kind"], mayWrite: boolean, name: string, go: () => Promise<R>, sql: string): Promise<R> {
    const call = ++this.calls;
    this.trace.push({ kind, writes: mayWrite, sql: name });
    const n = !this.plan.match || this.plan.match.test(sql) ? ++this.counted : 0;
    const planned = n > 0 && n === this.plan.at;
    const down = this.plan.mode === "down" && this.plan.at > 0 && this.counted >= this.plan.at;
    if ((planned && this.plan.mode === "lost") || down) {
      this.fired = true;
      throw d1Error(call);
    }
    const result = await go();
    if (planned) {
      this.fired = true;
      throw d1Error(call);
    }
    return result;
  }
}

const writes = (sql: string): boolean => !/^\s*SELECT\b/i.test(sql);
const short = (sql: string): string => sql.replace(/\s+/g, " ").trim().slice(0, 60);
