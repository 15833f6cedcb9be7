import { type Composed, SIGNOFF } from "../mail-out/compose";
import type { CapturedContact } from "../people/apply";

/** The confirmation of a captured mail: who was saved, new or known. */

function describe(c: CapturedContact): string {
  const who = c.name ?? c.email ?? c.phones[0] ?? "someone";
  const extra = [c.name && c.email ? c.email : null, [c.title, c.company].filter(Boolean).join(", ") || null, ...c.phones.filter((p) => p !== who)]
    .filter(Boolean)
    .join(" · ");
  return `  * ${who}${extra ? ` (${extra})` : ""}${c.isNew ? " (new)" : ""}`;
}

/** A newcomer who may be someone the user has: by number, for "merge 1". */
export interface MaybeSame {
  newcomer: string;
  known: string;
  knownAddress: string | null;
}

export function confirmation(
  what: string,
  contacts: CapturedContact[],
  extra: { introductions: number; truncated?: string; forgotten?: string[]; maybeSame?: MaybeSame[]; /** Lines said after the saved people: promises, a meeting. */ notes?: string[] },
): Composed {
  const fresh = contacts.filter((c) => c.isNew).length;
  const lines = contacts.slice(0, 50).map(describe);
  if (contacts.length > 50) lines.push(`  ...and ${contacts.length - 50} more`);
  const intro = extra.introductions > 0 ? "\nThe introduction is recorded.\n" : "";
  const said = extra.notes?.length ? `\n${extra.notes.join("\n")}\n` : "";
  const forgotten = extra.forgotten?.length ? `\nNot saved, as you asked Kith to forget them: ${extra.forgotten.join(", ")}.\n` : "";
  const same = extra.maybeSame ?? [];
  const maybe = same.length
    ? `\n${same
        .map((s, i) => `${same.length > 1 ? `${i + 1}. ` : ""}${s.newcomer} may be the ${s.known} you already have${s.knownAddress ? ` (${s.knownAddress})` : ""}: reply "merge ${i + 1}" to join them.`)
        .join("\n")}\n`
    : "";
  const saved = contacts.length > 0 ? `Saved from ${what}:\n\n${lines.join("\n")}\n` : `Nothing saved from ${what}.\n`;
  return {
    subject: `Kith: saved ${contacts.length} ${contacts.length === 1 ? "contact" : "contacts"}${fresh ? ` (${fresh} new)` : ""}`,
    text: `${saved}${intro}${said}${maybe}${forgotten}${extra.truncated ? `\n${extra.truncated}\n` : ""}${SIGNOFF}`,
  };
}
