import { getDomain } from "tldts";
import { tagList } from "./canonical";
import type { TxtLookup } from "./dns";

/**
 * DMARC (RFC 7489): which domain's policy applies to a From domain, what it says, and
 * whether a DKIM signing domain is aligned with the From domain under it.
 */

export interface DmarcPolicy {
  /** Where the record was found. */
  record: string;
  /** p= (or sp= for a subdomain of the organizational domain); "none" when unreadable. */
  policy: "none" | "quarantine" | "reject";
  /** adkim=: relaxed (same organizational domain) or strict (the same domain). */
  strict: boolean;
}

export type PolicyAnswer =
  | { kind: "policy"; policy: DmarcPolicy }
  | { kind: "none" }
  | { kind: "temperror"; reason: string };

/**
 * The organizational domain (RFC 7489 §3.2): the registrable domain by the Public Suffix
 * List, its private section included (tldts, which carries the list), so that names
 * sold or handed out under a shared suffix (`ann.github.io`, `evil.eu.org`) are each
 * their own organization and do not align with one another. A name the list cannot
 * place (a single label, an address) is its own.
 */
export function organizationalDomain(domain: string): string {
  const name = domain.toLowerCase();
  return getDomain(name, { allowPrivateDomains: true }) ?? name;
}

/** Whether a DKIM d= is aligned with the From domain (RFC 7489 §3.1.1). */
export function aligned(signingDomain: string, fromDomain: string, strict: boolean): boolean {
  if (signingDomain === fromDomain) return true;
  return !strict && organizationalDomain(signingDomain) === organizationalDomain(fromDomain);
}

/** The policy for mail from `fromDomain`: its own record, else its organizational domain's. */
export async function dmarcPolicy(lookup: TxtLookup, fromDomain: string): Promise<PolicyAnswer> {
  const own = await record(lookup, fromDomain, false);
  const org = organizationalDomain(fromDomain);
  if (own.kind !== "none" || org === fromDomain) return own;
  return record(lookup, org, true);
}

async function record(lookup: TxtLookup, domain: string, forSubdomain: boolean): Promise<PolicyAnswer> {
  const name = `_dmarc.${domain}`;
  const answer = await lookup(name);
  if (answer.kind === "temperror") return answer;
  if (answer.kind === "nxdomain") return { kind: "none" };
  const records = answer.records.filter((r) => /^v\s*=\s*DMARC1\s*(;|$)/.test(r));
  // Two records is no record (RFC 7489 §6.6.3).
  const only = records.length === 1 ? tagList(records[0] ?? "") : undefined;
  if (only === undefined) return { kind: "none" };
  const p = (forSubdomain ? (only.get("sp") ?? only.get("p")) : only.get("p"))?.toLowerCase();
  const policy = p === "quarantine" || p === "reject" ? p : "none";
  return { kind: "policy", policy: { record: name, policy, strict: only.get("adkim")?.toLowerCase() === "s" } };
}
