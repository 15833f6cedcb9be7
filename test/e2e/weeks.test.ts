/// <reference types="node" />
/**
 * Months of a user's life with Kith on the local server, time travelled through
 * /cdn-cgi/handler/scheduled?time=: a follow-up within 24 hours of a new connection, a
 * reply that acts on it, then a check-in at the cadence, delivered by sparse ticks.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalServer, startLocalServer } from "./local-server";

const ASSISTANT = "kith@example.com";
const ME = "wes@example.com";
const HOUR = 3600_000;
const DAY = 24 * HOUR;

interface OutboxMail {
  to: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
  created_at: number;
}

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({ KITH_TICKER: "off" });
}, 75_000);

afterAll(async () => {
  if (server) expect(await server.stop()).toEqual([]);
}, 30_000);

function mail(headers: Record<string, string>, body: string): string {
  const all = { From: ME, To: ASSISTANT, Date: new Date().toUTCString(), "Message-ID": `<${crypto.randomUUID()}@example.com>`, ...headers };
  return `${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body.replace(/\n/g, "\r\n")}`;
}

async function post(raw: string): Promise<void> {
  const url = `${server.base}/cdn-cgi/handler/email?from=${encodeURIComponent(ME)}&to=${encodeURIComponent(ASSISTANT)}`;
  const res = await fetch(url, { method: "POST", body: raw, signal: AbortSignal.timeout(15_000) });
  expect(res.status, await res.text()).toBe(200);
}

async function ticks(from: number, to: number, step: number): Promise<void> {
  for (let t = from; t <= to; t += step) {
    const res = await fetch(`${server.base}/cdn-cgi/handler/scheduled?time=${t}`, { signal: AbortSignal.timeout(15_000) });
    expect(res.status).toBe(200);
  }
}

async function reminders(): Promise<OutboxMail[]> {
  const all = (await (await fetch(`${server.base}/dev/outbox`)).json()) as OutboxMail[];
  return all.filter((m) => m.to === ME && m.headers["X-Kith-Kind"] === "reminder");
}

it("follows up within a day, acts on a reply, and checks in at the cadence", async () => {
  const t0 = Date.now();
  await post(mail({ Subject: "hello" }, "Signing up."));
  await post(mail({ Subject: "Met at PyCon" }, "Jane Smith\nCTO, Acme Corp\njane@acme.com\n"));

  await ticks(t0, t0 + DAY, 5 * 60_000);
  const [followUp, ...extra] = await reminders();
  expect(extra).toEqual([]);
  expect(followUp!.subject).toBe("Kith: follow up with Jane Smith");
  expect(followUp!.created_at - t0).toBeGreaterThanOrEqual(HOUR - 5 * 60_000);
  expect(followUp!.created_at - t0).toBeLessThanOrEqual(DAY);

  await post(mail({ Subject: `Re: ${followUp!.subject}`, "In-Reply-To": followUp!.headers["Message-ID"]! }, "done, thanks\n\n> Follow up with Jane Smith"));

  // Sparse ticks, six hours apart, for a hundred days: one check-in, at the cadence (90 days).
  await ticks(t0 + DAY, t0 + 100 * DAY, 6 * HOUR);
  const all = await reminders();
  expect(all).toHaveLength(2);
  expect(all[1]!.subject).toBe("Kith: check in with Jane Smith");
  expect(all[1]!.created_at - t0).toBeGreaterThan(89 * DAY);
}, 240_000);
