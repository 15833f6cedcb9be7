import { z } from "zod";
import { type HelpLine, schemasOf } from "../core/commands";
import { MAX_NOTE } from "../people/notes";
import type { Contact } from "../people/contacts";
import { every, note, stop } from "../reminders/item-actions";
import type { ItemReader } from "../reminders/reply-grammar";
import { dismissSuggestion } from "../people/duplicates";
import { correct, type EditContext, type Edited, everyStatements, forgetStatements, mergeStatements, stopStatements, who } from "./edit";

/**
 * What a reply to a lookup (or to a confirmation that lists "may be the same person")
 * can do to the people it numbers: "1 title VP Operations", "2 note …", "1 every 2
 * months", "3 stop", "merge 1 2", "forget 3". One definition each; the reply grammar is
 * the reminders' (reply-grammar.ts), and every, note and stop read as they do there.
 */

type Kinded = z.ZodObject<{ kind: z.ZodLiteral<string> }>;

export interface ContactActionDef<S extends Kinded = Kinded> extends ItemReader<z.output<S>> {
  schema: S;
  /** On the people the numbers name, all at once (a merge takes two). */
  act(people: Contact[], action: { kind: string }, ctx: EditContext): Promise<Edited | { error: string }>;
  help: readonly HelpLine[];
}

interface Spec<S extends Kinded> extends Omit<ContactActionDef<S>, "kind" | "act"> {
  act(people: Contact[], action: z.output<S>, ctx: EditContext): Promise<Edited | { error: string }> | Edited | { error: string };
}

function contactAction<S extends Kinded>(spec: Spec<S>): ContactActionDef<S> {
  return { ...spec, kind: spec.schema.shape.kind.value, act: async (people, action, ctx) => spec.act(people, spec.schema.parse(action), ctx) };
}

/** The same statements for each person, one answer. */
function each(people: Contact[], one: (c: Contact) => Edited | { error: string }): Edited | { error: string } {
  const out: Edited = { statements: [], lines: [] };
  for (const c of people) {
    const e = one(c);
    if ("error" in e) return e;
    out.statements.push(...e.statements);
    out.lines.push(...e.lines);
  }
  return out;
}

const FACT = /^(title|company|name|phone|met at|met)\s*[:=]?\s+(\S.*)$/i;
const FACT_OF: Record<string, "title" | "company" | "name" | "phone" | "met_at"> = { title: "title", company: "company", name: "name", phone: "phone", "met at": "met_at", met: "met_at" };

/** "title VP Operations", "met at PyCon", "phone +44 20 7946 0000": which fact, and its
 * value (a "thanks" after it is not part of it); a reason when it is too long. Read by a
 * reply's "1 title …" and by "carol@globex-labs.com title …" alike. */
export function readFact(raw: string): { fact: "title" | "company" | "name" | "phone" | "met_at"; value: string } | { reason: string } | null {
  const m = FACT.exec(raw.trim());
  if (!m) return null;
  const value = m[2]!.replace(/[\s,;]*\b(?:please|pls|plz|thanks|thank you|thx|ty|cheers)\b[\s.!]*$/i, "").trim();
  if (!value) return null;
  if (value.length > 200) return { reason: `That ${m[1]!.toLowerCase()} is longer than Kith keeps (200 characters).` };
  return { fact: FACT_OF[m[1]!.toLowerCase()]!, value };
}

export const fact = contactAction({
  schema: z.object({ kind: z.literal("fact"), fact: z.enum(["title", "company", "name", "phone", "met_at"]), value: z.string().min(1).max(200) }),
  verbs: ["title", "company", "name", "phone", "met"],
  stems: ["tit", "com", "nam", "pho"],
  read({ raw }) {
    const f = readFact(raw);
    return f === null || "reason" in f ? f : { kind: "fact" as const, ...f };
  },
  act: (people, a, ctx) => each(people, (c) => correct(ctx, c, { fact: a.fact, value: a.value })),
  help: [
    { usage: "1 title VP Operations", says: 'correct a fact: also "company", "name", "met at", "phone +44 20 7946 0000"' },
  ],
});

export const contactNote = contactAction({
  schema: z.object({ kind: z.literal("note"), text: z.string().min(1).max(MAX_NOTE) }),
  verbs: note.verbs,
  stems: note.stems,
  read: note.read,
  rest: note.rest,
  act: (people, a, ctx) => each(people, (c) => correct(ctx, c, { fact: "note", value: a.text })),
  help: [{ usage: "2 note <text>", says: "keep a note about them" }],
});

export const contactEvery = contactAction({
  schema: every.schema,
  verbs: every.verbs,
  stems: every.stems,
  read: every.read,
  act: (people, a, ctx) => each(people, (c) => everyStatements(ctx, c, a.days)),
  help: [{ usage: "1 every 2 months", says: "how often to check in with them" }],
});

export const contactStop = contactAction({
  schema: stop.schema,
  verbs: stop.verbs,
  stems: stop.stems,
  read: stop.read,
  trailingItems: true,
  act: (people, _, ctx) => each(people, (c) => stopStatements(ctx, c)),
  help: [{ usage: "3 stop", says: "no more check-ins with them" }],
});

export const merge = contactAction({
  schema: z.object({ kind: z.literal("merge") }),
  verbs: ["merge", "join"],
  stems: ["mer"],
  trailingItems: true,
  read: ({ clean }) => (/^(?:merge|join)(?: them| these)?$/i.test(clean) ? { kind: "merge" as const } : null),
  act(people, _, ctx) {
    const [a, b, ...rest] = people;
    if (!a || !b || rest.length > 0) return { error: 'Name the two people to join: "merge 1 2".' };
    if (a.id === b.id) return { error: "That is one person already." };
    return mergeStatements(ctx, a, b);
  },
  help: [{ usage: "merge 1 2", says: "they are one person: join them" }],
});

export const forget = contactAction({
  schema: z.object({ kind: z.literal("forget") }),
  verbs: ["forget", "erase"],
  stems: ["for", "era"],
  trailingItems: true,
  read: ({ clean }) => (/^(?:forget|erase)(?: them| him| her| this person)?$/i.test(clean) ? { kind: "forget" as const } : null),
  async act(people, _, ctx) {
    const out: Edited = { statements: [], lines: [] };
    for (const c of people) {
      const e = await forgetStatements(ctx, c);
      out.statements.push(...e.statements);
      out.lines.push(...e.lines);
    }
    return out;
  },
  help: [{ usage: "forget 3", says: "erase them, and never bring them back from later mail" }],
});

export const different = contactAction({
  schema: z.object({ kind: z.literal("different") }),
  verbs: ["not", "different"],
  stems: ["dif"],
  trailingItems: true,
  read: ({ clean }) => (/^(?:not the same(?: person)?|different(?: people)?|not them|no)$/i.test(clean) ? { kind: "different" as const } : null),
  act(people, _, ctx) {
    const [a, b] = people;
    if (!a || !b || people.length !== 2) return { error: '"not the same" answers a "may be the same person" line: "1 not the same".' };
    return { statements: dismissSuggestion(ctx.db, ctx.user.id, a.id, b.id), lines: [`Kept ${who(a)} and ${who(b)} apart; Kith will not suggest them again.`] };
  },
  help: [{ usage: "1 not the same", says: "in reply to a confirmation: they are two people, stop suggesting it" }],
});

/** Tried in this order; the help lists them so. */
export const CONTACT_ACTIONS = [fact, contactNote, contactEvery, contactStop, merge, forget, different] as const;

export const ContactActionSchema = z.discriminatedUnion("kind", schemasOf(CONTACT_ACTIONS));
export type ContactAction = z.infer<typeof ContactActionSchema>;

export function contactActionDef(kind: string): ContactActionDef {
  const def = CONTACT_ACTIONS.find((a) => a.kind === kind);
  if (!def) throw new Error(`no contact action ${kind}`);
  return def;
}
