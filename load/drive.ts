/** The client side of a load run: a cap on requests in flight, every answer timed and
 * tallied, and 5xx answers retried the way their senders would (a mail server retries a
 * mail the Worker threw on; a browser's user reloads). */

export class Limiter {
  private active = 0;
  private waiting: (() => void)[] = [];
  peak = 0;
  constructor(readonly max: number) {}

  async run<T>(f: () => Promise<T>): Promise<T> {
    while (this.active >= this.max) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await f();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface FiveXX {
  door: Door;
  path: string;
  status: number;
  /** The first line of the answer: what the Worker (or wrangler) said. */
  said: string;
  /** A platform fault (TRANSIENT) that a retry of the same request got past. */
  transient: boolean;
}

export type Door = "mail" | "web" | "tick";

/** D1 and workerd faults that a retry resolves: contention, a reset object, a dropped
 * connection. Anything else a 5xx says is Kith failing. */
const TRANSIENT = /SQLITE_BUSY|database is locked|overloaded|Network connection lost|Durable Object reset|internal error; reference|timed out|timeout|ECONNRESET|socket hang up/i;

export class Tally {
  readonly latency: Record<Door, number[]> = { mail: [], web: [], tick: [] };
  readonly fiveXX: FiveXX[] = [];
  /** What went wrong short of a 5xx: a 4xx on a signed-in page, a mail that never came. */
  readonly unexpected: string[] = [];

  constructor(
    readonly base: string,
    readonly limiter: Limiter,
  ) {}

  /** One request, retried up to `retries` times on a 5xx or a dropped connection. Resolves
   * with the last answer (status 0: no answer at all). */
  async request(door: Door, path: string, init: RequestInit = {}, retries = 3): Promise<{ status: number; body: string; headers: Headers }> {
    const failures: FiveXX[] = [];
    for (let attempt = 0; ; attempt++) {
      // Timed from when it goes out, not from when it queued for a slot.
      const answer = await this.limiter.run(async () => {
        const started = performance.now();
        try {
          const res = await fetch(this.base + path, { ...init, redirect: "manual", signal: AbortSignal.timeout(60_000) });
          return { status: res.status, body: await res.text(), headers: res.headers };
        } catch (err) {
          return { status: 0, body: String(err), headers: new Headers() };
        } finally {
          this.latency[door].push(performance.now() - started);
        }
      });
      if (answer.status !== 0 && answer.status < 500) {
        // Transient: the platform's kind of fault, and gone when asked again.
        for (const f of failures) f.transient = TRANSIENT.test(f.said);
        return answer;
      }
      const f: FiveXX = { door, path: path.split("?")[0]!, status: answer.status, said: answer.body.trim().split("\n", 1)[0]!.slice(0, 240), transient: false };
      failures.push(f);
      this.fiveXX.push(f);
      if (attempt >= retries) return answer;
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}

export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
