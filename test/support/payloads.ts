/** Hostile text for every field that reaches HTML or a mail header, and the one rule that
 * decides whether a rendering let any of it become markup. Used by the mail tests in
 * workerd (HTMLRewriter lists the elements) and by the browser test (the DOM does). */

/** Each script payload calls alert with its own number, so a failure says which one. */
export const PAYLOADS = {
  script: "<script>alert(1)</script>",
  attrBreak: '"><img src=x onerror=alert(2)>',
  svg: "<svg onload=alert(3)>",
  jsUrl: "javascript:alert(4)",
  title: "</title><script>alert(5)</script>",
  quote: "' onmouseover='alert(6)",
  template: "{{7*7}} ${7*7}",
  anchor: '<a href="javascript:alert(8)">click</a>',
  style: "</style><script>alert(9)</script>",
  dataUrl: "data:text/html;base64,PHNjcmlwdD5hbGVydCgxMCk8L3NjcmlwdD4=",
  unicode: "Eve\u2028Mallory\u202Egnp.exe\u200B",
  textarea: "</textarea><script>alert(12)</script>",
  long: `${"<img src=x onerror=alert(13)>".repeat(150)}end`,
} as const;

export type PayloadName = keyof typeof PAYLOADS;
export const NAMES = Object.keys(PAYLOADS) as PayloadName[];
/** The payloads short enough for a header or a one-line field. */
export const SHORT = NAMES.filter((n) => n !== "long");

/** Header-shaped text: must never become a header of a mail Kith sends. */
export const HEADER_PAYLOADS = {
  crlf: "Jane\r\nBcc: victim@example.com",
  lf: "X\nSubject: spoof",
  cr: "Y\rX-Injected: 1",
  // Encoded words that decode to CR/LF (the parser decodes them for Subject and names).
  word: "=?utf-8?b?SmFuZQ0KQmNjOiB2aWN0aW1AZXhhbXBsZS5jb20=?=",
  wordQ: "=?utf-8?q?Jane=0D=0ABcc:_victim@example.com?=",
} as const;

/** An RFC 2047 encoded word: any text, quotes and line breaks included, in a header. */
export function word(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return `=?utf-8?b?${btoa(bin)}?=`;
}

export interface Element {
  tag: string;
  attrs: [string, string][];
}

/** Elements no page or mail of Kith has: any one of them came from a payload. */
const FOREIGN = new Set(["script", "img", "svg", "iframe", "object", "embed", "math", "base", "style", "video", "audio", "frame", "frameset"]);
const URL_ATTRS = new Set(["href", "src", "action", "formaction", "xlink:href", "background", "poster"]);

/** What in a rendering is markup a payload made: a foreign element, an event handler, a
 * script or data URL. Empty when every payload stayed text. */
export function hostileMarkup(elements: Element[]): string[] {
  const found: string[] = [];
  for (const el of elements) {
    if (FOREIGN.has(el.tag)) found.push(`<${el.tag}>`);
    for (const [name, value] of el.attrs) {
      if (/^on/i.test(name)) found.push(`<${el.tag} ${name}>`);
      // Browsers drop whitespace and control characters before the scheme.
      if (URL_ATTRS.has(name) && /^(?:javascript|data|vbscript):/i.test(value.replace(/[\u0000-\u0020]/g, ""))) found.push(`<${el.tag} ${name}="${value.slice(0, 40)}">`);
    }
  }
  return found;
}
