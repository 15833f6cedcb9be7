/** Senders and recipients of a forwarded message as clean Persons: the inline reader's
 * mailboxes and postal-mime's parsed addresses alike. */
import type { EmailForwardMailbox } from "email-forward-parser";
import type { Address } from "postal-mime";
import type { Person } from "../types";

const ADDRESS = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]+$/;

export function toPerson(box: { address?: string | null; name?: string | null } | undefined): Person {
  const addr = (box?.address ?? "").trim().replace(/^mailto:/i, "").replace(/^[<[]|[>\]]$/g, "").toLowerCase();
  const email = ADDRESS.test(addr) ? addr : undefined;
  let name = (box?.name ?? "").replace(/<>|\[\]/g, "").replace(/\s+/g, " ").trim().replace(/^(["'])(.*)\1$/, "$2").trim();
  if (!email && !name && addr) name = addr; // "user0": a local name, not an address
  const person: Person = {};
  if (name && name.toLowerCase() !== email) person.name = name;
  if (email) person.email = email;
  return person;
}

export function toPeople(list: EmailForwardMailbox | EmailForwardMailbox[] | null | undefined): Person[] {
  const boxes = Array.isArray(list) ? list : list ? [list] : [];
  return boxes.map(toPerson).filter((p) => p.email || p.name);
}

export function fromAddresses(list: Address[] | Address | undefined): Person[] {
  const flat = (Array.isArray(list) ? list : list ? [list] : []).flatMap((a) => (a.group ? a.group : [a]));
  return flat.map((m) => toPerson({ address: m.address, name: m.name })).filter((p) => p.email || p.name);
}

export const firstMailbox = (list: Address[] | Address | undefined): Person | undefined => fromAddresses(list)[0];
