/** Hostile text in every field that reaches a mail's HTML, brought in the ways a user
 * brings it (BCC'd mail with a hostile display name and subject, a forward, a card note,
 * a vCard, a CSV, an .ics invitation, a promise, a plan, "remind me", a reply with a
 * note, the API's edits), then a week of ticks on the test clock. Of every mail Kith
 * wrote (welcome, confirmations, lookups, export, reminders, plan mails, the weekly
 * summary) the HTML part, where there is one, is parsed: none holds an element or
 * attribute a payload made, and the payloads are there as text. (Confirmations, lookups
 * and the export are plain text only.) */
import { describe, expect, it, vi } from "vitest";
import { DAY, HOUR, uniq } from "../support/clock";
import { deps, eml, outbox, send } from "../support/mail";
import { type Element, hostileMarkup, NAMES, PAYLOADS, SHORT, word } from "../support/payloads";
import { tick } from "../../src/cron/tick";
import { e, link, mailHtml } from "../../src/mail-out/html";
import { apiToken, call } from "../web/support";
import { latest, reply } from "../network/support";

vi.setConfig({ testTimeout: 60_000 });

const KITH = "kith@kith.test";
// Monday Dec 7 2026, 10:00 UTC.
const T0 = Date.parse("2026-12-07T10:00:00Z");

const b64 = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return (btoa(bin).match(/.{1,76}/g) ?? []).join("\r\n");
};

/** A mail to Kith with one attachment. */
function withFile(me: string, subject: string, file: { name: string; type: string; text: string }, now: number): string {
  const body = [
    "--b1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "For Kith.",
    "--b1",
    `Content-Type: ${file.type}; charset=utf-8; name="${file.name}"`,
    `Content-Disposition: attachment; filename="${file.name}"`,
    "Content-Transfer-Encoding: base64",
    "",
    b64(file.text),
    "--b1--",
  ].join("\n");
  return eml({ From: me, To: KITH, Subject: word(subject), Date: new Date(now).toUTCString(), "Content-Type": 'multipart/mixed; boundary="b1"' }, body);
}

const vcards = () =>
  SHORT.map((n, i) => ["BEGIN:VCARD", "VERSION:3.0", `FN:${PAYLOADS[n].replace(/[,;]/g, "\\$&")}`, `ORG:${PAYLOADS[n].replace(/[,;]/g, "\\$&")}`, `TITLE:${PAYLOADS[n].replace(/[,;]/g, "\\$&")}`, `NOTE:${PAYLOADS[n].replace(/[,;]/g, "\\$&")}`, `EMAIL:vc${i}@example.org`, "END:VCARD"].join("\r\n")).join("\r\n");

const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;
const csv = () =>
  ["Name,Given Name,Family Name,Notes,E-mail 1 - Value,Organization 1 - Name,Organization 1 - Title", ...SHORT.map((n, i) => [PAYLOADS[n], "", "", PAYLOADS[n], `csv${i}@example.org`, PAYLOADS[n], PAYLOADS[n]].map(csvCell).join(","))].join("\r\n");

const ics = (me: string, start: string, end: string) =>
  [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Test//Hostile//EN",
    "METHOD:REQUEST",
    "BEGIN:VEVENT",
    `DTSTART:${start}`,
    `DTEND:${end}`,
    "DTSTAMP:20261201T000000Z",
    `UID:${uniq()}@hostile.test`,
    `SUMMARY:${PAYLOADS.title.replace(/[,;]/g, "\\$&")} ${PAYLOADS.anchor.replace(/[,;]/g, "\\$&")}`,
    `ORGANIZER;CN="${PAYLOADS.svg}":mailto:org@hostile.test`,
    `ATTENDEE;CN="${PAYLOADS.script}";PARTSTAT=ACCEPTED:mailto:att@hostile.test`,
    `ATTENDEE;CN=Ann;PARTSTAT=ACCEPTED:mailto:${me}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ].join("\r\n");

/** The elements of an HTML document and its text, as a mail client's parser reads them. */
async function parse(html: string): Promise<{ elements: Element[]; text: string }> {
  const elements: Element[] = [];
  let text = "";
  await new HTMLRewriter()
    .on("*", { element: (el) => void elements.push({ tag: el.tagName, attrs: [...el.attributes].map(([n, v]) => [n!, v!] as [string, string]) }) })
    .onDocument({ text: (t) => void (text += t.text) })
    .transform(new Response(html))
    .text();
  const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", middot: "·", nbsp: " " };
  text = text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e.startsWith("#x") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") && !(e in entities) ? String.fromCodePoint(Number(e.slice(1))) : (entities[e] ?? m),
  );
  return { elements, text };
}

describe("hostile text in mail HTML", () => {
  it("stays text in every mail Kith writes, from every way it comes in", async () => {
    const me = `inj-${uniq()}@example.com`;
    const at = (t: number) => ({ now: t });
    const from = `${word(PAYLOADS.attrBreak)} <${me}>`;
    const mailAt = (t: number, headers: Record<string, string>, body: string) => send(eml({ From: from, To: KITH, Date: new Date(t).toUTCString(), ...headers }, body), at(t));
    const applied = async (p: ReturnType<typeof send>) => expect((await p).outcome).toBe("applied");

    await applied(mailAt(T0, { Subject: "hello" }, "Hi Kith"));
    let t = T0 + 60_000;
    const next = () => (t += 60_000);

    // BCC'd mail to a person with a hostile name and subject, with a promise in it.
    for (const [i, n] of SHORT.entries()) {
      await applied(mailAt(next(), { To: `${word(PAYLOADS[n])} <bcc${i}@example.net>`, Bcc: KITH, Subject: word(PAYLOADS[n]) }, `Hi,\n\nI'll send you the ${PAYLOADS[n]} by Friday.\n\nAnn`));
    }
    // An intro between two hostile names.
    await applied(
      mailAt(next(), { To: `${word(PAYLOADS.svg)} <intro-a@example.net>, ${word(PAYLOADS.quote)} <intro-b@example.net>`, Bcc: KITH, Subject: word(`Intro: ${PAYLOADS.svg} <> ${PAYLOADS.quote}`) }, `${PAYLOADS.svg}, meet ${PAYLOADS.quote}.\n\nAnn`),
    );
    // A forward of a hostile intro (its sender the introducer), with their promise.
    await applied(
      mailAt(
        next(),
        { Subject: word(`Fwd: ${PAYLOADS.title}`) },
        `FYI\n\n---------- Forwarded message ---------\nFrom: ${PAYLOADS.style} <fwd@example.org>\nDate: Mon, Dec 7, 2026 at 9:00 AM\nSubject: ${PAYLOADS.title}\nTo: Ann <${me}>, ${PAYLOADS.jsUrl} <fwd-b@example.org>\n\nAnn, meet ${PAYLOADS.jsUrl}. We will send the ${PAYLOADS.dataUrl} by Friday.\n`,
      ),
    );
    // A business-card note, met at a hostile place.
    await applied(mailAt(next(), { Subject: word(`Met at ${PAYLOADS.anchor}`) }, `${PAYLOADS.template}\n${PAYLOADS.unicode} at ${PAYLOADS.textarea}\ncard@example.org\n+44 20 7946 0000\n\n${PAYLOADS.long}`));
    // A vCard and a CSV with every payload in every field.
    await applied(send(withFile(me, "cards", { name: "cards.vcf", type: "text/vcard", text: vcards() }, next()), at(t)));
    await applied(send(withFile(me, "contacts", { name: "contacts.csv", type: "text/csv", text: csv() }, next()), at(t)));
    // A meeting tomorrow, a plan for the day after, a "remind me".
    await applied(send(withFile(me, "Fwd: Invitation", { name: "invite.ics", type: "text/calendar", text: ics(me, "20261208T120000Z", "20261208T130000Z") }, next()), at(t)));
    await applied(mailAt(next(), { Subject: word(`plan ${PAYLOADS.script} on Dec 9: meet ${PAYLOADS.attrBreak}`) }, ""));
    await applied(mailAt(next(), { Subject: word(`remind me to ${PAYLOADS.style} tomorrow`) }, ""));
    // Edits over the API: facts and a note on someone with a follow-up due, a meeting logged.
    const token = await apiToken(me);
    const { contacts } = await (await call(token, "/contacts?limit=100")).json<{ contacts: { id: number; emails: string[] }[] }>();
    const id = (address: string) => contacts.find((c) => c.emails.includes(address))!.id;
    const patch = await call(token, `/contacts/${id("vc1@example.org")}`, { method: "PATCH", json: { name: PAYLOADS.title, title: PAYLOADS.svg, company: PAYLOADS.quote, met_at: PAYLOADS.dataUrl } });
    expect(patch.status).toBe(200);
    expect((await call(token, `/contacts/${id("vc1@example.org")}/interactions`, { method: "POST", json: { kind: "note", text: PAYLOADS.long.slice(0, 2000) } })).status).toBe(201);
    expect((await call(token, `/contacts/${id("card@example.org")}/interactions`, { method: "POST", json: { kind: "met", subject: PAYLOADS.textarea } })).status).toBe(201);
    // Lookups and the export.
    for (const q of [`who is ${PAYLOADS.script}`, `find ${PAYLOADS.anchor}`, `people met at ${PAYLOADS.anchor}`, "who is vc1@example.org", "export"]) await applied(mailAt(next(), { Subject: word(q) }, ""));

    // A week of ticks: follow-ups, promises, the meeting, the plan and its recap, the summary.
    for (let s = t + HOUR; s <= T0 + 8 * DAY; s += HOUR) await tick(deps({}, () => s));
    // A reply to a reminder with a hostile note, and another lookup of the same person.
    const reminder = await latest(me, "reminder");
    await reply(me, reminder, `1 note ${PAYLOADS.textarea}`, T0 + 8 * DAY + 60_000);
    await applied(mailAt(T0 + 8 * DAY + 120_000, { Subject: "who is vc1@example.org" }, ""));

    const mine = (await outbox()).filter((m) => m.to === me);
    const kinds = new Set(mine.map((m) => m.headers["X-Kith-Kind"]));
    for (const kind of ["welcome", "confirmation", "lookup", "export", "reminder", "plan", "plan-recap", "weekly-summary"]) expect(kinds, kind).toContain(kind);
    const shown = new Set<string>();
    for (const m of mine) {
      if (!m.html) continue;
      const { elements, text } = await parse(m.html);
      expect(hostileMarkup(elements), `${m.headers["X-Kith-Kind"]}: ${m.subject}`).toEqual([]);
      for (const n of NAMES) if (text.includes(PAYLOADS[n].slice(0, 30))) shown.add(n);
    }
    // The HTML mails carried the payloads, as text.
    expect([...shown].sort()).toEqual([...NAMES].sort());
  });

  it("finds the markup a payload makes when it is not escaped (the check above can fail)", async () => {
    for (const n of NAMES) {
      const p = PAYLOADS[n];
      const raw = await parse(mailHtml("Kith", "Kith", `<p>${p}</p><p><a href="${p}" title='${p}'>x</a></p>`, []));
      const escaped = await parse(mailHtml(p, p, `<p>${e(p)}</p><p>${link("https://kith.test/r/x", p)}</p>`, []));
      // Only the template and the unicode tricks make no markup, escaped or not.
      expect(hostileMarkup(raw.elements).length > 0, n).toBe(n !== "template" && n !== "unicode");
      expect(hostileMarkup(escaped.elements), n).toEqual([]);
      expect(escaped.text, n).toContain(p);
    }
  });
});
