import type { Config } from "../config";
import type { Mailer } from "./mailer";
import { OutboxMailer } from "./outbox";
import { ResendMailer } from "./resend";

/** The configured transport: Resend in production, the D1 outbox locally (which stamps
 * each mail with the event's time, `clock.now`). */
export function mailerFor(env: Env, config: Config, clock: { now(): number }): Mailer {
  if (config.transport === "outbox") return new OutboxMailer(env.DB, () => clock.now());
  return new ResendMailer({ apiKey: config.resendApiKey ?? "", baseUrl: config.resendBaseUrl });
}
