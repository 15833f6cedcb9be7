import { z } from "zod";
import { type HelpLine, schemasOf } from "../core/commands";
import { newId } from "../lib/ids";
import { parseCadence } from "../lib/spans";
import { readWhen } from "../lib/when";
import { mergeContact, muteContact, setContactCadence } from "../people/contacts";
import { insertInteraction, linkInteraction } from "../people/interactions";
import { insertNote, MAX_NOTE } from "../people/notes";
import { type DeliveryPrefs, nextSlot } from "../users/delivery";
import type { User } from "../users/user";
import { addDays, shortDate, type Zone } from "../lib/zone";
import { type ItemReader, type PieceContext, quote } from "./reply-grammar";
import { closePromise } from "../promises/store";
import { itemLabel } from "./item-view";
import { type DueReminder, dropCheckIns, insertReminder, setReminderStatus, subjectOf, upsertCheckIn } from "./store";

/**
 * What a reply (or a one-click link) can do to a numbered reminder item: one definition
 * each, with its schema (the source of its type), how it reads, what it does, and its
 * line in the help mail. ITEM_ACTIONS is the order they are tried in.
 */

export interface ActContext {
  db: D1Database;
  user: User;
  now: number;
  zone: Zone;
  prefs: DeliveryPrefs;
}

/** Statements for the mail's one batch, and lines for the confirmation. */
export interface Acted {
  statements: D1PreparedStatement[];
  lines: string[];
}

type Kinded = z.ZodObject<{ kind: z.ZodLiteral<string> }>;

interface ItemActionSpec<S extends Kinded> extends Omit<ItemReader<z.output<S>>, "kind" | "read" | "rest"> {
  schema: S;
  read(piece: { raw: string; clean: string }, ctx: PieceContext): z.output<S> | { reason: string } | null;
  rest?: { opens: RegExp; extend(action: z.output<S>, more: string[]): z.output<S> };
  act(r: DueReminder, action: z.output<S>, ctx: ActContext): Acted;
  help: readonly HelpLine[];
}

/** An action as the list holds it: typed by its schema, acting on any stored action
 * (which it parses again, so that it acts only on its own kind). */
export interface ItemActionDef<S extends Kinded = Kinded> extends ItemReader<z.output<S>> {
  schema: S;
  act(r: DueReminder, action: { kind: string }, ctx: ActContext): Acted;
  help: readonly HelpLine[];
}

function itemAction<S extends Kinded>(spec: ItemActionSpec<S>): ItemActionDef<S> {
  return { ...spec, kind: spec.schema.shape.kind.value, act: (r, action, ctx) => spec.act(r, spec.schema.parse(action), ctx) };
}

const OPEN = new Set(["pending", "sent"]);
const who = (r: DueReminder) => r.name ?? r.email ?? "them";

/** How a confirmation names the item: the person, or what the reminder is about. */
function label(r: DueReminder): string {
  if (r.kind === "follow-up" || r.kind === "check-in") return r.name ?? r.email ?? "that contact";
  return itemLabel(r);
}

/** An item about no one in particular (a plan, a "remind me" naming nobody): the
 * person-level commands have nothing to act on. */
function nobody(r: DueReminder, what: string): Acted | null {
  return r.contact_id === null ? { statements: [], lines: [`${label(r)}: there is no one to ${what}; reply "done", "skip" or "snooze".`] } : null;
}

/** The contact's check-in a cadence from now, unless one is due later already. */
function nextCheckIn(contactId: number, r: DueReminder, ctx: ActContext): D1PreparedStatement {
  const { db, user, now } = ctx;
  const dueAt = nextSlot(addDays(now, r.cadence_days ?? user.cadence_days, ctx.zone), ctx.prefs);
  return upsertCheckIn(db, { id: newId(), userId: user.id, contactId, dueAt, now, later: true });
}

/** Done, skip and snooze act on the item once; a closed item says so. */
function closed(r: DueReminder): Acted | null {
  return OPEN.has(r.status) ? null : { statements: [], lines: [`${label(r)}: already ${r.status}.`] };
}

const NOTE = /^(?:add\s+(?:a\s+)?)?(?:note|notes|memo)\b\s*[:\-–—]?\s*/i;

export const note = itemAction({
  schema: z.object({ kind: z.literal("note"), text: z.string().max(MAX_NOTE) }),
  verbs: ["note"],
  stems: ["not"],
  // Cut at the limit plus one, so that the schema refuses it and says why.
  rest: { opens: NOTE, extend: (a, more) => ({ kind: "note" as const, text: [a.text, ...more].join("\n").slice(0, MAX_NOTE + 1) }) },
  read({ raw }) {
    const m = NOTE.exec(raw);
    if (!m) return null;
    const text = raw.slice(m[0].length).trim();
    if (text.length > MAX_NOTE) return { reason: `A note can be at most ${MAX_NOTE.toLocaleString("en-US")} characters; this one has ${text.length.toLocaleString("en-US")}.` };
    return text ? { kind: "note" as const, text } : { reason: `A note needs some text, e.g. "note met at PyCon, into sailing".` };
  },
  act(r, action, ctx) {
    if (r.contact_id === null) return nobody(r, "keep a note about")!;
    return {
      statements: [insertNote(ctx.db, { id: newId(), userId: ctx.user.id, contactId: r.contact_id, text: action.text, now: ctx.now })],
      lines: [`Noted for ${who(r)}: "${action.text.slice(0, 80)}".`],
    };
  },
  help: [{ usage: "note <text>", says: "keep a note about them" }],
});

const DONE = /^(?:done|did it|did that|✓|✔|✔️|☑️|✅|followed up|completed?|finished|reached out|handled)$/i;

export const done = itemAction({
  schema: z.object({ kind: z.literal("done") }),
  verbs: ["done", "did", "✓", "✔", "☑", "✅"],
  stems: ["don"],
  trailingItems: true,
  read: ({ clean }) => (DONE.test(clean) ? { kind: "done" as const } : null),
  // For a person, the user was in touch: logged, which restarts the check-in clock.
  act(r, _, ctx) {
    const shut = closed(r);
    if (shut) return shut;
    const { db, user, now } = ctx;
    const s = [setReminderStatus(db, user.id, r.id, "done", now)];
    // A promise's reminder done is the promise kept.
    if (r.promise_id !== null) s.push(closePromise(db, user.id, r.promise_id, "kept", now));
    // Being in touch is logged for the reminders that are about reaching someone (what
    // they promised you arriving is not you reaching them).
    if ((r.kind === "follow-up" || r.kind === "check-in" || r.kind === "promise" || r.kind === "remind") && r.contact_id !== null) {
      const interactionId = newId();
      s.push(
        insertInteraction(db, { id: interactionId, userId: user.id, kind: "follow-up", occurredAt: now, subject: null, summary: `Marked done: ${r.kind}`, inboundId: null, now }),
        linkInteraction(db, interactionId, r.contact_id, "subject"),
        mergeContact(db, user.id, r.contact_id, { touchedAt: now }, now),
      );
      if (r.muted_at === null) s.push(nextCheckIn(r.contact_id, r, ctx));
    }
    return { statements: s, lines: [`Done: ${label(r)}.`] };
  },
  help: [{ usage: "done", says: "it's done (and logs that you were in touch)" }],
});

const SKIP = /^(?:skip(?: it| this(?: one)?| for now)?|skipped|ignore(?: it| this(?: one)?)?|not now|not this time|pass|dismiss)$/i;

export const skip = itemAction({
  schema: z.object({ kind: z.literal("skip") }),
  verbs: ["skip", "ignore"],
  stems: ["ski"],
  trailingItems: true,
  read: ({ clean }) => (SKIP.test(clean) ? { kind: "skip" as const } : null),
  // Skipping a promise's reminder lets the promise go. A check-in skipped is this time's:
  // the next one comes a cadence from now (a check-in mailed is still the contact's one
  // pending check-in, moved on; skipping it must not end their check-ins).
  act(r, _, ctx) {
    const shut = closed(r);
    if (shut) return shut;
    const { db, user, now } = ctx;
    const s = [setReminderStatus(db, user.id, r.id, "skipped", now)];
    if (r.promise_id !== null) s.push(closePromise(db, user.id, r.promise_id, "dropped", now));
    if (r.kind === "check-in" && r.contact_id !== null && r.muted_at === null) s.push(nextCheckIn(r.contact_id, r, ctx));
    return { statements: s, lines: [`Skipped ${label(r)}.`] };
  },
  help: [{ usage: "skip", says: "not this time" }],
});

const STOP = /^(?:stop|mute|never|never again|mute (?:it|them|this(?: one| contact)?)|stop (?:it|reminding me|reminders|check(?:ing)?[- ]?ins?)|no more(?: reminders| check-?ins)?|don'?t remind me(?: again)?)$/i;
// A reply cannot switch Kith off; these wordings would read as muting every contact.
const UNSUBSCRIBE = /^(?:unsubscribe|stop all|stop everything|stop (?:e-?mailing|mailing|sending)(?: me)?(?: e-?mails| mails)?|cancel(?: my)? account|delete my account)$/i;

export const stop = itemAction({
  schema: z.object({ kind: z.literal("stop") }),
  verbs: ["stop", "mute", "never"],
  stems: ["sto", "mut"],
  trailingItems: true,
  read({ clean }) {
    if (STOP.test(clean)) return { kind: "stop" as const };
    if (UNSUBSCRIBE.test(clean))
      return { reason: `Kith cannot unsubscribe you by a reply to a reminder. To stop check-ins about one person reply "stop" with their item number ("2 stop"); to see or change your settings, send "settings".` };
    return null;
  },
  // A contact-level setting: it applies whatever the item's state.
  act(r, _, ctx) {
    if (r.contact_id === null) return nobody(r, "stop checking in with")!;
    const { db, user, now } = ctx;
    // The item is marked first: a check-in mailed is the contact's pending one, which the
    // drop would delete, and the mail's item would then find nothing.
    const s = OPEN.has(r.status) ? [setReminderStatus(db, user.id, r.id, "stopped", now)] : [];
    s.push(muteContact(db, user.id, r.contact_id, now), dropCheckIns(db, user.id, r.contact_id));
    return { statements: s, lines: [`No more check-ins with ${who(r)}.`] };
  },
  help: [{ usage: "stop", says: "no more check-ins with this person" }],
});

export const every = itemAction({
  schema: z.object({ kind: z.literal("cadence"), days: z.number().int().min(1).max(3660) }),
  verbs: ["every"],
  stems: ["eve"],
  read({ clean }) {
    const cadence = parseCadence(clean.replace(/^(?:check in|ping me|remind me|reminders?)\s+/i, ""));
    if (cadence === null) return null;
    return "error" in cadence ? { reason: cadence.error } : { kind: "cadence" as const, days: cadence.days };
  },
  // From now: the user has just been reminded of this person, so not again at once.
  act(r, action, ctx) {
    if (r.contact_id === null) return nobody(r, "check in with")!;
    const { db, user, now } = ctx;
    return {
      statements: [
        setContactCadence(db, user.id, r.contact_id, action.days),
        upsertCheckIn(db, { id: newId(), userId: user.id, contactId: r.contact_id, dueAt: nextSlot(addDays(now, action.days, ctx.zone), ctx.prefs), now, later: false }),
      ],
      lines: [`Checking in with ${who(r)} every ${action.days} days.`],
    };
  },
  help: [{ usage: "every 2 months", says: "how often to check in with this person" }],
});

const SNOOZE = /^(?:snooze|remind me(?: again)?|remind|later|postpone|defer|delay|push(?: it)?(?: back)?|ask me again|wait)\b\s*(.*)$/i;
// A time with no verb snoozes when it cannot be anything else ("2 next week").
// FollowUpThen's compact forms are one word of letters and digits ("3days", "weds930am").
const BARE_WHEN = /^(?:(?:in|until|till|til|for)\s|tomorrow|next\s|this\s|a\s+(?:week|month|year|fortnight|couple|few)\b|an\s+hour\b|\d{1,4}\s*(?:h|hrs?|hours?|d|days?|w|wks?|weeks?|fortnights?|mo|mos|mths?|months?|y|yrs?|years?)$|(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{3,20}$)/i;

type Snooze = { kind: "snooze"; until: number } | { reason: string; notATime?: true };

function snoozeUntil(phrase: string, ctx: PieceContext): Snooze {
  const key = `snooze:${phrase}`;
  let read = ctx.memo.get(key) as Snooze | undefined;
  if (read === undefined) ctx.memo.set(key, (read = readSnooze(phrase, ctx)));
  return read;
}

function readSnooze(phrase: string, ctx: PieceContext): Snooze {
  const when = readWhen(phrase, ctx.now, ctx.zone, ctx.local);
  if ("at" in when) return { kind: "snooze" as const, until: when.at };
  if (when.problem === "not-a-time")
    return { notATime: true, reason: `Kith could not read "${quote(phrase)}" as a time. Try "snooze 3 days", "snooze until next Tuesday" or "snooze until Dec 3".` };
  if (when.problem === "past") return { reason: `"${quote(phrase)}" is not in the future. Try "snooze 3 days" or "snooze until next Tuesday".` };
  return { reason: `"${quote(phrase)}" is more than two years away; Kith snoozes for at most two years.` };
}

export const snooze = itemAction({
  schema: z.object({ kind: z.literal("snooze"), until: z.number().int() }),
  verbs: ["snooze", "remind", "later"],
  stems: ["sno", "rem", "lat"],
  read({ clean }, ctx) {
    const m = SNOOZE.exec(clean);
    if (m) {
      const when = m[1]!.trim();
      if (!when) return { reason: `Snooze until when? Try "snooze 3 days", "snooze until Monday" or "snooze until Dec 3".` };
      const until = snoozeUntil(when, ctx);
      return "reason" in until ? { reason: until.reason } : until;
    }
    if (!BARE_WHEN.test(clean)) return null;
    // A bare phrase that is no time is no command either ("1 done" is item 1, done).
    const until = snoozeUntil(clean, ctx);
    return "reason" in until ? (until.notATime ? null : { reason: until.reason }) : until;
  },
  act(r, action, ctx) {
    const shut = closed(r);
    if (shut) return shut;
    const { db, user, now } = ctx;
    const s = [setReminderStatus(db, user.id, r.id, "snoozed", now)];
    if (r.kind === "check-in" && r.contact_id !== null) {
      // A contact muted since ("stop" on a later mail) stays muted.
      if (r.muted_at === null) s.push(upsertCheckIn(db, { id: newId(), userId: user.id, contactId: r.contact_id, dueAt: action.until, now, later: false }));
    } else {
      s.push(insertReminder(db, { id: newId(), userId: user.id, contactId: r.contact_id, kind: r.kind, dueAt: action.until, ...subjectOf(r), now }));
    }
    return { statements: s, lines: [`Snoozed ${label(r)} until ${shortDate(action.until, ctx.zone)}.`] };
  },
  help: [{ usage: "snooze 3 days", says: 'or "snooze until Dec 3", "snooze next Tuesday"' }],
});

/** The order they are tried in, and the help's. Each reads its own words, anchored, so
 * the order matters once: a cadence before a snooze ("remind me every 2 weeks" is a
 * cadence, not a snooze until "every 2 weeks"). */
export const ITEM_ACTIONS = [done, skip, stop, every, snooze, note] as const;

/** The item actions' one schema: what a stored reply command is checked against. */
export const ItemActionSchema = z.discriminatedUnion("kind", schemasOf(ITEM_ACTIONS));
export type ItemAction = z.infer<typeof ItemActionSchema>;

export function actionDef(kind: string): ItemActionDef {
  const def = ITEM_ACTIONS.find((a) => a.kind === kind);
  if (!def) throw new Error(`no item action ${kind}`);
  return def;
}
