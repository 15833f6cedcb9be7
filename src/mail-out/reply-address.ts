import type { Config } from "../config";
import { sameText, shortMac } from "../lib/sign";
import { escapeRegExp } from "../lib/regexp";

/** A signed Reply-To (kith+r<id>.<mac>@domain) on reminder mails: the fallback that
 * ties a reply to its mail when a client drops In-Reply-To and References. Needs
 * subaddressing on the Email Routing side (README "Deploy"). */

const mac = (secret: string, id: string): Promise<string> => shortMac(secret, `reply:${id}`);

export async function replyAddress(config: Config, outboundId: number): Promise<string> {
  const [local, domain] = config.assistant.split("@") as [string, string];
  const id = outboundId.toString(36);
  return `${local}+r${id}.${await mac(config.linkSecret, id)}@${domain}`;
}

/** The outbound mail id a reply address names, if its signature holds. */
export async function outboundIdFromAddress(config: Config, address: string): Promise<number | null> {
  const [local, domain] = config.assistant.split("@") as [string, string];
  const m = new RegExp(`^${escapeRegExp(local)}\\+r([0-9a-z]{1,12})\\.([0-9a-z]{16})@(.+)$`, "i").exec(address.trim());
  if (!m || m[3]!.toLowerCase() !== domain.toLowerCase()) return null;
  const id = m[1]!.toLowerCase();
  if (!sameText(await mac(config.linkSecret, id), m[2]!.toLowerCase())) return null;
  return parseInt(id, 36);
}
