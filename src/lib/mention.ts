import { escapeRegExp } from "./regexp";

/** Whether text names an address as itself, not as part of a longer one: "ann@acme.example"
 * is in "write to ann@acme.example." but not in "joann@acme.example" nor
 * "ann@acme.example.org". Forgetting someone scrubs text with it: the SQL finds
 * candidates with instr() (D1 refuses GLOB patterns this long), this decides. */

// Before it, no character of a local part; after it, none of a domain (a "." may follow
// when what comes after is no letter or digit: the end of a sentence).
const mention = (address: string) => new RegExp(`(?<![a-z0-9._%+-])${escapeRegExp(address)}(?![a-z0-9-]|\\.[a-z0-9])`, "gi");

export function mentions(text: string | null, address: string): boolean {
  return text !== null && mention(address).test(text);
}

/** `text` with every mention of `address` replaced. */
export function replaceMention(text: string, address: string, by: string): string {
  return text.replace(mention(address), by);
}
