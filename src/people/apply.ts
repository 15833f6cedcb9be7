import { newId } from "../lib/ids";
import type { Capture, CapturePerson, Role } from "./capture";
import { addContactEmail, addContactPhone, contactsByEmail, contactsByName, type ExistingContact, insertContact, mergeContact, sameNameOrPhone } from "./contacts";
import { insertSuggestion } from "./duplicates";
import { insertInteraction, linkInteraction } from "./interactions";
import { forgottenAmong } from "./forgotten";
import { insertIntroduction } from "./introductions";
import { nameKey } from "./names";

/** One contact as the confirmation mail describes it. */
export interface CapturedContact {
  id: number;
  isNew: boolean;
  name: string | null;
  email: string | null;
  company: string | null;
  title: string | null;
  phones: string[];
  /** The contact's own check-in cadence, when set, and whether check-ins are muted. */
  cadenceDays: number | null;
  muted: boolean;
  roles: Role[];
  /** Whether they have open promises (a new contact has none). */
  promised: boolean;
}

/** A newcomer who may be someone the user already has. */
export interface Suggestion {
  contactId: number;
  otherId: number;
  reason: "name" | "phone";
}

export interface CapturePlan {
  statements: D1PreparedStatement[];
  contacts: CapturedContact[];
  /** Addresses the user had Kith forget: not brought back. */
  forgotten: string[];
  suggestions: Suggestion[];
  interactionId: number | null;
  introductions: number;
  introduction: { id: number; introducerId: number | null; aId: number; bId: number | null } | null;
  /** The contact each of the capture's people became (by index; absent when forgotten). */
  contactAt: Map<number, number>;
}

type Merged = { person: CapturePerson; roles: Set<Role>; index: number[] };

/** People a mail names several times (To and Cc, a card and a vCard) become one. So do
 * people it names apart and then as one ("Ann, ann@x", "Bob, bob@x", then a card with
 * both addresses): an address belongs to one contact only. */
function mergePeople(people: CapturePerson[]): Merged[] {
  const out: (Merged | undefined)[] = [];
  const byKey = new Map<string, number>();
  people.forEach((p, i) => {
    const keys = p.emails.length > 0 ? p.emails : p.name ? [`name:${p.name.toLowerCase()}`] : [];
    if (keys.length === 0 && p.phones.length === 0) return;
    const newcomer: Merged = { person: { ...p, emails: [...p.emails], phones: [...p.phones] }, roles: new Set([p.role]), index: [i] };
    const [hit, ...others] = [...new Set(keys.map((k) => byKey.get(k)).filter((x) => x !== undefined))].sort((a, b) => a - b);
    if (hit === undefined) {
      const at = out.push(newcomer) - 1;
      keys.forEach((k) => byKey.set(k, at));
      return;
    }
    const m = out[hit]!;
    for (const o of [newcomer, ...others.map((x) => out[x]!)]) absorb(m, o);
    for (const x of others) out[x] = undefined;
    for (const k of [...keys, ...m.person.emails]) byKey.set(k, hit);
  });
  return out.filter((m) => m !== undefined);
}

function absorb(m: Merged, o: Merged): void {
  for (const role of o.roles) m.roles.add(role);
  m.index.push(...o.index);
  const q = m.person;
  const p = o.person;
  if (p.name && p.nameRank > q.nameRank) Object.assign(q, { name: p.name, nameRank: p.nameRank });
  q.company ??= p.company;
  q.title ??= p.title;
  q.metAt ??= p.metAt;
  for (const e of p.emails) if (!q.emails.includes(e)) q.emails.push(e);
  for (const ph of p.phones) if (!q.phones.includes(ph)) q.phones.push(ph);
}

/** Turn a validated capture into the statements that store it. Reads only the
 * user's contacts that the mail names (one indexed lookup), writes nothing itself. */
export async function planCapture(
  db: D1Database,
  userId: number,
  capture: Capture,
  now: number,
  inboundId: number | null,
  /** An interaction this capture adds its people to rather than making one (an updated
   * invitation's meeting). */
  reuse?: number,
): Promise<CapturePlan> {
  const everyone = mergePeople(capture.people);
  const allEmails = [...new Set(everyone.flatMap((m) => m.person.emails))];
  const names = [...new Set(everyone.filter((m) => m.person.emails.length === 0 && m.person.name).map((m) => m.person.name!))];
  const [byEmailRows, byNameRows, blocked] = await Promise.all([
    contactsByEmail(db, userId, allEmails),
    contactsByName(db, userId, names),
    forgottenAmong(db, userId, allEmails),
  ]);
  // Someone the user had Kith forget stays forgotten, whatever mail names them.
  const merged = everyone.filter((m) => !m.person.emails.some((e) => blocked.has(e)));
  const byEmail = new Map(byEmailRows.map((r) => [r.key, r]));
  const byName = new Map(byNameRows.map((r) => [r.key.toLowerCase(), r]));

  const statements: D1PreparedStatement[] = [];
  const contacts: CapturedContact[] = [];
  const idOfIndex = new Map<number, number>();
  const source = capture.kind;
  // An import is an address book, not a meeting: contacts only, no interaction.
  const kind = capture.kind;
  const touchedAt = kind === "import" ? null : capture.occurredAt;

  for (const { person: p, index, roles } of merged) {
    const existing: ExistingContact | undefined =
      p.emails.map((e) => byEmail.get(e)).find(Boolean) ?? (p.emails.length === 0 && p.name ? byName.get(p.name.toLowerCase()) : undefined);
    const id = existing?.id ?? newId();
    if (existing) {
      statements.push(
        mergeContact(db, userId, id, { name: p.name, nameRank: p.nameRank, company: p.company, title: p.title, metAt: p.metAt, touchedAt }, now),
      );
    } else {
      statements.push(
        insertContact(db, {
          id,
          userId,
          name: p.name ?? null,
          nameRank: p.name ? p.nameRank : 0,
          company: p.company ?? null,
          title: p.title ?? null,
          metAt: p.metAt ?? null,
          source,
          introducedBy: null,
          lastInteractionAt: touchedAt,
          now,
        }),
      );
    }
    // Addresses already on file (this contact's or another's) stay where they are.
    for (const e of p.emails) if (!byEmail.has(e)) statements.push(addContactEmail(db, userId, id, e));
    for (const ph of p.phones) statements.push(addContactPhone(db, id, ph));
    index.forEach((i) => idOfIndex.set(i, id));
    const better = existing && p.name && p.nameRank > existing.name_rank;
    contacts.push({
      id,
      isNew: !existing,
      name: better || !existing ? (p.name ?? null) : existing.name,
      email: p.emails[0] ?? null,
      company: existing?.company ?? p.company ?? null,
      title: existing?.title ?? p.title ?? null,
      phones: p.phones,
      cadenceDays: existing?.cadence_days ?? null,
      muted: existing?.muted_at != null,
      roles: [...roles],
      promised: (existing?.open_promises ?? 0) > 0,
    });
  }

  let interactionId: number | null = null;
  let introductions = 0;
  let introduction: CapturePlan["introduction"] = null;
  if (kind !== "import" && merged.length > 0) {
    interactionId = reuse ?? newId();
    if (reuse === undefined)
      statements.push(
        insertInteraction(db, {
        id: interactionId,
        userId,
        kind,
        occurredAt: capture.occurredAt,
        subject: capture.subject ?? null,
        summary: capture.summary ?? null,
          inboundId,
          now,
        }),
      );
    for (const m of merged) {
      const cid = idOfIndex.get(m.index[0]!)!;
      for (const role of m.roles) statements.push(linkInteraction(db, interactionId, cid, role));
    }
    const intro = capture.intro;
    const aId = intro ? idOfIndex.get(intro.a) : undefined;
    // A side that was forgotten (not saved) is no intro at all, not one to the user.
    const whole = intro && (intro.b === null || idOfIndex.has(intro.b)) && (intro.introducer === null || idOfIndex.has(intro.introducer));
    if (intro && whole && aId !== undefined) {
      const bId = intro.b === null ? null : (idOfIndex.get(intro.b) ?? null);
      const introducerId = intro.introducer === null ? null : (idOfIndex.get(intro.introducer) ?? null);
      introduction = { id: newId(), introducerId, aId, bId };
      statements.push(insertIntroduction(db, { ...introduction, userId, interactionId, now }));
      introductions = 1;
      // Someone else introduced the user: remember who, on the contacts it brought.
      if (introducerId !== null) {
        for (const cid of [aId, bId]) {
          if (cid !== null && cid !== introducerId) statements.push(mergeContact(db, userId, cid, { introducedBy: introducerId }, now));
        }
      }
    }
  }
  const suggestions = await maybeSame(db, userId, merged, contacts, idOfIndex);
  for (const s of suggestions) statements.push(insertSuggestion(db, { id: newId(), userId, ...s, now }));
  const forgotten = [...blocked].sort();
  return { statements, contacts, forgotten, suggestions, interactionId, introductions, introduction, contactAt: idOfIndex };
}

/** Newcomers with an address whose name (accents and case aside) or phone is already
 * someone else's: probably the same person under another address. Offered to the user,
 * never merged on a guess. */
async function maybeSame(db: D1Database, userId: number, merged: Merged[], contacts: CapturedContact[], idOfIndex: Map<number, number>): Promise<Suggestion[]> {
  const fresh = merged
    .map((m) => ({ m, c: contacts.find((c) => c.id === idOfIndex.get(m.index[0]!))! }))
    .filter(({ m, c }) => c.isNew && m.person.emails.length > 0);
  if (fresh.length === 0) return [];
  const keyOf = (m: (typeof fresh)[number]["m"]) => (m.person.name && m.person.nameRank >= 2 ? nameKey(m.person.name) : "");
  const keys = [...new Set(fresh.map(({ m }) => keyOf(m)).filter((k) => k.includes(" ")))];
  const phones = [...new Set(fresh.flatMap(({ m }) => m.person.phones))];
  const found = await sameNameOrPhone(db, userId, keys, phones);
  const out: Suggestion[] = [];
  const inThisMail = new Set(contacts.map((c) => c.id));
  for (const { m, c } of fresh) {
    const hit =
      found.find((f) => !inThisMail.has(f.id) && f.phone !== null && m.person.phones.includes(f.phone)) ??
      found.find((f) => !inThisMail.has(f.id) && f.phone === null && keyOf(m) !== "" && f.name_key === keyOf(m));
    if (hit && !out.some((s) => s.contactId === c.id)) out.push({ contactId: c.id, otherId: hit.id, reason: hit.phone !== null ? "phone" : "name" });
  }
  return out;
}
