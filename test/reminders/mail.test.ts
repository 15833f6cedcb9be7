/** What a reminder mail says: who, why now, the last interaction, the latest note, a
 * "write to them" link with a fitting subject, short links, both parts, and a visible
 * unsubscribe line; and the page a link opens names the person and the reminder. */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { introTopic } from "../../src/reminders/item-view";
import { readItemToken } from "../../src/reminders/item-links";
import { loadConfig } from "../../src/config";
import { DAY, HOUR, ticks, uniq } from "../support/clock";
import { count, eml, outbox, send, userId } from "../support/mail";
import type { OutboxEntry } from "../../src/mail-out/outbox";

vi.setConfig({ testTimeout: 30_000 });

const KITH = "kith@kith.test";

async function newUser(t: number): Promise<string> {
  const me = `m-${uniq()}@example.com`;
  await send(eml({ From: `Ann Lee <${me}>`, To: KITH, Subject: "hello", Date: new Date(t).toUTCString() }, "hi"), { now: t });
  await send(eml({ From: me, To: KITH, Subject: "timezone Europe/Berlin" }, ""), { now: t });
  return me;
}

const reminderMails = async (me: string): Promise<OutboxEntry[]> => (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder");

/** Every http(s) URL in a text. */
const urls = (text: string) => text.match(/https?:\/\/\S+/g) ?? [];

describe("a reminder mail", () => {
  it("says who, why now, what happened last and what you noted, with a fitting mailto", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await newUser(t0 - HOUR);
    const forward = [
      "---------- Forwarded message ---------",
      "From: Dev Patel <dev@gamma.ai>",
      "Date: Thu, Nov 26, 2026 at 9:42 AM",
      "Subject: Intro: Ann <> Jane (warehouse robotics)",
      `To: Ann Lee <${me}>, Jane Smith <jane@acme.com>`,
      "",
      "Ann, meet Jane. Jane runs robotics at Acme.",
    ].join("\n");
    await send(eml({ From: me, To: KITH, Subject: "Fwd: Intro: Ann <> Jane (warehouse robotics)", Date: new Date(t0).toUTCString() }, forward), { now: t0 });
    await send(eml({ From: me, To: KITH, Subject: "jane@acme.com title VP Robotics" }, ""), { now: t0 + 60_000 });
    await send(eml({ From: me, To: KITH, Subject: "jane@acme.com note into sailing; hiring in Boston" }, ""), { now: t0 + 120_000 });
    await ticks(t0, t0 + DAY);
    // Jane and Dev are both new: one mail, two items.
    const [mail, ...more] = await reminderMails(me);
    expect(more).toEqual([]);
    expect(mail!.subject).toBe("Kith: 2 people to get back to");
    const text = mail!.text;
    expect(text).toMatch(/^\d\. Follow up with Jane Smith \(VP Robotics\): introduced by Dev Patel on Nov 26\.$/m);
    expect(text).toContain('Last in touch: Nov 26, "Intro: Ann <> Jane (warehouse robotics)"');
    expect(text).toContain("Your note: into sailing; hiring in Boston");
    expect(text).toContain("Write to them: mailto:jane%40acme.com?subject=Following%20up%20on%20the%20warehouse%20robotics%20intro&body=Hi%20Jane%2C%0A%0A");
    // Short links: none over 100 characters, and a visible way to stop these mails.
    expect(urls(text).length).toBeGreaterThanOrEqual(3);
    for (const u of urls(text)) expect(u.length).toBeLessThanOrEqual(100);
    expect(text).toMatch(/^Stop reminder mails: https:\/\/kith\.test\/u\/r[0-9a-z]+\.[0-9a-z]{20}$/m);
    // The HTML part says the same, escaped, with the links.
    const html = mail!.html!;
    expect(html).toContain("Follow up with Jane Smith (VP Robotics): introduced by Dev Patel on Nov 26.");
    expect(html).toContain("Your note: into sailing; hiring in Boston");
    expect(html).toContain('<a href="mailto:jane%40acme.com?subject=Following%20up%20on%20the%20warehouse%20robotics%20intro&amp;body=Hi%20Jane%2C%0A%0A">Write to them</a>');
    expect(html).toMatch(/<a href="https:\/\/kith\.test\/r\/d[^"]+">Done<\/a> &middot; <a href="https:\/\/kith\.test\/r\/s[^"]+">Snooze<\/a>/);
    expect(html).toMatch(/<a href="https:\/\/kith\.test\/u\/r[^"]+">Stop reminder mails<\/a>/);
    for (const banned of ["<table", "<style", "<script", "background", "color:"]) expect(html).not.toContain(banned);
  });

  it("opens a page that names the person and the reminder, and acts once", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await newUser(t0 - HOUR);
    await send(eml({ From: me, To: KITH, Subject: "Met at PyCon", Date: new Date(t0).toUTCString() }, "Jane Smith\nCTO, Acme\njane@acme.com"), { now: t0 });
    await ticks(t0, t0 + DAY);
    const [mail] = await reminderMails(me);
    expect(mail!.text).toContain("Follow up with Jane Smith (CTO, Acme): new from PyCon on Nov 26.");
    expect(mail!.text).toContain("mailto:jane%40acme.com?subject=Great%20to%20meet%20you%20at%20PyCon");
    const snooze = /Snooze: (\S+)/.exec(mail!.text)![1]!;
    const done = /Done: (\S+)/.exec(mail!.text)![1]!;
    expect(await (await exports.default.fetch(snooze)).text()).toContain("Snooze the follow-up with Jane Smith for");
    expect(await (await exports.default.fetch(done)).text()).toContain("Mark the follow-up with Jane Smith done?");
    // A snooze needs a length from the page; then the reminder is snoozed once.
    expect((await exports.default.fetch(snooze, { method: "POST" })).status).toBe(400);
    const body = new URLSearchParams({ days: "3" });
    const res = await exports.default.fetch(snooze, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(await res.text()).toContain("Snoozed Jane Smith until");
    const uid = await userId(me);
    expect(await count("reminders", "user_id = ?1 AND kind = 'follow-up' AND status = 'snoozed'", uid)).toBe(1);
    // The link now says what became of it rather than acting again.
    expect(await (await exports.default.fetch(done)).text()).toContain("The follow-up with Jane Smith is already snoozed");
    await exports.default.fetch(done, { method: "POST" });
    expect(await count("reminders", "user_id = ?1 AND kind = 'follow-up' AND status = 'done'", uid)).toBe(0);
  });

  it("refuses a link that was altered, forged for another user, or has expired", async () => {
    const t0 = Date.parse("2026-11-26T09:00:00Z");
    const me = await newUser(t0 - HOUR);
    await send(eml({ From: me, To: KITH, Subject: "Met at PyCon", Date: new Date(t0).toUTCString() }, "Jane Smith\njane@acme.com"), { now: t0 });
    await ticks(t0, t0 + DAY);
    const [mail] = await reminderMails(me);
    const done = /Done: (\S+)/.exec(mail!.text)![1]!;
    const token = done.slice(done.lastIndexOf("/") + 1);
    const config = loadConfig(env);
    const read = await readItemToken(config, token, t0);
    expect(read).toMatchObject({ ok: true, action: "done", userId: await userId(me) });
    // Another user's id in the same token: the MAC no longer matches.
    const [head, , ...rest] = token.split(".");
    const forged = [head, (12345).toString(36), ...rest].join(".");
    expect(await readItemToken(config, forged, t0)).toEqual({ ok: false, reason: "This link is not valid." });
    expect((await exports.default.fetch(`https://kith.test/r/${forged}`, { method: "POST" })).status).toBe(400);
    // Done turned into snooze by its first letter: refused too.
    expect((await readItemToken(config, `s${token.slice(1)}`, t0)).ok).toBe(false);
    expect(await readItemToken(config, token, t0 + 46 * DAY)).toEqual({ ok: false, reason: "This link has expired." });
  });
});

describe("the subject of a write-to-them link", () => {
  it("takes an intro's topic, never a name", () => {
    expect(introTopic("Intro: Jane <> Sam (warehouse robotics)", ["Jane Smith", "Dev Patel"])).toBe("warehouse robotics");
    expect(introTopic("Re: Jane <> Sam - Warehouse robotics", ["Jane Smith"])).toBe("warehouse robotics");
    expect(introTopic("Intro: Ann <> Erin", ["Erin Wu", "Dev Patel"])).toBeNull();
    expect(introTopic("Erin / Ann", ["Erin Wu"])).toBeNull();
    expect(introTopic(null, [])).toBeNull();
  });
});
