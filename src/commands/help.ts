import type { Command, HelpLine } from "../core/commands";
import { type Composed, SIGNOFF } from "../mail-out/compose";
import { ITEM_ACTIONS } from "../reminders/item-actions";

/** The help and welcome mails, written from the commands list: a command's help lines
 * are in its definition, never typed twice. */

const PAD = 21;

function lines(help: readonly HelpLine[]): string {
  return help
    .map(({ usage, says }) => {
      const head = usage.length < PAD ? usage.padEnd(PAD) : `${usage}   `;
      return wrap(`  ${head}${says}`, 2 + PAD);
    })
    .join("\n");
}

/** Wraps at 80 columns, continuing under the description. */
function wrap(line: string, indent: number): string {
  const out: string[] = [];
  let rest = line;
  while (rest.length > 80) {
    const cut = rest.lastIndexOf(" ", 80);
    if (cut <= indent) break;
    out.push(rest.slice(0, cut));
    rest = " ".repeat(indent) + rest.slice(cut + 1);
  }
  out.push(rest);
  return out.join("\n");
}

function helpText(assistant: string, commands: readonly Command[]): string {
  const replies = [...ITEM_ACTIONS.flatMap((a) => a.help), ...commands.filter((c) => c.where.includes("reminder") && !c.where.includes("mail")).flatMap((c) => c.help)];
  const mail = commands.filter((c) => c.where.includes("mail")).flatMap((c) => c.help);
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
${lines(replies)}

COMMANDS (as the subject or the first line of a mail to ${assistant})
${lines(mail)}

Your own addresses never become contacts. Mail from machines (auto-replies,
bounces, mailing lists) is ignored.
`;
}

export function welcomeMail(assistant: string, commands: readonly Command[]): Composed {
  return {
    subject: "Welcome to Kith",
    text: `Hi,

You're set up. Kith turns the mail you send it into contacts and a memory of
who you met, where, and who introduced you, then reminds you to follow up.

${helpText(assistant, commands)}${SIGNOFF}`,
  };
}

export function helpMail(assistant: string, commands: readonly Command[], reason?: string): Composed {
  return { subject: "Kith: how to use it", text: `${reason ? `${reason}\n\n` : ""}${helpText(assistant, commands)}${SIGNOFF}` };
}
