/**
 * The original message inside a forward: an inline block a mail client wrote into the
 * body ("---------- Forwarded message ---------", "From: … Sent: …", "Begin forwarded
 * message:", …) or a message/rfc822 part ("forward as attachment").
 *
 * Inline blocks are read by `email-forward-parser` (client separators and header labels
 * in ~20 languages). Kith adds what it lacks: header blocks with no separator
 * ("-----Original Message-----", new Outlook), forwards nested in forwards, and limits
 * for hostile input (inline.ts); attached messages (attached.ts); dates as
 * instants (date.ts); clean addresses (people.ts). This module picks the
 * original out of the chain they find.
 */
import type { Email } from "postal-mime";
import { attachedForwards } from "./attached";
import { settleForwardDate } from "./date";
import { forwardChain } from "./inline";
import { firstMailbox } from "./people";
import { header, mimeType, plainText } from "../mime/parse";
import type { ForwardedMessage } from "../types";

/**
 * The forwarded message in a plain-text body, or null when the text holds no forward.
 * `subject` is the forwarding mail's: a "Fwd:"-style subject lets a bare "From:" line
 * count as a forward header, and stands in when the block itself names no subject.
 */
export function parseForwardedBody(text: string, subject?: string): ForwardedMessage | null {
  try {
    return pickOriginal(forwardChain(text, subject));
  } catch {
    return null; // hostile or broken input: no forward rather than a failed mail
  }
}

/**
 * The forwarded message in a mail parsed by postal-mime: an attached message/rfc822
 * part if there is one (its headers are the original's own), else an inline forward in
 * the text (or the HTML rendered as text). Synchronous because classification is; an
 * attached message is read by the small reader in attached.ts rather than by
 * postal-mime's async parser. postal-mime itself inlines a message/rfc822 part without
 * `Content-Disposition: attachment` into `text` as a "From:/Subject:/Date:/To:" block,
 * which the inline reader handles, so any parse options work. `text` is
 * `plainText(email)`, for a caller that has it already.
 */
export function extractForward(email: Email, text?: string): ForwardedMessage | null {
  // A delivery, read or abuse report carries a message as evidence, not as a forward.
  if (mimeType(header(email, "content-type")) === "multipart/report") return null;
  try {
    const chain = mailChain(email, text);
    return chain.length > 0 ? pickOriginal(chain, firstMailbox(email.from)?.email) : null;
  } catch {
    return null; // hostile or broken input: no forward rather than a failed mail
  }
}

/**
 * Which message of a nested chain (outermost first) is "the original": the innermost
 * one, since that is where the thread began and whose sender the user met, except that
 * a message the user wrote is skipped outward (a reply quoted under the forwarded mail
 * is often the user's own). The user is the forwarding mail's sender when known, and the
 * sole recipient of the outermost forwarded message (people forward mail they received).
 */
function pickOriginal(chain: ForwardedMessage[], forwarder?: string): ForwardedMessage | null {
  const outer = chain[0];
  if (!outer) return null;
  const self = new Set<string>();
  if (forwarder) self.add(forwarder);
  if (outer.to.length === 1 && outer.to[0]?.email) self.add(outer.to[0].email);
  for (let i = chain.length - 1; i >= 0; i--) {
    const m = chain[i]!;
    if (!m.from.email || !self.has(m.from.email)) return settleForwardDate(m);
  }
  return settleForwardDate(chain[chain.length - 1]!);
}

/** Every forwarded message in the mail, outermost first: the attached chain if any,
 * else the inline one. */
function mailChain(email: Email, text?: string): ForwardedMessage[] {
  const attached = attachedForwards(email);
  if (attached.length > 0) return attached;
  return forwardChain(text ?? plainText(email), email.subject);
}
