/** Production transport: the Resend SDK (`resend` v6) over Resend's HTTP API. */

import { type CreateEmailOptions, type ErrorResponse, Resend } from "resend";
import {
  type Mailer,
  type OutboundMail,
  PermanentSendError,
  type SendResult,
  TransientSendError,
} from "./mailer";

export interface ResendMailerOptions {
  apiKey: string;
  /** Where the API lives (tests point it at a loopback server). Defaults to Resend's own. */
  baseUrl?: string;
  /** How long a request may take before Kith gives up on it (SEND_TIMEOUT_MS by default). */
  timeoutMs?: number;
}

export const RESEND_API_URL = "https://api.resend.com";

/** A send answers in well under a second. Without a limit, a Resend that accepts the
 * connection and never answers would hold the tick (and every mail after this one) until
 * the platform kills it; given up on, the mail is retried later under the same
 * idempotency key, so a request that did reach Resend is not delivered twice. */
export const SEND_TIMEOUT_MS = 10_000;

export class ResendMailer implements Mailer {
  private readonly resend: Resend;
  private readonly timeoutMs: number;

  constructor(options: ResendMailerOptions) {
    // An empty key would make the SDK fall back to process.env, which nodejs_compat
    // populates from the Worker's env: refuse rather than pick up a key by accident.
    if (!options.apiKey) throw new Error("ResendMailer needs an API key");
    // Always pass baseUrl: left out, the SDK reads process.env.RESEND_BASE_URL.
    // The SDK joins `${baseUrl}${path}`, so a trailing slash would give `//emails`.
    const baseUrl = (options.baseUrl ?? RESEND_API_URL).replace(/\/+$/, "");
    this.resend = new Resend(options.apiKey, { baseUrl });
    this.timeoutMs = options.timeoutMs ?? SEND_TIMEOUT_MS;
  }

  async send(mail: OutboundMail): Promise<SendResult> {
    const { data, error, headers } = await this.timed((signal) => this.resend.emails.send(toResendEmail(mail), { idempotencyKey: mail.idempotencyKey, signal }));
    if (error) throw toSendError(error, headers);
    // A 200 without an id is not Resend; retrying under the same key is safe.
    if (typeof data.id !== "string") throw new TransientSendError("Resend answered 200 without an email id");
    return { providerId: data.id };
  }

  /**
   * Up to 100 mails in one request (Resend's batch endpoint), under one idempotency key
   * for the whole batch. Strict validation: one bad mail rejects the batch, nothing is sent.
   * Results are in the order of `mails`.
   */
  async sendBatch(mails: OutboundMail[], idempotencyKey: string): Promise<SendResult[]> {
    if (mails.length === 0) return [];
    const { data, error, headers } = await this.timed((signal) => this.resend.batch.send(mails.map(toResendEmail), { idempotencyKey, batchValidation: "strict", signal }));
    if (error) throw toSendError(error, headers);
    if (data.data.length !== mails.length) {
      throw new TransientSendError(`Resend accepted ${data.data.length} of ${mails.length} mails in a batch`);
    }
    return data.data.map((d) => ({ providerId: d.id }));
  }

  /** One request under the timeout. The SDK turns an abort into `{ error }` (or, reading an
   * error body, rethrows it): either way it is a timeout, said as one. */
  private async timed<R extends { error: unknown }>(request: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const timedOut = () => new TransientSendError(`Resend did not answer within ${this.timeoutMs / 1000} s`);
    try {
      const result = await request(signal);
      if (result.error && signal.aborted) throw timedOut();
      return result;
    } catch (err) {
      throw signal.aborted ? timedOut() : err;
    }
  }
}

/** A subject or header value on one line. Text from mail and users reaches them (a
 * contact's name, a subject, a Message-ID decoded from an encoded word) and may hold
 * line breaks, which in a header would start a header of their own. */
const oneLine = (s: string) => s.replace(/[ \t]*[\r\n]+[ \t]*/g, " ");

/** Reply-To moves from the headers to Resend's `reply_to` field, which Resend validates
 * and sets itself; every other header goes through as given, on one line. */
export function toResendEmail(mail: OutboundMail): CreateEmailOptions {
  const headers: Record<string, string> = {};
  let replyTo: string | undefined;
  for (const [name, value] of Object.entries(mail.headers)) {
    if (name.toLowerCase() === "reply-to") replyTo = oneLine(value);
    else headers[name] = oneLine(value);
  }
  return {
    from: mail.from,
    to: mail.to,
    subject: oneLine(mail.subject),
    text: mail.text,
    ...(mail.html !== undefined && { html: mail.html }),
    ...(replyTo !== undefined && { replyTo }),
    ...(mail.attachments && mail.attachments.length > 0 && { attachments: mail.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })) }),
    headers,
  };
}

/**
 * The SDK never throws: it returns `{ error }`. `statusCode` is the one from Resend's JSON
 * error body, the HTTP status when the body is not JSON, and null when no response came
 * back (network failure, DNS, refused connection).
 */
export function toSendError(error: ErrorResponse, headers?: Record<string, string> | null): PermanentSendError | TransientSendError {
  const status = error.statusCode;
  const message = `Resend ${status ?? "unreachable"} ${error.name}: ${error.message}`;
  if (isTransient(status, error.name)) return new TransientSendError(message, retryAfterMs(headers?.["retry-after"]));
  return new PermanentSendError(message);
}

/** Retry-After in seconds, as Resend sends it with a 429 (an HTTP date is not used). */
function retryAfterMs(value: string | undefined): number | undefined {
  const seconds = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

function isTransient(status: number | null | undefined, name: string): boolean {
  // No status at all (network, or a JSON error body without one): nothing says it is final.
  if (typeof status !== "number") return true;
  if (status === 408 || status === 429) return true;
  // The first request with this key is still in flight; its outcome is not known yet.
  if (status === 409 && name === "concurrent_idempotent_requests") return true;
  // Every other 4xx (validation, bad address, unverified domain, bad key, and the
  // same idempotency key reused for a different mail) fails again unchanged.
  return status < 400 || status >= 500;
}
