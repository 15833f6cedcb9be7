import { escapeRegExp } from "../lib/regexp";
import type { Capture, CapturePerson } from "../people/capture";
import { cleanName, nameFromAddress } from "../people/names";
import { NameRank } from "./types";

/** Introductions: "Bob, meet Carol", "Bob <> Carol", "introducing ...", "connecting you two";
 * and the intro someone made, found in the quote of the user's answer to it. */

const WORDING = [
  // "Bob, meet Carol", "I'd like you to meet Carol"; not "let's meet Tuesday".
  /\bmeet\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December|Today|Tomorrow|Next|This|Up|In|At|For|On|Here|There)\b)\p{Lu}\p{L}+/u,
  /\S\s*(<>|<->|<=>|↔|⇔)\s*\S/,
  /\bintro(duc(e|ed|es|ing|tion|tions))?\b/i,
  /\bconnect(ing)? (you|the two of you)\b/i,
  /\byou two should\b/i,
  /\b(looping|loop) (you )?in\b/i,
  /\bputting you (two )?in touch\b/i,
  /\bthought you (two|both) should (talk|connect|meet)\b/i,
];

export function hasIntroWording(text: string): boolean {
  const t = text.slice(0, 4000);
  return WORDING.some((re) => re.test(t));
}

/** Which two of the recipients the text introduces: the ones it names first, else the
 * first two. Names match on the first word of a recipient's name or the local part. */
export function introPair(text: string, recipients: { name?: string; email?: string }[]): [number, number] | null {
  if (recipients.length < 2) return null;
  const t = text.slice(0, 4000).toLowerCase();
  const at = recipients.map((r, i) => {
    const keys = [r.name?.split(/\s+/)[0], r.email?.split("@")[0]?.split(/[._+-]/)[0]]
      .filter((k): k is string => !!k && k.length > 1)
      .map((k) => k.toLowerCase());
    const hits = keys.map((k) => t.search(new RegExp(`\\b${k.replace(/[^\p{L}\p{N}]/gu, "")}\\b`, "u"))).filter((p) => p >= 0);
    return { i, pos: hits.length ? Math.min(...hits) : Number.MAX_SAFE_INTEGER };
  });
  at.sort((a, b) => a.pos - b.pos || a.i - b.i);
  return [at[0]!.i, at[1]!.i].sort((a, b) => a - b) as [number, number];
}

/** The commonest intro follow-up: the user answers someone's intro ("Thanks Raj, moving
 * you to bcc!") and the introducer is only in the quote below. When the quoted mail's
 * author (from its "On … <address> wrote:" line) is someone else and it reads as an
 * intro naming a recipient, that recipient was introduced to the user by its author. */
export function introducedInQuote(capture: Capture, body: string, isOwn: (address: string) => boolean): void {
  const quote = quotedMail(body);
  if (!quote || isOwn(quote.author.email) || !hasIntroWording(quote.text)) return;
  const people = capture.people;
  // The quote must name one of the recipients (not only its author).
  const named = people.find((p) => !p.emails.includes(quote.author.email) && namedIn(quote.text, p));
  if (!named) return;
  let introducer = people.findIndex((p) => p.emails.includes(quote.author.email));
  if (introducer < 0) {
    const name = cleanName(quote.author.name, quote.author.email);
    introducer = people.push({ role: "introducer", name: name ?? nameFromAddress(quote.author.email), nameRank: name ? NameRank.display : NameRank.address, emails: [quote.author.email], phones: [] }) - 1;
  } else people[introducer]!.role = "introducer";
  const a = people.indexOf(named);
  people[a]!.role = "introduced";
  capture.intro = { introducer, a, b: null };
}

/** Whether a text names someone by the first word of their name or their address's local part. */
function namedIn(text: string, p: CapturePerson): boolean {
  const keys = [p.name?.split(/\s+/)[0], p.emails[0]?.split("@")[0]?.split(/[._+-]/)[0]].filter((k): k is string => !!k && k.length > 1);
  return keys.some((k) => new RegExp(`\\b${escapeRegExp(k)}\\b`, "iu").test(text));
}

/** The first quoted mail under what the user typed: its author and its text. */
function quotedMail(body: string): { author: { name?: string; email: string }; text: string } | null {
  const lines = body.slice(0, 20_000).split(/\r?\n/);
  const at = lines.findIndex((l) => /(?:wrote|a écrit|escribió|schrieb [^:]{1,160}):\s*$/i.test(l.trim()));
  if (at < 0) return null;
  // An attribution wraps onto at most three lines.
  const attribution = lines.slice(Math.max(0, at - 2), at + 1).filter((l) => !l.trim().startsWith(">")).join(" ");
  const m = [...attribution.matchAll(/(?:"?([^"<>,]{1,80}?)"?\s*)?<([^<>\s@]+@[^<>\s]+\.[^<>\s]+)>/g)].at(-1) ?? null;
  if (!m) return null;
  const name = m[1]?.replace(/^.*\b(?:AM|PM|\d{1,2}:\d{2})\s+/i, "").trim();
  const text = lines
    .slice(at + 1, at + 200)
    .filter((l) => l.trimStart().startsWith(">"))
    .map((l) => l.replace(/^\s*>\s?/, ""))
    .join("\n");
  return text.trim() ? { author: { name: name || undefined, email: m[2]!.toLowerCase() }, text } : null;
}
