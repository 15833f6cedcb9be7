import { z } from "zod";
import { answer, command, commandWords, type RunContext } from "../core/commands";
import { newId } from "../lib/ids";
import { atLocal, localTime } from "../lib/zone";
import { notice } from "../mail-out/compose";
import { deleteRemindersOfPlans, insertReminder } from "../reminders/store";
import { prefsOf, zoneOf } from "../users/delivery";
import { dayRange, hasDay, readPlan, splitGoal, ymd } from "./grammar";
import { deletePlans, planOn, plansFor, upcomingPlans, upsertPlan } from "./store";

/** Plans for events: "plan PyCon on May 14: meet two people working on payments"
 * stores the plan, with a `plan` mail on its first day at the delivery hour and a
 * `plan-recap` mail the morning after its last day ("whom did you meet?"); "plans"
 * lists them; "plan off PyCon" drops one. */

const key = (event: string) => event.toLowerCase().replace(/\s+/g, " ").trim();

function today(ctx: RunContext): string {
  const l = localTime(ctx.now, zoneOf(prefsOf(ctx.user)));
  return `${l.year}-${String(l.month).padStart(2, "0")}-${String(l.day).padStart(2, "0")}`;
}

const PLAN = /^plan\s+(?!off\b)(.+)$/is;

export const plan = command({
  schema: z.object({ name: z.literal("plan"), text: z.string().max(1000) }),
  where: ["mail"],
  read(line, ctx) {
    const m = PLAN.exec(line.trim());
    if (!m) return null;
    // The goal may be on the next line when the subject holds only the event and day.
    const rest = ctx.typed && !m[1]!.includes(":") && ctx.typed.split("\n")[0]!.trim() !== line.trim() ? `${m[1]}: ${ctx.typed.split("\n")[0]}` : m[1]!;
    // A subject that merely begins with "plan" ("Plan for the offsite") names no day.
    return hasDay(splitGoal(m[1]!).head) ? { name: "plan" as const, text: rest.slice(0, 1000) } : null;
  },
  help: [{ usage: "plan PyCon on May 14: meet two people working on payments", says: "a plan for an event (days too: May 14-16); Kith mails it that morning and asks whom you met the day after" }],
  async run(cmd, ctx) {
    const prefs = prefsOf(ctx.user);
    const zone = zoneOf(prefs);
    const read = readPlan(cmd.text, ctx.now, zone);
    if ("reason" in read) return { kind: "command", statements: [], mail: [answer(ctx, "help", notice("Kith: about your plan", `${read.reason} Try "plan PyCon on May 14: meet two people working on payments".`))] };
    const { db } = ctx.deps;
    const eventKey = key(read.event);
    const existing = await planOn(db, ctx.user.id, eventKey, read.firstDay);
    const id = existing?.id ?? newId();
    const [fy, fm, fd] = ymd(read.firstDay);
    const [ly, lm, ld] = ymd(read.lastDay);
    // The plan mail on the first day, at the delivery hour (or now, when that has passed);
    // the recap the morning after the last day.
    const morning = Math.max(ctx.now + 60_000, atLocal(zone, fy, fm, fd, prefs.deliverHour));
    const after = atLocal(zone, ly, lm, ld + 1, prefs.deliverHour);
    return {
      kind: "command",
      statements: [
        ...(existing ? [deleteRemindersOfPlans(db, ctx.user.id, [existing.id])] : []),
        upsertPlan(db, { id, userId: ctx.user.id, event: read.event, eventKey, firstDay: read.firstDay, lastDay: read.lastDay, goal: read.goal, now: ctx.now }),
        insertReminder(db, { id: newId(), userId: ctx.user.id, contactId: null, kind: "plan", dueAt: morning, planId: id, now: ctx.now }),
        insertReminder(db, { id: newId(), userId: ctx.user.id, contactId: null, kind: "plan-recap", dueAt: after, planId: id, now: ctx.now }),
      ],
      mail: [
        answer(
          ctx,
          "confirmation",
          notice(
            `Kith: plan for ${read.event}`,
            `${existing ? "Updated" : "Planned"}: ${read.event}, ${dayRange(read.firstDay, read.lastDay)}.${read.goal ? `\nYour goal: ${read.goal}` : ""}\n\nKith will mail you the plan that morning, with the people you met at earlier editions and who could introduce you, and ask whom you met the day after. "plan off ${read.event}" drops it.`,
          ),
        ),
      ],
    };
  },
});

export const plans = command({
  schema: z.object({ name: z.literal("plans") }),
  where: ["mail"],
  read: (line) => (/^(?:plans|my plans|list plans)[.!]?$/.test(commandWords(line)) ? { name: "plans" as const } : null),
  help: [{ usage: "plans", says: "the events you have plans for" }],
  async run(_, ctx) {
    const rows = await upcomingPlans(ctx.deps.db, ctx.user.id, today(ctx));
    const body = rows.length
      ? rows.map((p, i) => `${i + 1}. ${p.event}, ${dayRange(p.first_day, p.last_day)}${p.goal ? `: ${p.goal}` : ""}`).join("\n")
      : 'No plans yet. Mail "plan PyCon on May 14: meet two people working on payments" to make one.';
    return { kind: "command", statements: [], mail: [answer(ctx, "plans", notice("Kith: your plans", body))] };
  },
});

export const planOff = command({
  schema: z.object({ name: z.literal("plan-off"), event: z.string().min(1).max(200) }),
  where: ["mail"],
  read(line) {
    const m = /^plan\s+off\s+(.+)$/is.exec(line.trim());
    return m ? { name: "plan-off" as const, event: m[1]!.trim() } : null;
  },
  help: [{ usage: "plan off PyCon", says: "drop that plan" }],
  async run(cmd, ctx) {
    const { db } = ctx.deps;
    const found = await plansFor(db, ctx.user.id, key(cmd.event), today(ctx));
    if (found.length === 0) return { kind: "command", statements: [], mail: [answer(ctx, "help", notice("Kith: no such plan", `Kith has no plan for "${cmd.event}". Mail "plans" to see yours.`))] };
    const ids = found.map((p) => p.id);
    return {
      kind: "command",
      statements: [deleteRemindersOfPlans(db, ctx.user.id, ids), deletePlans(db, ctx.user.id, ids)],
      mail: [answer(ctx, "confirmation", notice("Kith: plan dropped", `Dropped: ${found.map((p) => `${p.event}, ${dayRange(p.first_day, p.last_day)}`).join("; ")}.`))],
    };
  },
});
