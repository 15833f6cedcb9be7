import { type PauseCommand, parsePauseCommand } from "../settings/pause-grammar";

/** Commands a user types as the subject or first line of a mail to Kith. */

export type Command =
  | { name: "help" }
  | { name: "aliases" }
  | { name: "alias"; address: string }
  | { name: "unalias"; address: string }
  | { name: "yes" }
  | PauseCommand
  | { name: "summary" };

const ADDRESS = /^<?([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+?)>?[.!]?$/;

/** The part of a reply the user typed: everything above the first quote marker. */
export function topOfBody(text: string): string {
  const out: string[] = [];
  const head = text.slice(0, 20_000);
  // Line by line up to the marker (lines end in "\n" or "\r\n"), not split whole: the
  // quoted thread below it can be most of the text.
  for (let at = 0; at <= head.length; ) {
    const nl = head.indexOf("\n", at);
    const end = nl < 0 ? head.length : nl;
    const line = head.slice(at, nl > at && head[nl - 1] === "\r" ? nl - 1 : end);
    at = end + 1;
    const t = line.trim();
    if (t.startsWith(">")) break;
    if (/^(-{2,}\s*(Original Message|Forwarded message)|_{10,}|On .{1,200} wrote:$|Le .{1,200} a écrit ?:$|Am .{1,200} schrieb .{1,200}:$)/i.test(t)) break;
    if (t === "--" || t === "-- ") break;
    out.push(line);
  }
  return out.join("\n").trim();
}

/** Reads one command from a line; null when the line is not a command. */
export function parseCommand(line: string): Command | null {
  const t = line.trim().replace(/\s+/g, " ").slice(0, 400);
  const lower = t.toLowerCase().replace(/^(re|fwd?|aw|sv|tr):\s*/i, "");
  if (/^(help|\?|commands|how does this work\??)[.!]?$/.test(lower)) return { name: "help" };
  if (/^(aliases|my addresses)[.!]?$/.test(lower)) return { name: "aliases" };
  // Not after "Fwd:": a forwarded thread called "Summary" is a forward, not a command.
  if (/^(?:send (?:me )?(?:my |a |the )?)?(?:weekly )?summary(?: now| please)?[.!?]?$/i.test(t)) return { name: "summary" };
  if (/^(yes|y|yes please|confirm|confirmed|yes,? (it was|that was) me)[.!]?$/.test(lower)) return { name: "yes" };
  const pause = parsePauseCommand(t);
  if (pause) return pause;
  const m = /^(alias|add address|unalias|remove alias|remove address)\s+(.+)$/.exec(lower);
  if (m) {
    const a = ADDRESS.exec(m[2]!.trim());
    if (!a) return null;
    const address = a[1]!.toLowerCase();
    return m[1] === "alias" || m[1] === "add address" ? { name: "alias", address } : { name: "unalias", address };
  }
  return null;
}

/** A mail whose subject or first typed line is a command. `top` is `topOfBody(body)`,
 * for a caller that has it already. */
export function commandIn(subject: string | undefined, body: string, top = topOfBody(body)): Command | null {
  const fromSubject = subject ? parseCommand(subject) : null;
  if (fromSubject) return fromSubject;
  const first = top.split(/\r?\n/).find((l) => l.trim() !== "");
  return first ? parseCommand(first) : null;
}

/** A note that looks like it meant to be a command but is not one we know. */
export function looksLikeCommand(subject: string | undefined, body: string): boolean {
  const text = topOfBody(body);
  return text.length < 60 && !text.includes("@") && !/\d{3}/.test(text) && (subject ?? "").length < 60;
}
