import { z } from "zod";
import { command } from "../core/commands";
import { composeSummary } from "./deliver";

/** "summary": this week's summary now, in answer to the user's mail. It is extra: the
 * scheduled one still comes on its day. (Its day and hour are settings:
 * src/settings/commands.ts.) */
export const summaryNow = command({
  schema: z.object({ name: z.literal("summary") }),
  where: ["mail"],
  // Not after "Fwd:": a forwarded thread called "Summary" is a forward, not a command.
  read: (line) => (/^(?:send (?:me )?(?:my |a |the )?)?(?:weekly )?summary(?: now| please)?[.!?]?$/i.test(line.trim().replace(/\s+/g, " ")) ? { name: "summary" as const } : null),
  help: [{ usage: "summary", says: 'your weekly summary, now; numbered items take the same replies as reminders ("2 done")' }],
  async run(_, ctx) {
    const s = await composeSummary(ctx.deps, ctx.user, ctx.now, "summary:now");
    return { kind: "command", statements: [], mail: [s.mail] };
  },
});
