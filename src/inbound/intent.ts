import { z } from "zod";
import { CommandSchema, commandNamed, helpFor, welcome } from "../commands/index";
import type { Plan, RunContext } from "../core/commands";
import type { Deps, Outcome } from "../core/deps";
import { newId } from "../lib/ids";
import { prepareOutbound, sendAll } from "../mail-out/outbound";
import { replyAddress } from "../mail-out/reply-address";
import { type CapturePlan, planCapture } from "../people/apply";
import { addressesAndPhones, contactsByIds } from "../people/contacts";
import { insertListed } from "../people/listings";
import { Capture } from "../people/capture";
import { reminderStatements } from "../reminders/plan";
import { promiseStatements } from "../reminders/promises";
import { scheduleSummary } from "../summary/schedule";
import { insertUser, setTzOffset } from "../users/store";
import { newUser, type User } from "../users/user";
import { confirmation, type MaybeSame } from "./confirmation";
import { planMeeting } from "./meeting";
import { insertInbound, isUniqueViolation } from "../received/log";

/** What a mail asks for, in a form that can wait (held for the user's yes) and be
 * validated again when it is applied: something to capture, a command (any command of
 * the list, by its own schema), or help with the reason Kith did not understand. */

export const ActionSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("capture"),
    capture: Capture,
    reply: z.boolean(),
    what: z.string(),
    truncated: z.string().optional(),
  }),
  z.object({ type: z.literal("command"), command: CommandSchema }),
  z.object({ type: z.literal("help"), reason: z.string() }),
]);

export type IntentAction = z.input<typeof ActionSchema>;

export const IntentSchema = z.object({
  signup: z.boolean(),
  messageId: z.string().max(1000),
  subject: z
    .string()
    .transform((t) => t.slice(0, 1000))
    .optional(),
  action: ActionSchema,
});
export type Intent = z.infer<typeof IntentSchema>;
export type IntentInput = z.input<typeof IntentSchema>;

/** zod at the boundary between a parsed mail and D1: what is stored, now or when a held
 * mail is confirmed, is exactly what passed this. */
export function validIntent(input: IntentInput): Intent | { reason: string } {
  const parsed = IntentSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return { reason: `Kith could not read this message (${issue?.path.join(".") ?? "?"}: ${issue?.message ?? "invalid"}).` };
}

async function plan(ctx: RunContext, intent: Intent, inboundId: number): Promise<Plan> {
  const { db, config } = ctx.deps;
  const { user, now } = ctx;
  const a = intent.action;
  if (a.type === "capture" && a.capture.meeting) return planMeeting(ctx, { ...a.capture, meeting: a.capture.meeting }, inboundId);
  if (a.type === "capture") {
    const p = await planCapture(db, user.id, a.capture, now, inboundId);
    const promised = await promiseStatements(db, user, a.capture, p, now);
    const reminders = [...reminderStatements(db, user, a.capture, p, now), ...promised.statements];
    if (!(a.reply || ctx.signup)) return { kind: a.capture.kind, statements: [...p.statements, ...reminders], mail: [] };
    // "X may be the X you already have": numbered, so that "merge 1" in reply joins them.
    const id = newId();
    const maybeSame = await describeSuggestions(db, user.id, p);
    const listed = p.suggestions.map((s, i) => insertListed(db, user.id, id, i + 1, s.contactId, s.otherId));
    const text = confirmation(a.what, p.contacts, { introductions: p.introductions, truncated: a.truncated, forgotten: p.forgotten, maybeSame, notes: promised.lines });
    const reply = listed.length > 0 ? { "Reply-To": await replyAddress(config, id) } : undefined;
    return { kind: a.capture.kind, statements: [...p.statements, ...reminders, ...listed], mail: [{ id, kind: "confirmation", userId: user.id, to: user.email, ...text, headers: reply }] };
  }
  if (a.type === "help") {
    // A first mail that says nothing in particular is answered by the welcome alone.
    return { kind: "command", statements: [], mail: ctx.signup ? [] : [{ kind: "help", userId: user.id, to: user.email, ...helpFor(config.assistant, a.reason) }] };
  }
  const command = commandNamed(a.command.name);
  if (!command) throw new Error(`no command ${a.command.name}`);
  return command.run(a.command, ctx);
}

async function describeSuggestions(db: D1Database, userId: number, p: CapturePlan): Promise<MaybeSame[]> {
  if (p.suggestions.length === 0) return [];
  const others = p.suggestions.map((s) => s.otherId);
  const [known, { emails }] = await Promise.all([contactsByIds(db, userId, others), addressesAndPhones(db, userId, others)]);
  return p.suggestions.map((s) => {
    const k = known.find((c) => c.id === s.otherId);
    const n = p.contacts.find((c) => c.id === s.contactId);
    const address = emails.get(s.otherId)?.[0] ?? null;
    return { newcomer: n?.name ?? n?.email ?? "someone", known: k?.name ?? address ?? "person", knownAddress: address };
  });
}

/** Threading: Kith's answers to the user's mail go in its thread. */
function threaded(p: Plan, user: User, intent: Intent): Plan {
  const inReplyTo = intent.messageId.startsWith("<sha256:") ? undefined : intent.messageId;
  return { ...p, mail: p.mail.map((m) => (m.to === user.email && !m.inReplyTo ? { ...m, inReplyTo } : m)) };
}

/** Store one mail's intent in one batch, then send what it answers with. `extra`:
 * statements that must commit with this mail, or not at all (marking a held mail
 * applied). */
export async function applyIntent(deps: Deps, now: number, user: User, intent: Intent, tz: number | null, extra: D1PreparedStatement[] = []): Promise<Outcome> {
  const { db, config } = deps;
  for (let attempt = 1; ; attempt++) {
    const inboundId = newId();
    const p = threaded(await plan({ deps, now, user, signup: false }, intent, inboundId), user, intent);
    const out = p.mail.map((m) => prepareOutbound(db, config, m, now));
    const statements = [
      insertInbound(db, { id: inboundId, userId: user.id, messageId: intent.messageId, kind: p.kind, outcome: "applied", subject: intent.subject ?? null, now }),
      ...p.statements,
      ...(tz !== null && tz !== user.tz_offset_min ? [setTzOffset(db, user.id, tz)] : []),
      ...out.map((o) => o.statement),
      ...extra,
    ];
    try {
      await db.batch(statements);
    } catch (err) {
      if (isUniqueViolation(err) && String(err).includes("inbound_messages")) return { outcome: "duplicate" };
      // Another mail gave a new person's address to a contact since this one was read
      // (people/contacts.ts addContactEmail): read it again, now finding that contact.
      if (isUniqueViolation(err) && String(err).includes("contact_emails") && attempt < 3) continue;
      throw err;
    }
    await sendAll(db, deps.mailer, out.map((o) => o.id), now, deps.clock.wall(), deps.attach);
    return { outcome: "applied", userId: user.id, kind: p.kind, mailIds: out.map((o) => o.id) };
  }
}

/** A first mail from an allowed address: the user, the welcome and the mail's own
 * content, stored together. */
export async function signUp(
  deps: Deps,
  now: number,
  address: string,
  name: string | undefined,
  intent: Intent,
  tz: number | null = null,
  extra: D1PreparedStatement[] = [],
): Promise<Outcome> {
  const { db, config } = deps;
  const user = { ...newUser(newId(), address, name?.trim() || null, now), tz_offset_min: tz };
  const inboundId = newId();
  const p = threaded(await plan({ deps, now, user, signup: true }, intent, inboundId), user, intent);
  const hello = prepareOutbound(db, config, { kind: "welcome", userId: user.id, to: address, ...welcome(config.assistant) }, now);
  const out = [hello, ...p.mail.map((m) => prepareOutbound(db, config, m, now))];
  await db.batch([
    // First: it may free the address (a stale pending alias of someone else's).
    ...extra,
    ...insertUser(db, user.id, address, user.name, now),
    ...(tz !== null ? [setTzOffset(db, user.id, tz)] : []),
    scheduleSummary(db, user, now),
    insertInbound(db, { id: inboundId, userId: user.id, messageId: intent.messageId, kind: p.kind, outcome: "applied", subject: intent.subject ?? null, now }),
    ...p.statements,
    ...out.map((o) => o.statement),
  ]);
  await sendAll(db, deps.mailer, out.map((o) => o.id), now, deps.clock.wall());
  return { outcome: "applied", userId: user.id, kind: p.kind, mailIds: out.map((o) => o.id) };
}
