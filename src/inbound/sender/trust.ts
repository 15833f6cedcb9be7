import type { Config } from "../../config";
import { domainOf, type HeaderLine, senderVerdict } from "./auth";
import { checkSender, type SenderStatus } from "./check";
import { dohLookup, type TxtLookup } from "./dns";

/**
 * May Kith act on the From address of an inbound mail (SENDER_AUTH)?
 *
 * Kith checks DKIM and DMARC itself, over the raw bytes (src/inbound/sender/check.ts).
 * The receiving server's Authentication-Results (src/inbound/sender/auth.ts) can add a
 * pass only with TRUST_RECEIVER_STAMP=on: reading it is sound only when that server
 * stamps every mail, and on a mail it did not stamp the topmost trusted-looking header
 * is whatever the sender wrote (cloudflare/workerd#6740).
 *
 * `status` tells a forged mail (fail) from an unauthenticated one (none) and from one
 * that could not be checked now (temperror); `ok` is whether to act on it.
 */

export interface SenderTrust {
  ok: boolean;
  status: SenderStatus;
  reason: string;
}

export interface TrustInput {
  config: Config;
  raw: ArrayBuffer | Uint8Array;
  /** Parsed headers, top first, for the receiver's stamp. */
  headers: readonly HeaderLine[];
  /** The From address Kith would act on. */
  sender: string | undefined;
  /** The mail's arrival: signatures past their x= have expired. */
  now: number;
  lookup?: TxtLookup;
}

/** A DNS failure while checking a sender: the mail is neither trusted nor refused, so
 * throwing it makes the sending server try again later. */
export class SenderCheckUnavailable extends Error {
  override name = "SenderCheckUnavailable";
}

export async function senderTrust(input: TrustInput): Promise<SenderTrust> {
  const { config } = input;
  if (config.senderAuth === "off") return { ok: true, status: "none", reason: "sender authentication is off" };
  const domain = domainOf(input.sender ?? "");
  if (domain === undefined) return { ok: false, status: "none", reason: "the From address has no domain to check" };
  const stamp = config.trustReceiverStamp ? senderVerdict(input.headers, input.sender ?? "", config.trustedAuthservIds) : undefined;
  if (stamp?.trusted) return { ok: true, status: "pass", reason: stamp.reason };
  const raw = input.raw instanceof Uint8Array ? input.raw : new Uint8Array(input.raw);
  const own = await checkSender(raw, domain, input.lookup ?? dohLookup(config.dohUrl), input.now);
  return { ok: own.status === "pass", status: own.status, reason: stamp ? `${stamp.reason}; ${own.reason}` : own.reason };
}
