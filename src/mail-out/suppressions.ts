/** Addresses Kith must not mail again (a hard bounce or a spam complaint that Resend
 * reported), and the words a user reads about mail that did not reach them. The only
 * module that writes suppressions (sendQueued reads it in its claim). */

/** resend-list: Resend refused to send (email.suppressed), the address being on its
 * account-level suppression list. */
export type SuppressionReason = "bounced" | "complained" | "resend-list";

/** Record that an address is not to be mailed. The first reason stands: a later event
 * for the same address is still in webhook_events, so nothing is lost. */
export function suppress(
  db: D1Database,
  email: string,
  reason: SuppressionReason,
  detail: string | null,
  eventId: string,
  now: number,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO suppressions (email, reason, detail, event_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (email) DO NOTHING`,
    )
    .bind(email.toLowerCase(), reason, detail, eventId, now);
}

/** outbound_messages.error texts written for deliverability events. They are data
 * (an operator reads them in D1) and, through failureSentence, words for the user. */
export const failureText = {
  bounced: (detail: string) => `bounced: ${detail}`,
  suppressed: (reason: string) => `suppressed: ${reason}`,
  failed: (reason: string) => `failed: ${reason}`,
} as const;

/** One failed mail's error, as a clause the user understands: "Kith could not deliver
 * 1 earlier mail to you (<this>)". Errors of other origins (a Resend API error at send
 * time) are already readable and pass through. */
export function failureSentence(error: string | null, to: string): string {
  if (!error) return "unknown error";
  const [, kind, rest] = /^(bounced|suppressed|failed): ([\s\S]*)$/.exec(error) ?? [];
  if (kind === "bounced") return `the mail server for ${to} rejected it for good: ${rest}`;
  if (kind === "suppressed" && rest === "bounced") return `${to} bounced an earlier mail, so Kith stopped sending to it`;
  if (kind === "suppressed" && rest === "complained") return `mail to ${to} was reported as spam, so Kith stopped sending to it`;
  if (kind === "suppressed" && rest === "resend-list") return `${to} is on Resend's suppression list (an earlier bounce or spam report), so Kith stopped sending to it`;
  if (kind === "failed") return `Resend could not send it to ${to}: ${rest}`;
  return error;
}

export async function isSuppressed(db: D1Database, email: string): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS x FROM suppressions WHERE email = ?1").bind(email.toLowerCase()).first()) !== null;
}

/** A deleted account's addresses leave the list with it (a later sign-up starts clean). */
export function deleteSuppressions(db: D1Database, addresses: string[]): D1PreparedStatement {
  return db.prepare("DELETE FROM suppressions WHERE email IN (SELECT value FROM json_each(?1))").bind(JSON.stringify(addresses));
}
