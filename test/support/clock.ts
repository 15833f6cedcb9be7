import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../src/index";

/** Simulated time for tests: the cron as the platform fires it, at any instant. */

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;

/** A short random tag that keeps each test's addresses its own. */
export const uniq = (): string => crypto.randomUUID().slice(0, 8);

/** One cron tick through the Worker's scheduled(), "at" t. */
export async function tickAt(t: number): Promise<void> {
  await worker.scheduled(createScheduledController({ scheduledTime: t, cron: "*/5 * * * *" }), env);
}

/** The cron every `step` from `from` to `to` (every 5 minutes, as deployed, by default). */
export async function ticks(from: number, to: number, step = 5 * 60_000): Promise<void> {
  for (let t = from; t <= to; t += step) await tickAt(t);
}
