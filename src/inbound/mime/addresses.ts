import type { Address } from "postal-mime";
import type { Person } from "../types";

/** Header address lists (groups opened) as people: either part may be missing. */
export function flatten(list: Address[] | undefined): Person[] {
  const out: Person[] = [];
  for (const a of list ?? []) {
    if (a.group) out.push(...a.group.map((m) => ({ name: m.name || undefined, email: m.address || undefined })));
    else out.push({ name: a.name || undefined, email: a.address || undefined });
  }
  return out;
}
