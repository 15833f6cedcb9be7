/** The forward reader hands email-forward-parser only the patterns whose required word
 * the text holds (src/inbound/forward/prefilter.ts). That must change no result: here
 * the library reads every corpus text, and every part of it from each line down (as the
 * levels of a chain are read), with all its patterns and with the filtered ones. */
import EmailForwardParser from "email-forward-parser";
import { describe, expect, it } from "vitest";
import { PatternLists, requiredWord } from "../../src/inbound/forward/prefilter";
import { corpusFiles, corpusText } from "../support/corpus";

const regexesOf = (p: EmailForwardParser) => (p as unknown as { parser: { regexes: Record<string, unknown> } }).parser.regexes;

describe("required words", () => {
  it("finds the word a pattern cannot match without, and none where none is sure", () => {
    expect(requiredWord(/^>?\s*Begin forwarded message\s?:/m)).toBe("Begin forwarded message");
    expect(requiredWord(/^\s?.+\s*[\[|<].+[\]|>]\s?kirjoitti\s?.+\s?:/m)).toBe("kirjoitti");
    expect(requiredWord(/^(\s*Von\s?:(.+))$/m)).toBe("Von");
    // A letter a quantifier makes optional is not required; neither is an alternative,
    // an optional group, a lookaround, a class, an escape or a case-insensitive word.
    expect(requiredWord(/colou?r/)).toBe("colo");
    expect(requiredWord(/Forwarded|Weitergeleitet/)).toBeNull();
    expect(requiredWord(/(?:Fwd)?: x/)).toBeNull();
    expect(requiredWord(/(?!Fwd)Re/)).toBeNull();
    expect(requiredWord(/[Ff]orward/)).toBe("orward");
    expect(requiredWord(/\p{Lu}\u00e9x/u)).toBe("x");
    expect(requiredWord(/Subject:/i)).toBeNull();
    expect(requiredWord(/^(?<date>.+) (?<name>.+) wrote:/m)).toBe("wrote");
    expect(requiredWord(/^\s*_{32}\s*$/m)).toBeNull();
  });

  it("every pattern of the library's that has one holds it as written", () => {
    const regexes = regexesOf(new EmailForwardParser());
    // Where this version of the library keeps them (the reader filters these lists).
    expect((regexes.separator_line as RegExp[]).length).toBeGreaterThan(50);
    expect((regexes.original_from as RegExp[]).length).toBeGreaterThan(10);
    for (const [key, list] of Object.entries(regexes)) {
      if (!Array.isArray(list)) continue;
      for (const re of list as RegExp[]) {
        const word = requiredWord(re);
        if (word !== null) expect(re.source, `${key}: ${re.source}`).toContain(word);
      }
    }
  });
});

describe("the library with only the patterns that can match", () => {
  const all = new EmailForwardParser();
  const filtered = new EmailForwardParser();
  const lists = new PatternLists(regexesOf(filtered));
  const texts = ["forwarded/", "replies/", "intro/"].flatMap((dir) => corpusFiles(dir).filter((f) => /\.(txt|html)$/.test(f)));

  it("has texts to read", () => expect(texts.length).toBeGreaterThan(50));

  it.each(texts)("%s reads the same, whole and from every line down", (file) => {
    // As the forward reader hands it over: "\n" line ends, no BOM or NBSP.
    const text = corpusText(file).replace(/\r\n?/g, "\n").replace(/\uFEFF/g, "").replace(/\u00A0/g, " ");
    const usable = lists.usableIn(text);
    const starts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
    for (const at of starts) {
      const part = text.slice(at);
      for (const subject of [undefined, "Fwd:"]) {
        const want = all.read(part, subject);
        expect(lists.with(usable, () => filtered.read(part, subject)), `${file} from offset ${at}, subject ${subject}`).toEqual(want);
      }
    }
  });
});
