/// <reference types="node" />
/**
 * A DNS-over-HTTPS resolver on loopback (the JSON API of Cloudflare's 1.1.1.1 and Google),
 * run in Node by the vitest globalSetup and bound as DOH_URL, so that Kith's DKIM and
 * DMARC look-ups go over real HTTP. It knows only the TXT records tests give it; every
 * other name is NXDOMAIN, as an unregistered domain is.
 *
 *   GET  /dns-query?name=N&type=TXT   { Status, Answer: [{ name, type: 16, TTL, data }] }
 *   POST /dns/records                 { name, txt?, rcode?, delayMs?, unquoted? } (no auth): from
 *                                     now on N answers these TXT records (each a JSON string,
 *                                     split into quoted 255-byte strings as Cloudflare writes
 *                                     them, or joined and unquoted), or the DNS
 *                                     rcode (2 SERVFAIL, 3 NXDOMAIN), after delayMs
 *
 * Test files run in parallel against this one server: each uses names of its own.
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface DnsEntry {
  name: string;
  txt?: string[];
  rcode?: number;
  delayMs?: number;
  unquoted?: boolean;
}

export interface DohServer {
  url: string;
  close(): Promise<void>;
}

const TXT = 16;

export async function startDohServer(): Promise<DohServer> {
  const entries = new Map<string, DnsEntry>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => json(res, 500, { error: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method === "POST" && url.pathname === "/dns/records") {
      const entry = JSON.parse(await readBody(req)) as DnsEntry;
      if (typeof entry.name !== "string") return json(res, 400, { error: "name is required" });
      entries.set(normal(entry.name), entry);
      return json(res, 200, { ok: true });
    }
    if (req.method !== "GET" || url.pathname !== "/dns-query") return json(res, 404, { error: "not found" });
    if (req.headers.accept !== "application/dns-json") return json(res, 415, { error: "accept must be application/dns-json" });
    const name = url.searchParams.get("name") ?? "";
    if (url.searchParams.get("type") !== "TXT" || name === "") return json(res, 400, { error: "only TXT look-ups are served" });
    const entry = entries.get(normal(name));
    if (entry?.delayMs) await new Promise((r) => setTimeout(r, entry.delayMs));
    if (res.destroyed) return;
    const question = [{ name, type: TXT }];
    if (!entry || (entry.rcode !== undefined && entry.rcode !== 0)) return json(res, 200, { Status: entry?.rcode ?? 3, Question: question });
    const answer = (entry.txt ?? []).map((text) => ({ name, type: TXT, TTL: 300, data: entry.unquoted ? text : quoted(text) }));
    return json(res, 200, { Status: 0, Question: question, Answer: answer });
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dns-query`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function normal(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

/** One record as DNS holds it: strings of at most 255 characters, each quoted. */
function quoted(text: string): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length || i === 0; i += 255) parts.push(`"${text.slice(i, i + 255).replace(/["\\]/g, "\\$&")}"`);
  return parts.join(" ");
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/dns-json" }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
