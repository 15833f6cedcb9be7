import { env } from "cloudflare:workers";
import type { OutboxEntry } from "../../src/mail-out/outbox";
import { uniq } from "../support/clock";
import { eml, outbox, send, signUp } from "../support/mail";

/** A user with a few people, as mail made them: cards, an intro, a forward. */

export const KITH = "kith@kith.test";

export async function member(): Promise<string> {
  const me = `n-${uniq()}@example.com`;
  await signUp(me, "Nora Example");
  return me;
}

/** A card note to Kith ("Met at PyCon" by default). */
export async function card(me: string, text: string, subject = "Met at PyCon", now = Date.now()): Promise<void> {
  const out = await send(eml({ From: me, To: KITH, Subject: subject, Date: new Date(now).toUTCString() }, text), { now });
  if (out.outcome !== "applied") throw new Error(`card not applied: ${JSON.stringify(out)}`);
}

/** A mail to Kith, as its own command or note. */
export async function mail(me: string, subject: string, body = "", now = Date.now()) {
  return send(eml({ From: me, To: KITH, Subject: subject, Date: new Date(now).toUTCString() }, body), { now });
}

/** Kith's latest mail to the user, of a kind. */
export async function latest(me: string, kind?: string): Promise<OutboxEntry> {
  const mine = (await outbox()).filter((m) => m.to === me && (!kind || m.headers["X-Kith-Kind"] === kind));
  const last = mine.at(-1);
  if (!last) throw new Error(`no ${kind ?? ""} mail to ${me}`);
  return last;
}

/** A reply to one of Kith's mails, typed above the quote. */
export async function reply(me: string, to: OutboxEntry, typed: string, now = Date.now()) {
  return send(
    eml(
      { From: me, To: to.headers["Reply-To"] ?? KITH, Subject: `Re: ${to.subject}`, "In-Reply-To": to.headers["Message-ID"]!, References: to.headers["Message-ID"]!, Date: new Date(now).toUTCString() },
      `${typed}\n\nOn Mon, Kith <${KITH}> wrote:\n> ${to.text.split("\n").join("\n> ")}`,
    ),
    { now },
  );
}

export async function contactId(me: string, email: string): Promise<number> {
  const row = await env.DB.prepare("SELECT ce.contact_id FROM contact_emails ce JOIN users u ON u.id = ce.user_id WHERE u.email = ?1 AND ce.email = ?2")
    .bind(me, email)
    .first<{ contact_id: number }>();
  if (!row) throw new Error(`no contact ${email} for ${me}`);
  return row.contact_id;
}
