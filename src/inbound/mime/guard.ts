/** Mail written by a machine (bounces, auto-replies, lists, receipts) must never create
 * contacts or get an answer: answering one is how mail loops start. */
import { type Email, header, mimeType } from "./parse";

/**
 * Why this mail was sent by a machine, or null when a person wrote it. Header signals
 * come first; the sender address and the subject catch what older MTAs and
 * autoresponders leave unmarked. `envelopeFrom` is the SMTP MAIL FROM, empty for bounces.
 */
export function automatedReason(email: Email, envelopeFrom: string): string | null {
  return (
    headerReason(email) ??
    senderReason(email, envelopeFrom) ??
    subjectReason(email.subject ?? "") ??
    // A message whose whole body is another message adds nothing of its own.
    (email.inner ? innerReason(email.inner) : null)
  );
}

function innerReason(inner: Email): string | null {
  const why = headerReason(inner) ?? (inner.inner ? innerReason(inner.inner) : null);
  return why && `wraps a machine-sent message (${why})`;
}

const REPORTS: Record<string, string> = {
  "delivery-status": "delivery status notification",
  "disposition-notification": "read receipt",
  "feedback-report": "abuse feedback report",
};

function headerReason(email: Email): string | null {
  // RFC 3834: anything but "no" was sent automatically.
  const submitted = token(header(email, "auto-submitted"));
  if (submitted && submitted !== "no") return `Auto-Submitted: ${submitted}`;

  const type = header(email, "content-type");
  if (mimeType(type) === "multipart/report") {
    const report = /report-type\s*=\s*"?([\w-]+)/i.exec(type ?? "")?.[1]?.toLowerCase() ?? "";
    return REPORTS[report] ?? "machine-generated report";
  }
  if (mimeType(type) === "multipart/digest") return "mailing-list digest";

  for (const name of ["x-autoreply", "x-autorespond"]) {
    if (header(email, name)) return `${name} header`;
  }
  if (token(header(email, "x-apple-action")) === "vacation") return "Apple vacation reply";

  const precedence = token(header(email, "precedence"));
  if (precedence && ["bulk", "junk", "list", "auto_reply"].includes(precedence)) return `Precedence: ${precedence}`;

  for (const name of ["list-id", "list-unsubscribe", "mailing-list"]) {
    if (header(email, name) !== undefined) return `mailing list (${name})`;
  }
  // X-Auto-Response-Suppress is not checked: Outlook sets it on mail people write too.
  return null;
}

// Mailbox names that only software sends from: RFC 2142 roles and no-reply senders.
const DAEMON = /^(mailer-?daemon|postmaster|mail-?delivery-?subsystem)$/i;
const NO_REPLY = /(^|[._+-])(no|do[._-]?not)[._-]?reply($|[._+-])/i;

function senderReason(email: Email, envelopeFrom: string): string | null {
  const envelope = envelopeFrom.trim();
  // Bounces and RFC 3834 auto-replies go out with an empty return path so nothing answers them.
  if (envelope === "" || envelope === "<>") return "null envelope sender";
  const from = email.from && !email.from.group ? email.from.address : "";
  for (const address of [envelope, from]) {
    const local = address.replace(/^<|>$/g, "").split("@", 1)[0] ?? "";
    if (DAEMON.test(local)) return `sent by ${local.toLowerCase()}`;
    if (NO_REPLY.test(local)) return "no-reply sender";
  }
  return null;
}

// Non-delivery reports that carry no header signal, in the words MTAs use. Anchored at
// the start (a person's "Fwd: Undeliverable: ..." gets through) and tight at the end,
// because a false match silently drops a person's mail.
const BOUNCE_SUBJECT = alternatives([
  "undeliverable( message| mail)?\\s*(:|$)", "undelivered mail returned to sender", "delivery status notification",
  "delivery notification: delivery has failed", "(mail )?delivery failure\\s*:", "mail delivery failed",
  "failure notice$", "returned mail\\s*:", "email bounce notification$", "\\[postmaster\\] email delivery failure",
  "(unzustellbar|nicht zustellbar|onbestelbaar|non recapitabile|no se puede entregar|non remis)\\s*:",
  "ваше сообщение не доставлено",
]);

// Out-of-office replies from clients that set no header, each followed by ":" (or alone).
const AWAY_SUBJECT = alternatives([
  "(automatic|auto)[ -]?(reply|response)", "autoreply", "out of (the )?office( auto-?reply| reply)?",
  "abwesenheitsnotiz", "automatische antwort", "réponse automatique", "respuesta automática",
  "risposta automatica", "automatisch antwoord", "resposta automática", "autosvar", "automaattinen vastaus",
  "automatyczna odpowiedź", "автоматический ответ", "自動回覆", "自动回复", "自動応答", "自動返信",
].map((p) => `(${p})\\s*([:：]|$)`));

function alternatives(patterns: string[]): RegExp {
  return new RegExp(`^(${patterns.join("|")})`, "i");
}

function subjectReason(subject: string): string | null {
  const s = subject.trim();
  if (BOUNCE_SUBJECT.test(s)) return "bounce subject";
  if (AWAY_SUBJECT.test(s)) return "out-of-office subject";
  return null;
}

/** First token of a header value, lower-cased: "auto-replied; owner=x" to "auto-replied". */
function token(value: string | undefined): string {
  return (value ?? "").split(/[;\s]/, 1)[0]!.toLowerCase();
}
