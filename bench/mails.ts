/** Mails as the pipeline receives them: the shared corpus byte for byte, plus a helper
 * that builds the representative mails of the D1 scenarios. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

export interface Mail {
  name: string;
  /** Envelope sender, as Email Routing passes it. */
  from: string;
  raw: Uint8Array;
}

const corpusDir = resolve(process.env.KITH_CORPUS ?? join(import.meta.dirname, "..", "..", "shared", "corpus"));

/** A raw RFC 5322 message with CRLF line ends (the shape of test/support/mail.ts's `eml`). */
export function eml(headers: Record<string, string>, body: string): Uint8Array {
  const h = { "MIME-Version": "1.0", "Content-Type": "text/plain; charset=utf-8", ...headers };
  const lines = Object.entries(h).map(([k, v]) => `${k}: ${v}`);
  return new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n${body.replace(/\r?\n/g, "\r\n")}`);
}

/** The envelope sender a test MTA would give: the From address, as test/support/mail.ts reads it. */
function envelopeOf(raw: Uint8Array): string {
  const head = new TextDecoder().decode(raw.subarray(0, 8192));
  return /^From:.*?<?([^\s<>]+@[^\s<>]+?)>?\s*$/im.exec(head)?.[1] ?? "unknown-sender@example.com";
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** The corpus as test/inbound/corpus.test.ts sends it: .eml/.msg files and everything
 * under malformed/ as they are; .txt/.html bodies wrapped in a mail from a user. */
export function corpus(): Mail[] {
  const out: Mail[] = [];
  for (const path of walk(corpusDir).sort()) {
    const name = relative(corpusDir, path);
    const bytes = new Uint8Array(readFileSync(path));
    if (/\.(eml|msg)$/.test(name) || name.startsWith("malformed/")) {
      out.push({ name, from: envelopeOf(bytes), raw: bytes });
    } else if (/\.(txt|html)$/.test(name)) {
      const raw = eml(
        {
          From: "Corpus User <corpus.user@example.com>",
          To: "kith@kith.test",
          Subject: name.startsWith("forwarded/") ? "Fwd: from the corpus" : "Re: from the corpus",
          "Message-ID": `<${name.replace(/\W/g, ".")}@bench.test>`,
          "Content-Type": `${name.endsWith(".html") ? "text/html" : "text/plain"}; charset=utf-8`,
        },
        new TextDecoder().decode(bytes),
      );
      out.push({ name, from: "corpus.user@example.com", raw });
    }
  }
  if (out.length === 0) throw new Error(`no mails in the corpus at ${corpusDir} (set KITH_CORPUS)`);
  return out;
}
