import { z } from "zod";
import { answer, command, commandWords } from "../core/commands";
import type { Deps, Outcome } from "../core/deps";
import { deleteLimits, limitKeys } from "../account/limits";
import { deleteLoginLinks } from "../account/login";
import { endAllSessions } from "../account/sessions";
import { deleteTokens } from "../account/tokens";
import { log } from "../lib/log";
import { notice, SIGNOFF } from "../mail-out/compose";
import { deleteAllOutbound, messageIdFor } from "../mail-out/outbound";
import { deleteOutboxFor } from "../mail-out/outbox";
import { deleteEventsOf } from "../mail-out/resend-events";
import { deleteSuppressions, isSuppressed } from "../mail-out/suppressions";
import { deleteAllContacts } from "../people/contacts";
import { deleteAllSuggestions } from "../people/duplicates";
import { deleteAllForgotten } from "../people/forgotten";
import { deleteAllInteractions } from "../people/interactions";
import { deleteAllIntroductions } from "../people/introductions";
import { deleteAllListings } from "../people/listings";
import { deleteAllNotes } from "../people/notes";
import { deleteAllHeld } from "../received/held";
import { deleteAllInbound } from "../received/log";
import { deleteJob } from "../reminders/jobs";
import { deleteAllReminders } from "../reminders/store";
import { deleteAllMeetings } from "../meetings/store";
import { deleteAllPlans } from "../plans/store";
import { deleteAllPromises } from "../promises/store";
import { addressesOf, deleteUser } from "../users/store";
import type { User } from "../users/user";

/** "delete my account": a confirmation first; a "yes" in reply, from the registered
 * address, erases every row that belongs to the user in one batch (src/inbound/
 * resolvers.ts takes the yes), then a last mail says so. Mail from the address after
 * that is a new sign-up. */

export const deleteAccount = command({
  schema: z.object({ name: z.literal("delete-account") }),
  where: ["mail"],
  read: (line) => (/^(?:delete|close|remove|erase|cancel) (?:my )?(?:kith )?account[.!]?$/.test(commandWords(line)) ? { name: "delete-account" as const } : null),
  help: [{ usage: "delete my account", says: "erase everything Kith holds for you (Kith asks you to confirm first)" }],
  run: (_, ctx) => ({
    kind: "command",
    statements: [],
    mail: [
      {
        ...answer(ctx, "confirm-delete", {
          subject: "Kith: delete your account?",
          text: `You asked Kith to delete your account. That erases everything it holds for you:
every person, address, phone, note, interaction, introduction, reminder, your
settings and the log of mail you sent and received. It cannot be undone.

To go ahead, reply "yes" to this mail from ${ctx.user.email}. To keep your account,
ignore it. (Send "export" first to keep a copy.)
${SIGNOFF}`,
        }),
        ref: `delete:${ctx.user.id}`,
      },
    ],
  }),
});

/** Every statement that erases the user: the rows that point at others' rows first, the
 * user last, all in one batch (D1 runs a batch as one transaction: all or nothing). */
export async function eraseStatements(db: D1Database, user: User, addresses: string[]): Promise<D1PreparedStatement[]> {
  const u = user.id;
  const limits = [limitKeys.api(u), limitKeys.aliasMail(u), ...(await Promise.all(addresses.map(limitKeys.loginAddress)))];
  return [
    endAllSessions(db, u),
    deleteLoginLinks(db, u),
    deleteTokens(db, u),
    deleteLimits(db, limits),
    deleteEventsOf(db, u),
    deleteAllReminders(db, u),
    deleteAllPromises(db, u),
    deleteAllMeetings(db, u),
    deleteAllPlans(db, u),
    deleteJob(db, u),
    deleteAllListings(db, u),
    deleteAllSuggestions(db, u),
    deleteAllForgotten(db, u),
    deleteAllNotes(db, u),
    ...deleteAllInteractions(db, u),
    deleteAllIntroductions(db, u),
    ...deleteAllContacts(db, u),
    deleteAllInbound(db, u),
    deleteAllHeld(db, u, addresses),
    deleteAllOutbound(db, u),
    deleteSuppressions(db, addresses),
    ...deleteOutboxFor(db, addresses),
    ...deleteUser(db, u),
  ];
}

/** The yes: erase, then say goodbye. The last mail is sent straight away and kept
 * nowhere (a record of it would be a row about the user); a transport that fails now
 * loses it, which is the lesser harm. */
export async function eraseAccount(deps: Deps, user: User): Promise<Outcome> {
  // Confirmed addresses only: a pending alias is a claim on someone else's address, and
  // rows about that address are not the user's to erase.
  const addresses = [...new Set([user.email, ...(await addressesOf(deps.db, user.id)).filter((a) => a.status === "confirmed").map((a) => a.email)])];
  const blocked = await isSuppressed(deps.db, user.email);
  await deps.db.batch(await eraseStatements(deps.db, user, addresses));
  if (blocked) return { outcome: "applied", userId: user.id, kind: "command", mailIds: [] };
  const bye = notice("Kith: your account is deleted", `Kith has erased everything it held for you. If you mail ${deps.config.assistant} again, you start afresh.`);
  try {
    await deps.mailer.send({
      from: `${deps.config.assistantName} <${deps.config.assistant}>`,
      to: user.email,
      subject: bye.subject,
      text: bye.text,
      headers: { "Message-ID": messageIdFor(deps.config), "X-Kith-Kind": "account-deleted", "Auto-Submitted": "auto-generated" },
      idempotencyKey: `kith-deleted-${user.id}`,
    });
  } catch (err) {
    log.warn("account-deleted mail not sent", { error: err });
  }
  return { outcome: "applied", userId: user.id, kind: "command", mailIds: [] };
}
