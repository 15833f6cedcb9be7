/**
 * The receiver's stamp: the DMARC verdict written by the server that received the mail
 * for us (Cloudflare Email Routing, authserv-id `mx.cloudflare.net`), in an
 * Authentication-Results (RFC 8601) or ARC-Authentication-Results (RFC 8617) header.
 * Kith checks DKIM and DMARC itself (check.ts); this verdict is read only with
 * TRUST_RECEIVER_STAMP=on (trust.ts), for the reason given at the end of this comment.
 *
 * WHICH HEADER IS THE RECEIVER'S. Anyone can write these headers. What a sender cannot
 * do is put a header above the ones the receiving server prepends. So:
 *  1. A header whose authserv-id is not trusted is ignored, wherever it sits.
 *  2. Of the trusted ones, only the topmost is read, whichever of the two kinds it is.
 *     Email Routing writes both with the same results, and which one it puts on top has
 *     varied. A trusted-looking header further down is either a copy of that one or a
 *     forgery, and nothing tells the two apart, so it is never read: not when the topmost
 *     says fail, and not when the topmost has no DMARC result at all. (Receivers that
 *     split one verdict over several headers are then not trusted; that costs the user a
 *     confirmation, never a lost mail.)
 *  3. An ARC verdict must also hold the highest instance (i=) among trusted ARC headers.
 *     The newest ARC set is the topmost and the highest; a higher i= below it means the
 *     chain is out of order, and its pass is not believed. Choosing the highest i= by
 *     itself would let a sender win by writing i=2 under the receiver's i=1.
 *  4. The verdict must be exactly one DMARC result, for exactly one header.from, equal to
 *     the domain of the From we act on: a pass for another domain is someone else's pass.
 *
 * This is sound only while the receiver stamps every mail it delivers. A mail it did not
 * stamp is judged by whatever trusted-looking header the sender put on top
 * (cloudflare/workerd#6740 reports Worker deliveries without Cloudflare's header). For the
 * same reason the trusted list must name only the server that hands mail to Kith: an
 * earlier hop's headers sit below the receiver's, where a sender can write too.
 *
 * Parsing never throws: anything unreadable simply fails to be a trusted pass.
 */

export interface HeaderLine {
  key: string;
  value: string;
}

export interface SenderVerdict {
  trusted: boolean;
  /** Why, in words a user can read. */
  reason: string;
}

const AR = "authentication-results";
const ARC_AR = "arc-authentication-results";

interface MethodResult {
  method: string;
  result: string;
  /** Every header.from property, normalised; "" where unreadable. */
  headerFrom: string[];
}

interface Stamp {
  kind: typeof AR | typeof ARC_AR;
  authservId: string;
  /** ARC only: 1 to 50, or undefined when missing or out of range. */
  instance: number | undefined;
  results: MethodResult[];
}

export function senderVerdict(
  headers: readonly HeaderLine[],
  fromAddress: string,
  trustedAuthservIds: readonly string[],
): SenderVerdict {
  const trustedIds = new Set(trustedAuthservIds.map((id) => id.trim().toLowerCase()).filter((id) => id !== ""));
  if (trustedIds.size === 0) return untrusted("no trusted authentication server is configured");
  const fromDomain = domainOf(fromAddress);
  if (fromDomain === undefined) return untrusted("the From address has no domain to check");

  const stamps = readStamps(headers).filter((stamp) => trustedIds.has(stamp.authservId));
  const newest = stamps[0];
  if (newest === undefined) return untrusted("no Authentication-Results from a trusted server");
  const verdict = judgeDmarc(newest, fromDomain);
  return verdict.trusted ? (arcOutOfOrder(newest, stamps) ?? verdict) : verdict;
}

function trusted(reason: string): SenderVerdict {
  return { trusted: true, reason };
}

function untrusted(reason: string): SenderVerdict {
  return { trusted: false, reason };
}

function judgeDmarc(stamp: Stamp, fromDomain: string): SenderVerdict {
  const id = stamp.authservId;
  if (stamp.kind === ARC_AR && stamp.instance === undefined) {
    return untrusted(`ARC-Authentication-Results from ${id} has no valid instance number`);
  }
  const dmarc = stamp.results.filter((r) => r.method === "dmarc");
  const only = dmarc[0];
  if (only === undefined) return untrusted(`${id} gave no DMARC result`);
  // One From domain means one DMARC result; a second is text we cannot place.
  if (dmarc.length > 1) return untrusted(`${id} gave more than one DMARC result`);
  const [named, ...more] = only.headerFrom;
  if (named === undefined) return untrusted(`DMARC ${only.result} from ${id} does not say which domain it was for`);
  if (more.length > 0) return untrusted(`DMARC ${only.result} from ${id} names more than one domain`);
  if (named !== fromDomain) {
    const shown = named === "" ? "an unreadable domain" : named;
    return only.result === "pass"
      ? untrusted(`DMARC pass was for ${shown}, not the From domain ${fromDomain}`)
      : untrusted(`DMARC ${only.result} for ${shown}, and the From domain is ${fromDomain}`);
  }
  if (only.result !== "pass") return untrusted(`DMARC ${only.result} for ${fromDomain}`);
  return trusted(`DMARC pass for ${fromDomain} from ${id}`);
}

function arcOutOfOrder(newest: Stamp, stamps: readonly Stamp[]): SenderVerdict | undefined {
  if (newest.kind !== ARC_AR || newest.instance === undefined) return undefined;
  const top = newest.instance;
  const higher = stamps.find((s) => s !== newest && s.kind === ARC_AR && s.instance !== undefined && s.instance >= top);
  if (higher === undefined) return undefined;
  return untrusted(
    `ARC-Authentication-Results from ${newest.authservId} are out of order (i=${higher.instance} below i=${top}), so the pass is not believed`,
  );
}

/** Every Authentication-Results and ARC-Authentication-Results that names its server, top first. */
function readStamps(headers: readonly HeaderLine[]): Stamp[] {
  const stamps: Stamp[] = [];
  for (const header of headers) {
    const key = header.key.toLowerCase();
    if (key !== AR && key !== ARC_AR) continue;
    const stamp = parseStamp(key, header.value);
    if (stamp !== undefined) stamps.push(stamp);
  }
  return stamps;
}

type Token = { kind: "word"; text: string } | { kind: "=" } | { kind: ";" };
/** `key=value`, or a bare word (value undefined). */
type Item = { key: string; value: string | undefined };

function parseStamp(kind: Stamp["kind"], value: string): Stamp | undefined {
  let clauses = splitClauses(tokenize(value)).map(items);
  let instance: number | undefined;
  if (kind === ARC_AR) {
    const tag = clauses[0]?.[0];
    if (tag !== undefined && tag.key.toLowerCase() === "i" && tag.value !== undefined) {
      instance = /^[0-9]{1,2}$/.test(tag.value) ? Number(tag.value) : undefined;
      if (instance !== undefined && (instance < 1 || instance > 50)) instance = undefined;
      clauses = clauses.slice(1);
    }
  }
  // The authserv-id is a bare first word; Microsoft's id-less `spf=pass ...` has none.
  const id = clauses[0]?.[0];
  if (id === undefined || id.value !== undefined) return undefined;
  const results = clauses.slice(1).flatMap((clause) => {
    const result = methodResult(clause);
    return result === undefined ? [] : [result];
  });
  return { kind, authservId: id.key.toLowerCase(), instance, results };
}

function methodResult(clause: readonly Item[]): MethodResult | undefined {
  const [first, ...props] = clause;
  // A bare `none` (no result) or anything not shaped `method=result` carries nothing.
  if (first === undefined || first.value === undefined) return undefined;
  const method = (first.key.toLowerCase().split("/")[0] ?? "").trim();
  const lowered = first.value.toLowerCase();
  const result = /^[a-z0-9_-]{1,32}$/.test(lowered) ? lowered : "unreadable";
  const headerFrom = props
    .filter((p) => p.key.toLowerCase() === "header.from" && p.value !== undefined)
    .map((p) => domainOf(p.value ?? "", true) ?? "");
  return { method, result, headerFrom };
}

/**
 * Words, `=` and `;`, with comments dropped and quoted strings kept whole, so that a `;`
 * or `dmarc=pass` inside either never starts a clause. Iterative: deep nesting is cheap.
 */
function tokenize(value: string): Token[] {
  const tokens: Token[] = [];
  let word = "";
  const flush = (): void => {
    if (word !== "") tokens.push({ kind: "word", text: word });
    word = "";
  };
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === "(") {
      flush();
      i = commentEnd(value, i);
    } else if (c === '"') {
      flush();
      const end = quotedEnd(value, i);
      tokens.push({ kind: "word", text: value.slice(i + 1, end).replace(/\\(.)/g, "$1") });
      i = end;
    } else if (c === ";" || c === "=") {
      flush();
      tokens.push({ kind: c });
    } else if (/\s/.test(c)) {
      flush();
    } else {
      word += c;
    }
  }
  flush();
  return tokens;
}

/** Index of the `)` closing the comment opened at `start`, or the end of an unclosed one. */
function commentEnd(value: string, start: number): number {
  let depth = 0;
  for (let i = start; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === "\\") i++;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return value.length;
}

function quotedEnd(value: string, start: number): number {
  for (let i = start + 1; i < value.length; i++) {
    const c = value.charAt(i);
    if (c === "\\") i++;
    else if (c === '"') return i;
  }
  return value.length;
}

function splitClauses(tokens: readonly Token[]): Token[][] {
  const clauses: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === ";") clauses.push([]);
    else clauses[clauses.length - 1]?.push(token);
  }
  return clauses;
}

function items(tokens: readonly Token[]): Item[] {
  const out: Item[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.kind !== "word") continue;
    if (tokens[i + 1]?.kind !== "=") {
      out.push({ key: token.text, value: undefined });
      continue;
    }
    const next = tokens[i + 2];
    out.push({ key: token.text, value: next?.kind === "word" ? next.text : "" });
    i += next?.kind === "word" ? 2 : 1;
  }
  return out;
}

/**
 * The domain of an address (`ann@example.com`, `Ann <ann@example.com>`), lower-cased, in
 * ASCII (IDNA), without a trailing dot. `bareDomain` also accepts a plain domain, as
 * header.from normally is.
 */
export function domainOf(address: string, bareDomain = false): string | undefined {
  const angle = /<([^<>]*)>\s*$/.exec(address);
  const bare = (angle?.[1] ?? address).trim();
  const at = bare.lastIndexOf("@");
  if (at < 0 && !bareDomain) return undefined;
  let domain = bare.slice(at + 1).trim().toLowerCase().replace(/\.$/, "");
  if (/[^\x00-\x7f]/.test(domain)) domain = toAscii(domain) ?? "";
  const valid = /^[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?$/.test(domain) && !domain.includes("..");
  return valid ? domain : undefined;
}

/** Punycode for an internationalised domain, so `bücher.example` meets `xn--bcher-kva.example`. */
function toAscii(domain: string): string | undefined {
  if (/[\s:/?#@[\]\\%]/.test(domain)) return undefined;
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined;
  }
}
