import { describe, expect, it } from "vitest";
import { automatedReason } from "../../src/inbound/mime/guard";
import { header, parseMail, type Email } from "../../src/inbound/mime/parse";
import { corpusBytes, corpusFiles } from "../support/corpus";

async function load(path: string): Promise<Email> {
  const result = await parseMail(corpusBytes(path));
  if (!result.ok) throw new Error(`${path}: ${result.reason}`);
  return result.email;
}

/** The SMTP sender the mail would have arrived with: Return-Path when the file kept one,
 * else the From address ("From: user2", a bare local part, parses as a name). */
function envelopeOf(email: Email): string {
  const from = email.from && !email.from.group ? email.from.address || email.from.name : "";
  return header(email, "return-path") ?? from;
}

/** Every file in corpus/auto/ and the first signal that catches it (most carry several).
 * `null` is the negative control. A new corpus file fails the coverage test until it
 * gets a row here. */
const AUTO: Record<string, string | null> = {
  "cpython_mailman_relayed_dsn.eml": "machine-generated report",
  "mimekit_digest_in_rfc822.eml": "wraps a machine-sent message (mailing-list digest)",
  "mimekit_mailman_announce_list.eml": "Precedence: list",
  "mimekit_mdn_read_receipt.eml": "read receipt",
  "php_ezmlm_list_reply.eml": "mailing list (mailing-list)",
  "php_marketing_list_unsubscribe.eml": "mailing list (list-unsubscribe)",
  "postalmime_fastmail_postfix_bounce.eml": "Auto-Submitted: auto-replied",
  "sisimai_arf_feedback_report.eml": "abuse feedback report",
  "sisimai_autoreply_mailer_daemon_mbox.eml": "Auto-Submitted: auto-replied",
  "sisimai_autoreply_minimal.eml": "Auto-Submitted: auto-replied",
  "sisimai_autoresponse_precedence_bulk.eml": "Auto-Submitted: auto-replied",
  "sisimai_bounce_amazon_ses.eml": "delivery status notification",
  "sisimai_bounce_exchange2003_plain.eml": "null envelope sender",
  "sisimai_bounce_exim_plain.eml": "Auto-Submitted: auto-replied",
  "sisimai_bounce_gmail_plaintext.eml": "null envelope sender",
  "sisimai_bounce_google_groups.eml": "Auto-Submitted: auto-replied",
  "sisimai_bounce_google_workspace_dsn.eml": "Auto-Submitted: auto-replied",
  "sisimai_bounce_hotmail_utf7.eml": "delivery status notification",
  "sisimai_bounce_lotus_domino.eml": "sent by mailer-daemon",
  "sisimai_bounce_mailru_b64subject.eml": "Auto-Submitted: auto-replied",
  "sisimai_bounce_mimecast.eml": "null envelope sender",
  "sisimai_bounce_notes_iso2022jp.eml": "null envelope sender",
  "sisimai_bounce_notification_nonstandard.eml": "Auto-Submitted: auto-replied",
  "sisimai_bounce_office365_ndr.eml": "Auto-Submitted: auto-replied",
  "sisimai_bounce_postfix.eml": "Auto-Submitted: auto-replied",
  "sisimai_bounce_qmail.eml": "null envelope sender",
  "sisimai_exchange_automatic_reply.eml": "null envelope sender",
  "sisimai_exchange_ooo_qp_cp1252.eml": "null envelope sender",
  "sisimai_icloud_vacation.eml": "Apple vacation reply",
  "sisimai_not_bounce_plain.eml": null,
  "spamscope_mailsite_dsn_quota.eml": "delivery status notification",
};

describe("automatedReason on corpus/auto", () => {
  it("has a row for every file", () => {
    expect(corpusFiles("auto/").map((p) => p.slice("auto/".length))).toEqual(Object.keys(AUTO).sort());
  });

  for (const [file, reason] of Object.entries(AUTO)) {
    it(`${file}: ${reason ?? "written by a person"}`, async () => {
      const email = await load(`auto/${file}`);
      expect(automatedReason(email, envelopeOf(email))).toBe(reason);
    });
  }
});

// Last-resort signals, each checked on its own: with the headers and the sender that
// catch these files first taken away, the subject alone must still catch them.
describe("subject fallback on corpus/auto", () => {
  const bySubject: Record<string, string> = {
    "sisimai_bounce_exchange2003_plain.eml": "bounce subject",
    "sisimai_bounce_qmail.eml": "bounce subject",
    "sisimai_bounce_mimecast.eml": "bounce subject",
    "sisimai_bounce_notes_iso2022jp.eml": "bounce subject",
    "sisimai_bounce_lotus_domino.eml": "bounce subject",
    "sisimai_bounce_mailru_b64subject.eml": "bounce subject",
    "sisimai_exchange_automatic_reply.eml": "out-of-office subject",
    "sisimai_icloud_vacation.eml": "out-of-office subject",
  };
  for (const [file, reason] of Object.entries(bySubject)) {
    it(file, async () => {
      const email = await load(`auto/${file}`);
      expect(automatedReason({ headers: [], headerLines: [], attachments: [], subject: email.subject }, "a@example.com")).toBe(reason);
    });
  }
});

// People's mail must pass: a false positive silently drops it. Every file in these
// folders is checked, so a new one is covered as soon as it lands.
describe("people's mail is not flagged", () => {
  const isMessage = (p: string) => /\.(eml|msg)$/.test(p);
  const folders = ["forwarded/", "replies/", "intro/", "vcard/"];

  for (const path of folders.flatMap((f) => corpusFiles(f)).filter(isMessage)) {
    it(path, async () => {
      const email = await load(path);
      expect(automatedReason(email, envelopeOf(email))).toBeNull();
    });
  }

  // Bodies cut from real mails (no header block): whatever they quote, the guard must not
  // read a signal out of a body.
  for (const path of ["forwarded/", "replies/"].flatMap((f) => corpusFiles(f)).filter((p) => !isMessage(p))) {
    it(`${path} (body only)`, async () => {
      expect(automatedReason(await load(path), "friend@example.com")).toBeNull();
    });
  }
});

/** A small mail with the given extra headers. */
async function mail(extra: string, from = "Ana <ana@example.com>"): Promise<Email> {
  const raw = `From: ${from}\r\nTo: kith@kith.test\r\n${extra}${extra ? "\r\n" : ""}Content-Type: text/plain\r\n\r\nHi\r\n`;
  const result = await parseMail(new TextEncoder().encode(raw));
  if (!result.ok) throw new Error(result.reason);
  return result.email;
}

describe("signals beyond the corpus", () => {
  const flagged: [string, string, string][] = [
    ["Auto-Submitted: auto-generated", "ana@example.com", "Auto-Submitted: auto-generated"],
    ["Auto-Submitted: Auto-Replied; owner-email=x@y", "ana@example.com", "Auto-Submitted: auto-replied"],
    ["X-Autoreply: yes", "ana@example.com", "x-autoreply header"],
    ["X-Autorespond: Ana is away", "ana@example.com", "x-autorespond header"],
    ["Precedence: junk", "ana@example.com", "Precedence: junk"],
    ["Precedence: auto_reply", "ana@example.com", "Precedence: auto_reply"],
    ["List-Id: <team.lists.example.com>", "ana@example.com", "mailing list (list-id)"],
    ["Subject: Hi", "<>", "null envelope sender"],
    ["Subject: Hi", "", "null envelope sender"],
    ["Subject: Hi", "postmaster@example.com", "sent by postmaster"],
    ["Subject: Réponse automatique : Rendez-vous", "ana@example.com", "out-of-office subject"],
    ["Subject: Automatische Antwort: Treffen", "ana@example.com", "out-of-office subject"],
    ["Subject: Out of Office AutoReply: lunch", "ana@example.com", "out-of-office subject"],
    ["Subject: =?utf-8?B?6Ieq5Yqo5Zue5aSNOiDkvJrorq4=?=", "ana@example.com", "out-of-office subject"], // 自动回复: 会议
    ["Subject: Unzustellbar: Treffen", "ana@example.com", "bounce subject"],
    ["Subject: Returned mail: see transcript for details", "ana@example.com", "bounce subject"],
  ];
  for (const [extra, envelope, reason] of flagged) {
    it(`flags ${extra} from ${envelope || "(empty)"}`, async () => {
      expect(automatedReason(await mail(extra), envelope)).toBe(reason);
    });
  }

  it("flags no-reply senders", async () => {
    expect(automatedReason(await mail("", "LinkedIn <messages-noreply@linkedin.com>"), "bounce@mail.linkedin.com")).toBe("no-reply sender");
    expect(automatedReason(await mail("", "do_not_reply@example.com"), "x@example.com")).toBe("no-reply sender");
  });

  const human = [
    "X-Auto-Response-Suppress: All", // Outlook sets it on mail people write
    "X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply",
    "Auto-Submitted: no",
    "Precedence: first-class",
    "Subject: Fwd: Undeliverable: our meeting",
    "Subject: Re: Automatic reply: lunch?",
    "Subject: Out of office next week, can we meet before?",
    "Subject: Auto reply settings on my new phone",
    "Subject: Delivery failure at the warehouse",
    "Subject: Failure notice for the board",
    "Disposition-Notification-To: ana@example.com", // asking for a receipt is not sending one
  ];
  for (const extra of human) {
    it(`passes ${extra}`, async () => {
      expect(automatedReason(await mail(extra), "ana@example.com")).toBeNull();
    });
  }

  it("passes a person whose address merely contains reply or daemon", async () => {
    expect(automatedReason(await mail("", "replyall@example.com"), "replyall@example.com")).toBeNull();
    expect(automatedReason(await mail("", "daemon.tools@example.com"), "daemon.tools@example.com")).toBeNull();
  });
});
