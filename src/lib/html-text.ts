/** HTML to readable text, for mails that come with no text part and for HTML bodies
 * inside attached messages. */

// People, notes and signatures sit near the top; past this the rest is dropped unread.
const MAX_HTML_CHARS = 1024 * 1024;
// Elements whose content is not text for a reader.
const HIDDEN = new Set(["script", "style", "head", "title", "template"]);
// Block elements start on a new line; paragraphs and headings also leave a blank line.
const PARAGRAPH = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6"]);
const BLOCK = new Set([
  "div", "tr", "li", "ul", "ol", "dl", "dt", "dd", "table", "blockquote", "pre", "hr",
  "section", "article", "header", "footer", "address", "center", "form", "fieldset",
]);

/**
 * HTML to readable text in one forward scan. Every search moves forward from where the
 * last one ended, and a search that finds nothing is never repeated, so the work stays
 * linear however the tags are broken (the corpus has a 570 KB punctuation bomb).
 */
export function htmlToText(html: string): string {
  const src = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  const out: string[] = [];
  let breaks = 2; // newlines ending `out`; starts at 2 so the text opens with no blank line
  let space = false;
  const text = (raw: string): void => {
    const t = decodeEntities(raw).replace(/\s+/g, " ");
    if (t.startsWith(" ")) space = true;
    const words = t.trim();
    if (!words) return;
    if (space && breaks === 0) out.push(" ");
    out.push(words);
    breaks = 0;
    space = t.endsWith(" ");
  };
  // Blocks ensure `atLeast` newlines; <br> always adds one, up to one blank line.
  const newline = (atLeast: number): void => {
    space = false;
    for (const want = atLeast < 0 ? Math.min(breaks + 1, 2) : atLeast; breaks < want; breaks++) out.push("\n");
  };
  const unclosed = new Set<string>();
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    if (lt < 0) break;
    const next = src.charAt(lt + 1);
    if (!/[a-zA-Z/!?]/.test(next)) {
      text(src.slice(i, lt + 1));
      i = lt + 1;
      continue;
    }
    text(src.slice(i, lt));
    if (src.startsWith("<!--", lt)) {
      const close = src.indexOf("-->", lt + 4);
      i = close < 0 ? src.length : close + 3;
      continue;
    }
    const gt = src.indexOf(">", lt);
    if (gt < 0) {
      i = src.length; // an unterminated tag runs to the end, as in a browser
      break;
    }
    const name = /^\/?([a-zA-Z][a-zA-Z0-9]*)/.exec(src.slice(lt + 1, Math.min(gt, lt + 40)))?.[1]?.toLowerCase() ?? "";
    const closing = next === "/";
    i = gt + 1;
    if (name === "br") newline(-1);
    else if (PARAGRAPH.has(name)) newline(2);
    else if (BLOCK.has(name)) newline(1);
    else if (name === "td" || name === "th") space = true;
    else if (!closing && HIDDEN.has(name) && !unclosed.has(name)) {
      const end = new RegExp(`</${name}\\b`, "gi");
      end.lastIndex = i;
      const found = end.exec(src);
      if (!found) unclosed.add(name);
      else {
        const after = src.indexOf(">", found.index);
        i = after < 0 ? src.length : after + 1;
      }
    }
  }
  if (i < src.length) text(src.slice(i));
  return out.join("").trimEnd();
}

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", ndash: "\u2013", mdash: "\u2014",
  lsquo: "\u2018", rsquo: "\u2019", sbquo: "\u201a", ldquo: "\u201c", rdquo: "\u201d",
  bdquo: "\u201e", hellip: "\u2026", bull: "\u2022", euro: "\u20ac", trade: "\u2122",
  lsaquo: "\u2039", rsaquo: "\u203a", ensp: " ", emsp: " ", thinsp: " ", zwnj: "", zwj: "",
  OElig: "\u0152", oelig: "\u0153", Scaron: "\u0160", scaron: "\u0161",
};
// The Latin-1 entities, in code point order from U+00A0.
const LATIN1 =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 " +
  "acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde " +
  "Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc " +
  "Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml " +
  "aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc " +
  "otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";
LATIN1.split(" ").forEach((name, k) => (NAMED[name] = String.fromCharCode(0xa0 + k)));

function decodeEntities(s: string): string {
  if (!s.includes("&")) return s;
  return s.replace(/&(?:#(\d{1,7});?|#[xX]([0-9a-fA-F]{1,6});?|([a-zA-Z][a-zA-Z0-9]{1,31});)/g, (m: string, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED[name] ?? m;
    const cp = dec !== undefined ? parseInt(dec, 10) : parseInt(hex ?? "", 16);
    return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : "\ufffd";
  });
}
