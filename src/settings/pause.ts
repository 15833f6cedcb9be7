import { z } from "zod";
import { answer, command, type Plan, type RunContext } from "../core/commands";
import { readWhen } from "../lib/when";
import { describeZone } from "../lib/zone";
import { notice } from "../mail-out/compose";
import { releasePaused } from "../reminders/store";
import { prefsOf, zoneOf } from "../users/delivery";
import { describePauses, heldUntil, PAUSE_COLUMN, PAUSED_UNTIL_RESUMED, type PauseKind, whenText } from "../users/pause";
import { clearPauses, setPauses } from "../users/store";
import type { User } from "../users/user";
import { parsePauseCommand } from "./pause-grammar";

/** "pause", "pause until March", "resume": by mail, or as a reply to a reminder or a
 * summary (about Kith's mail as a whole, not that mail's items). A pause is only the
 * users columns: reminder delivery holds back what falls due meanwhile, and "resume"
 * brings that back at once. */

const NAME: Record<PauseKind, string> = { reminders: "reminders", summary: "the weekly summary" };
const NONE: Record<PauseKind, string> = { reminders: "reminders", summary: "weekly summaries" };
const Kinds = z.array(z.enum(["reminders", "summary"])).min(1).max(2);
const WHERE = ["mail", "reminder", "weekly-summary"] as const;

const names = (kinds: PauseKind[], words = NAME) => kinds.map((k) => words[k]).join(" and ");

function withPause(user: User, kinds: PauseKind[], value: number | null): User {
  const out = { ...user };
  for (const k of kinds) out[PAUSE_COLUMN[k]] = value;
  return out;
}

const tell = (ctx: RunContext, subject: string, text: string, statements: D1PreparedStatement[] = []): Plan => ({
  kind: "command",
  statements,
  mail: [answer(ctx, "confirmation", notice(subject, text))],
});

export const pause = command({
  /** `until` as typed, read when applied in the user's zone; null: until resumed. */
  schema: z.object({ name: z.literal("pause"), kinds: Kinds, until: z.string().max(200).nullable() }),
  where: WHERE,
  read: (line) => {
    const p = parsePauseCommand(line);
    return p?.name === "pause" ? p : null;
  },
  help: [{ usage: "pause", says: 'no reminders or summaries until you send "resume"; also "pause for 2 weeks", "pause until March", "pause reminders"' }],
  run(cmd, ctx) {
    const zone = zoneOf(prefsOf(ctx.user));
    let until = PAUSED_UNTIL_RESUMED;
    if (cmd.until !== null) {
      const read = readWhen(cmd.until, ctx.now, zone);
      if (!("at" in read)) {
        const why =
          read.problem === "not-a-time"
            ? `Kith could not read "${cmd.until.slice(0, 60)}" as a time.`
            : read.problem === "past"
              ? `"${cmd.until.slice(0, 60)}" is not in the future.`
              : "Kith pauses for at most two years at a time.";
        return tell(ctx, "Kith: nothing paused", `${why} Try "pause for 2 weeks", "pause until March", "pause reminders" (until you resume) or "resume".`);
      }
      until = read.at;
    }
    const after = withPause(ctx.user, cmd.kinds, until);
    const end = until >= PAUSED_UNTIL_RESUMED ? 'until you send "resume"' : `until ${whenText(until, zone)} (${describeZone(zone)})`;
    const text = `Paused: Kith sends you no ${names(cmd.kinds, NONE)} ${end}. It keeps everything you send it meanwhile, and reminders that fall due wait for the pause to end.

${describePauses(after, ctx.now)}

Send "resume" to turn everything back on, or "resume reminders" / "resume summary".`;
    return tell(ctx, `Kith: ${names(cmd.kinds).replace("the ", "")} paused`, text, setPauses(ctx.deps.db, ctx.user.id, cmd.kinds, until));
  },
});

export const resume = command({
  schema: z.object({ name: z.literal("resume"), kinds: Kinds }),
  where: WHERE,
  read: (line) => {
    const p = parsePauseCommand(line);
    return p?.name === "resume" ? p : null;
  },
  help: [{ usage: "resume", says: 'turn them back on ("resume summary" for just that)' }],
  run(cmd, ctx) {
    const after = withPause(ctx.user, cmd.kinds, null);
    const back = cmd.kinds.includes("reminders") ? " Reminders that waited during the pause come with your next reminder mail." : "";
    // Reminders held back (due by heldUntil of now) become due now, before the column is
    // cleared; items due before the next delivery slot anyway come along with them.
    const release = cmd.kinds.includes("reminders") ? [releasePaused(ctx.deps.db, ctx.user.id, ctx.now, heldUntil(ctx.now, prefsOf(ctx.user), PAUSED_UNTIL_RESUMED))] : [];
    return tell(
      ctx,
      "Kith: resumed",
      `Resumed: ${names(cmd.kinds)} ${cmd.kinds.length > 1 ? "are" : "is"} on.${back}\n\n${describePauses(after, ctx.now)}`,
      [...release, ...clearPauses(ctx.deps.db, ctx.user.id, cmd.kinds)],
    );
  },
});
