import type { Email } from "postal-mime";
import type { Config } from "../config";
import { outboundById, outboundByMessageIds, type OutboundRef } from "../mail-out/outbound";
import { outboundIdFromAddress } from "../mail-out/reply-address";
import { flatten } from "./mime/addresses";

/** The Kith mail this one answers: by In-Reply-To/References, else by the signed
 * reply address it was sent to (for clients that drop those headers). */
export async function repliedTo(db: D1Database, config: Config, email: Email, envelopeTo?: string): Promise<OutboundRef | null> {
  const ids = `${email.inReplyTo ?? ""} ${email.references ?? ""}`.match(/<[^<>\s]{1,250}>/g) ?? [];
  const byHeader = await outboundByMessageIds(db, [...new Set(ids)]);
  if (byHeader) return byHeader;
  const candidates = [envelopeTo, ...flatten(email.to).map((p) => p.email), ...flatten(email.cc).map((p) => p.email)];
  for (const address of candidates) {
    if (!address || !address.includes("+")) continue;
    const id = await outboundIdFromAddress(config, address);
    if (id !== null) return outboundById(db, id);
  }
  return null;
}
