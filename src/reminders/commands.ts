import { z } from "zod";
import { answer, command, type ReadContext } from "../core/commands";
import { notice } from "../mail-out/compose";
import { MAX_NOTE } from "../people/notes";
import { prefsOf, zoneOf } from "../users/delivery";
import { UTC } from "../lib/zone";
import type { User } from "../users/user";
import { type Acted, type ActContext, actionDef, ITEM_ACTIONS, type ItemAction, ItemActionSchema } from "./item-actions";
import { type ItemCommand, type ParsedItems, readItemCommands } from "./reply-grammar";
import { type DueReminder, itemsOf } from "./store";

/** Replies to a reminder mail or a weekly summary: commands on its numbered items,
 * "1 done, 3 snooze 2 weeks". A command without a number applies to every item. */

export type ReplyCommand = ItemCommand<ItemAction>;
export type ParsedReply = ParsedItems<ItemAction>;

const EXAMPLES = `Reply with "done", "skip", "stop", "snooze 3 days", "every 2 months" or "note …", with item numbers when the mail lists several: "1 done, 3 snooze 2 weeks".`;

/** The item commands of a typed reply, as a test asks (the `items` command reads them
 * with the user's zone and the replied mail's item count). */
export function parseReplyCommands(typed: string, opts: { now: number; timeZone: string; itemCount: number }): ParsedReply {
  return readItemCommands<ItemAction>(typed, { now: opts.now, zone: { kind: "iana", name: opts.timeZone }, itemCount: opts.itemCount, examples: EXAMPLES }, ITEM_ACTIONS);
}

function readItems(ctx: ReadContext): { name: "items"; outboundId: number; commands: ReplyCommand[] } | { error: string } {
  const items = ctx.replyTo?.items ?? 0;
  const parsed = readItemCommands<ItemAction>(ctx.typed, { now: ctx.now, zone: ctx.user ? zoneOf(prefsOf(ctx.user)) : UTC, itemCount: items, examples: EXAMPLES }, ITEM_ACTIONS);
  if (!parsed.ok) return { error: parsed.reason };
  // A note that ran on over several lines is measured whole.
  const long = parsed.commands.find((c) => c.action.kind === "note" && c.action.text.length > MAX_NOTE);
  if (long) return { error: `A note can be at most ${MAX_NOTE.toLocaleString("en-US")} characters; this one has more.` };
  // A summary lists up to twenty people: a bare "done" is more likely a slip than a
  // wish to mark them all, so a summary wants numbers.
  if (ctx.where === "weekly-summary" && items > 1 && parsed.commands.some((c) => c.items === "all")) {
    return { error: 'The weekly summary lists several people: start your reply with the item numbers, e.g. "1 done, 3 snooze 2 weeks".' };
  }
  return { name: "items", outboundId: ctx.replyTo?.id ?? 0, commands: parsed.commands };
}

const ReplyCommandSchema = z.object({
  items: z.union([z.literal("all"), z.array(z.number().int().min(1).max(100)).max(100)]),
  action: ItemActionSchema,
});

export function actContext(db: D1Database, user: User, now: number): ActContext {
  const prefs = prefsOf(user);
  return { db, user, now, prefs, zone: zoneOf(prefs) };
}

/** Apply item commands to the items of one mail. */
function actOnItems(ctx: ActContext, items: Map<number, DueReminder>, commands: ReplyCommand[]): Acted {
  const out: Acted = { statements: [], lines: [] };
  for (const c of commands) {
    const targets = c.items === "all" ? [...items.values()] : c.items.map((n) => items.get(n)).filter((r): r is DueReminder => r !== undefined);
    for (const r of targets) {
      const a = actionDef(c.action.kind).act(r, c.action, ctx);
      out.statements.push(...a.statements);
      out.lines.push(...a.lines);
    }
  }
  return out;
}

/** Reads the whole typed reply, so it comes last among the commands of a reply. */
export const items = command({
  schema: z.object({ name: z.literal("items"), outboundId: z.number().int(), commands: z.array(ReplyCommandSchema).max(50) }),
  where: ["reminder", "weekly-summary"],
  read: (_, ctx) => readItems(ctx),
  help: [{ usage: "1 done, 3 snooze 2w", says: "with several items, start with the number; a command without a number applies to all of them" }],
  async run(cmd, ctx) {
    const found = await itemsOf(ctx.deps.db, ctx.user.id, cmd.outboundId);
    const acted = actOnItems(actContext(ctx.deps.db, ctx.user, ctx.now), found, cmd.commands);
    return { kind: "reply", statements: acted.statements, mail: [answer(ctx, "confirmation", notice("Kith: got it", acted.lines.join("\n") || "Nothing to change."))] };
  },
});
