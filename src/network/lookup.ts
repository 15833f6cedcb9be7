import { z } from "zod";
import { answer, command, type Plan, type RunContext } from "../core/commands";
import { newId } from "../lib/ids";
import { formatPhone } from "../lib/phone";
import { shortDate, type Zone } from "../lib/zone";
import { SIGNOFF } from "../mail-out/compose";
import { replyAddress } from "../mail-out/reply-address";
import { insertListed } from "../people/listings";
import { contactIdByAddress, introducedBy, namesLike, searchContacts } from "../people/search";
import { prefsOf, zoneOf } from "../users/delivery";
import { type Profile, profiles } from "./profiles";

/** "who is carol", "who is carol@globex-labs.com", "find acme", "find robotics boston",
 * "people met at PyCon", "introduced by Dev": the matching people, best first, numbered
 * so that a reply acts on them ("1 title VP Operations", "merge 1 2", "forget 3"). */

const SHOWN = 10;
const ADDRESS = /^<?([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+?)>?$/;

const By = z.enum(["words", "address", "met", "introducer"]);
type By = z.infer<typeof By>;

/** Not after "Re:" or "Fwd:": a forwarded "Who is the right contact?" is a forward. */
function lookupIn(line: string): { by: By; q: string } | { error: string } | null {
  const t = line.trim().replace(/\s+/g, " ").slice(0, 300);
  let m = /^(?:who(?:'s| is)|whois)(?:\s+(.*?))?\s*\??$/i.exec(t);
  if (m) {
    const q = (m[1] ?? "").trim();
    if (!q) return { error: 'Who is who? Send a name, an address or a company: "who is carol", "who is carol@globex-labs.com", "who is acme".' };
    const address = ADDRESS.exec(q);
    return address ? { by: "address", q: address[1]!.toLowerCase() } : { by: "words", q };
  }
  // "find": short, and not a sentence ("Find attached my notes" is a note).
  m = /^(?:find|search|look up|lookup)(?:\s+(.*))?$/i.exec(t);
  if (m) {
    const q = (m[1] ?? "").trim();
    if (!q) return { error: 'Find whom? Send words from a name, a company, an event or a note: "find acme", "find robotics boston".' };
    if (q.split(" ").length > 6 || /[?!.]$/.test(q) || /^(?:attached|below|enclosed|out|time)\b/i.test(q)) return null;
    const address = ADDRESS.exec(q);
    return address ? { by: "address", q: address[1]!.toLowerCase() } : { by: "words", q };
  }
  m = /^(?:people|everyone|who did i|whom did i|who i)\s+(?:i\s+)?met\s+(?:at|in|during)\s+(.+?)\s*\??$/i.exec(t);
  if (m) return { by: "met", q: m[1]! };
  m = /^(?:people\s+)?introduced\s+(?:to me\s+)?by\s+(.+?)\s*\??$/i.exec(t);
  if (m) return { by: "introducer", q: m[1]! };
  return null;
}

export const lookup = command({
  schema: z.object({ name: z.literal("lookup"), by: By, q: z.string().min(1).max(300) }),
  // In reply to a lookup too: a new question about someone else.
  where: ["mail", "lookup"],
  read(line) {
    const found = lookupIn(line);
    if (!found || "error" in found) return found;
    return { name: "lookup" as const, ...found };
  },
  help: [
    { usage: "who is carol", says: 'the people Kith knows by that name, address or company ("who is carol@globex-labs.com")' },
    { usage: "find robotics boston", says: "people with all those words in their name, company, title, event or notes" },
    { usage: "people met at PyCon", says: "everyone you met there" },
    { usage: "introduced by Dev", says: "the people Dev introduced" },
  ],
  run: (cmd, ctx) => runLookup(cmd.by, cmd.q, ctx),
});

async function find(db: D1Database, userId: number, by: By, q: string): Promise<{ ids: number[]; total: number }> {
  if (by === "address") {
    const id = await contactIdByAddress(db, userId, q);
    if (id !== null) return { ids: [id], total: 1 };
    return searchContacts(db, userId, "any", q, SHOWN);
  }
  if (by === "introducer") return introducedBy(db, userId, q, SHOWN);
  return searchContacts(db, userId, by === "met" ? "met" : "any", q, SHOWN);
}

async function runLookup(by: By, q: string, ctx: RunContext): Promise<Plan> {
  const { db, config } = ctx.deps;
  const zone = zoneOf(prefsOf(ctx.user));
  const found = await find(db, ctx.user.id, by, q);
  const what = by === "met" ? `met at ${q}` : by === "introducer" ? `introduced by ${q}` : `"${q}"`;
  if (found.ids.length === 0) {
    const close = await closest(db, ctx.user.id, q);
    const hint = close.length > 0 ? `Closest names: ${close.join(", ")}.` : 'Try fewer words, or part of a name ("who is car").';
    return { kind: "command", statements: [], mail: [answer(ctx, "lookup", { subject: `Kith: no one for ${what}`, text: `Kith knows no one for ${what}. ${hint}\n${SIGNOFF}` })] };
  }
  const people = await profiles(db, ctx.user.id, found.ids);
  const id = newId();
  const more = found.total - people.length;
  const subject = `Kith: ${people.length === 1 ? "1 person" : `${found.total} people`} for ${what}`;
  const text = `${people.map((p, i) => describe(p, people.length > 1 ? i + 1 : null, zone, ctx.now)).join("\n\n")}
${more > 0 ? `\nand ${more} more: add a word to narrow it down ("find ${q} <word>").\n` : ""}
${HOW}
${SIGNOFF}`;
  return {
    kind: "command",
    statements: people.map((p, i) => insertListed(db, ctx.user.id, id, i + 1, p.contact.id)),
    mail: [{ ...answer(ctx, "lookup", { subject, text }), id, headers: { "Reply-To": await replyAddress(config, id) } }],
  };
}

const HOW = `Reply with the number to act on someone: "1 title VP Operations", "1 company Globex",
"1 phone +44 20 7946 0000", "1 name Carol Diaz", "2 note met at PyCon", "1 every 2 months",
"3 stop" (no more check-ins), "merge 1 2" (one person), "forget 3" (erase them).`;

const KIND: Record<string, string> = { bcc: "you wrote", intro: "intro", forward: "forwarded", note: "note", "follow-up": "followed up", met: "met", meeting: "meeting" };
const NEXT: Record<string, string> = { "follow-up": "follow-up", "check-in": "check-in", "intro-check": "intro check", promise: "your promise", waiting: "their promise", remind: "reminder" };

/** One person, as lines of the lookup mail. */
export function describe(p: Profile, no: number | null, zone: Zone, now: number): string {
  const c = p.contact;
  const pad = no === null ? "" : "   ";
  const work = [c.title, c.company].filter(Boolean).join(" at ");
  const heading = c.name ?? p.emails[0] ?? "(no name)";
  const lines = [`${no === null ? "" : `${no}. `}${heading}${work ? `, ${work}` : ""}`];
  const reach = [...p.emails.filter((e) => e !== heading), ...p.phones.map(formatPhone)];
  if (reach.length > 0) lines.push(reach.join(" · "));
  const met = [`${c.met_at ? `Met at ${c.met_at}` : "Known"} since ${shortDate(c.created_at, zone, now)}`];
  if (p.introducedBy) met.push(`introduced by ${p.introducedBy}`);
  for (const t of p.introducedTo.slice(0, 3)) met.push(`introduced to ${t.name}${t.by === "you" ? " by you" : ` by ${t.by}`}`);
  lines.push(met.join(" · "));
  if (p.interactions.length > 0) {
    lines.push(`Last: ${p.interactions.map((i) => `${shortDate(i.occurred_at, zone, now)} ${KIND[i.kind] ?? i.kind}${i.subject ? ` "${i.subject.slice(0, 60)}"` : ""}`).join(" · ")}`);
  }
  for (const n of p.notes.slice(0, 3)) lines.push(`Note (${shortDate(n.created_at, zone, now)}): ${n.text.replace(/\s+/g, " ").slice(0, 200)}`);
  if (p.notes.length > 3) lines.push(`and ${p.notes.length - 3} more notes`);
  for (const pr of p.promises.slice(0, 3)) {
    const due = `due ${shortDate(pr.due_at, zone, now)}${pr.due_at < now ? ", overdue" : ""}`;
    lines.push(pr.direction === "mine" ? `You promised: ${pr.what} (${due})` : `Promised you: ${pr.what} (${due})`);
  }
  if (c.muted_at !== null) lines.push("No check-ins (stopped)");
  else if (p.next) lines.push(`Next: ${NEXT[p.next.kind] ?? p.next.kind} on ${shortDate(p.next.due_at, zone, now)}${c.cadence_days ? ` (every ${c.cadence_days} days)` : ""}`);
  return lines.map((l, i) => (i === 0 ? l : `${pad}${l}`)).join("\n");
}

/** The user's names nearest to what they typed, for "did you mean". */
async function closest(db: D1Database, userId: number, q: string): Promise<string[]> {
  const word = q.split(/[\s@.]+/)[0] ?? "";
  const candidates = await namesLike(db, userId, word, 50);
  const key = fold(q);
  return candidates
    .map((c) => ({ name: c.name, d: distance(key, fold(c.name).slice(0, key.length + 2)) }))
    .sort((a, b) => a.d - b.d || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((c) => c.name);
}

const fold = (s: string) => s.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();

/** Levenshtein distance, for a handful of short names. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
