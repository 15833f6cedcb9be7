/// <reference types="node" />
/**
 * The dashboard in a real browser (Debian's chromium through playwright-core) against
 * `npm start`: a user signs in from the link in /dev/outbox, finds and fixes people, acts
 * on what is due, takes their data away, makes and revokes a token, and signs out. Every
 * page passes axe-core with no serious or critical violation, in light and dark, and
 * fits a 390 px phone; screenshots at 390 and 1280 px go to test-results/screenshots.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import axe from "axe-core";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, root, startLocalServer } from "./local-server";
import { chromiumPath } from "./chromium";

const SHOTS = join(root, "test-results", "screenshots");
const ME = "ann@example.com";
const STEP = 60_000;

let server: LocalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function deliver(raw: string | Buffer, from = ME): Promise<void> {
  const res = await fetch(`${server.base}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=${encodeURIComponent("kith@example.com")}`, { method: "POST", body: raw });
  expect(res.status, await res.text()).toBe(200);
}

const mail = (subject: string, body: string) =>
  `From: Ann Example <${ME}>\r\nTo: kith@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${crypto.randomUUID()}@example.com>\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body.replace(/\n/g, "\r\n")}\r\n`;

/** Axe on the page as it is: no serious or critical violation. */
async function audit(name: string): Promise<void> {
  await page.addScriptTag({ content: axe.source });
  // Evaluated as text in the page (this file is typed for Node, not the DOM).
  const result = (await page.evaluate(`axe.run(document, { resultTypes: ["violations"] })`)) as axe.AxeResults;
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** Audited and photographed at a phone's width and a laptop's, light and (for some) dark;
 * on the phone nothing is wider than the screen. */
async function check(name: string, dark = false): Promise<void> {
  await page.waitForLoadState();
  for (const scheme of dark ? (["light", "dark"] as const) : (["light"] as const)) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      if (width === 390) expect(await page.evaluate("document.documentElement.scrollWidth"), `${name} is wider than a phone`).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(SHOTS, `${name}${scheme === "dark" ? "-dark" : ""}-${width}.png`), fullPage: true });
    }
    await audit(`${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 900 });
}

const notice = () => page.locator("p.notice").innerText();

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startLocalServer({ KITH_TICKER: "off" });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // bypassCSP: only so that the test can inject axe-core; the pages themselves run no script.
  context = await browser.newContext({ bypassCSP: true, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  for (const name of ["01-hello.eml", "02-intro-bcc.eml", "04-card-note.eml", "05-vcard.eml"]) await deliver(readFileSync(join(root, "examples", name)));
  // Jane again, from her own address: two records of one person, to merge.
  await deliver(mail("Met at the Acme offsite", "Jane Smith\njane.smith@gmail.com"));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server) expect(await server.stop()).toEqual([]);
}, 60_000);

describe("the dashboard in a browser", () => {
  it("signs in from the mailed link: the link's page asks, its button signs in", { timeout: STEP }, async () => {
    await page.goto(`${server.base}/app`);
    await check("sign-in");
    await page.fill('input[name="email"]', ME);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("h1").innerText()).toBe("Check your mail");
    // The mail leaves just after the answer.
    const logins = async () => ((await (await fetch(`${server.base}/dev/outbox`)).json()) as { to: string; headers: Record<string, string>; text: string }[]).filter((m) => m.to === ME && m.headers["X-Kith-Kind"] === "login");
    await expect.poll(async () => (await logins()).length).toBe(1);
    const login = (await logins()).at(-1)!;
    const link = /(http:\/\/127\.0\.0\.1:\d+\/app\/login\/\S+)/.exec(login.text)![1]!;
    await page.goto(link);
    await check("sign-in-link");
    await page.click(`button:text-is("Sign in")`);
    await expect.poll(() => page.url()).toBe(`${server.base}/app`);
    const cookie = (await context.cookies()).find((c) => c.name === "kith_session")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: false });
    // Used: the same link does nothing now.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link);
    expect(await again.locator("h1").innerText()).toBe("This link no longer works");
    await again.context().close();
  });

  it("lists and searches people", { timeout: STEP }, async () => {
    await page.goto(`${server.base}/app`);
    for (const name of ["Jane Smith", "Carol Diaz", "Bob Stone"]) await expect.poll(() => page.locator(`a:text-is("${name}")`).count()).toBeGreaterThan(0);
    await check("people", true);
    await page.fill('input[type="search"][name="q"]', "acme");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.url()).toContain("q=acme");
    const names = await page.locator("ul.people li > a").allInnerTexts();
    expect(names).toEqual(expect.arrayContaining(["Jane Smith", "Carol Diaz"]));
    expect(names).not.toContain("Bob Stone");
    await check("search");
  });

  it("opens a person, edits a title, adds a note and snoozes a reminder", { timeout: STEP }, async () => {
    await page.click('ul.people a:text-is("Jane Smith")');
    await expect.poll(() => page.locator("h1").innerText()).toBe("Jane Smith");
    await check("person", true);
    await page.fill("#f-title", "VP Engineering");
    await page.click("text=Save facts");
    expect(await notice()).toContain('title is now "VP Engineering"');
    expect(await page.inputValue("#f-title")).toBe("VP Engineering");
    await page.fill("#note", "Wants an intro to a good designer");
    await page.click("text=Add note");
    expect(await notice()).toContain("Noted for Jane Smith");
    expect(await page.locator(".note").first().innerText()).toBe("Wants an intro to a good designer");
    const snooze = page.locator('form[aria-label="Snooze: Jane Smith"]').first();
    await snooze.locator("select").selectOption("3");
    await snooze.locator("button").click();
    expect(await notice()).toMatch(/^Snoozed Jane Smith until /);
  });

  it("merges two records of one person and forgets another", { timeout: STEP }, async () => {
    await page.fill("#merge", "jane.smith@gmail.com");
    await page.click('form[aria-label="Merge"] button');
    expect(await notice()).toContain("are now one person");
    expect(await page.locator('a[href="mailto:jane.smith@gmail.com"]').count()).toBe(1);
    expect(await page.locator('a[href="mailto:jane@acme.com"]').count()).toBe(1);

    await page.goto(`${server.base}/app?q=bob`);
    await page.click('ul.people a:text-is("Bob Stone")');
    await page.click("text=Forget Bob Stone…");
    await page.waitForURL(/\/forget$/);
    await check("forget");
    await page.click('button:text-is("Forget Bob Stone")');
    expect(await notice()).toContain("Forgot Bob Stone");
    expect(await page.locator('a:text-is("Bob Stone")').count()).toBe(0);
  });

  it("shows what is due and acts on it in place", { timeout: STEP }, async () => {
    await page.goto(`${server.base}/app/due`);
    await check("due", true);
    const items = page.locator('ul[aria-label="Coming up"] li');
    const before = await items.count();
    expect(before).toBeGreaterThan(0);
    await items.first().locator('button:text-is("Done")').click();
    expect(await notice()).toMatch(/^Done: /);
    expect(await page.locator('ul[aria-label="Coming up"] li').count()).toBe(before - 1);
  });

  it("downloads vCard, CSV and JSON", { timeout: STEP }, async () => {
    await page.goto(`${server.base}/app/settings`);
    await check("settings", true);
    const file = async (text: string) => {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(`text=${text}`)]);
      return { name: download.suggestedFilename(), body: readFileSync((await download.path())!, "utf8") };
    };
    const vcf = await file("Contacts as vCard");
    expect(vcf.name).toBe("kith-contacts.vcf");
    expect(vcf.body).toContain("FN:Jane Smith");
    expect(vcf.body).not.toContain("Bob Stone");
    const csv = await file("Contacts as CSV");
    expect(csv.name).toBe("kith-contacts.csv");
    expect(csv.body.split("\r\n")[0]).toMatch(/^First Name,/);
    const json = await file("Everything as JSON");
    expect(json.name).toBe("kith-export.json");
    const all = JSON.parse(json.body) as { user: { email: string }; people: { name: string; notes: { text: string }[] }[] };
    expect(all.user.email).toBe(ME);
    expect(all.people.find((p) => p.name === "Jane Smith")?.notes.map((n) => n.text)).toContain("Wants an intro to a good designer");
  });

  it("creates a token, shown once, that works until it is revoked", { timeout: STEP }, async () => {
    await page.fill("#token-name", "CI script");
    await page.click("text=Create token");
    const token = (await page.locator("#token").innerText()).trim();
    expect(token).toMatch(/^kith_[A-Za-z0-9_-]{43}$/);
    await check("token");
    const ask = () => fetch(`${server.base}/api/v1/contacts?q=jane`, { headers: { Authorization: `Bearer ${token}` } });
    const res = await ask();
    expect(res.status).toBe(200);
    expect(((await res.json()) as { contacts: { name: string; title: string }[] }).contacts[0]).toMatchObject({ name: "Jane Smith", title: "VP Engineering" });
    await page.click("text=Back to settings");
    expect(await page.content()).not.toContain(token);
    await page.click('form[aria-label="Revoke CI script"] button');
    expect(await notice()).toContain("Revoked the token “CI script”");
    expect((await ask()).status).toBe(401);
  });

  it("signs out", { timeout: STEP }, async () => {
    await page.click('form[aria-label="Sign out"] button');
    await expect.poll(() => page.locator('input[name="email"]').count()).toBe(1);
    expect((await context.cookies()).some((c) => c.name === "kith_session")).toBe(false);
    await page.goto(`${server.base}/app/settings`);
    expect(page.url()).toBe(`${server.base}/app`);
    expect(existsSync(join(SHOTS, "person-390.png"))).toBe(true);
  });
});
