/** Local transport (MAIL_TRANSPORT=outbox): mail is "delivered" into the D1 `outbox` table
 * (attachments in outbox_attachments), which `GET /dev/outbox` shows. The only module
 * that writes those two tables. */

import { z } from "zod";
import type { Attachment, Mailer, OutboundMail, SendResult } from "./mailer";

/** Local D1 refuses values of about 10 MB; an export's attachment is stored in parts. */
const PART = 1_000_000;

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
  /** Base64 content, as DESIGN.md's contract says. */
  attachments: Attachment[];
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

/** A delivered mail by its Message-ID, through the index on this very expression
 * (migration 0007), never a read of the whole outbox. */
export const BY_MESSAGE_ID = `SELECT id FROM outbox WHERE json_extract(headers, '$."Message-ID"') = ?1 ORDER BY id LIMIT 1`;

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
            OR NOT EXISTS (${BY_MESSAGE_ID.replace("?1", "?8")})
         RETURNING id`,
      )
      .bind(mail.to, mail.from, mail.subject, mail.text, mail.html ?? null, JSON.stringify(headers), this.now(), messageId)
      .first<{ id: number }>();
    if (inserted) {
      const parts = (mail.attachments ?? []).flatMap((a, n) => {
        const out: D1PreparedStatement[] = [];
        for (let at = 0, part = 0; at < a.content.length || part === 0; at += PART, part++) {
          out.push(
            this.db
              .prepare("INSERT INTO outbox_attachments (outbox_id, n, part, filename, content_type, content) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
              .bind(inserted.id, n, part, a.filename, a.contentType, a.content.slice(at, at + PART)),
          );
        }
        return out;
      });
      if (parts.length > 0) await this.db.batch(parts);
      return { providerId: String(inserted.id) };
    }
    const existing = await this.db
      .prepare(BY_MESSAGE_ID)
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
  const [mails, parts] = await db.batch([
    db.prepare(`SELECT id, to_address, from_address, subject, text, html, headers, created_at FROM outbox ORDER BY id`),
    db.prepare("SELECT outbox_id, n, filename, content_type, content FROM outbox_attachments ORDER BY outbox_id, n, part"),
  ]);
  const attached = new Map<number, Attachment[]>();
  for (const p of (parts?.results ?? []) as { outbox_id: number; n: number; filename: string; content_type: string; content: string }[]) {
    const list = attached.get(p.outbox_id) ?? [];
    const last = list[p.n];
    if (last) last.content += p.content;
    else list[p.n] = { filename: p.filename, contentType: p.content_type, content: p.content };
    attached.set(p.outbox_id, list);
  }
  return ((mails?.results ?? []) as OutboxRow[]).map((r) => ({
    id: r.id,
    to: r.to_address,
    from: r.from_address,
    subject: r.subject,
    text: r.text,
    html: r.html,
    headers: HeaderMap.parse(JSON.parse(r.headers)),
    created_at: r.created_at,
    attachments: attached.get(r.id) ?? [],
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

/** Mail "delivered" locally to a deleted account's addresses. */
export function deleteOutboxFor(db: D1Database, addresses: string[]): D1PreparedStatement[] {
  const list = JSON.stringify(addresses);
  return [
    db.prepare("DELETE FROM outbox_attachments WHERE outbox_id IN (SELECT id FROM outbox WHERE to_address IN (SELECT value FROM json_each(?1)))").bind(list),
    db.prepare("DELETE FROM outbox WHERE to_address IN (SELECT value FROM json_each(?1))").bind(list),
  ];
}
