import type { Config } from "../config";
import type { Mailer } from "../mail-out/mailer";
import type { Attacher } from "../mail-out/outbound";

/** What every door (email, cron, queue, HTTP) hands the core: built once per event by
 * the entry (src/index.ts) and once per HTTP request (src/web/deps.ts). Nothing below
 * reads a binding or the system clock on its own. */

/**
 * Two clocks. `now` is the event's instant: a mail's arrival, a tick's scheduledTime
 * (which time travel moves), a request's start; every rule of the product runs on it.
 * `wall` is real elapsed time, for leases only (a claim on a reminder or on a send):
 * a tick replaying an old scheduledTime must not take over a claim still in flight.
 */
export interface Clock {
  now(): number;
  wall(): number;
}

/** One instant for the whole event, real time for leases. */
export function clockAt(now: number, wall: () => number = Date.now): Clock {
  return { now: () => now, wall };
}

/** A per-user job on the queue: the user's due reminders at `now`, and their weekly
 * summary when `summary` (src/reminders/jobs.ts validates it). */
export interface ReminderJob {
  userId: number;
  now: number;
  summary?: boolean;
}

export interface Deps {
  db: D1Database;
  config: Config;
  mailer: Mailer;
  clock: Clock;
  /** The reminder queue, when bound: large ticks hand per-user jobs to it. */
  queue?: Queue<ReminderJob>;
  /** Makes the files of a mail as it is sent (an export); the entry provides it. */
  attach?: Attacher;
}

/** What became of one inbound mail. */
export type Outcome =
  | { outcome: "rejected"; reason: string }
  | { outcome: "ignored"; reason: string }
  | { outcome: "duplicate" }
  | { outcome: "held"; userId: number | null }
  | { outcome: "applied"; userId: number; kind: string; mailIds: number[] };
