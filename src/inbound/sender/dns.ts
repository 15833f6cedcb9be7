import { z } from "zod";

/**
 * TXT look-ups over DNS over HTTPS (the JSON API that Cloudflare's 1.1.1.1 and Google
 * serve), because a Worker has no resolver of its own. Only what DKIM and DMARC need:
 * the records, "no such name", or a transient failure.
 */

export type TxtAnswer =
  | { kind: "records"; records: string[] }
  /** NXDOMAIN: the name does not exist, which is a definite answer. */
  | { kind: "nxdomain" }
  /** Timeout, SERVFAIL, an HTTP error, an unreadable answer: try again later. */
  | { kind: "temperror"; reason: string };

export type TxtLookup = (name: string) => Promise<TxtAnswer>;

/** Long enough for a resolver that has to ask the domain's servers, short enough that a
 * mail is not held up: a look-up that takes longer is a temperror, never a pass. */
export const DOH_TIMEOUT_MS = 3000;

const TXT = 16;

const DohAnswer = z.object({
  Status: z.number().int(),
  Answer: z.array(z.object({ type: z.number().int(), data: z.string() })).optional(),
});

/** A look-up against the resolver at `url` (DOH_URL). Never throws. */
export function dohLookup(url: string, timeoutMs = DOH_TIMEOUT_MS): TxtLookup {
  return async (name) => {
    const query = `${url}${url.includes("?") ? "&" : "?"}name=${encodeURIComponent(name)}&type=TXT`;
    let body: unknown;
    try {
      const res = await fetch(query, { headers: { accept: "application/dns-json" }, signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) return temperror(`the DNS resolver answered HTTP ${res.status} for ${name}`);
      body = await res.json();
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
      return temperror(timedOut ? `the DNS look-up of ${name} timed out` : `the DNS look-up of ${name} failed`);
    }
    const parsed = DohAnswer.safeParse(body);
    if (!parsed.success) return temperror(`the DNS resolver gave an unreadable answer for ${name}`);
    const { Status, Answer } = parsed.data;
    if (Status === 3) return { kind: "nxdomain" };
    // 0 is NOERROR; anything else (SERVFAIL, REFUSED) says nothing about the domain.
    if (Status !== 0) return temperror(`the DNS look-up of ${name} failed (rcode ${Status})`);
    // A CNAME chain comes back as CNAME answers followed by the target's TXT answers.
    const records = (Answer ?? []).filter((a) => a.type === TXT).map((a) => joinStrings(a.data));
    return { kind: "records", records };
  };
}

function temperror(reason: string): TxtAnswer {
  return { kind: "temperror", reason };
}

/**
 * One TXT record as text. A record longer than 255 bytes is several strings; Cloudflare
 * writes them quoted (`"v=DKIM1; p=MIIB" "IjAN..."`), and a resolver that writes its data
 * unquoted has joined them already. Quoted strings are joined with nothing between them
 * (RFC 6376 §3.6.2.2).
 */
function joinStrings(data: string): string {
  if (!data.startsWith('"')) return data;
  let out = "";
  let quoted = false;
  for (let i = 0; i < data.length; i++) {
    const c = data.charAt(i);
    if (c === '"') quoted = !quoted;
    else if (!quoted) continue;
    else if (c !== "\\") out += c;
    else if (/^[0-9]{3}$/.test(data.slice(i + 1, i + 4))) {
      out += String.fromCharCode(Number(data.slice(i + 1, i + 4)));
      i += 3;
    } else out += data.charAt(++i);
  }
  return out;
}
