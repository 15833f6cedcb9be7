/** Introductions: "Bob, meet Carol", "Bob <> Carol", "introducing ...", "connecting you two". */

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
