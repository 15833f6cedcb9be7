/** One interface for every way Kith sends mail: Resend in production, the outbox locally. */

/** A file attached to a mail; `content` is base64. */
export interface Attachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface OutboundMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Every header Kith sets: Message-ID, X-Kith-Kind, Auto-Submitted, In-Reply-To, References, Reply-To... */
  headers: Record<string, string>;
  /** Stable per logical mail, so a retried send is delivered once. */
  idempotencyKey: string;
  attachments?: Attachment[];
}

export interface SendResult {
  /** The transport's own id for the mail (Resend's email id, or the outbox row id). */
  providerId: string;
}

export interface Mailer {
  send(mail: OutboundMail): Promise<SendResult>;
}

/** The mail can never be delivered as it is (bad address, rejected content): do not retry. */
export class PermanentSendError extends Error {
  override name = "PermanentSendError";
}

/** The transport failed in a way that may pass on retry (network, 429, 5xx, no answer
 * in time). `retryAfterMs`: how long the provider asked Kith to wait (Retry-After). */
export class TransientSendError extends Error {
  override name = "TransientSendError";

  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
