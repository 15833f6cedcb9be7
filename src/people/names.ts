/** Turning display names, card names and address local parts into a person's name. */
import { decodeWords } from "postal-mime";

// Lower-case name particles: they stay lower case inside a name ("Jan van der Berg").
const PARTICLES = new Set([
  "van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du",
  "la", "le", "ter", "ten", "bin", "binti", "al", "el", "y", "zu",
]);
// Words that make "X, Y" something other than "Family, Given": suffixes and legal forms.
const NOT_GIVEN = /^(?:jr|sr|ii|iii|iv|phd|md|esq|mba|cpa|inc|ltd|llc|llp|gmbh|ag|plc|corp|co|the)\.?$/i;
const HONORIFIC = /^(?:mr|mrs|ms|miss|dr|prof|sir)\.?$/i;
const ROMAN = /^(?:ii|iii|iv)$/i; // generational suffixes; not "vi", a given name
// Local parts that name a role or a system, never a person ("no-reply" is not "No Reply").
const ROLE_WORDS = new Set([
  "info", "noreply", "no", "reply", "donotreply", "support", "sales", "hello", "hi", "team",
  "admin", "contact", "office", "billing", "mail", "mailer", "daemon", "postmaster", "help",
  "service", "services", "news", "newsletter", "notifications", "notification", "marketing",
  "jobs", "careers", "hr", "accounts", "account", "webmaster", "root", "security", "bounce",
  "bounces", "alerts", "updates", "enquiries", "inquiries", "press", "media", "feedback",
]);
const MAX_NAME = 120;

/**
 * A person's name from a display name or card field, or undefined when the text is not
 * a name (an address, empty, punctuation). `email` is the address it came with, if any.
 */
export function cleanName(raw: string | undefined, email?: string): string | undefined {
  // A name field this long is pasted text or an inline blob, not a name.
  if (raw === undefined || raw.length > 1_000) return undefined;
  let name = raw.includes("=?") ? safeDecodeWords(raw) : raw;
  name = name.replace(/[\u200b-\u200f\u2060\ufeff]/g, "").replace(/\s+/g, " ").trim();
  name = name.replace(/\s*<[^<>]*@[^<>]*>\s*/g, " ").replace(/\s*\([^()]*@[^()]*\)\s*/g, " ").trim();
  name = stripQuotes(name);
  name = stripVia(name);
  name = stripQuotes(name);
  if (!name || name.length > MAX_NAME || !/\p{L}/u.test(name)) return undefined;
  if (name.includes("@") || isAddressLocalPart(name, email)) return undefined;
  // Markup and vCard syntax left in a field ("A;B\\C") is not something to call a person.
  if (/[\\;<>{}|=]/.test(name)) return undefined;
  name = swapFamilyGiven(name);
  return fixCase(name);
}

/** A name as duplicate detection compares it: "Jürgen  Müller-Lüdenscheidt" and
 * "jurgen muller ludenscheidt" are the same key. */
export function nameKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** A name spelled out by an address's local part ("carol.diaz@x.com" is "Carol Diaz"). */
export function nameFromAddress(email: string): string | undefined {
  const at = email.lastIndexOf("@");
  if (at < 1) return undefined;
  const local = email.slice(0, at).replace(/\+.*$/, "").toLowerCase();
  let parts = local.split(/[._]+/).filter(Boolean);
  // "carol-diaz" only when nothing else separates the words; "anne-marie.roy" keeps its hyphen.
  if (parts.length === 1) parts = local.split("-").filter(Boolean);
  const last = parts.length - 1;
  parts = parts.map((p, i) => (i === last ? p.replace(/\d+$/, "") : p));
  if (parts.length < 2 || parts.length > 4) return undefined;
  const ok = parts.every((p) => /^\p{L}{2,}(?:-\p{L}{2,})?$/u.test(p) && !ROLE_WORDS.has(p));
  return ok ? fixCase(parts.join(" ")) : undefined;
}

function safeDecodeWords(text: string): string {
  try {
    return decodeWords(text);
  } catch {
    return text;
  }
}

/** Quotes around the whole name: paired ones, or a double quote left dangling by a broken header. */
function stripQuotes(name: string): string {
  let out = name.replace(/\\(["'])/g, "$1");
  for (let i = 0; i < 3; i++) {
    const paired = /^(["'“‘«`])(.*)(["'”’»`])$/su.exec(out);
    let next = out;
    if (paired?.[2] !== undefined && closes(paired[1], paired[3])) next = paired[2].trim();
    // An apostrophe may belong to the name ("O'Neil", "James'"), a stray double quote never does.
    else next = out.replace(/^["“”«»]+/, "").replace(/["“”«»]+$/, "").trim();
    if (next === out) break;
    out = next;
  }
  return out;
}

function closes(open: string | undefined, close: string | undefined): boolean {
  const pairs: Record<string, string> = { '"': '"', "'": "'", "“": "”", "‘": "’", "«": "»", "`": "`" };
  return open !== undefined && (pairs[open] === close || (open === "“" && close === '"'));
}

/** "Carol Diaz (via Google Docs)", "Carol Diaz via LinkedIn": the person, not the service. */
function stripVia(name: string): string {
  return name
    .replace(/\s*[([]\s*via\s[^)\]]*[)\]]\s*$/i, "")
    .replace(/\s+via\s+\S+(?:\s+\S+){0,2}$/i, "")
    .trim();
}

/** A display name that merely repeats the address's local part ("cdiaz", "carol.diaz"). */
function isAddressLocalPart(name: string, email: string | undefined): boolean {
  const local = email?.split("@")[0]?.toLowerCase();
  if (!local || name.toLowerCase() !== local) return false;
  return /[._+\d]/.test(local) || (!/\s/.test(name) && name === name.toLowerCase());
}

/** "Diaz, Carol" is "Carol Diaz"; "Smith, Jr." and "Acme, Inc." are left alone. */
function swapFamilyGiven(name: string): string {
  const m = /^([^,]+),\s*([^,]+)$/.exec(name);
  if (!m?.[1] || !m[2]) return name;
  const family = m[1].trim().split(" ");
  const given = m[2].trim().split(" ");
  const core = family.filter((w) => !PARTICLES.has(w.toLowerCase()));
  if (core.length < 1 || core.length > 2 || given.length > 3) return name;
  if ([...family, ...given].some((w) => NOT_GIVEN.test(w) || HONORIFIC.test(w))) return name;
  if (![...family, ...given].every((w) => /^[\p{L}'’.-]+$/u.test(w))) return name;
  return `${given.join(" ")} ${family.join(" ")}`;
}

/** Sensible capitals for names typed in ALL CAPS or all lower case; mixed case is kept. */
function fixCase(name: string): string {
  const hasUpper = /[\p{Lu}\p{Lt}]/u.test(name);
  const hasLower = /\p{Ll}/u.test(name);
  if (hasUpper && hasLower) return name;
  if (!hasUpper && !hasLower) return name; // scripts without case (CJK, Arabic, ...)
  const words = name.split(" ");
  // A short all-caps single word is more likely initials or an acronym than a name.
  if (words.length === 1 && hasUpper && name.length <= 3) return name;
  return words.map((w, i) => capitaliseWord(w.toLowerCase(), i === 0)).join(" ");
}

function capitaliseWord(word: string, first: boolean): string {
  if (!first && PARTICLES.has(word)) return word;
  if (ROMAN.test(word)) return word.toUpperCase();
  return word
    .split("-")
    .map((part) => {
      const cap = upperFirst(part).replace(/(['’])(\p{L})/gu, (_, q: string, c: string) => q + c.toUpperCase());
      // McDonald, McKenzie: the Mc prefix is reliably followed by a capital; Mac is not (Mack, Macy).
      return /^mc\p{L}{2,}/u.test(part) ? "Mc" + upperFirst(part.slice(2)) : cap;
    })
    .join("-");
}

function upperFirst(s: string): string {
  const [head = "", ...rest] = Array.from(s);
  return head.toUpperCase() + rest.join("");
}
