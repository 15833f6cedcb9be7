/**
 * Promises in the text of a mail: "I'll send you the deck by Friday" in a mail the user
 * wrote (and Bcc'd to Kith), "Raj and I will send the draft terms" in one they received
 * and forwarded; each with what was promised and when it is due. And whether a later
 * mail keeps one ("Here's the deck").
 *
 * One small grammar for both sides: a first-person subject (I, we, "Raj and I") at the
 * start of a clause, a committing modal ("'ll", "will", "can", "happy to", "let me"),
 * then a verb from a closed list of what people promise in mail (send, introduce, get
 * back, review …). Precision over recall: a false promise is a nagging reminder in
 * someone's inbox, so questions, negations, conditionals, hedges, "be" ("I'll be in
 * Berlin"), verbs off the list, auto-replies and newsletters yield nothing.
 *
 * English only. German, French and Spanish mail yields nothing by construction: every
 * word the grammar needs is English, so a forward in those languages makes no reminder
 * rather than a wrong one. Their quote headers and sign-offs are still cut off, so an
 * English reply above a German thread reads right.
 */
import type { Zone } from "../lib/zone";
import { datesSaid, undated } from "./due";
import { sentencesOf } from "./sentences";
import { typedLines } from "./typed";
import { ACT, ANSWER, BASE, NEGATION, QUESTION, SEND, verbAt, withIng, type Kind } from "./words";

export { keptBy } from "./kept";

export interface FoundPromise {
  /** A phrase that completes "You promised Jane: …" or "Raj promised you: …": "the deck",
   * "an intro to Priya", "to get back to them". */
  what: string;
  dueAt: number;
  /** Whether the mail said when; an undated promise is due UNDATED_DAYS after sending. */
  timed: boolean;
  sentence: string;
}

/** "mine": the user wrote the text to others; "theirs": someone wrote it to the user. */
export type Side = "mine" | "theirs";
export interface ReadOptions {
  side: Side;
  sentAt: number;
  zone: Zone;
}

const MAX_PROMISES = 5;
const MAX_READ = 3 * MAX_PROMISES;
const MAX_WHAT = 80;
const MAX_SENTENCE = 200;

/** The promises a mail makes, at most one a sentence and MAX_PROMISES a mail. */
export function readPromises(text: string, opts: ReadOptions): FoundPromise[] {
  if (!MAY_OPEN.test(text)) return [];
  const lines = typedLines(text);
  if (lines.some((l) => AUTOMATED.test(l))) return [];
  const found: FoundPromise[] = [];
  let read = 0;
  for (const sentence of sentencesOf(lines)) {
    const p = promiseIn(sentence, opts);
    if (!p) continue;
    if (!found.some((f) => f.what.toLowerCase() === p.what.toLowerCase())) found.push(p);
    // Each promise costs a chrono parse: a mail that repeats one stops soon all the same.
    if (found.length === MAX_PROMISES || ++read === MAX_READ) break;
  }
  return found;
}

// An out-of-office reply or a bulk mail promises nothing to anyone in particular.
const AUTOMATED = /\b(?:automatic reply|auto-?reply|out of (?:the )?office until|(?:i am|i'm) currently (?:out|away|on)|(?:limited|intermittent|sporadic|no) access to (?:e-?mail|my (?:e-?mail|inbox))|unsubscribe|view (?:this email )?in (?:your )?browser|you(?:'re| are) receiving this)\b/i;

// ---- The grammar ----

// A subject at the start of a clause and a committing modal; or, opening the sentence,
// a modal whose subject goes without saying ("Happy to make an intro", "Will send Monday",
// "Let me check"). Only "I" and "we" commit the writer: "They will send" is not theirs.
const NAME = String.raw`(?:\p{Lu}[\p{L}'-]+|[Mm]y \p{Ll}+|[Tt]he team)(?: \p{Lu}[\p{L}'-]+)?`;
const OPENER = new RegExp(
  String.raw`(?<![\p{L}'])(?:(?:[Ii]|[Ww]e|${NAME} and I|I and ${NAME})` +
    String.raw`(?:'ll|'m going to|'re going to|'m gonna|'d be (?:happy|glad) to|'(?:m|re) (?:happy|glad) to|` +
    String.raw` (?:will|shall|can|am going to|are going to|would be (?:happy|glad) to|am (?:happy|glad) to|are (?:happy|glad) to))` +
    String.raw`|(?<bare>[Hh]appy to|[Gg]lad to|[Ww]ill|[Ll]et me))\s+`,
  "gu",
);
// A word every OPENER match holds, in any case and with any apostrophe typedLines turns
// into "'" ("'ll", "going", "gonna", "happy", "glad", "will", "shall", "can", "let"):
// text without one makes no promise. Lines are joined with a space and no word is cut,
// so no reshaping between the text and its sentences can make one.
const MAY_OPEN = /['\u2018\u2019\u02bc]ll|going|gonna|happy|glad|will|shall|can|let/i;
// What may stand before a subject: nothing, a comma or dash, or a joining word.
const CLAUSE_START = /(?:^|[,;:(—–-]|\b(?:and|so|but|then|also|ok|okay|sure|yes|yep|great|perfect|thanks|now))$/i;
// What may stand before a bare modal: greetings and assents ("Sure, happy to …").
const ASSENT = /^(?:(?:ok(?:ay)?|sure|yes|yep|yeah|great|perfect|thanks|thank you|sounds good|of course|absolutely|no problem|definitely|will do|noted|got it|hi|hey|hello)(?:\s+\p{L}+)?[\s,.!—–-]*)*$/iu;
// A request ahead of the subject makes what follows an answer to it: "Please send it and I'll …".
const ASKED_FIRST = /\b(?:please|could you|can you|would you|will you|send me)\b/i;
const ADVERBS = /(?:(?:also|then|just|definitely|certainly|gladly|happily|absolutely|surely|quickly|personally|first|now|be sure to|make sure to|try to|try and|aim to|go ahead and|be (?:happy|glad) to)\s+)*(?:be\s+(?=\p{L}+ing\b))?/iuy;

// Rules that undo a match, each a reason the sentence is no promise (as are QUESTION and
// NEGATION).
const HEDGE = /\b(?:maybe|perhaps|probably|possibly|hopefully|might|hope|wish|think|guess|suppose|no promises)\b/i;
// Lower case only: "May" is a month.
const HEDGE_MAY = /\bmay\b/;
const CONDITION = /\b(?:if|unless|whether|once|when|whenever|as soon as|in case|provided|assuming|upon|my return)\b/i;
// "… if that works" and "… if helpful" are politeness, not conditions.
const POLITE = /\bif (?:that|it|this) (?:works|helps|suits you|is (?:helpful|useful|easier|ok|okay))\b|\bif (?:helpful|useful|needed|you(?:'d)? like|you want|that's (?:helpful|easier|ok|okay))\b/gi;
// A closing formula after a promise is not part of it: "I'll send it; let me know if …".
const BOILERPLATE = /\b(?:please\s+)?(?:let (?:me|us) know|(?:do not|don't) hesitate|feel free)\b.*$/i;

/** The promise a sentence makes, if it makes one. */
function promiseIn(raw: string, opts: ReadOptions): FoundPromise | null {
  const sentence = raw.replace(BOILERPLATE, "").trim();
  if (QUESTION.test(sentence) || NEGATION.test(sentence) || HEDGE.test(sentence) || HEDGE_MAY.test(sentence)) return null;
  if (CONDITION.test(sentence.replace(POLITE, ""))) return null;
  for (const m of sentence.matchAll(OPENER)) {
    const lead = sentence.slice(0, m.index).trimEnd();
    if (!(m.groups?.bare ? ASSENT.test(lead) : CLAUSE_START.test(lead)) || ASKED_FIRST.test(lead)) continue;
    const start = m.index + m[0].length;
    ADVERBS.lastIndex = start;
    const tail = sentence.slice(start + (ADVERBS.exec(sentence)?.[0].length ?? 0));
    const verb = verbAt(tail);
    // "I can …" offers things and intros; "I can confirm that …" states a fact.
    if (!verb || (verb.kind === "act" && /\bcan\s*$/.test(m[0]))) continue;
    // Only now, for a verb of promises with something promised, is chrono asked: it is
    // the costly part.
    if (!whatOf(verb, tail, tail.length, opts.side)) continue;
    const said = datesSaid(tail.slice(0, MAX_SENTENCE), opts);
    const what = whatOf(verb, tail, said[0]?.index ?? tail.length, opts.side);
    if (!what) continue;
    const due = said[0]?.at;
    return { what, dueAt: due ?? undated(opts), timed: due !== undefined, sentence: clip(raw.trim(), MAX_SENTENCE) };
  }
  return null;
}

// ---- What was promised ----

// Where the promised thing ends: a clause break, a conjunction that starts a new clause,
// or a word that begins a time ("by", "tomorrow") that chrono did not mark.
const OBJECT_END = /[,;:!()[\]"]|\s[-–—]\s|[—–]|\.(?:\s|$)|\s(?:and then|and (?:i|we|you|he|she|they|it|also)|but|so|because|as|which|since|while|until|till|for you to|so that|by|before|after|no later than|on (?:mon|tue|wed|thu|fri|sat|sun)\w*|next (?:week|month|time|\w+day)|this (?:week|weekend|month|morning|afternoon|evening|\w+day)|tomorrow|today|tonight|later|soon|shortly|asap|right away|eod|eow|cob|first thing|end of|over the weekend|in (?:a|an|one|two|three|a few|a couple of|\d+) (?:minutes?|hours?|days?|weeks?|months?))\b(?!')/i;
// A thing ends where a second promise begins: "a summary and circulate it".
const AND_VERB = new RegExp(String.raw`\s+and\s+(?:${withIng([...SEND, ...ACT])}|get|call)\b.*$`, "iu");
// Words to step over between the verb and the thing: "send over the slides", "email you the deck".
const TO_WHOM = /(?:\s+(?:you(?: both| two| guys| all)?|y'all|him|her|them|us|everyone|over|along|across)\b)*/iy;
const TRAILING = /(?:\s+(?:over|along|across|again|too|as well|also|then|now|ready|for|on|at|in|by|around|from|early|late|mid|sometime|the))+$/i;
const TO_YOU = /\s+(?:over\s+|back\s+)?(?:to|for|with)\s+you$/i;
// A thing named only by a pronoun or a preposition reads better as the act: "to send it".
const NOT_A_THING = /^(?:it|them|this|that|these|those|one|something|everything|all|both|for|with|about|on|to|from|in|at|into|up|back)\b/i;
// Phrases that look like promises and are not.
const NOT_PROMISED = /^to (?:(?:sign|check|log) (?:off|out)|share (?:my|our|the) screen|read the room)\b/i;

/** The phrase for a reminder, from the verb up to `end` (where a date starts), or null
 * when it promises nothing ("I'll send" with no object). */
function whatOf({ kind, verb }: { kind: Kind; verb: string }, tail: string, end: number, side: Side): string | null {
  TO_WHOM.lastIndex = verb.length;
  const toWhom = TO_WHOM.exec(tail)?.[0] ?? "";
  const from = verb.length + toWhom.length;
  const rest = tail.slice(from, Math.max(end, from));
  const stop = OBJECT_END.exec(rest);
  let object = (stop ? rest.slice(0, stop.index) : rest).trim();
  if (kind !== "act") object = object.replace(AND_VERB, "");
  // A one-word object keeps its particle: "to check in".
  if (object.includes(" ")) object = object.replace(TRAILING, "");
  const base = verb.replace(/^\p{L}+ing\b/u, (w) => BASE.get(w.toLowerCase()) ?? w);
  const act = `to ${base}${toWhom} ${object}`.replace(/\s+/g, " ").trim();
  const thing = object.replace(TO_YOU, "");
  // "I'll send" and "I'll check" promise nothing yet; "I'll call you", "I'll follow up" and
  // "happy to make an intro" do.
  const said = kind === "intro" || object !== "" || toWhom !== "" || /\byou\b/i.test(verb) || ANSWER.test(base);
  let what: string | null = null;
  if (!said) what = null;
  else if (kind === "intro") what = thing === "" ? "an intro" : `an intro to ${thing.replace(/^(?:to|with|and)\s+/i, "")}`;
  else if (kind === "thing") what = thing === "" || NOT_A_THING.test(thing) ? act : thing;
  else what = act;
  return what && !NOT_PROMISED.test(act) ? clip(forReader(what, side), MAX_WHAT) : null;
}

// The reminder is read by the user: in their own mail "you" is the other person and "my"
// is theirs ("to get back to them", "your notes"); in a received one "my" is the sender's.
const FOR_READER: Record<Side, Record<string, string>> = {
  mine: { you: "them", your: "their", yours: "theirs", me: "you", my: "your", us: "you", our: "your", myself: "yourself" },
  theirs: { me: "them", my: "their", us: "them", our: "their", myself: "themselves" },
};

function forReader(what: string, side: Side): string {
  const both = side === "mine" ? what.replace(/\byou (?:two|both)\b/gi, "them both") : what;
  return both.replace(/\b(?:you|your|yours|me|my|us|our|myself)\b/gi, (w) => FOR_READER[side][w.toLowerCase()] ?? w);
}

/** At most `max` characters, cut at a word and marked. */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), max / 2)).trimEnd()}…`;
}
