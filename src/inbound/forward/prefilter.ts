/**
 * email-forward-parser tries every one of its patterns, one per client and language,
 * over the whole text, and keeps the match nearest the top: ~70 separator patterns, ~25
 * for each header field, at every level of a chain. Most of them name a word the text
 * does not hold ("Vidarebefordrat meddelande", "kirjoitti"), and a pattern whose
 * required word is absent cannot match, so leaving it out changes no result. This finds
 * each pattern's required word once, and hands the library, for one text, only the
 * patterns that can match it.
 */

/** The longest run of letters every match of `re` must contain, or null when the
 * pattern has none it is sure of (an alternation, an optional group, a case-insensitive
 * flag: those are always kept). */
export function requiredWord(re: RegExp): string | null {
  if (re.flags.includes("i")) return null;
  const src = re.source;
  // An optional or alternative group, or a lookaround, could hold any word: none is
  // required. (Escapes and classes blanked first: "[|<]" is no alternation.)
  if (/\)[?*]|\)\{0|\||\(\?<?[=!]/.test(src.replace(/\\./g, "__").replace(/\[(?:[^\]\\]|\\.)*\]/g, "_"))) return null;
  let best = "";
  let run = "";
  const end = () => {
    if (run.length > best.length) best = run;
    run = "";
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      end();
      // Past the escape and what belongs to it: \p{L}, \u{…}, \u00e9, \x41, \k<name>.
      const rest = src.slice(i + 1);
      const m = /^(?:[pPu]\{[^}]*\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|k<[^>]*>|\d+|.)/su.exec(rest);
      i += m ? m[0].length : 1;
      continue;
    }
    if (c === "(" && src[i + 1] === "?") {
      end();
      // A group's name is no text: "(?<date>…)".
      const named = /^\(\?<([A-Za-z_$][\w$]*)>/.exec(src.slice(i));
      i += named ? named[0].length - 1 : 1;
      continue;
    }
    if (c === "[") {
      end();
      // Skip the class, escapes included.
      for (i++; i < src.length && src[i] !== "]"; i++) if (src[i] === "\\") i++;
      continue;
    }
    if (/\p{L}/u.test(c) || (c === " " && run.length > 0)) {
      const next = src[i + 1];
      // A quantifier that allows none makes this letter optional: the run ends before it.
      if (next === "?" || next === "*" || (next === "{" && /^\{0[,}]/.test(src.slice(i + 1)))) {
        end();
        continue;
      }
      run += c;
      continue;
    }
    end();
  }
  end();
  const word = best.trim();
  return word.length > 0 ? word : null;
}

interface Pattern {
  re: RegExp;
  word: string | null;
}

/** The patterns that can match one text: each list's, by key. */
export type Usable = Map<string, RegExp[]>;

/** The library's pattern lists, with each pattern's required word, read once. */
export class PatternLists {
  private readonly lists: [key: string, all: RegExp[], patterns: Pattern[]][];

  /** `regexes`: the library's own (not in its types). Should a version move them, the
   * lists are empty and the library reads with all its patterns, as before. */
  constructor(private readonly regexes: Record<string, unknown> | undefined) {
    this.lists = Object.entries(regexes ?? {})
      // The subject patterns read the mail's subject, not the text.
      .filter((e): e is [string, RegExp[]] => Array.isArray(e[1]) && e[0] !== "subject")
      .map(([key, all]) => [key, all, all.map((re) => ({ re, word: requiredWord(re) }))]);
  }

  /** What can match in `text`, as the library will read it (no CR, BOM or NBSP: the
   * library's own clean-up must not make a word appear), or in any part of it. */
  usableIn(text: string): Usable {
    const has = new Map<string, boolean>();
    const present = (word: string) => {
      let yes = has.get(word);
      if (yes === undefined) has.set(word, (yes = text.includes(word)));
      return yes;
    };
    return new Map(this.lists.map(([key, , patterns]) => [key, patterns.filter((p) => p.word === null || present(p.word)).map((p) => p.re)]));
  }

  /** Runs `read` (the library, synchronously) with only the usable patterns, then puts
   * every list back. */
  with<T>(usable: Usable, read: () => T): T {
    const regexes = this.regexes;
    if (regexes === undefined) return read();
    for (const [key, res] of usable) regexes[key] = res;
    try {
      return read();
    } finally {
      for (const [key, all] of this.lists) regexes[key] = all;
    }
  }
}
