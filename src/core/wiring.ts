import { loadConfig } from "../config";
import { mailerFor } from "../mail-out/transport";
import type { Attacher } from "../mail-out/outbound";
import type { Clock, Deps } from "./deps";

/** The core's dependencies for one event, from the Worker's bindings: built by the entry
 * for mail, ticks and queue batches (src/index.ts), and per request by the web's
 * middleware (src/web/deps.ts). */
export function depsFor(env: Env, clock: Clock, attach?: (db: D1Database) => Attacher): Deps {
  const config = loadConfig(env);
  return { db: env.DB, config, clock, mailer: mailerFor(env, config, clock), queue: env.REMINDER_QUEUE, attach: attach?.(env.DB) };
}
