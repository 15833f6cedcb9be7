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

/** Another user, so that the two stories do not share an inbox. */
const ANN = "ann.e2e@example.com";
const day = (t: number) => new Date(t).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const nine = (t: number) => Math.floor(t / DAY) * DAY + 9 * HOUR;
const ics = (t: number) => new Date(t).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

async function postAs(from: string, raw: string): Promise<void> {
  const url = `${server.base}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=${encodeURIComponent(ASSISTANT)}`;
  const res = await fetch(url, { method: "POST", body: raw, signal: AbortSignal.timeout(15_000) });
  expect(res.status, await res.text()).toBe(200);
}

function annMail(headers: Record<string, string>, body: string, type = "text/plain; charset=utf-8"): string {
  const all = { From: `Ann Lee <${ANN}>`, To: ASSISTANT, Date: new Date().toUTCString(), "Message-ID": `<${crypto.randomUUID()}@example.com>`, "Content-Type": type, ...headers };
  return `${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join("\r\n")}\r\n\r\n${body.replace(/\r?\n/g, "\r\n")}`;
}

it("brings back a promise on its day, theirs after it falls due, a remind-me, a meeting's follow-up and a plan, each with its context", async () => {
  const t0 = Date.now();
  await postAs(ANN, annMail({ Subject: "hello" }, "Signing up."));
  await postAs(ANN, annMail({ Subject: "timezone UTC" }, ""));
  // A promise in mail Ann wrote, Kith in Bcc: due in five days.
  const mine = t0 + 5 * DAY;
  await postAs(ANN, annMail({ To: "Jane Smith <jane@acme.example>", Bcc: ASSISTANT, Subject: "Great meeting you" }, `Hi Jane, great to meet you. I'll send you the deck by ${day(mine)}.`));
  // A forwarded promise to Ann: due in three days, nudged the day after.
  const theirs = t0 + 3 * DAY;
  const forward = ["---------- Forwarded message ---------", "From: Raj Mehta <raj@lendco.example>", `Date: ${new Date(t0).toUTCString()}`, "Subject: Terms", `To: Ann Lee <${ANN}>`, "", `Hi Ann, we will send the draft terms by ${day(theirs)}.`];
  await postAs(ANN, annMail({ Subject: "Fwd: Terms" }, forward.join("\n")));
  // A reminder Ann asks for, ten days out.
  const asked = t0 + 10 * DAY;
  await postAs(ANN, annMail({ Subject: `remind me on ${day(asked)} to call Bob about the lease` }, ""));
  // A meeting two days out, 14:00 to 15:00.
  const start = Math.floor((t0 + 2 * DAY) / DAY) * DAY + 14 * HOUR;
  const cal = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kith e2e//EN", "METHOD:REQUEST", "BEGIN:VEVENT", `UID:${crypto.randomUUID()}@e2e`, "SEQUENCE:0", `DTSTAMP:${ics(t0)}`, `DTSTART:${ics(start)}`, `DTEND:${ics(start + HOUR)}`, "SUMMARY:Pilot scoping", "ORGANIZER;CN=Dev Patel:mailto:dev@meet.example", `ATTENDEE;CN=Ann Lee:mailto:${ANN}`, "ATTENDEE;CN=Dev Patel:mailto:dev@meet.example", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");
  await postAs(ANN, annMail({ Subject: "Fwd: Invitation: Pilot scoping" }, `--c\r\nContent-Type: text/plain\r\n\r\nFor Kith\r\n--c\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\nContent-Disposition: attachment; filename="invite.ics"\r\n\r\n${cal}--c--\r\n`, 'multipart/mixed; boundary="c"'));
  // A plan two weeks out.
  const event = t0 + 14 * DAY;
  await postAs(ANN, annMail({ Subject: `plan DemoConf on ${day(event)}: meet two investors` }, ""));

  await ticks(t0, t0 + 16 * DAY, HOUR);
  const all = ((await (await fetch(`${server.base}/dev/outbox`)).json()) as (OutboxMail & { html?: string })[]).filter((m) => m.to === ANN);
  const find = (kind: string, words: string) => all.find((m) => m.headers["X-Kith-Kind"] === kind && m.text.includes(words));
  // The ticks come hourly (off the hour): each mail goes at the first tick after 09:00.
  const atNine = (m: OutboxMail | undefined, t: number) => {
    expect(m, `a mail on ${day(t)}`).toBeDefined();
    expect(m!.created_at).toBeGreaterThanOrEqual(nine(t));
    expect(m!.created_at).toBeLessThan(nine(t) + HOUR);
  };
  const promise = find("reminder", "You promised Jane Smith: the deck");
  atNine(promise, mine);
  const nudge = find("reminder", "Raj Mehta promised you the draft terms");
  atNine(nudge, theirs + DAY);
  expect(nudge!.text).toContain("Nudge them: mailto:raj%40lendco.example");
  const remind = find("reminder", "You asked to be reminded: call Bob about the lease");
  atNine(remind, asked);
  const meeting = find("reminder", 'Follow up on "Pilot scoping" with Dev Patel');
  expect(meeting!.created_at).toBeGreaterThan(start + HOUR);
  expect(meeting!.created_at).toBeLessThanOrEqual(start + HOUR + DAY);
  const plan = find("plan", "DemoConf starts today");
  atNine(plan, event);
  // Every reminder has both parts, short links, and a way to stop them in its body.
  for (const m of all.filter((x) => x.headers["X-Kith-Kind"] === "reminder")) {
    expect(m.html).toContain("<!doctype html>");
    for (const url of m.text.match(/https?:\/\/\S+/g) ?? []) expect(url.length).toBeLessThanOrEqual(100);
    expect(m.text).toMatch(/^Stop reminder mails: http/m);
  }
}, 300_000);
