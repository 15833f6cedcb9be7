import { indexOutsideQuotes, splitOutsideQuotes } from "../../lib/quoted";

/** The iCalendar content-line layer: unfolding, properties with their parameters, the
 * component tree and TEXT values. Tolerant: a line it cannot read is skipped, never thrown. */

const MAX_DEPTH = 8; // VCALENDAR > VEVENT > VALARM is 3; deeper is junk

export interface Prop {
  name: string;
  params: Map<string, string>;
  value: string;
}

export interface Comp {
  name: string;
  props: Prop[];
  children: Comp[];
  closed: boolean;
}

/** The component tree. Unknown lines are skipped; an END closes what it encloses (a
 * generator that forgot one END still wrote the event); what the file leaves open at its
 * end stays unclosed, and an event cut short is not read. */
export function parseTree(text: string): Comp {
  const root: Comp = { name: "", props: [], children: [], closed: true };
  const stack = [root];
  for (const line of contentLines(text.replace(/^\uFEFF/, ""))) {
    const prop = parseLine(line);
    if (!prop) continue;
    const top = stack[stack.length - 1]!;
    const marker = prop.value.trim().toUpperCase();
    if (prop.name === "BEGIN") {
      if (stack.length > MAX_DEPTH) continue;
      const comp: Comp = { name: marker, props: [], children: [], closed: false };
      top.children.push(comp);
      stack.push(comp);
    } else if (prop.name === "END") {
      const at = stack.findLastIndex((c, i) => i > 0 && c.name === marker);
      if (at > 0) for (const c of stack.splice(at)) c.closed = true;
    } else {
      top.props.push(prop);
    }
  }
  return root;
}

/** Physical lines joined into content lines (RFC 5545 folding: CRLF then a space or tab). */
function* contentLines(text: string): Generator<string> {
  let current = "";
  for (const line of text.split(/\r*\n|\r/)) {
    if (current && (line.startsWith(" ") || line.startsWith("\t"))) current += line.slice(1);
    else {
      if (current) yield current;
      current = line;
    }
  }
  if (current) yield current;
}

/** `NAME;PARAM=value;PARAM="quoted":value`; anything else is skipped. */
function parseLine(line: string): Prop | undefined {
  const colon = indexOutsideQuotes(line, ":", 0);
  if (colon <= 0) return undefined;
  const [head = "", ...tokens] = splitOutsideQuotes(line.slice(0, colon), ";");
  const name = head.trim().toUpperCase();
  if (!/^[A-Z0-9-]+$/.test(name)) return undefined;
  const params = new Map<string, string>();
  for (const token of tokens) {
    const eq = token.indexOf("=");
    if (eq > 0) params.set(token.slice(0, eq).trim().toUpperCase(), paramValue(token.slice(eq + 1)));
  }
  return { name, params, value: line.slice(colon + 1) };
}

/** Quotes off; RFC 6868's ^n, ^' and ^^ undone. */
function paramValue(raw: string): string {
  const value = raw.trim().replace(/^"(.*)"$/s, "$1");
  return value.replace(/\^(['n^])/g, (_, c: string) => (c === "n" ? "\n" : c === "'" ? '"' : "^"));
}



export const first = (comp: Comp, name: string): Prop | undefined => comp.props.find((p) => p.name === name);
export const all = (comp: Comp, name: string): Prop[] => comp.props.filter((p) => p.name === name);

/** A TEXT value with its escapes undone. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,:nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

export function textValue(comp: Comp, name: string, max: number, oneLine: boolean): string | undefined {
  const prop = first(comp, name);
  if (!prop) return undefined;
  let value = unescapeText(prop.value);
  value = (oneLine ? value.replace(/\s+/g, " ") : value.replace(/\r\n?/g, "\n")).trim();
  return value ? value.slice(0, max) : undefined;
}
