import { readMessage } from "./canonical";
import { Context, type DkimResult, MAX_SIGNATURES, signatureFields, signingDomain } from "./dkim";
import { aligned, dmarcPolicy, type PolicyAnswer } from "./dmarc";
import type { TxtLookup } from "./dns";

/**
 * Kith's own check of a From domain: a DKIM signature that verifies and whose d= is
 * aligned with the From domain (DMARC, RFC 7489). The domain's DMARC record decides
 * strict or relaxed alignment; without a record alignment is relaxed, and still
 * required, since a signature by some other domain says nothing about this From.
 *
 *   pass       an aligned signature verifies
 *   fail       an aligned signature does not verify (the mail was changed, or forged), or
 *              the domain asks receivers to quarantine or reject mail without such a pass,
 *              or the mail can be read two ways (see ambiguity)
 *   temperror  a key or the policy could not be fetched now and might have made a pass
 *   none       nothing authenticates the mail, and its domain does not say that is wrong
 */

export type SenderStatus = "pass" | "fail" | "none" | "temperror";

export interface SenderCheck {
  status: SenderStatus;
  /** Why, in words a user can read. */
  reason: string;
}

export async function checkSender(raw: Uint8Array, fromDomain: string, lookup: TxtLookup, nowMs: number): Promise<SenderCheck> {
  const message = readMessage(raw);
  const ambiguous = ambiguity(message.fields);
  if (ambiguous) return { status: "fail", reason: ambiguous };
  const signatures = signatureFields(message);
  // Only a signature that can align with From can decide anything, so only those cost a look-up.
  const candidates = signatures.filter((f) => aligned(signingDomain(f) ?? "", fromDomain, false)).slice(0, MAX_SIGNATURES);
  const context = new Context(message, lookup, nowMs);
  const [policy, results] = await Promise.all([dmarcPolicy(lookup, fromDomain), Promise.all(candidates.map((f) => context.verify(f)))]);

  const known = policy.kind !== "temperror";
  const strict = policy.kind === "policy" && policy.policy.strict;
  const inForce = results.filter((r) => aligned(r.domain, fromDomain, strict));
  // Without the policy only the From domain itself is aligned for sure, strict or relaxed.
  const sure = known ? inForce : inForce.filter((r) => r.domain === fromDomain);
  const pass = sure.find((r) => r.result === "pass");
  if (pass) return { status: "pass", reason: `DKIM pass for ${pass.domain}, aligned with the From domain ${fromDomain}` };
  // A key that could not be fetched, or a policy that could have aligned a pass, might
  // have made this a pass; and a failing signature does not outweigh a passing one.
  const transient = inForce.find((r) => r.result === "temperror") ?? (!known && inForce.some((r) => r.result === "pass") ? policy : undefined);
  if (transient) return { status: "temperror", reason: transient.reason };
  const failed = sure.find((r) => r.result === "fail");
  if (failed) return { status: "fail", reason: failed.reason };
  if (!known) return { status: "temperror", reason: policy.reason };
  const why = noPass(fromDomain, signatures.map((f) => signingDomain(f) ?? ""), results, policy);
  if (policy.kind === "policy" && policy.policy.policy !== "none") {
    return { status: "fail", reason: `${fromDomain} publishes DMARC p=${policy.policy.policy}, and ${why}` };
  }
  return { status: "none", reason: why };
}

/** Why nothing passed, when nothing failed either. */
function noPass(fromDomain: string, signedBy: readonly string[], results: readonly DkimResult[], policy: PolicyAnswer): string {
  const unaligned = results.find((r) => r.result === "pass");
  if (unaligned && policy.kind === "policy") {
    return `the DKIM pass for ${unaligned.domain} is not aligned with ${fromDomain}, which asks for strict alignment`;
  }
  const broken = results.find((r) => r.result === "permerror");
  if (broken) return broken.reason;
  if (signedBy.length === 0) return "the mail has no DKIM signature";
  const others = [...new Set(signedBy.filter((d) => d !== ""))].slice(0, 3);
  if (others.length === 0) return "its DKIM signature is unreadable";
  return `it is DKIM-signed by ${others.join(", ")}, not by ${fromDomain}`;
}

/** Headers Kith reads, or that decide how the body reads, that a mail has only one of.
 * A signature covers the bottom copy of a header (RFC 6376 §5.4.2) but Kith and
 * postal-mime read the top one, so a copy added above a signed mail would be read and
 * never checked: a replayed mail with a new Subject (a command) and Message-ID. */
const SINGLE = ["From", "Sender", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"];

/** Why the mail can be read two ways, or undefined (RFC 6376 §8.15). */
function ambiguity(fields: readonly { name: string }[]): string | undefined {
  // A line that is no header field: postal-mime ends the headers at a line that is empty
  // once its CRs are dropped (a lone CR), where this reader does not, and would read as
  // the body text that was never signed.
  if (fields.some((f) => f.name === "")) return "its header block has a line that is not a header field";
  for (const name of SINGLE) {
    if (fields.filter((f) => f.name === name.toLowerCase()).length > 1) return `the mail has more than one ${name} header`;
  }
  return undefined;
}
