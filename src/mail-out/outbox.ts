/** Local transport (MAIL_TRANSPORT=outbox): mail is "delivered" into the D1 `outbox` table,
 * which `GET /dev/outbox` shows. */

import { z } from "zod";
import type { Mailer, OutboundMail, SendResult } from "./mailer";

/** One delivered mail, as `GET /dev/outbox` returns it (DESIGN.md, "Local mode"). */
export interface OutboxEntry {
  id: number;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string | null;
  /** Name to value, as the mail was sent; the Message-ID header is always named `Message-ID`. */
  headers: Record<string, string>;
  /** Epoch milliseconds (UTC), like every time in the schema, from the sender's clock. */
  created_at: number;
}

interface OutboxRow {
  id: number;
  to_address: string;
  from_address: string;
  subject: string;
  text: string;
  html: string | null;
  headers: string;
  created_at: number;
}

const HeaderMap = z.record(z.string(), z.string());

export class OutboxMailer implements Mailer {
  constructor(
    private readonly db: D1Database,
    private readonly now: () => number,
  ) {}

  /**
   * The table has no column for the idempotency key, so the Message-ID stands in for it
   * (both are fixed when a mail is composed): a retried send returns the first row's id and
   * adds nothing, as Resend does for a repeated key. A mail without a Message-ID is always added.
   */
  async send(mail: OutboundMail): Promise<SendResult> {
    const headers = withCanonicalMessageId(mail.headers);
    const messageId = headers["Message-ID"] ?? null;
    const inserted = await this.db
      .prepare(
        `INSERT INTO outbox (to_address, from_address, subject, text, html, headers, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
         WHERE ?8 IS NULL
            OR NOT EXISTS (SELECT 1 FROM outbox WHERE json_extract(headers, '$."Message-ID"') = ?8)
         RETURNING id`,
      )
      .bind(mail.to, mail.from, mail.subject, mail.text, mail.html ?? null, JSON.stringify(headers), this.now(), messageId)
      .first<{ id: number }>();
    if (inserted) return { providerId: String(inserted.id) };
    const existing = await this.db
      .prepare(`SELECT id FROM outbox WHERE json_extract(headers, '$."Message-ID"') = ?1 ORDER BY id LIMIT 1`)
      .bind(messageId)
      .first<{ id: number }>();
    if (!existing) throw new Error(`outbox: mail ${messageId} neither inserted nor found`);
    return { providerId: String(existing.id) };
  }
}

/**
 * Every mail in the outbox, oldest first. "Oldest" is delivery order (the AUTOINCREMENT id),
 * not `created_at`: time travel through the scheduled handler makes the clock jump around.
 */
export async function listOutbox(db: D1Database): Promise<OutboxEntry[]> {
  const { results } = await db
    .prepare(`SELECT id, to_address, from_address, subject, text, html, headers, created_at FROM outbox ORDER BY id`)
    .all<OutboxRow>();
  return results.map((r) => ({
    id: r.id,
    to: r.to_address,
    from: r.from_address,
    subject: r.subject,
    text: r.text,
    html: r.html,
    headers: HeaderMap.parse(JSON.parse(r.headers)),
    created_at: r.created_at,
  }));
}

/** Header names are case-insensitive; the outbox contract (and the dedupe above) reads `Message-ID`. */
function withCanonicalMessageId(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name.toLowerCase() === "message-id" ? "Message-ID" : name] = value;
  }
  return out;
}
