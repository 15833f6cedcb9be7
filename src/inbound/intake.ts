import type { Deps, Outcome } from "../core/deps";
import { type Inbound, Incoming } from "./incoming";
import { parseMail } from "./mime/parse";
import { RESOLVERS } from "./resolvers";

export type { Inbound } from "./incoming";

/** The inbound pipeline: size, parse, then the resolvers in order (src/inbound/resolvers.ts):
 * unsubscribe by mail, machine mail, sender checks, confirmations, sign-up, redelivery,
 * then the user's mail (one batch) and its answer. Returns what happened; throws only on
 * transient faults, so that the sending server retries. */
export async function intake(deps: Deps, inbound: Inbound): Promise<Outcome> {
  const { config } = deps;
  const size = inbound.raw.byteLength;
  if (size > config.maxMessageBytes) {
    // Round the size up and the limit down, so that the two never read the same.
    const size10 = Math.ceil((size / 1048576) * 10) / 10;
    const max10 = Math.floor((config.maxMessageBytes / 1048576) * 10) / 10;
    return { outcome: "rejected", reason: `Your message is ${size10.toFixed(1)} MB; Kith accepts up to ${max10.toFixed(1)} MB. Send large attachments on their own or leave them out.` };
  }
  const parsed = await parseMail(inbound.raw);
  if (!parsed.ok) return { outcome: "rejected", reason: parsed.reason };
  const mail = new Incoming(deps, deps.clock.now(), inbound, parsed.email);
  for (const resolve of RESOLVERS) {
    const outcome = await resolve(mail);
    if (outcome) return outcome;
  }
  throw new Error("no resolver answered");
}
