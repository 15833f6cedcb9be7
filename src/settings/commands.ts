import { z } from "zod";
import { answer, command, type Plan, type RunContext } from "../core/commands";
import { scheduleSummary, withSummarySetting } from "../summary/schedule";
import { type Preference, setPreference, setQuietHours, setSummarySchedule } from "../users/store";
import type { User } from "../users/user";
import { settingsMail } from "./describe";
import { MAX_CAP, readCadence, readCap, readDeliver, readQuiet, readShowSettings, readSummarySchedule, readTimezone } from "./grammar";

/** Settings by mail: each answers with all the settings, as they are after it. */

const Hour = z.number().int().min(0).max(23);

function saved(ctx: RunContext, updated: User, statements: D1PreparedStatement[]): Plan {
  return { kind: "settings", statements, mail: [answer(ctx, "settings", settingsMail(updated, true))] };
}

/** One preference, one column. The summary's slot is a local time: it moves with the
 * zone and the delivery hour. */
function setOne(ctx: RunContext, name: Preference, column: "time_zone" | "deliver_hour" | "cadence_days" | "item_cap", value: string | number): Plan {
  const updated: User = { ...ctx.user, [column]: value };
  const statements = [setPreference(ctx.deps.db, ctx.user.id, name, value)];
  if (name === "timezone" || name === "deliver") statements.push(scheduleSummary(ctx.deps.db, updated, ctx.now));
  return saved(ctx, updated, statements);
}

export const showSettings = command({
  schema: z.object({ name: z.literal("settings") }),
  where: ["mail"],
  read: readShowSettings,
  help: [{ usage: "settings", says: "your current settings" }],
  run: (_, ctx) => ({ kind: "settings", statements: [], mail: [answer(ctx, "settings", settingsMail(ctx.user, false))] }),
});

export const timezone = command({
  schema: z.object({ name: z.literal("timezone"), zone: z.string().max(64) }),
  where: ["mail"],
  read: readTimezone,
  help: [{ usage: "timezone Europe/Berlin", says: "your time zone" }],
  run: (cmd, ctx) => setOne(ctx, "timezone", "time_zone", cmd.zone),
});

export const deliver = command({
  schema: z.object({ name: z.literal("deliver"), hour: Hour }),
  where: ["mail"],
  read: readDeliver,
  help: [{ usage: "deliver at 8am", says: "when reminders arrive" }],
  run: (cmd, ctx) => setOne(ctx, "deliver", "deliver_hour", cmd.hour),
});

export const quietHours = command({
  schema: z.object({ name: z.literal("quiet"), start: Hour, end: Hour }),
  where: ["mail"],
  read: readQuiet,
  help: [{ usage: "quiet hours 22-7", says: 'no reminders in these hours ("quiet hours off")' }],
  run: (cmd, ctx) => saved(ctx, { ...ctx.user, quiet_start: cmd.start, quiet_end: cmd.end }, [setQuietHours(ctx.deps.db, ctx.user.id, cmd.start, cmd.end)]),
});

export const cadence = command({
  schema: z.object({ name: z.literal("cadence"), days: z.number().int().min(1).max(3660) }),
  where: ["mail"],
  read: readCadence,
  help: [{ usage: "cadence 60 days", says: "your default check-in cadence" }],
  run: (cmd, ctx) => setOne(ctx, "cadence", "cadence_days", cmd.days),
});

export const cap = command({
  schema: z.object({ name: z.literal("cap"), items: z.number().int().min(1).max(MAX_CAP) }),
  where: ["mail"],
  read: readCap,
  help: [{ usage: "cap 5", says: "the most items in one reminder mail" }],
  run: (cmd, ctx) => setOne(ctx, "cap", "item_cap", cmd.items),
});

export const summarySchedule = command({
  schema: z.object({ name: z.literal("summary-schedule"), day: z.number().int().min(1).max(7).optional(), hour: Hour.optional(), off: z.boolean().optional() }),
  where: ["mail"],
  read: readSummarySchedule,
  help: [
    { usage: "summary friday", says: "the day it comes each week (Monday unless you change it)" },
    { usage: "summary at 8", says: "its hour (your delivery hour unless you change it)" },
    { usage: "summary off", says: 'no weekly summary ("summary on" brings it back)' },
  ],
  run(cmd, ctx) {
    const updated = withSummarySetting(ctx.user, cmd, ctx.now);
    return saved(ctx, updated, [setSummarySchedule(ctx.deps.db, updated)]);
  },
});
