/** The typed lines of a mail as sentences: paragraphs and list items apart, short lines
 * before a capital ended, then split after . ! ? except in abbreviations. */

const LIST_ITEM = /^(?:[-*•]|\d{1,2}[.)])\s+/;
// Lines shorter than this are not wrapped prose: a break after one before a capital ends
// a sentence ("Sounds good\nI'll send it"), unless the line ends mid-phrase ("… to\nPriya").
const SHORT_LINE = 50;
const ENDS_MID_PHRASE = /\b(?:to|with|and|or|the|a|an|of|for|by|on|at|in|from|about|your|my|our)$/i;
// After . ! ? and a space, except in "e.g. ", "Mr. " and the like.
const SENTENCE_END = /(?<=[.!?…])(?<!\b(?:e\.g|i\.e|mr|mrs|ms|dr|vs|approx|incl)\.)\s+/i;

export function sentencesOf(lines: string[]): string[] {
  const units: string[] = [];
  let unit = "";
  const flush = (): void => {
    if (unit !== "") units.push(unit);
    unit = "";
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "" || LIST_ITEM.test(line)) flush();
    const text = line.replace(LIST_ITEM, "");
    if (text !== "") unit = unit === "" ? text : `${unit} ${text}`;
    const next = lines[i + 1] ?? "";
    if (line.length < SHORT_LINE && /^\p{Lu}/u.test(next) && !ENDS_MID_PHRASE.test(line)) flush();
  }
  flush();
  return units.flatMap((u) => u.split(SENTENCE_END)).map((s) => s.trim()).filter((s) => s !== "");
}
