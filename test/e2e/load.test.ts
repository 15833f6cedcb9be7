/// <reference types="node" />
/**
 * `npm run load` cut down to a test: against the local server a user starts, a few users'
 * mail in bursts (the same people named by mails in flight together), some of it
 * delivered five times at once, two ticks for one scheduled time in each round, and
 * signed-in pages and API calls meanwhile. The database then holds every mail once and
 * every person once, and no answer was a 5xx.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { FULL, runLoad } from "../../load/run";
import { type LocalServer, startLocalServer } from "./local-server";

const HOUR = 3_600_000;
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({ KITH_TICKER: "off" });
}, 75_000);

afterAll(async () => {
  if (server) expect(await server.stop()).toEqual([]);
}, 30_000);

it("stores each of 40 concurrent mails once, whatever arrives twice at once, and answers no 5xx", { timeout: 60_000 }, async () => {
  const r = await runLoad(server, { ...FULL, users: 8, mails: 40, redelivered: 4, times: 5, tickRounds: [25 * HOUR, 8 * 24 * HOUR], ticksAtOnce: 2, webLoops: 3, inFlight: 20 });
  expect(r.findings.duplicates).toEqual({});
  expect(r.findings.lost.map((m) => `${m.shape} ${m.messageId}`)).toEqual([]);
  expect(r.findings.missingPeople).toEqual([]);
  expect(r.fiveXX).toEqual([]);
  expect([...r.rejected, ...r.unexpected, ...r.serverErrors]).toEqual([]);
  // Sign-up, "login" and "token" for each user, then the storm: all of it got in.
  expect(r.distinct).toBeGreaterThanOrEqual(3 * 8 + 40);
  expect(r.deliveries).toBeGreaterThanOrEqual(r.distinct + 4 * 4);
  expect(r.ticks).toBe(4);
  expect(r.sent.reminder).toBeGreaterThan(0);
  expect(r.web).toBeGreaterThan(0);
});
