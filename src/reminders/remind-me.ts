import { z } from "zod";
import { answer, command, type RunContext } from "../core/commands";
import { newId } from "../lib/ids";
import { findWhen } from "../lib/when";
import { atLocal, localTime } from "../lib/zone";
import { notice } from "../mail-out/compose";
import { contactIdByAddress, contactsCalled } from "../people/search";
import { prefsOf, zoneOf } from "../users/delivery";
import { itemWhen } from "./item-view";
import { insertReminder } from "./store";

/** "remind me to call Bob about the lease next Tuesday", "remind me about
 * carol@globex-labs.com in 2 weeks", "remind me on Dec 12 to send Jane the contract": a
 * reminder item at that local time (the delivery hour when only a day is given), tied to
 * the person it names or addresses when Kith knows exactly one, acted on like any other.
 * The time is read when the command runs, in the user's zone. */

const REMIND = /^remind me\b[\s,:]*(.*)$/is;
const MAX_WHAT = 300;
const EMAIL = /[^\s<>()@,;:]+@[^\s<>()@,;:]+\.[a-z]{2,}/i;
// A time of day said in the phrase: otherwise the reminder comes at the delivery hour.
const CLOCK = /\d\s*(?:am|pm|a\.m\.|p\.m\.|h\b)|\d:\d\d|\b(?:noon|midday|midnight|morning|afternoon|evening|tonight|night)\b|at\s?\d{3,4}\b/i;
// Capitalized words that are no one's name in a reminder.
const NOT_NAMES = new Set(["I", "Kith", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Dec", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);

const EXAMPLES = 'Try "remind me to call Bob next Tuesday", "remind me about carol@globex-labs.com in 2 weeks" or "remind me on Dec 12 to send Jane the contract".';

/** The reminder's words, without "to"/"about" at the start. */
const tidy = (rest: string) => rest.replace(/^(?:to|about|that|of)\s+/i, "").replace(/[.!\s]+$/, "").slice(0, MAX_WHAT);

/** The one person the words address or name, if Kith knows exactly one. */
async function personIn(ctx: RunContext, words: string): Promise<{ id: number } | null> {
  const { db } = ctx.deps;
  const address = EMAIL.exec(words)?.[0];
  if (address) {
    const id = await contactIdByAddress(db, ctx.user.id, address);
    return id === null ? null : { id };
  }
  const names = [...words.matchAll(/\b\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?/gu)].map((m) => m[0]).filter((n) => !NOT_NAMES.has(n.split(/\s+/)[0]!));
  for (const name of names.slice(0, 3)) {
    const found = await contactsCalled(db, ctx.user.id, name, 2);
    if (found.length === 1) return { id: found[0]!.id };
  }
  return null;
}

export const remindMe = command({
  schema: z.object({ name: z.literal("remind-me"), text: z.string().max(1000) }),
  where: ["mail"],
  read(line, ctx) {
    const m = REMIND.exec(line.trim());
    if (!m) return null;
    // The subject may hold only "remind me": the rest is then the first typed line.
    const text = (m[1]!.trim() || ctx.typed.split("\n")[0]!.trim()).slice(0, 1000);
    if (!text) return { error: `Remind you of what, and when? ${EXAMPLES}` };
    return { name: "remind-me" as const, text };
  },
  help: [{ usage: "remind me to call Bob next Tuesday", says: 'a reminder at that time, about the person it names; also "remind me about carol@globex-labs.com in 2 weeks"' }],
  async run(cmd, ctx) {
    const prefs = prefsOf(ctx.user);
    const zone = zoneOf(prefs);
    const found = findWhen(cmd.text, ctx.now, zone);
    const no = (why: string) => ({ kind: "command" as const, statements: [], mail: [answer(ctx, "help", notice("Kith: when should I remind you?", `${why} ${EXAMPLES}`))] });
    if ("problem" in found) {
      if (found.problem === "past") return no(`"${found.phrase}" is in the past.`);
      if (found.problem === "too-far") return no(`"${found.phrase}" is more than two years away; Kith reminds you at most two years ahead.`);
      return no(`Kith could not read a time in "${cmd.text.slice(0, 80)}".`);
    }
    const what = tidy(found.rest);
    if (!what) return no(`Remind you of what on ${itemWhen(found.at, zone, true)}?`);
    // A day without a time of day comes at the user's delivery hour.
    let at = found.at;
    if (!CLOCK.test(found.phrase)) {
      const l = localTime(at, zone);
      at = atLocal(zone, l.year, l.month, l.day, prefs.deliverHour);
      if (at <= ctx.now) at = found.at;
    }
    const person = await personIn(ctx, what);
    return {
      kind: "command",
      statements: [insertReminder(ctx.deps.db, { id: newId(), userId: ctx.user.id, contactId: person?.id ?? null, kind: "remind", dueAt: at, what, now: ctx.now })],
      mail: [answer(ctx, "confirmation", notice("Kith: reminder set", `Kith will remind you on ${itemWhen(at, zone, true)}: ${what}.`))],
    };
  },
});
