import { z } from "zod";
import { login, token } from "../account/commands";
import { alias, aliases, unalias } from "../aliases/commands";
import { answer, type Command, command, commandWords } from "../core/commands";
import { contactItems, correction, exportAll, forgetByAddress, mergeByAddress, unforget } from "../network/commands";
import { deleteAccount } from "../network/delete";
import { lookup } from "../network/lookup";
import { items } from "../reminders/commands";
import { remindMe } from "../reminders/remind-me";
import { plan, planOff, plans } from "../plans/commands";
import { cadence, cap, deliver, quietHours, showSettings, summarySchedule, timezone } from "../settings/commands";
import { pause, resume } from "../settings/pause";
import { summaryNow } from "../summary/commands";
import { helpMail, welcomeMail } from "./help";

/**
 * Every email command, in order. The first command that reads a line wins: a mail's
 * subject, then its first typed line; a reply's first typed line, and `items` the whole
 * reply. The commands' words do not overlap today, so the order is also the help's.
 * To add a command: define it in its feature's folder and put it here (README, "How to
 * add an email command").
 */

export const help = command({
  schema: z.object({ name: z.literal("help") }),
  where: ["mail"],
  read: (line) => (/^(help|\?|commands|how does this work\??)[.!]?$/.test(commandWords(line)) ? { name: "help" as const } : null),
  help: [{ usage: "help", says: "this message" }],
  // A first mail that asks for help is answered by the welcome alone.
  run: (_, ctx) => ({ kind: "command", statements: [], mail: ctx.signup ? [] : [answer(ctx, "help", helpMail(ctx.deps.config.assistant, COMMANDS))] }),
});

/** "yes": in reply to a verify, alias-confirm or confirm-delete mail, intake's
 * confirmation resolver acts on it (the sender may not be a user yet); sent as a new
 * mail, there is nothing to confirm. */
export const yes = command({
  schema: z.object({ name: z.literal("yes") }),
  where: ["verify", "alias-confirm", "confirm-delete", "mail"],
  read: (line) => (/^(yes|y|yes please|confirm|confirmed|yes,? (it was|that was) me)[.!]?$/.test(commandWords(line)) ? { name: "yes" as const } : null),
  help: [{ usage: "yes", says: "in reply to Kith asking you to confirm a mail or an address" }],
  run: (_, ctx) => ({
    kind: "command",
    statements: [],
    mail: [answer(ctx, "help", helpMail(ctx.deps.config.assistant, COMMANDS, "There is nothing waiting for your confirmation."))],
  }),
});

export const COMMANDS: readonly Command[] = [
  help,
  lookup,
  correction,
  mergeByAddress,
  forgetByAddress,
  unforget,
  exportAll,
  remindMe,
  planOff,
  plans,
  plan,
  showSettings,
  timezone,
  deliver,
  quietHours,
  cadence,
  cap,
  summaryNow,
  summarySchedule,
  alias,
  unalias,
  aliases,
  pause,
  resume,
  login,
  token,
  deleteAccount,
  yes,
  items,
  contactItems,
];

export function commandNamed(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

type Named = Command["schema"];
/** Every command's schema, one union: what an intent (a held mail too) is checked against. */
export const CommandSchema = z.discriminatedUnion("name", COMMANDS.map((c) => c.schema) as [Named, ...Named[]]);

export const welcome = (assistant: string) => welcomeMail(assistant, COMMANDS);
export const helpFor = (assistant: string, reason?: string) => helpMail(assistant, COMMANDS, reason);
