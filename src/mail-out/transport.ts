import type { Config } from "../config";
import type { Mailer } from "./mailer";
import { OutboxMailer } from "./outbox";
import { ResendMailer } from "./resend";

/** The configured transport: Resend in production, the D1 outbox locally. */
export function mailerFor(env: Env, config: Config, now: () => number): Mailer {
  if (config.transport === "outbox") return new OutboxMailer(env.DB, now);
  return new ResendMailer({ apiKey: config.resendApiKey ?? "", baseUrl: config.resendBaseUrl });
}
