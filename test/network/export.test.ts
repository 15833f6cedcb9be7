/** "export": three files attached, in /dev/outbox and in the Resend request, that read
 * back as the same people. */
import { env } from "cloudflare:workers";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { clockAt } from "../../src/core/deps";
import { tick } from "../../src/cron/tick";
import { parseContactsCsv } from "../../src/inbound/cards/csv";
import { parseVCards } from "../../src/inbound/cards/vcard";
import { intake } from "../../src/inbound/intake";
import { ResendMailer } from "../../src/mail-out/resend";
import { exportAttacher } from "../../src/network/export/index";
import { failNext, newApiKey, receivedRequests, resendBaseUrl } from "../mail-out/resend-control";
import { eml } from "../support/mail";
import { card, KITH, latest, mail, member } from "./support";

const text = (b64: string) => new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));

async function people(me: string) {
  await card(me, "Carol Díaz\nVP Sales, Globex; Robotics\ncarol@globex-labs.com\ncarol.diaz@gmail.com\n+1 415 555 0100\n\nJürgen Müller\nCTO, Acme\njurgen@acme.example");
  await mail(me, "carol@globex-labs.com note likes sailing, and chess");
}

describe("export", () => {
  it("attaches a vCard, a CSV and a JSON file that read back as the same people", async () => {
    const me = await member();
    await people(me);
    expect((await mail(me, "export")).outcome).toBe("applied");
    const m = await latest(me, "export");
    expect(m.text).toContain("everything Kith holds for you: 2 people");
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ["kith-contacts.vcf", "text/vcard; charset=utf-8"],
      ["kith-contacts.csv", "text/csv; charset=utf-8"],
      ["kith-export.json", "application/json; charset=utf-8"],
    ]);
    const [vcf, csv, json] = m.attachments.map((a) => text(a.content));

    const cards = parseVCards(vcf!);
    const carol = cards.find((c) => c.name === "Carol Díaz");
    expect(carol).toMatchObject({ company: "Globex; Robotics", title: "VP Sales", phones: ["+14155550100"] });
    expect(carol?.emails.sort()).toEqual(["carol.diaz@gmail.com", "carol@globex-labs.com"]);
    expect(cards.map((c) => c.name).sort()).toEqual(["Carol Díaz", "Jürgen Müller"]);

    // A real vCard library reads it too.
    const parsed = ICAL.parse(vcf!) as unknown[];
    const fns = (Array.isArray(parsed[0]) ? parsed : [parsed]).map((vcard) => new ICAL.Component(vcard as unknown[]).getFirstPropertyValue("fn"));
    expect(fns.sort()).toEqual(["Carol Díaz", "Jürgen Müller"]);
    expect(vcf).toContain("likes sailing\\, and chess");

    expect(parseContactsCsv(csv!).contacts.map((c) => c.name).sort()).toEqual(["Carol Díaz", "Jürgen Müller"]);

    const data = JSON.parse(json!) as { version: number; user: { email: string }; people: { name: string; notes: { text: string }[] }[]; interactions: unknown[]; reminders: unknown[] };
    expect(data.version).toBe(3);
    expect(data.user.email).toBe(me);
    expect(data.people.find((p) => p.name === "Carol Díaz")?.notes.map((n) => n.text)).toEqual(["likes sailing, and chess"]);
    expect(data.interactions.length).toBeGreaterThan(0);
    expect(data.reminders.length).toBeGreaterThan(0);
  });

  it("goes through the real Resend SDK with its attachments, and a retry makes them afresh", async () => {
    const apiKey = newApiKey();
    const config = { ...loadConfig(env), transport: "resend" as const };
    const mailer = new ResendMailer({ apiKey, baseUrl: resendBaseUrl });
    const now = Date.now();
    const d = { db: env.DB, config, mailer, clock: clockAt(now), attach: exportAttacher(env.DB) };
    const me = await member();
    await people(me);
    await failNext({ key: apiKey, status: 503 });
    await intake(d, { from: me, raw: new TextEncoder().encode(eml({ From: me, To: KITH, Subject: "export" }, "")) });
    await tick({ ...d, clock: clockAt(now + 5 * 60_000) });
    // The tick also retries other tests' queued mail through this mailer: only ours counts.
    const sends = (await receivedRequests(apiKey)).filter((r) => r.path === "/emails" && (r.body as { to?: string }).to === me);
    expect(sends).toHaveLength(2);
    const body = sends[1]!.body as { attachments: { filename: string; content: string }[] };
    expect(body.attachments.map((a) => a.filename)).toEqual(["kith-contacts.vcf", "kith-contacts.csv", "kith-export.json"]);
    expect(text(body.attachments[0]!.content)).toContain("FN:Carol Díaz");
    // Files made afresh may differ, and Resend refuses one key for two payloads: a key per try.
    const keys = sends.map((s) => s.headers["idempotency-key"]);
    expect(keys[0]).toMatch(/^kith-out-\d+-1$/);
    expect(keys[1]).toBe(keys[0]!.replace(/-1$/, "-2"));
    // Nothing of the files stays in D1 once sent.
    const row = await env.DB.prepare("SELECT status, payload FROM outbound_messages WHERE kind = 'export' AND to_address = ?1").bind(me).first<{ status: string; payload: string | null }>();
    expect(row).toEqual({ status: "sent", payload: null });
  });
});
