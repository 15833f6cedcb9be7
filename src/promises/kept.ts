import { sentencesOf } from "./sentences";
import { typedLines } from "./typed";
import { ACT, ANSWER, NEGATION, QUESTION, SEND } from "./words";

/**
 * Whether a later mail keeps the promise `what` (as readPromises phrased it): for a
 * promise to answer ("to get back to them"), the mail itself; for an intro, the intro
 * ("Priya, meet Jane", naming whom it promised); for a thing, an attachment, or the
 * thing named where it is handed over ("Here's the deck", "Attached is the deck we
 * discussed", "As promised, the notes"). A question about it keeps nothing.
 */
export function keptBy(text: string, hasAttachment: boolean, what: string): boolean {
  const sentences = sentencesOf(typedLines(text));
  const w = what.trim();
  if (w.startsWith("to ") && ANSWER.test(w.slice(3))) return sentences.length > 0;
  const statements = sentences.filter((s) => !QUESTION.test(s));
  if (/^an intro\b/i.test(w)) {
    const names = w.match(/\p{Lu}\p{L}+/gu) ?? [];
    return statements.some((s) => INTRO_DONE.test(s)) && names.every((n) => new RegExp(`(?<!\\p{L})${n}(?!\\p{L})`, "u").test(text));
  }
  if (hasAttachment && (!w.startsWith("to ") || SENDS.test(w))) return true;
  const keys = new Set(keyWords(w));
  // "To send it" names nothing to look for: any hand-over keeps it.
  const names = (s: string): boolean => (keys.size === 0 ? SENDS.test(w) : keyWords(s).some((k) => keys.has(k)));
  return statements.some((s) => handsOver(s) && names(s));
}

const INTRO_DONE = /\b(?:intro(?:duc\w*)?|e-?intro|meet|connecting you|putting you in touch|looping in)\b/i;
const SENDS = new RegExp(String.raw`^to (?:${SEND.join("|")}|get|email|e-mail|shoot|have)\b`, "i");
const HANDED_OVER = /\b(?:here(?:'s| is| are| you go| it is| they are)|attached|attaching|enclosed|please find|find (?:attached|below)|as promised|sending (?:you|over|along|it)|(?:i've|i have|we've|we have) (?:attached|sent|shared|included|forwarded)|(?:just )?(?:sent|shared|forwarded) (?:you|it|over)|you'll find|link (?:is )?(?:below|here))\b/i;
const FUTURE = /(?:'ll|\bwill|\bgoing to|\bshall)\b/i;

/** A sentence that hands something over, not one that says it will or has not yet. */
function handsOver(s: string): boolean {
  const cue = HANDED_OVER.exec(s);
  if (!cue) return false;
  const before = s.slice(0, cue.index);
  return !FUTURE.test(before) && !NEGATION.test(before);
}

// Words that name no thing, and the verbs the promises were phrased with.
const STOP = new Set(
  ["the", "a", "an", "to", "of", "for", "with", "and", "or", "on", "in", "at", "from", "my", "your", "their", "our", "his", "her", "them", "you", "it", "this", "that", "these", "those", "some", "any", "all", "more", "over", "back", "up", "me", "us", "new", "latest", "final", "quick", "here", "is", "are", "attached", "get", "have", "email", "e", "mail", "call", "ring", "phone", "give", "drop", "line"].concat(
    [...SEND, ...ACT].flatMap((v) => v.split(" ")),
  ),
);
// Different names for the same thing: "the deck" is kept by "here are the slides".
const SYNONYMS: Record<string, string> = { slide: "deck", presentation: "deck", pitch: "deck", document: "doc", file: "doc", pdf: "doc", agreement: "contract", video: "recording", summary: "note", minute: "note", url: "link" };

function keyWords(s: string): string[] {
  return (s.toLowerCase().match(/\p{L}+/gu) ?? [])
    .filter((w) => w.length > 2 && !STOP.has(w))
    .map((w) => (w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w))
    .map((w) => SYNONYMS[w] ?? w);
}
