/// <reference types="node" />
/**
 * Hostile text on every dashboard page, in a real browser (Debian's chromium through
 * playwright-core) against `npm start`. The payloads come in as a user's mail brings
 * them (a hostile display name and subject on a BCC'd mail, a forward, a card note, a
 * vCard, a CSV, an invitation, a promise, a plan, "remind me") and through the
 * dashboard's own forms (facts, a note, a meeting, a token's name). On every page: no
 * dialog opens, the DOM holds no element or attribute a payload made, and the payload
 * is there as visible text where its field is shown. The page's CSP is bypassed, so a
 * script that got in would run: what is tested is the escaping, not the CSP behind it.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Element, hostileMarkup, PAYLOADS, SHORT, word } from "../support/payloads";
import { type LocalServer, startLocalServer } from "./local-server";
import { chromiumPath } from "./chromium";

const ME = "eve@example.com";
/** The vCard and the CSV carry every payload; BCC'd mail a few (it is slower to send). */
const BCC = ["script", "attrBreak", "title", "textarea", "unicode", "template"] as const;
const KITH = "kith@example.com";

let server: LocalServer;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

interface OutboxMail {
  to: string;
  text: string;
  headers: Record<string, string>;
}

async function deliver(headers: Record<string, string>, body: string): Promise<void> {
  const head = Object.entries({ From: `${word(PAYLOADS.attrBreak)} <${ME}>`, To: KITH, Date: new Date().toUTCString(), "Message-ID": `<${crypto.randomUUID()}@example.com>`, "Content-Type": "text/plain; charset=utf-8", ...headers })
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n");
  const res = await fetch(`${server.base}/cdn-cgi/handler/email?from=${encodeURIComponent(ME)}&to=${encodeURIComponent(KITH)}`, { method: "POST", body: `${head}\r\n\r\n${body.replace(/\r?\n/g, "\r\n")}\r\n` });
  expect(res.status, await res.text()).toBe(200);
}

const b64 = (text: string) => (Buffer.from(text, "utf8").toString("base64").match(/.{1,76}/g) ?? []).join("\r\n");
const attached = (name: string, type: string, text: string) =>
  deliver({ Subject: name, "Content-Type": 'multipart/mixed; boundary="b1"' }, ["--b1", "Content-Type: text/plain; charset=utf-8", "", "For Kith.", "--b1", `Content-Type: ${type}; charset=utf-8; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, "Content-Transfer-Encoding: base64", "", b64(text), "--b1--"].join("\n"));
const vEscape = (s: string) => s.replace(/[,;]/g, "\\$&");

async function outbox(): Promise<OutboxMail[]> {
  return (await (await fetch(`${server.base}/dev/outbox`)).json()) as OutboxMail[];
}
const latest = async (kind: string) => (await outbox()).filter((m) => m.to === ME && m.headers["X-Kith-Kind"] === kind).at(-1);

/** Every element of the page with its attributes, as the browser parsed them. */
const elements = () => page.evaluate(`[...document.querySelectorAll("*")].map((e) => ({ tag: e.localName, attrs: [...e.attributes].map((a) => [a.name, a.value]) }))`) as Promise<Element[]>;
const visible = async () => ((await page.evaluate("document.body.innerText")) as string).replace(/\s+/g, " ");
const fold = (s: string) => s.replace(/\s+/g, " ").trim();

/** The page at `path` (or the one the browser is on): nothing a payload made, no dialog. */
async function clean(path?: string): Promise<void> {
  if (path) await page.goto(`${server.base}${path}`);
  await page.waitForLoadState();
  expect(hostileMarkup(await elements()), page.url()).toEqual([]);
  expect(dialogs, page.url()).toEqual([]);
}

let token = "";
interface ApiContact {
  id: number;
  name: string | null;
  company: string | null;
  title: string | null;
  met_at: string | null;
  emails: string[];
}
const contacts = async () => ((await (await fetch(`${server.base}/api/v1/contacts?limit=100`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { contacts: ApiContact[] }).contacts;

beforeAll(async () => {
  server = await startLocalServer({ KITH_TICKER: "off" });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("dialog", (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await deliver({ Subject: "hello" }, "Hi Kith");
  for (const [i, n] of BCC.entries()) {
    await deliver({ To: `${word(PAYLOADS[n])} <bcc${i}@example.net>`, Bcc: KITH, Subject: word(PAYLOADS[n]) }, `Hi,\n\nI'll send you the ${PAYLOADS[n]} by Friday.\n`);
  }
  await deliver(
    { Subject: word(`Fwd: ${PAYLOADS.title}`) },
    `FYI\n\n---------- Forwarded message ---------\nFrom: ${PAYLOADS.style} <fwd@example.org>\nDate: Mon, Dec 7, 2026 at 9:00 AM\nSubject: ${PAYLOADS.title}\nTo: Eve <${ME}>, ${PAYLOADS.jsUrl} <fwd-b@example.org>\n\nEve, meet ${PAYLOADS.jsUrl}. We will send the ${PAYLOADS.dataUrl} by Friday.\n`,
  );
  await deliver({ Subject: word(`Met at ${PAYLOADS.anchor}`) }, `Card Person\n${PAYLOADS.unicode} at ${PAYLOADS.textarea}\ncard@example.org`);
  await attached("cards.vcf", "text/vcard", SHORT.map((n, i) => ["BEGIN:VCARD", "VERSION:3.0", `FN:${vEscape(PAYLOADS[n])}`, `ORG:${vEscape(PAYLOADS[n])}`, `TITLE:${vEscape(PAYLOADS[n])}`, `NOTE:${vEscape(PAYLOADS[n])}`, `EMAIL:vc${i}@example.org`, "END:VCARD"].join("\r\n")).join("\r\n"));
  const cell = (s: string) => `"${s.replace(/"/g, '""')}"`;
  await attached("contacts.csv", "text/csv", ["Name,Notes,E-mail 1 - Value,Organization 1 - Name,Organization 1 - Title", ...SHORT.map((n, i) => [PAYLOADS[n], PAYLOADS[n], `csv${i}@example.org`, PAYLOADS[n], PAYLOADS[n]].map(cell).join(","))].join("\r\n"));
  const soon = new Date(Date.now() + 2 * 86400_000).toISOString().replace(/[-:]/g, "").slice(0, 15);
  await attached(
    "invite.ics",
    "text/calendar",
    ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Test//Hostile//EN", "METHOD:REQUEST", "BEGIN:VEVENT", `DTSTART:${soon}Z`, `DTEND:${soon.slice(0, 9)}235900Z`, "DTSTAMP:20261201T000000Z", "UID:hostile-e2e@hostile.test", `SUMMARY:${vEscape(PAYLOADS.title)}`, `ORGANIZER;CN="${PAYLOADS.svg}":mailto:org@hostile.test`, `ATTENDEE;CN=Eve;PARTSTAT=ACCEPTED:mailto:${ME}`, "END:VEVENT", "END:VCALENDAR"].join("\r\n"),
  );
  await deliver({ Subject: word(`plan ${PAYLOADS.script} tomorrow: meet ${PAYLOADS.attrBreak}`) }, "");
  await deliver({ Subject: word(`remind me to ${PAYLOADS.style} tomorrow`) }, "");
  await deliver({ Subject: "token" }, "");
  token = /kith_[A-Za-z0-9_-]{43}/.exec((await latest("api-token"))!.text)![0];
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (server) expect(await server.stop()).toEqual([]);
}, 60_000);

describe("hostile text on the dashboard", () => {
  it("signs in, then every page shows the payloads as text and runs none of them", { timeout: 60_000 }, async () => {
    // The harness sees a payload that got in: on a Kith page (its CSP bypassed), markup
    // put in the DOM runs and is found.
    await page.goto(`${server.base}/app`);
    await page.evaluate(`document.body.insertAdjacentHTML("beforeend", ${JSON.stringify(PAYLOADS.attrBreak)})`);
    await expect.poll(() => dialogs.length).toBe(1);
    expect(hostileMarkup(await elements())).toEqual(["<img>", "<img onerror>"]);
    dialogs.length = 0;

    await deliver({ Subject: "login" }, "");
    const link = /(http:\/\/127\.0\.0\.1:\d+\/app\/login\/\S+)/.exec((await latest("login"))!.text)![1]!;
    await page.goto(link);
    await clean();
    await page.click(`button:text-is("Sign in")`);
    await expect.poll(() => page.url()).toBe(`${server.base}/app`);

    // The dashboard's own forms: a person's facts, a note, a meeting; a token's name.
    const people = await contacts();
    const card = people.find((c) => c.emails.includes("card@example.org"))!;
    await page.goto(`${server.base}/app/people/${card.id}`);
    await page.fill("#f-name", PAYLOADS.title);
    await page.fill("#f-title", PAYLOADS.svg);
    await page.fill("#f-company", PAYLOADS.quote);
    await page.fill("#f-met", PAYLOADS.anchor);
    await page.click("text=Save facts");
    await clean();
    await page.fill("#note", PAYLOADS.textarea);
    await page.click("text=Add note");
    await clean();
    await page.fill("#met-what", PAYLOADS.script);
    await page.click("text=Log it");
    await clean();
    // And over the API: the long one, as a note.
    const note = await fetch(`${server.base}/api/v1/contacts/${card.id}/interactions`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify({ kind: "note", text: PAYLOADS.long.slice(0, 2000) }) });
    expect(note.status).toBe(201);
    await clean(`/app/people/${card.id}`);
    expect(await visible()).toContain(PAYLOADS.long.slice(0, 300));
    expect(fold(await page.locator("h1").innerText())).toBe(PAYLOADS.title);
    expect(await page.inputValue("#f-company")).toBe(PAYLOADS.quote);
    expect(await page.locator(".note").allInnerTexts()).toContain(PAYLOADS.textarea);
    expect(await visible()).toContain(`${PAYLOADS.svg} at ${PAYLOADS.quote}`);
    expect(await visible()).toContain(`Met at ${PAYLOADS.anchor}`);
    expect(await visible()).toContain(PAYLOADS.script);

    await page.goto(`${server.base}/app/settings`);
    await page.fill("#token-name", PAYLOADS.attrBreak);
    await page.click("text=Create token");
    await clean();
    expect(await visible()).toContain(PAYLOADS.attrBreak);
    await page.click("text=Back to settings");
    await clean();
    expect(await visible()).toContain(PAYLOADS.attrBreak);

    // A day or two on (ticks every 3 hours, some outside quiet hours): reminders are
    // sent, so the due page and the one-click pages have them.
    for (let h = 24; h <= 48; h += 3) await fetch(`${server.base}/cdn-cgi/handler/scheduled?time=${Date.now() + h * 3600_000}`);

    // Every person's page shows their stored name, title, company and place as text.
    const now = await contacts();
    for (const c of now) {
      await clean(`/app/people/${c.id}`);
      expect(fold(await page.locator("h1").innerText())).toBe(fold(c.name ?? c.emails[0]!));
      const text = await visible();
      for (const fact of [c.title, c.company, c.met_at]) if (fact) expect(text).toContain(fold(fact));
    }
    await clean(`/app/people/${card.id}/forget`);
    expect(await visible()).toContain(`Forget ${PAYLOADS.title}?`);

    // Lists, searches and filters that echo the payload back.
    await clean("/app");
    expect(await visible()).toContain(`${PAYLOADS.title} ${PAYLOADS.svg} at ${PAYLOADS.quote}`);
    for (const q of [PAYLOADS.script, PAYLOADS.attrBreak, PAYLOADS.anchor, PAYLOADS.textarea]) {
      await clean(`/app?q=${encodeURIComponent(q)}`);
      expect(await page.inputValue('input[type="search"][name="q"]')).toBe(q);
      await clean(`/app?met=${encodeURIComponent(q)}`);
    }
    // "Everyone <name> introduced" names the person.
    await clean(`/app?by=${card.id}`);
    expect(await visible()).toContain(PAYLOADS.title);
    await clean("/app/due");
    expect(await visible()).toContain(PAYLOADS.style);
    await clean("/app/settings");

    // The pages of a reminder mail's one-click links (Done, Snooze, unsubscribe), which
    // name the person and what the reminder is about.
    const reminder = await latest("reminder");
    expect(reminder, "a reminder mail").toBeDefined();
    for (const url of reminder!.text.match(/http:\/\/127\.0\.0\.1:\d+\/[ru]\/\S+/g) ?? []) await clean(url.replace(server.base, ""));
    expect(dialogs).toEqual([]);
  });
});
