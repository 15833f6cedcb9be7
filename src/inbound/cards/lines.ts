/**
 * What one line of a business-card note is: a labelled field, a name, a job title, a
 * company, an event, or noise. Heuristics for the shapes people type; text.ts puts
 * the lines together into contacts.
 */

export type Field = "name" | "company" | "title" | "email" | "phone" | "event" | "skip";

// Labels in any case, as typed before a colon ("Tel:", "E-mail:", "M:").
const LABELS: [RegExp, Field][] = [
  [/^(?:full ?name|name|contact name|contact|person|who)$/, "name"],
  [/^(?:company|company name|org|organi[sz]ation|employer|firm|business)$/, "company"],
  [/^(?:title|job title|job|role|position|function)$/, "title"],
  [/^(?:e-?mail|e-?mail address|mail|email id|e)$/, "email"],
  [/^(?:phone|phone number|tel|tel\.|telephone|mobile|mobile phone|mob|cell|cell phone|cellphone|direct|office|work|work phone|whatsapp|ph|m|t|p|c|d|o)$/, "phone"],
  [/^(?:event|met at|met|where|conference|occasion)$/, "event"],
  // Known fields Kith does not keep, and forwarded-header lines that name other people.
  [/^(?:notes?|comments?|web|website|url|w|www|linkedin|twitter|x|github|address|addr|fax|f|from|to|cc|bcc|sent|date|subject|reply-to)$/, "skip"],
];

/** A line's label and value, when it starts with a label this module knows. */
export function labelled(segment: string): { field: Field; value: string } | undefined {
  const m = /^([\p{L}][\p{L} .-]{0,24}?)\s*[:：]\s*(.*)$/u.exec(segment);
  if (!m?.[1]) return undefined;
  const label = m[1].toLowerCase().replace(/\s+/g, " ");
  const hit = LABELS.find(([re]) => re.test(label));
  return hit ? { field: hit[1], value: (m[2] ?? "").trim() } : undefined;
}

/** A line that separates one card from the next ("---", "***", "-- ", "-----Original Message-----"). */
export function isSeparator(line: string): boolean {
  return (
    /^(?:[-_=*~#•·]\s*){2,}$/.test(line) ||
    /^-{2,}\s*(?:original message|forwarded message)\s*-{2,}$/i.test(line) ||
    /^begin forwarded message:?$/i.test(line)
  );
}

/** Lines mail clients add that say nothing about the contact. */
export function isNoise(line: string): boolean {
  return (
    /^(?:sent from my|sent from (?:mail|outlook|yahoo|gmail|samsung)|sent (?:via|with|using)|get outlook for|download outlook)\b/i.test(line) ||
    /^(?:https?:\/\/|www\.)\S+$/i.test(line) ||
    // Quote headers of a reply ("On Mon, ... Jane <jane@x> wrote:"): the quoted sender is not a card.
    /^(?:on|am|le|el|il|op)\b.{4,300}\b(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s*:?$/i.test(line) ||
    /^(?:[\w-]+\.)+(?:com|org|net|io|co|ai|dev|app|de|uk|fr)(?:\/\S*)?$/i.test(line)
  );
}

/** Splits a line of several fields ("Jane Smith | CTO | Acme", "Name: X / Email: Y"). */
export function segments(line: string): string[] {
  const byBar = line.split(/\s+[|•·]\s+/);
  return byBar
    .flatMap((part) => part.split(/\s*(?:[/;,]|\s-)\s*(?=[\p{L}][\p{L} .-]{0,24}?\s*[:：](?!\/\/))/u))
    .map((s) => s.trim())
    .filter((s) => s !== "" && !labelOnlyNoise(s));
}

function labelOnlyNoise(segment: string): boolean {
  return /^[-–—,;:/]+$/.test(segment);
}

// Job-title words, English first, then the commonest German, French and Spanish ones.
const TITLE_WORDS =
  /(?<![\p{L}])(?:ceo|cto|cfo|coo|cmo|cio|cpo|cso|cro|vp|svp|evp|avp|founder|co-?founder|director|manager|engineer|engineering|developer|designer|head|lead|president|chair(?:man|woman|person)?|officer|architect|consultant|analyst|scientist|researcher|professor|recruiter|associate|principal|intern|advisor|adviser|owner|editor|writer|journalist|investor|partner|specialist|coordinator|executive|chief|senior|sr|junior|staff|administrator|counsel|attorney|lawyer|student|product|marketing|sales|operations|strategy|secretary|assistant|representative|evangelist|advocate|fellow|mentor|gesch\u00e4ftsf\u00fchrer\w*|leiter\w*|gr\u00fcnder\w*|inhaber\w*|directeur\w*|directrice|fondat\w*|g\u00e9rant\w*|responsable|gerente|director[ae]?|fundador[ae]?|socio|socia)(?![\p{L}])/iu;
const COMPANY_WORDS =
  /\b(?:inc|incorporated|llc|llp|ltd|limited|gmbh|ag|sa|sas|sarl|bv|nv|plc|pty|srl|spa|oy|ab|as|kk|corp|corporation|co|company|group|holdings|labs|technologies|technology|systems|solutions|ventures|capital|partners|studio|studios|software|consulting|university|institute|bank|foundation)\b\.?/i;
const COMPANY_END = new RegExp(`(?:${COMPANY_WORDS.source})$`, "i");
// Words that do not occur in a person's name, so a line holding one is not a name.
const NOT_NAME_WORDS = new Set(
  ("the and or to for with from about this that these those my our your his her their met meet meeting " +
    "call chat talk follow up next week today tomorrow yesterday thanks thank cheers best regards hi hello hey " +
    "dear note notes contact contacts card cards phone email mobile office sent forwarded message great good nice " +
    "new please add also who works working is was are in on of an it we he she they will would should can via " +
    "kind warm sincerely linkedin website address conference summit event booth team intro introduction " +
    "here there interested looking wants want need needs asked let lets see talked spoke")
    .split(" "),
);
const PARTICLES = new Set(["van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "la", "le", "bin", "al", "y"]);
const CJK_NAME = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}・ ]{2,12}$/u;

/** A job title: "Senior Solutions Architect" is one, "Acme Solutions" (ending in a company word) is not. */
export function hasTitleWord(text: string): boolean {
  return TITLE_WORDS.test(text) && !COMPANY_END.test(text);
}

export function hasCompanyWord(text: string): boolean {
  return COMPANY_WORDS.test(text);
}

/** A line that reads as a person's name: 2-4 words (1 where `single` allows), letters only. */
export function isLikelyName(line: string, single = false): boolean {
  if (CJK_NAME.test(line)) return true;
  const words = line.split(/\s+/);
  if (words.length > 4 || words.length < (single ? 1 : 2)) return false;
  if (!words.every((w) => /^\p{L}[\p{L}'’.-]*$/u.test(w))) return false;
  if (words.some((w) => NOT_NAME_WORDS.has(w.toLowerCase()))) return false;
  if (TITLE_WORDS.test(line) || COMPANY_WORDS.test(line)) return false;
  if (words.length === 1 && (line.length < 2 || line.endsWith("."))) return false;
  // Mixed case means a name is capitalised: "Jane Smith", "Jan van der Berg", not "see you soon".
  const mixed = /\p{Lu}/u.test(line) && /\p{Ll}/u.test(line);
  return !mixed || words.every((w) => PARTICLES.has(w) || /^\p{Lu}/u.test(w));
}

/** "Smith, Jane": a family name, a comma and a given name, each one word. */
export function isFamilyGiven(line: string): boolean {
  const m = /^([\p{Lu}][\p{L}'’-]+),\s*([\p{Lu}][\p{L}'’-]+(?:\s+\p{Lu}\.?)?)$/u.exec(line);
  return !!m && isLikelyName(`${m[2]} ${m[1]}`);
}

/** A short Title Case line such as "Acme Robotics" or "Web Summit", not a sentence. */
export function looksLikeCompany(line: string): boolean {
  if (hasCompanyWord(line)) return true;
  const words = line.split(/\s+/);
  if (words.length > 6 || /[.!?:]$/.test(line) || !/^[\p{Lu}\p{N}]/u.test(line)) return false;
  return words.every((w) => w.length < 3 || /^[\p{Lu}\p{N}&]/u.test(w) || /^(?:and|of|for|the|de|und)$/.test(w));
}

/** "CTO, Acme Corp", "CTO at Acme", "Acme - Head of Sales": the pieces of a role line. */
export function roleParts(line: string): string[] {
  return line
    .split(/\s*[,|•·]\s*|\s+[-–—]\s+|\s+(?:at|@)\s+|\s*[()]\s*/)
    .map((p) => p.trim())
    .filter((p) => /\p{L}/u.test(p));
}

// ---------- events ----------

const SUBJECT_PREFIX = /^(?:(?:re|fwd?|fw|wg|tr|aw|sv|vs|rv|enc|antw)\s*(?:\[\d+\])?\s*:\s*)+/i;
const COLLECTIVE = "contacts?|cards?|business cards?|people|connections|leads|folks|intros?";
const COLLECTIVE_FROM = new RegExp(`^(?:${COLLECTIVE})\\s+(?:from|at|@)\\s+(.+)$`, "i");
const NAMED_COLLECTIVE = new RegExp(`^(.+?)\\s+(?:${COLLECTIVE})$`, "i");
const NOT_EVENT = /^(?:new|more|some|my|our|your|few|a few|the|these|those|other|latest|recent|today'?s|two|three|kith|business|networking|random)$/i;

/** The event a subject names: "Met at PyCon", "Fwd: met @ PyCon 2026", "PyCon contacts". */
export function eventFromSubject(subject: string | undefined): string | undefined {
  // Runs of spaces folded first: with a long one, NAMED_COLLECTIVE and SUBJECT_PREFIX
  // try every split of it, quadratic in its length (seconds for a 40 KB folded subject).
  const s = (subject ?? "").replace(/\s+/g, " ").replace(SUBJECT_PREFIX, "").trim();
  const met = eventInLine(s);
  if (met) return met;
  const from = COLLECTIVE_FROM.exec(s);
  if (from?.[1]) return tidyEvent(from[1]);
  const named = NAMED_COLLECTIVE.exec(s);
  if (named?.[1] && /^[\p{Lu}\p{N}]/u.test(named[1]) && !NOT_EVENT.test(named[1])) return tidyEvent(named[1]);
  const label = /^event\s*:\s*(.+)$/i.exec(s);
  return label?.[1] ? tidyEvent(label[1]) : undefined;
}

const MET = /met/iu;

/** "Met at X", "met @ X", "Met Jane at X", "(met at X)" anywhere in a line. */
export function eventInLine(line: string): string | undefined {
  if (!MET.test(line)) return undefined; // a quick scan first: most lines say nothing of meeting
  const m = /\bmet\s+(?:[\p{L}'’.-]+\s+){0,3}?(?:at|@)\s*([^()\n]+)/iu.exec(line);
  return m?.[1] ? tidyEvent(m[1]) : undefined;
}

/** The line without its "met at X" phrase, so the rest can still be read as a name. */
export function withoutEvent(line: string): string {
  return line
    .replace(/\s*[(\[]\s*met\s+(?:at|@)\s*[^)\]]*[)\]]/i, "")
    .replace(/\s*[-–—,;]?\s*\bmet\s+(?:at|@)\s*.*$/i, "")
    .trim();
}

const TIME_WORDS =
  /\s+(?:yesterday|today|tonight|last (?:night|week|month|year)|this (?:morning|afternoon|evening|week)|on (?:mon|tues|wednes|thurs|fri|satur|sun)day|in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b.*$/i;

export function tidyEvent(raw: string): string | undefined {
  const event = raw
    .split(/[.!?;]\s|[.!?;]$|\s[-–—]\s|,\s/)[0]
    ?.replace(TIME_WORDS, "")
    .replace(/\s+'?(?:19|20)?\d{2}$/, "")
    .replace(/^the\s+/i, "")
    .replace(/[\s:.,!]+$/, "")
    .trim();
  return event && event.length >= 2 && event.length <= 80 && /\p{L}/u.test(event) ? event : undefined;
}
