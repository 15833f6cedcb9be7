import type { z } from "zod";
import type { Composed } from "../mail-out/compose";
import type { MailKind, Outgoing } from "../mail-out/outbound";
import type { User } from "../users/user";
import type { Deps } from "./deps";

/**
 * What an email command is: one definition in its feature's folder (its zod schema, the
 * source of its type; how it is read; what it does; its lines in the help mail; where it
 * may be sent), gathered with the others in one ordered list (src/commands/index.ts).
 * The list's order is the precedence: the first command that reads a line wins.
 */

/** Where a command may be sent: "mail" is a new mail to Kith (its subject or first typed
 * line); a mail kind is a reply to a Kith mail of that kind. */
export type Where = "mail" | MailKind;

export interface ReadContext {
  where: Where;
  now: number;
  /** Null for a first mail, before its sender is a user. */
  user: User | null;
  /** All the user typed: the top of a mail's body, or the typed part of a reply. */
  typed: string;
  /** A reply: the Kith mail it answers, and how many numbered items that mail lists. */
  replyTo?: { id: number; items: number };
}

export interface RunContext {
  deps: Deps;
  now: number;
  user: User;
  /** The user's first mail: the welcome answers it too. */
  signup: boolean;
}

/** What the inbound log records a mail as (inbound_messages.kind): what it captured, or
 * the kind of command it was. */
export type InboundKind = "bcc" | "intro" | "forward" | "note" | "import" | "meeting" | "command" | "settings" | "reply" | "unsubscribe";

/** What one mail does: statements for its one batch, and the mail that answers it. */
export interface Plan {
  kind: InboundKind;
  statements: D1PreparedStatement[];
  mail: Outgoing[];
}

export interface HelpLine {
  /** As the user types it: "timezone Europe/Berlin". */
  usage: string;
  says: string;
}

/** A line that reads as this command, one that reads as it but is wrong (the user gets
 * the error and the help), or null: not this command. */
export type Read<T> = T | { error: string } | null;

/** No command has a field named `error`: a read that has one is the error. */
export function isReadError<T extends object>(read: T | { error: string }): read is { error: string } {
  return "error" in read && typeof read.error === "string";
}

type Named = z.ZodObject<{ name: z.ZodLiteral<string> }>;

export interface CommandSpec<S extends Named> {
  schema: S;
  where: readonly Where[];
  read(line: string, ctx: ReadContext): Read<z.input<S>>;
  run(cmd: z.output<S>, ctx: RunContext): Plan | Promise<Plan>;
  help: readonly HelpLine[];
}

/** A command's values, whichever command it is. */
export type CommandValues = { name: string } & Record<string, unknown>;

/** A command with its types erased, as the list holds it. */
export interface Command {
  name: string;
  schema: Named;
  where: readonly Where[];
  read(line: string, ctx: ReadContext): Read<CommandValues>;
  run(cmd: CommandValues, ctx: RunContext): Promise<Plan>;
  help: readonly HelpLine[];
}

export function command<S extends Named>(spec: CommandSpec<S>): Command {
  return {
    name: spec.schema.shape.name.value,
    schema: spec.schema,
    where: spec.where,
    read: spec.read,
    // What reaches run has passed the intent's schema; parsing again gives it its type.
    run: async (cmd, ctx) => spec.run(spec.schema.parse(cmd), ctx),
    help: spec.help,
  };
}

/** The schemas of a list of definitions, as the tuple z.discriminatedUnion takes. */
export function schemasOf<T extends readonly { schema: z.ZodType }[]>(defs: T): { -readonly [K in keyof T]: T[K]["schema"] } {
  return defs.map((d) => d.schema) as { -readonly [K in keyof T]: T[K]["schema"] };
}

/** The usual answer: a mail to the user. */
export function answer(ctx: RunContext, kind: Outgoing["kind"], mail: Composed): Outgoing {
  return { kind, userId: ctx.user.id, to: ctx.user.email, ...mail };
}

/** A line as most commands compare it: spaces folded, lower case, a reply or forward
 * prefix ("Re:", "Fwd:", "AW:") dropped. Every command asks it of the same line in
 * turn, so the last answer is kept (a pure function of the line). */
export function commandWords(line: string): string {
  if (line !== lastLine) {
    lastWords = line
      .trim()
      .replace(/\s+/g, " ")
      .slice(0, 400)
      .toLowerCase()
      .replace(/^(re|fwd?|aw|sv|tr):\s*/i, "");
    lastLine = line;
  }
  return lastWords;
}
let lastLine: string | undefined;
let lastWords = "";
