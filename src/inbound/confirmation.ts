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

export function confirmation(
  what: string,
  contacts: CapturedContact[],
  extra: { introductions: number; truncated?: string },
): Composed {
  const fresh = contacts.filter((c) => c.isNew).length;
  const lines = contacts.slice(0, 50).map(describe);
  if (contacts.length > 50) lines.push(`  ...and ${contacts.length - 50} more`);
  const intro = extra.introductions > 0 ? "\nThe introduction is recorded.\n" : "";
  return {
    subject: `Kith: saved ${contacts.length} ${contacts.length === 1 ? "contact" : "contacts"}${fresh ? ` (${fresh} new)` : ""}`,
    text: `Saved from ${what}:\n\n${lines.join("\n")}\n${intro}${extra.truncated ? `\n${extra.truncated}\n` : ""}${SIGNOFF}`,
  };
}
