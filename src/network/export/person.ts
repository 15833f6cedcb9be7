/** What an export knows about one person, and the parts every export format writes alike. */

/** One person as an export writes them: what Kith holds about them. */
export interface ExportPerson {
  id: number;
  name: string | null;
  company: string | null;
  title: string | null;
  /** The event where the user met them ("PyCon"). */
  metAt: string | null;
  /** Lower-cased; the first is the main one. */
  emails: string[];
  /** E.164, e.g. "+14155550100". */
  phones: string[];
  notes: { text: string; createdAt: number }[];
  /** Epoch ms: when Kith learned of them. */
  createdAt: number;
  /** The name of whoever introduced them, if known. */
  introducedBy: string | null;
}

/** A name split the way address books file it. Kith holds one name string, so this is a guess. */
export interface NameParts {
  given: string;
  family: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
// "van der" in "Jan van der Berg" belongs to the family name, and is written lower case.
const PARTICLE = /^\p{Ll}+$/u;

/**
 * The last word is the family name, with the lower-case particles before it; the rest
 * is the given name. One word is a given name (how Google and Apple file "Madonna").
 * Chinese, Japanese and Korean names are written family name first.
 */
export function splitName(name: string): NameParts {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length < 2) return { given: words[0] ?? "", family: "" };
  if (CJK.test(name)) return { family: words[0] ?? "", given: words.slice(1).join(" ") };
  let start = words.length - 1;
  while (start > 1 && PARTICLE.test(words[start - 1] ?? "")) start--;
  return { given: words.slice(0, start).join(" "), family: words.slice(start).join(" ") };
}

/** True for a name written family name first, which a "First Last" layout would swap. */
export function isFamilyFirst(name: string): boolean {
  return CJK.test(name);
}

/**
 * The free text an export carries beside the fields: where they met, who introduced
 * them, then each note in the order given. Lines are "\n"-separated; each format
 * writes them its own way.
 */
export function noteText(person: ExportPerson): string {
  const lines: string[] = [];
  if (present(person.metAt)) lines.push(`Met at ${person.metAt.trim()}`);
  if (present(person.introducedBy)) lines.push(`Introduced by ${person.introducedBy.trim()}`);
  for (const note of person.notes) if (present(note.text)) lines.push(note.text.trim());
  // One line-break convention in, so each format has only "\n" to translate.
  return lines.join("\n").replace(/\r\n?/g, "\n");
}

/** A value worth writing: not null, not only whitespace. */
export function present(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value.trim() !== "";
}
