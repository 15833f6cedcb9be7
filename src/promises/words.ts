/**
 * The words both reading a promise and seeing it kept go by: the verbs of promises, the
 * promises to answer, and what makes a sentence a question or a denial.
 */

export type Kind = "thing" | "intro" | "act";

// The verbs of promises, with their -ing forms ("I'll be sending") and the base of each.
export const SEND = [
  "send", "resend", "share", "forward", "circulate", "provide", "deliver", "upload", "put together", "pull together",
  "prepare", "write up", "draft", "dig up", "pass along",
];
export const ACT = [
  "circle back", "follow up", "revert", "reply", "respond", "confirm", "check", "look into", "look at", "look over",
  "go through", "take a look", "have a look", "review", "read", "set up", "schedule", "book", "arrange", "organise",
  "organize", "ping", "reach out", "invite", "email", "e-mail", "pay", "sign", "submit", "fix", "finalise", "finalize",
  "finish", "sort out", "take care of", "handle", "ask", "talk to", "speak to", "speak with",
];
const ingOf = (w: string): string => (/^(?:get|put|set|ship|drop)$/.test(w) ? `${w}${w.at(-1)}ing` : /[^e]e$/.test(w) ? `${w.slice(0, -1)}ing` : `${w}ing`);
export const withIng = (verbs: string[]): string => verbs.flatMap((v) => [v, v.replace(/^\S+/, ingOf)]).join("|");
// The verbs in VERBS' own patterns too, for "I'll be getting back to you".
const HEADS = [...SEND, ...ACT].map((v) => v.split(" ")[0]!).concat(["get", "come", "call", "ring", "phone", "give", "drop", "keep", "update", "loop", "shoot"]);
export const BASE = new Map(HEADS.map((head) => [ingOf(head), head]));
// The first whose pattern matches where the verb stands wins. Some verbs promise only
// with the right words after them: "get back to you" (not "get back to work"), "call
// you" (not "call it a day"), "get you the deck", "have it over to you".
const VERBS: { kind: Kind; re: RegExp }[] = [
  { kind: "intro", re: /(?:introduc(?:e|ing)|intro|connect(?:ing)?)\s+you(?:\s+(?:two|both|guys))?\b(?:\s+(?:to|with))?|put(?:ting)?\s+you\s+in\s+touch(?:\s+with)?|(?:mak(?:e|ing)|do(?:ing)?|send(?:ing)?)\s+(?:an?|the|a quick)\s+(?:e-?)?intro(?:duction)?(?:\s+(?:to|with|for))?/uy },
  { kind: "thing", re: /get(?:ting)?\s+you(?=\s+(?:the|a|an|my|our|your|some|more|those|these|that|this|\d)\b)|shoot(?:ing)?\s+(?:you|over)\b|(?:have|get(?:ting)?)\s+(?!a look)(?=[^,;]{1,60}?\b(?:to|for)\s+you\b)/uy },
  { kind: "thing", re: new RegExp(String.raw`(?:${withIng(SEND)})(?:\s+(?:over|along|across|through|out))?\b`, "uy") },
  { kind: "act", re: /(?:get(?:ting)?|com(?:e|ing))\s+back(?=\s+to\s+(?:you|y'all|them|him|her|everyone|\p{Lu})|\s+with\b|\s*[.,;!]|\s*$)|(?:call|ring|phone)(?:ing)?(?=\s+(?:you|them|him|her|back|\p{Lu}))|(?:giv(?:e|ing)|drop(?:ping)?)\s+you\s+an?\s+(?:call|ring|line|note)\b/uy },
  { kind: "act", re: new RegExp(String.raw`(?:${withIng(ACT)}|follow-up|let\s+\S+\s+know|keep(?:ing)?\s+you\s+(?:posted|updated|in the loop)|updat(?:e|ing)\s+you|loop(?:ing)?\s+(?:you\s+)?in|cc)\b`, "uy") },
];
// A promise to answer (in its base form) needs no object ("I'll follow up"), and any
// later mail to the person keeps it.
export const ANSWER = /^(?:(?:get|come|circle) back|follow[ -]?up|revert|reply|respond|confirm|let \S+ know|keep \S+ (?:posted|updated|in the loop)|update \S+|ping|drop \S+ an? (?:line|note))\b/i;

// A question or a denial promises nothing, and hands nothing over.
export const QUESTION = /\?/;
export const NEGATION = /n't\b|\b(?:not|never|cannot|unable|no longer)\b/i;

/** The verb of promises the text opens with, if any. */
export function verbAt(tail: string): { kind: Kind; verb: string } | null {
  for (const { kind, re } of VERBS) {
    re.lastIndex = 0;
    const verb = re.exec(tail)?.[0];
    if (verb !== undefined) return { kind, verb };
  }
  return null;
}
