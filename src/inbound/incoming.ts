import type { Deps } from "../core/deps";
import { sha256Hex } from "../lib/ids";
import type { OutboundRef } from "../mail-out/outbound";
import { userByAddress } from "../users/store";
import type { User } from "../users/user";
import { flatten } from "./mime/addresses";
import { automatedReason } from "./mime/guard";
import type { Email } from "./mime/parse";
import { repliedTo } from "./replied-to";
import { type SenderTrust, senderTrust } from "./sender/trust";

/** One parsed inbound mail and what the resolvers ask of it, each worked out once and
 * only when a resolver asks. */

export interface Inbound {
  /** Envelope sender (SMTP MAIL FROM); empty for bounces. */
  from: string;
  /** Envelope recipient: Kith's address, or one of its signed subaddresses. */
  to?: string;
  raw: ArrayBuffer | Uint8Array;
}

export class Incoming {
  /** Why a machine sent it (an auto-reply, a bounce, a list), or null. */
  readonly automated: string | null;
  /** The From address, lower-cased; undefined when there is none. */
  readonly sender: string | undefined;
  private memo = new Map<string, Promise<unknown>>();
  /** Statements that commit with whatever this mail stores, or not at all (its count
   * against the hourly limit). */
  readonly commitWith: D1PreparedStatement[] = [];

  constructor(
    readonly deps: Deps,
    readonly now: number,
    readonly inbound: Inbound,
    readonly email: Email,
  ) {
    this.automated = automatedReason(email, inbound.from);
    this.sender = flatten(email.from ? [email.from] : undefined)[0]?.email?.toLowerCase();
  }

  private once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) this.memo.set(key, (p = make()));
    return p;
  }

  /** The idempotency key: the Message-ID, or a hash of the raw mail without one. */
  messageId(): Promise<string> {
    return this.once("messageId", async () => this.email.messageId?.trim() || `<sha256:${await sha256Hex(this.inbound.raw)}>`);
  }

  /** The user the sender's address is a confirmed address of. */
  user(): Promise<User | null> {
    return this.once("user", async () => (this.sender ? userByAddress(this.deps.db, this.sender) : null));
  }

  /** The Kith mail this one replies to. */
  replyTo(): Promise<OutboundRef | null> {
    return this.once("replyTo", () => repliedTo(this.deps.db, this.deps.config, this.email, this.inbound.to));
  }

  /** Whether the From address is authenticated (SENDER_AUTH): Kith's own DKIM and DMARC
   * check, or the receiver's stamp where TRUST_RECEIVER_STAMP allows it. */
  trusted(): Promise<SenderTrust> {
    const { config } = this.deps;
    return this.once("trusted", () => senderTrust({ config, raw: this.inbound.raw, headers: this.email.headers, sender: this.sender, now: this.now }));
  }

  /** The display name in From, if any. */
  fromName(): string | undefined {
    return this.email.from && !this.email.from.group ? this.email.from.name : undefined;
  }
}
