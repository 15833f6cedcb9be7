import { z } from "zod";
import { answer, command, commandWords, type Plan, type ReadContext, type RunContext } from "../core/commands";
import { notice, SIGNOFF } from "../mail-out/compose";
import { type Contact, contactCount, contactsByIds } from "../people/contacts";
import { forgetAddresses, unforgetAddress } from "../people/forgotten";
import { listedIn } from "../people/listings";
import { MAX_NOTE } from "../people/notes";
import { contactIdByAddress } from "../people/search";
import { UTC } from "../lib/zone";
import { readItemCommands } from "../reminders/reply-grammar";
import { type ContactAction, contactActionDef, CONTACT_ACTIONS, ContactActionSchema, readFact } from "./contact-actions";
import { correct, type EditContext, type Edited, forgetStatements, mergeStatements, who } from "./edit";
import { MAX_EXPORT_BYTES } from "./export/index";

/** Your network by mail: corrections, merges and forgetting by address, the export, and
 * the replies to a lookup's numbers. (Looking up is lookup.ts; deleting the account,
 * delete.ts.) */

const EMAIL = "<?([^\\s<>@]+@[^\\s<>@]+\\.[^\\s<>@]+?)>?";
const Address = z.string().max(320);

const edited = (ctx: RunContext, kind: "confirmation" | "merge" | "forget", subject: string, e: Edited | { error: string }): Plan =>
  "error" in e
    ? { kind: "command", statements: [], mail: [answer(ctx, "help", notice(subject.replace(/^Kith: /, "Kith: not done: "), e.error))] }
    : { kind: "command", statements: e.statements, mail: [answer(ctx, kind, notice(subject, e.lines.join("\n") || "Nothing to change."))] };

const editContext = (ctx: RunContext): EditContext => ({ db: ctx.deps.db, user: ctx.user, now: ctx.now });

async function contactAt(ctx: RunContext, address: string) {
  const id = await contactIdByAddress(ctx.deps.db, ctx.user.id, address);
  return id === null ? null : ((await contactsByIds(ctx.deps.db, ctx.user.id, [id]))[0] ?? null);
}

// ---- "carol@globex-labs.com title VP Operations"

const CORRECTION = new RegExp(`^${EMAIL}\\s+(\\S.*)$`, "i");
const NOTE = /^note\s*[:=]?\s+(\S.*)$/is;

export const correction = command({
  schema: z.object({ name: z.literal("correct"), address: Address, fact: z.enum(["title", "company", "name", "phone", "met_at", "note"]), value: z.string().min(1).max(MAX_NOTE) }),
  where: ["mail", "lookup"],
  read(line) {
    const m = CORRECTION.exec(line.trim().replace(/\s+/g, " "));
    if (!m) return null;
    const address = m[1]!.toLowerCase();
    const note = NOTE.exec(m[2]!);
    if (note) return { name: "correct" as const, address, fact: "note" as const, value: note[1]!.trim() };
    // The fact grammar of a reply's "1 title VP Operations".
    const f = readFact(m[2]!);
    if (f === null) return null;
    return "reason" in f ? { error: f.reason } : { name: "correct" as const, address, ...f };
  },
  help: [{ usage: "carol@globex-labs.com title VP Operations", says: 'correct a fact: also "company", "name", "phone", "met at", "note"' }],
  async run(cmd, ctx) {
    const c = await contactAt(ctx, cmd.address);
    if (!c) return edited(ctx, "confirmation", "Kith: correction", { error: `Kith knows no one at ${cmd.address}.` });
    return edited(ctx, "confirmation", `Kith: ${who(c)} corrected`, correct(editContext(ctx), c, { fact: cmd.fact, value: cmd.value }));
  },
});

// ---- "merge a@x.com b@y.com"

const MERGE = new RegExp(`^(?:merge|join)\\s+${EMAIL}(?:\\s+(?:and|with|&|\\+))?\\s+${EMAIL}$`, "i");

export const mergeByAddress = command({
  schema: z.object({ name: z.literal("merge"), a: Address, b: Address }),
  where: ["mail", "lookup"],
  read(line) {
    const m = MERGE.exec(line.trim().replace(/\s+/g, " ").replace(/,/g, " "));
    return m ? { name: "merge" as const, a: m[1]!.toLowerCase(), b: m[2]!.toLowerCase() } : null;
  },
  help: [{ usage: "merge carol@globex-labs.com carol.diaz@gmail.com", says: "the two addresses are one person: join them" }],
  async run(cmd, ctx) {
    const [a, b] = await Promise.all([contactAt(ctx, cmd.a), contactAt(ctx, cmd.b)]);
    const unknown = [a ? null : cmd.a, b ? null : cmd.b].filter(Boolean);
    if (unknown.length > 0) return edited(ctx, "merge", "Kith: merge", { error: `Kith knows no one at ${unknown.join(" or ")}, so nothing was merged.` });
    if (a!.id === b!.id) return edited(ctx, "merge", "Kith: merge", { error: `${cmd.a} and ${cmd.b} are already one person, ${who(a!)}.` });
    return edited(ctx, "merge", "Kith: merged", mergeStatements(editContext(ctx), a!, b!));
  },
});

// ---- "forget carol@globex-labs.com", "unforget …"

const FORGET = new RegExp(`^(?:forget|erase)\\s+${EMAIL}$`, "i");
const UNFORGET = new RegExp(`^(?:unforget|remember)\\s+${EMAIL}$`, "i");

export const forgetByAddress = command({
  schema: z.object({ name: z.literal("forget"), address: Address }),
  where: ["mail", "lookup"],
  read(line) {
    const m = FORGET.exec(commandWords(line));
    return m ? { name: "forget" as const, address: m[1]! } : null;
  },
  help: [{ usage: "forget carol@globex-labs.com", says: "erase that person; later mail never brings them back" }],
  async run(cmd, ctx) {
    const c = await contactAt(ctx, cmd.address);
    if (!c) {
      // Nothing to erase, but the wish stands: later mail will not bring them in.
      return {
        kind: "command",
        statements: forgetAddresses(ctx.deps.db, ctx.user.id, [cmd.address], ctx.now),
        mail: [answer(ctx, "forget", notice("Kith: forgotten", `Kith knew no one at ${cmd.address}. Mail that names it will not bring anyone in ("unforget ${cmd.address}" lifts that).`))],
      };
    }
    return edited(ctx, "forget", "Kith: forgotten", await forgetStatements(editContext(ctx), c));
  },
});

export const unforget = command({
  schema: z.object({ name: z.literal("unforget"), address: Address }),
  where: ["mail", "lookup"],
  read(line) {
    const m = UNFORGET.exec(commandWords(line));
    return m ? { name: "unforget" as const, address: m[1]! } : null;
  },
  help: [{ usage: "unforget carol@globex-labs.com", says: "let later mail bring that address in again" }],
  run: (cmd, ctx) => ({
    kind: "command",
    statements: [unforgetAddress(ctx.deps.db, ctx.user.id, cmd.address)],
    mail: [answer(ctx, "confirmation", notice("Kith: unforgotten", `Mail that names ${cmd.address} is read as any other again. (What Kith forgot stays forgotten.)`))],
  }),
});

// ---- "export"

export const exportAll = command({
  schema: z.object({ name: z.literal("export") }),
  where: ["mail"],
  read: (line) => (/^(?:export|export (?:all|everything|my (?:data|contacts))|download (?:my )?(?:data|contacts))[.!]?$/.test(commandWords(line)) ? { name: "export" as const } : null),
  help: [{ usage: "export", says: "everything Kith holds for you: vCard, CSV (Google Contacts) and JSON files" }],
  async run(_, ctx) {
    // The files are made as the mail is sent (they are too large to keep in D1 until
    // then); here only how many people they hold.
    const people = await contactCount(ctx.deps.db, ctx.user.id);
    const text = `Attached is everything Kith holds for you: ${people.toLocaleString("en-US")} ${people === 1 ? "person" : "people"}.

  kith-contacts.vcf   vCard 4.0: import it into Apple Contacts, Outlook, Google
  kith-contacts.csv   a Google Contacts CSV (Google Contacts → Import)
  kith-export.json    all of it: people, addresses, phones, notes, interactions,
                      introductions, reminders and your settings

One mail carries up to ${MAX_EXPORT_BYTES / 1048576} MB of files: past that, the oldest interactions are
left out of the JSON first, then people ("left_out" says how many). The downloads
on the dashboard (${ctx.deps.config.publicUrl}/app/settings) always hold everything.
${SIGNOFF}`;
    return { kind: "command", statements: [], mail: [{ ...answer(ctx, "export", { subject: "Kith: your export", text }), attach: { kind: "export" } }] };
  },
});

// ---- replies to a lookup, or to a confirmation's "may be the same person"

const EXAMPLES = `Reply with the number and what to do: "1 title VP Operations", "2 note …", "1 every 2 months", "3 stop", "merge 1 2", "forget 3".`;

// No contact action reads a time, so the grammar's zone does not matter here (UTC).

function readContactItems(ctx: ReadContext) {
  const items = ctx.replyTo?.items ?? 0;
  const parsed = readItemCommands<ContactAction>(ctx.typed, { now: ctx.now, zone: UTC, itemCount: items, examples: EXAMPLES }, CONTACT_ACTIONS);
  if (!parsed.ok) return { error: parsed.reason };
  // "forget them" on a list of ten would erase ten people: a list wants its numbers.
  if (items > 1 && parsed.commands.some((c) => c.items === "all")) {
    return { error: 'That mail lists several people: start with the number of the one you mean, e.g. "2 title VP Operations" or "forget 3".' };
  }
  return { name: "contact-items" as const, outboundId: ctx.replyTo?.id ?? 0, commands: parsed.commands };
}

export const contactItems = command({
  schema: z.object({
    name: z.literal("contact-items"),
    outboundId: z.number().int(),
    commands: z.array(z.object({ items: z.union([z.literal("all"), z.array(z.number().int().min(1).max(100)).max(100)]), action: ContactActionSchema })).max(50),
  }),
  where: ["lookup", "confirmation"],
  read: (_, ctx) => readContactItems(ctx),
  help: [{ usage: "merge 1", says: "in reply to a confirmation that says someone may be a person you have: join them" }],
  async run(cmd, ctx) {
    const listed = await listedIn(ctx.deps.db, ctx.user.id, cmd.outboundId);
    const ids = [...new Set([...listed.values()].flatMap((l) => (l.other_id === null ? [l.contact_id] : [l.contact_id, l.other_id])))];
    const people = new Map((await contactsByIds(ctx.deps.db, ctx.user.id, ids)).map((c) => [c.id, c]));
    const out: Edited = { statements: [], lines: [] };
    // The commands of one reply run in order, each on what the ones before left: a person
    // merged away is the one they joined, a forgotten one is gone.
    const becomes = new Map<number, number | null>();
    const now = (id: number): Contact | undefined => {
      let at: number | null | undefined = id;
      for (let hops = 0; at !== null && at !== undefined && becomes.has(at) && hops < 50; hops++) at = becomes.get(at);
      return at === null || at === undefined ? undefined : people.get(at);
    };
    for (const c of cmd.commands) {
      const numbers = c.items === "all" ? [...listed.keys()] : c.items;
      // A suggestion names two people: "merge 1" joins them, "1 not the same" keeps them apart.
      const pairs = c.action.kind === "merge" || c.action.kind === "different";
      const targets = [
        ...new Set(
          numbers
            .flatMap((n) => {
              const l = listed.get(n);
              return !l ? [] : l.other_id !== null && pairs ? [l.other_id, l.contact_id] : [l.contact_id];
            })
            .flatMap((id) => now(id) ?? []),
        ),
      ];
      if (targets.length === 0) {
        out.lines.push("Those people are no longer in Kith.");
        continue;
      }
      const e = await contactActionDef(c.action.kind).act(targets, c.action, editContext(ctx));
      if ("error" in e) return edited(ctx, "confirmation", "Kith: got it", e);
      if (c.action.kind === "forget") for (const t of targets) becomes.set(t.id, null);
      // A merge says whom it kept; the other becomes them.
      if (e.kept) for (const t of targets) if (t.id !== e.kept.id) becomes.set(t.id, e.kept.id);
      out.statements.push(...e.statements);
      out.lines.push(...e.lines);
    }
    return edited(ctx, "confirmation", "Kith: got it", out);
  },
});
