import { z } from "zod";
import { newId } from "../lib/ids";
import { signToken } from "../lib/sign";
import * as compose from "../mail-out/compose";
import { type Outgoing, prepareOutbound, sendAll } from "../mail-out/outbound";
import { planCapture } from "../people/apply";
import { Capture } from "../people/capture";
import { actOnItems } from "../reminders/act";
import { reminderStatements } from "../reminders/plan";
import { itemsOf } from "../reminders/store";
import { summaryNow } from "../summary/deliver";
import { scheduleSummary } from "../summary/schedule";
import { settingsPlan } from "../settings/describe";
import { aliasCommand } from "../aliases/commands";
import { pausePlan } from "../settings/pause";
import { insertUser, newUser, setTzOffset, type User } from "../users/store";
import type { Deps, Outcome } from "./intake";
import { insertHeld, insertInbound, isUniqueViolation } from "./log";

/** What a mail asks for, in a form that can wait (held for the user's yes) and be
 * validated again when it is applied. */

const ItemActionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("done") }),
  z.object({ kind: z.literal("skip") }),
  z.object({ kind: z.literal("stop") }),
  z.object({ kind: z.literal("snooze"), until: z.number().int() }),
  z.object({ kind: z.literal("cadence"), days: z.number().int().min(1).max(3660) }),
  z.object({ kind: z.literal("note"), text: z.string().max(2000) }),
]);

const ReplyCommandSchema = z.object({
  items: z.union([z.literal("all"), z.array(z.number().int().min(1).max(100)).max(100)]),
  action: ItemActionSchema,
});

const SettingsCommandSchema = z.discriminatedUnion("name", [
  z.object({ name: z.literal("settings") }),
  z.object({ name: z.literal("timezone"), zone: z.string().max(64) }),
  z.object({ name: z.literal("deliver"), hour: z.number().int().min(0).max(23) }),
  z.object({ name: z.literal("quiet"), start: z.number().int().min(0).max(23), end: z.number().int().min(0).max(23) }),
  z.object({ name: z.literal("cadence"), days: z.number().int().min(1).max(3660) }),
  z.object({ name: z.literal("cap"), items: z.number().int().min(1).max(20) }),
  z.object({ name: z.literal("summary"), day: z.number().int().min(1).max(7).optional(), hour: z.number().int().min(0).max(23).optional(), off: z.boolean().optional() }),
]);

const PauseKindSchema = z.enum(["reminders", "summary"]);

const CommandSchema = z.discriminatedUnion("name", [
  z.object({ name: z.literal("help") }),
  z.object({ name: z.literal("aliases") }),
  z.object({ name: z.literal("yes") }),
  z.object({ name: z.literal("alias"), address: z.string().max(320) }),
  z.object({ name: z.literal("unalias"), address: z.string().max(320) }),
  z.object({ name: z.literal("pause"), kinds: z.array(PauseKindSchema).min(1).max(2), until: z.string().max(200).nullable() }),
  z.object({ name: z.literal("resume"), kinds: z.array(PauseKindSchema).min(1).max(2) }),
  z.object({ name: z.literal("summary") }),
]);

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
  z.object({ type: z.literal("reply"), outboundId: z.number().int(), commands: z.array(ReplyCommandSchema).max(50) }),
  z.object({ type: z.literal("settings"), command: SettingsCommandSchema }),
]);

export type IntentAction = z.infer<typeof ActionSchema>;

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

/** The statements and mails that carry out one intent for one user. */
interface Plan {
  kind: string;
  statements: D1PreparedStatement[];
  mail: Outgoing[];
}

async function plan(deps: Deps, now: number, user: User, intent: Intent, inboundId: number): Promise<Plan> {
  const { db, config } = deps;
  const a = intent.action;
  const threaded = { inReplyTo: intent.messageId.startsWith("<sha256:") ? undefined : intent.messageId };
  const to = user.email;
  if (a.type === "capture") {
    const p = await planCapture(db, user.id, a.capture, now, inboundId);
    const reminders = reminderStatements(db, user, a.capture, p, now);
    const mail: Outgoing[] = [];
    if (a.reply || intent.signup) {
      const c = compose.confirmation(a.what, p.contacts, { introductions: p.introductions, truncated: a.truncated });
      mail.push({ kind: "confirmation", userId: user.id, to, ...c, ...threaded });
    }
    return { kind: a.capture.kind, statements: [...p.statements, ...reminders], mail };
  }
  if (a.type === "help") {
    // A first mail that says nothing in particular is answered by the welcome alone.
    const mail: Outgoing[] = intent.signup ? [] : [{ kind: "help", userId: user.id, to, ...compose.help(config.assistant, a.reason), ...threaded }];
    return { kind: "command", statements: [], mail };
  }
  if (a.type === "reply") {
    const items = await itemsOf(db, user.id, a.outboundId);
    const acted = actOnItems(db, user, items, a.commands, now);
    const c = compose.notice("Kith: got it", acted.lines.join("\n") || "Nothing to change.");
    return { kind: "reply", statements: acted.statements, mail: [{ kind: "confirmation", userId: user.id, to, ...c, ...threaded }] };
  }
  if (a.type === "settings") {
    const s = settingsPlan(db, user, a.command, now);
    return { kind: "settings", statements: s.statements, mail: [{ kind: "settings", userId: user.id, to, ...s.mail, ...threaded }] };
  }
  const cmd = a.command;
  if (cmd.name === "pause" || cmd.name === "resume") {
    const p = pausePlan(db, user, cmd, now);
    return { kind: "command", statements: p.statements, mail: [{ kind: "confirmation", userId: user.id, to, ...p.mail, ...threaded }] };
  }
  if (cmd.name === "summary") {
    // The answer is the summary itself (extra: the scheduled one still comes).
    const s = await summaryNow(deps, user, now);
    return { kind: "command", statements: s.statements, mail: [{ ...s.mail, ...threaded }] };
  }
  if (cmd.name === "help" || cmd.name === "yes") {
    const reason = cmd.name === "yes" ? "There is nothing waiting for your confirmation." : undefined;
    const mail: Outgoing[] = intent.signup && cmd.name === "help" ? [] : [{ kind: "help", userId: user.id, to, ...compose.help(config.assistant, reason), ...threaded }];
    return { kind: "command", statements: [], mail };
  }
  const r = await aliasCommand(deps, now, user, cmd);
  return { kind: "command", statements: r.statements, mail: r.mail.map((m) => ({ ...threaded, ...m })) };
}

/** Store one mail's intent in one batch, then send what it answers with. */
/** `extra`: statements that must commit with this mail, or not at all (marking a held
 * mail applied). */
export async function applyIntent(deps: Deps, now: number, user: User, intent: Intent, tz: number | null, extra: D1PreparedStatement[] = []): Promise<Outcome> {
  const { db, config } = deps;
  const inboundId = newId();
  const p = await plan(deps, now, user, intent, inboundId);
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
    throw err;
  }
  await sendAll(db, deps.mailer, out.map((o) => o.id), now);
  return { outcome: "applied", userId: user.id, kind: p.kind, mailIds: out.map((o) => o.id) };
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
  const p = await plan(deps, now, user, intent, inboundId);
  const welcome = prepareOutbound(db, config, { kind: "welcome", userId: user.id, to: address, ...compose.welcome(config.assistant) }, now);
  const out = [welcome, ...p.mail.map((m) => prepareOutbound(db, config, m, now))];
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
  await sendAll(db, deps.mailer, out.map((o) => o.id), now);
  return { outcome: "applied", userId: user.id, kind: p.kind, mailIds: out.map((o) => o.id) };
}

/** Unverified mail under SENDER_AUTH=confirm: keep the intent, ask the address's owner. */
export async function holdIntent(
  deps: Deps,
  now: number,
  h: { userId: number | null; address: string; intent: Intent },
): Promise<Outcome> {
  const { db, config } = deps;
  const id = newId();
  const expiresAt = now + config.holdMs;
  const token = await signToken(config.linkSecret, { a: "held", u: h.userId ?? 0, r: `held:${id}`, x: Math.floor(expiresAt / 1000) });
  const link = `${config.publicUrl}/a/${token}`;
  const c = compose.verify(h.intent.subject, h.address, link, Math.round(config.holdMs / 3600_000));
  const mail = prepareOutbound(db, config, { kind: "verify", userId: h.userId, to: h.address, ref: `held:${id}`, ...c }, now);
  try {
    await db.batch([
      insertHeld(db, { id, userId: h.userId, address: h.address, messageId: h.intent.messageId, intent: h.intent, now, expiresAt }),
      mail.statement,
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) return { outcome: "duplicate" };
    throw err;
  }
  await sendAll(db, deps.mailer, [mail.id], now);
  return { outcome: "held", userId: h.userId };
}
