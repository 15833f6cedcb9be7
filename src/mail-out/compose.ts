import type { CapturedContact } from "../people/apply";

/** The words of every mail Kith sends. Plain text: it reads the same in every client. */

export interface Composed {
  subject: string;
  text: string;
}

const SIGNOFF = "\n-- \nKith, your networking assistant. Reply \"help\" for the commands.\n";

export function helpText(assistant: string): string {
  return `How to use Kith (${assistant})

CAPTURE
  * BCC or CC ${assistant} on mail you send: everyone you wrote to is logged as
    an interaction. "Bob, meet Carol" or "Bob <> Carol" in an intro records
    that you introduced them.
  * Forward a thread to ${assistant}: the original sender and recipients become
    contacts, with the original date.
  * Send notes straight to ${assistant}: business-card text (name, email,
    phone, company, title), vCard (.vcf) attachments, or a LinkedIn / Google
    Contacts CSV export. A subject like "Met at PyCon" records where you met.

REMINDERS
  Kith reminds you to follow up within 24 hours of a new connection, to check in
  when a relationship has been quiet longer than its cadence (90 days unless you
  say otherwise), and asks whether people you introduced connected. Reply to a
  reminder with:
  done                 it's done (and logs that you were in touch)
  skip                 not this time
  snooze 3 days        or "snooze until Dec 3", "snooze next Tuesday"
  stop                 no more check-ins with this person
  every 2 months       how often to check in with this person
  note <text>          keep a note about them
  1 done, 3 snooze 2w  with several items, start with the number; a command
                       without a number applies to all of them

COMMANDS (as the subject or the first line of a mail to ${assistant})
  help                 this message
  settings             your current settings
  timezone Europe/Berlin   your time zone
  deliver at 8am       when reminders arrive
  quiet hours 22-7     no reminders in these hours ("quiet hours off")
  cadence 60 days      your default check-in cadence
  cap 5                the most items in one reminder mail
  summary              your weekly summary, now; numbered items take the
                       same replies as reminders ("2 done")
  summary friday       the day it comes each week (Monday unless you change it)
  summary at 8         its hour (your delivery hour unless you change it)
  summary off          no weekly summary ("summary on" brings it back)
  alias you@work.com   add another address of yours; Kith confirms it by mail
  unalias you@work.com remove that address again
  aliases              list your addresses
  pause                no reminders or summaries until you send "resume"; also
                       "pause for 2 weeks", "pause until March", "pause reminders"
  resume               turn them back on ("resume summary" for just that)

Your own addresses never become contacts. Mail from machines (auto-replies,
bounces, mailing lists) is ignored.
`;
}

export function welcome(assistant: string): Composed {
  return {
    subject: "Welcome to Kith",
    text: `Hi,

You're set up. Kith turns the mail you send it into contacts and a memory of
who you met, where, and who introduced you, then reminds you to follow up.

${helpText(assistant)}${SIGNOFF}`,
  };
}

export function help(assistant: string, reason?: string): Composed {
  return {
    subject: "Kith: how to use it",
    text: `${reason ? `${reason}\n\n` : ""}${helpText(assistant)}${SIGNOFF}`,
  };
}

function describe(c: CapturedContact): string {
  const who = c.name ?? c.email ?? c.phones[0] ?? "someone";
  const extra = [c.name && c.email ? c.email : null, [c.title, c.company].filter(Boolean).join(", ") || null, ...c.phones.filter((p) => p !== who)]
    .filter(Boolean)
    .join(" · ");
  return `  * ${who}${extra ? ` (${extra})` : ""}${c.isNew ? " (new)" : ""}`;
}

export function confirmation(
  what: string,
  contacts: CapturedContact[],
  extra: { introductions: number; truncated?: string },
): Composed {
  const fresh = contacts.filter((c) => c.isNew).length;
  const lines = contacts.slice(0, 50).map(describe);
  if (contacts.length > 50) lines.push(`  ...and ${contacts.length - 50} more`);
  const intro = extra.introductions > 0 ? "\nThe introduction is recorded.\n" : "";
  return {
    subject: `Kith: saved ${contacts.length} ${contacts.length === 1 ? "contact" : "contacts"}${fresh ? ` (${fresh} new)` : ""}`,
    text: `Saved from ${what}:\n\n${lines.join("\n")}\n${intro}${extra.truncated ? `\n${extra.truncated}\n` : ""}${SIGNOFF}`,
  };
}

export function verify(subject: string | undefined, address: string, link: string, hours: number): Composed {
  return {
    subject: `Kith: did you send "${(subject ?? "(no subject)").slice(0, 80)}"?`,
    text: `Kith received a mail from ${address} that it could not verify (the receiving
server reported no DMARC pass for it), so nothing was done with it yet.

If you sent it, reply "yes" to this mail, or open:
  ${link}

If you did not, ignore this mail: it expires in ${hours} hours and nothing is kept.
${SIGNOFF}`,
  };
}

export function aliasConfirm(owner: string, alias: string, link: string): Composed {
  return {
    subject: `Kith: confirm ${alias} as your address`,
    text: `${owner} asked Kith to treat mail from ${alias} as theirs.

If that is you, reply "yes" to this mail from ${alias}, or open:
  ${link}

If not, ignore this mail; nothing changes.
${SIGNOFF}`,
  };
}

export function notice(subject: string, body: string): Composed {
  return { subject, text: `${body}\n${SIGNOFF}` };
}
