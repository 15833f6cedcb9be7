import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DAY } from "../../src/lib/time";
import { count, contactsOf, userId } from "../support/mail";
import { rowsNaming } from "../support/walk";
import { card, contactId, KITH, latest, mail, member } from "../network/support";
import { eml, outbox, send } from "../support/mail";
import { SUMMARY_OFF } from "../../src/summary/schedule";
import { call, readable, signedIn } from "./support";

/** The dashboard as a user works it: find, read, fix, act, take away, delete. */

async function withPeople() {
  const me = await member();
  // Carol an hour before Dev: the list is most recently in touch first.
  await card(me, "Carol Diaz\nVP Sales, Globex\ncarol@globex-labs.com\n+1 415 555 0142", "Met at PyCon", Date.now() - 3600_000);
  await card(me, "Dev Patel\ndev@initech.com", "Met at RustConf");
  return me;
}

describe("people", () => {
  it("lists people most recently in touch first, searches as who-is does, and filters", async () => {
    const me = await withPeople();
    const b = await signedIn(me);
    const all = readable((await b.page("/app")).html);
    expect(all.indexOf("Dev Patel")).toBeLessThan(all.indexOf("Carol Diaz"));
    expect((await b.page("/app")).html).toMatch(/<a href="\/app\/people\/\d+">Carol Diaz<\/a>/);

    const found = readable((await b.page("/app?q=globex")).html);
    expect(found).toContain("Carol Diaz");
    expect(found).not.toContain("Dev Patel");
    expect(found).toContain("1 person match");
    // Words of a note, a prefix, any case.
    expect(readable((await b.page("/app?q=CAR")).html)).toContain("Carol Diaz");

    const met = readable((await b.page("/app?met=rustconf")).html);
    expect(met).toContain("Dev Patel");
    expect(met).not.toContain("Carol Diaz");
    expect(readable((await b.page("/app?muted=1")).html)).toContain("No one matches");
  });

  it("pages by cursor, every person once", async () => {
    const me = await member();
    const lines = Array.from({ length: 30 }, (_, i) => `Person ${String(i).padStart(2, "0")} <p${i}@example.org>`);
    const res = await send(eml({ From: me, To: KITH, Subject: "Met at a meetup", Date: new Date().toUTCString() }, lines.join("\n")));
    expect(res.outcome).toBe("applied");
    const b = await signedIn(me);
    const seen: string[] = [];
    let path: string | null = "/app";
    let pages = 0;
    while (path) {
      const html: string = (await b.page(path)).html;
      seen.push(...[...html.matchAll(/<a href="\/app\/people\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]!));
      path = /<a href="([^"]+)">Next page<\/a>/.exec(html)?.[1]?.replace(/&amp;/g, "&") ?? null;
      pages++;
    }
    const people = await contactsOf(me);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(30);
    expect(seen.sort()).toEqual(people.map((p) => p.name ?? p.emails!).sort());
  });
});

describe("a person", () => {
  it("shows their facts, addresses, phones, where met, timeline and notes", async () => {
    const me = await withPeople();
    const b = await signedIn(me);
    const id = await contactId(me, "carol@globex-labs.com");
    const page = readable((await b.page(`/app/people/${id}`)).html);
    for (const text of ["Carol Diaz", "VP Sales at Globex", "carol@globex-labs.com", "+1 415 555 0142", "Met at PyCon", "Timeline"]) expect(page).toContain(text);
  });

  it("edits facts in place; a fact set here stays when later mail says otherwise", async () => {
    const me = await withPeople();
    const b = await signedIn(me);
    const id = await contactId(me, "carol@globex-labs.com");
    await b.page(`/app/people/${id}`);
    const after = await b.submit(`/app/people/${id}/facts`, { name: "Carol Diaz", title: "Chief Revenue Officer", company: "", met_at: "PyCon 2026" });
    expect(after.location).toBe(`/app/people/${id}`);
    const text = readable(after.html);
    expect(text).toContain('title is now "Chief Revenue Officer"');
    const [carol] = (await contactsOf(me)).filter((p) => p.id === id);
    expect(carol).toMatchObject({ title: "Chief Revenue Officer", company: null, met_at: "PyCon 2026" });
    // A later card with the old title does not undo it.
    await card(me, "Carol Diaz\nVP Sales, Globex\ncarol@globex-labs.com");
    expect((await contactsOf(me)).find((p) => p.id === id)?.title).toBe("Chief Revenue Officer");
    // The notice is said once.
    expect(readable((await b.page(`/app/people/${id}`)).html)).not.toContain("is now");
  });

  it("adds a note, a phone and a meeting; sets the cadence and stops check-ins", async () => {
    const me = await withPeople();
    const b = await signedIn(me);
    const id = await contactId(me, "dev@initech.com");
    await b.page(`/app/people/${id}`);
    expect(readable((await b.submit(`/app/people/${id}/notes`, { text: "Into sailing; ask about the regatta" })).html)).toContain("Into sailing; ask about the regatta");
    expect(await count("contact_notes", "contact_id = ?1", id)).toBe(1);
    expect(readable((await b.submit(`/app/people/${id}/phones`, { phone: "+44 20 7946 0000" })).html)).toContain("+44 20 7946 0000");
    expect(readable((await b.submit(`/app/people/${id}/phones`, { phone: "call me" })).html)).toContain("is not a phone number Kith can read");
    const today = new Date().toISOString().slice(0, 10);
    expect(readable((await b.submit(`/app/people/${id}/met`, { what: "Coffee", on: today })).html)).toContain("Logged: you met Dev Patel (Coffee)");
    expect(await count("interactions i JOIN interaction_contacts ic ON ic.interaction_id = i.id", "ic.contact_id = ?1 AND i.kind = 'met'", id)).toBe(1);
    expect(readable((await b.submit(`/app/people/${id}/met`, { what: "", on: "2999-01-01" })).html)).toContain("Choose the day you met");
    expect(readable((await b.submit(`/app/people/${id}/cadence`, { days: "30" })).html)).toContain("every 30 days");
    const checkIn = await env.DB.prepare("SELECT due_at FROM reminders WHERE contact_id = ?1 AND kind = 'check-in' AND status = 'pending'").bind(id).first<{ due_at: number }>();
    expect(checkIn!.due_at - Date.now()).toBeGreaterThan(29 * DAY);
    expect(readable((await b.submit(`/app/people/${id}/stop`)).html)).toContain("No more check-ins with Dev Patel");
    expect(await count("reminders", "contact_id = ?1 AND kind = 'check-in' AND status = 'pending'", id)).toBe(0);
  });

  it("merges with the person at another address, and forgets after a confirmation", async () => {
    const me = await member();
    await card(me, "Carol Diaz\ncarol@globex-labs.com");
    await card(me, "C. Diaz\ncdiaz@gmail.com", "Met at a dinner");
    const b = await signedIn(me);
    const carol = await contactId(me, "carol@globex-labs.com");
    await b.page(`/app/people/${carol}`);
    const merged = await b.submit(`/app/people/${carol}/merge`, { address: "cdiaz@gmail.com" });
    expect(readable(merged.html)).toContain("are now one person");
    expect(await contactsOf(me)).toHaveLength(1);
    expect((await contactsOf(me))[0]!.emails!.split(",").sort()).toEqual(["carol@globex-labs.com", "cdiaz@gmail.com"]);
    expect(readable((await b.submit(`/app/people/${carol}/merge`, { address: "nobody@example.com" })).html)).toContain("Kith knows no one at nobody@example.com");

    const ask = await b.page(`/app/people/${carol}/forget`);
    expect(readable(ask.html)).toContain("Forget Carol Diaz?");
    expect(await contactsOf(me)).toHaveLength(1);
    const gone = await b.submit(`/app/people/${carol}/forget`);
    expect(gone.location).toBe("/app");
    expect(readable(gone.html)).toContain("Forgot Carol Diaz");
    expect(await contactsOf(me)).toHaveLength(0);
    expect(await rowsNaming(["cdiaz@gmail.com"], ["forgotten_addresses", "inbound_messages", "outbound_messages", "outbox", "outbox_attachments"])).toEqual([]);
    expect((await b.page(`/app/people/${carol}`)).status).toBe(404);
  });
});

describe("due", () => {
  it("lists what is open and acts on it in place, as a reply would", async () => {
    const me = await withPeople();
    const b = await signedIn(me);
    const due = await env.DB.prepare("SELECT id, contact_id FROM reminders WHERE user_id = ?1 AND kind = 'follow-up' ORDER BY id").bind(await userId(me)).all<{ id: number; contact_id: number }>();
    expect(due.results).toHaveLength(2);
    // Make them due now.
    await env.DB.prepare("UPDATE reminders SET due_at = ?2 WHERE user_id = ?1 AND kind = 'follow-up'").bind(await userId(me), Date.now() - 1000).run();
    const page = readable((await b.page("/app/due")).html);
    expect(page).toContain("Carol Diaz");
    expect(page).toContain("Dev Patel");
    const [first, second] = due.results;
    const snoozed = await b.submit(`/app/reminders/${first!.id}`, { action: "snooze", days: "3", back: "/app/due" });
    expect(snoozed.location).toBe("/app/due");
    expect(readable(snoozed.html)).toContain("Snoozed");
    const later = await env.DB.prepare("SELECT due_at FROM reminders WHERE contact_id = ?1 AND kind = 'follow-up' AND status = 'pending'").bind(first!.contact_id).first<{ due_at: number }>();
    expect(later!.due_at - Date.now()).toBeGreaterThan(2 * DAY);
    const doneIt = await b.submit(`/app/reminders/${second!.id}`, { action: "done", back: `/app/people/${second!.contact_id}` });
    expect(doneIt.location).toBe(`/app/people/${second!.contact_id}`);
    expect(await env.DB.prepare("SELECT status FROM reminders WHERE id = ?1").bind(second!.id).first("status")).toBe("done");
    // Done logged the contact; nothing is due now.
    const after = readable((await b.page("/app/due")).html);
    expect(after).toContain("Nothing is due now");
    // The snoozed one comes back within the week: it is coming up.
    expect(after).toContain("Coming up this week");
    // A back that leaves the dashboard is not followed.
    const res = await b.post(`/app/reminders/${first!.id}`, { action: "skip", back: "https://evil.example/" });
    expect(res.headers.get("Location")).toBe("/app/due");
  });
});

describe("due, when Kith cannot reach you", () => {
  it("says what it could not deliver lately, and why, since the next mail may not arrive either", async () => {
    const me = await member();
    const b = await signedIn(me);
    expect(readable((await b.page("/app/due")).html)).not.toContain("could not deliver");
    // Resend said the user's mail bounced for good.
    await env.DB.prepare(
      `INSERT INTO outbound_messages (id, user_id, message_id, kind, to_address, subject, created_at, status, attempts, error)
       VALUES (?1, ?2, ?3, 'reminder', ?4, 'Kith: follow up', ?5, 'failed', 1, 'bounced: 550 mailbox full')`,
    )
      .bind(Math.floor(Math.random() * 1e12), await userId(me), `<bounced-${Math.random()}@kith.test>`, me, Date.now() - DAY)
      .run();
    const page = readable((await b.page("/app/due")).html);
    expect(page).toContain(`Kith could not deliver a mail to you in the last two weeks (the mail server for ${me} rejected it for good: 550 mailbox full).`);
  });
});

describe("settings", () => {
  it("changes each setting through the mail command's own grammar", async () => {
    const me = await member();
    const b = await signedIn(me);
    await b.page("/app/settings");
    expect(readable((await b.submit("/app/settings/timezone", { zone: "Europe/Berlin" })).html)).toContain("Saved");
    await b.submit("/app/settings/deliver", { hour: "7" });
    await b.submit("/app/settings/quiet", { start: "22", end: "6" });
    await b.submit("/app/settings/cadence", { days: "45" });
    await b.submit("/app/settings/cap", { items: "8" });
    await b.submit("/app/settings/summary", { day: "friday", hour: "16" });
    const u = await env.DB.prepare("SELECT * FROM users WHERE email = ?1").bind(me).first<Record<string, unknown>>();
    expect(u).toMatchObject({ time_zone: "Europe/Berlin", deliver_hour: 7, quiet_start: 22, quiet_end: 6, cadence_days: 45, item_cap: 8, summary_day: 5, summary_hour: 16 });
    expect(readable((await b.submit("/app/settings/cap", { items: "99" })).html)).toContain("A mail can list 1 to 20 items");
    expect((await env.DB.prepare("SELECT item_cap FROM users WHERE email = ?1").bind(me).first("item_cap"))).toBe(8);
    await b.submit("/app/settings/quiet", { start: "22", end: "6", off: "1" });
    expect(await env.DB.prepare("SELECT quiet_start = quiet_end AS off FROM users WHERE email = ?1").bind(me).first("off")).toBe(1);
    await b.submit("/app/settings/summary", { day: "friday", hour: "16", off: "1" });
    expect(await env.DB.prepare("SELECT summary_paused_until FROM users WHERE email = ?1").bind(me).first("summary_paused_until")).toBe(SUMMARY_OFF);
    // The page says what was done; no settings mail comes too.
    expect((await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "settings")).toHaveLength(0);
  });

  it("pauses and resumes", async () => {
    const me = await member();
    const b = await signedIn(me);
    await b.page("/app/settings");
    expect(readable((await b.submit("/app/settings/pause", { for: "2 weeks" })).html)).toContain("Paused");
    const paused = await env.DB.prepare("SELECT reminders_paused_until AS r, summary_paused_until AS s FROM users WHERE email = ?1").bind(me).first<{ r: number; s: number }>();
    expect(paused!.r - Date.now()).toBeGreaterThan(13 * DAY);
    expect(paused!.s).toBe(paused!.r);
    expect(readable((await b.page("/app/settings")).html)).toContain("Reminders are paused until");
    expect(readable((await b.submit("/app/settings/resume")).html)).toContain("Resumed");
    expect(await env.DB.prepare("SELECT reminders_paused_until FROM users WHERE email = ?1").bind(me).first("reminders_paused_until")).toBeNull();
  });

  it("adds an address (confirmed by mail to it) and removes it", async () => {
    const me = await member();
    const work = `work-${me}`;
    const b = await signedIn(me);
    await b.page("/app/settings");
    expect(readable((await b.submit("/app/settings/alias", { address: work })).html)).toContain(`Kith sent a confirmation to ${work}`);
    expect((await outbox()).filter((m) => m.to === work && m.headers["X-Kith-Kind"] === "alias-confirm")).toHaveLength(1);
    expect(readable((await b.page("/app/settings")).html)).toContain(`${work} (waiting for confirmation)`);
    expect(readable((await b.submit("/app/settings/unalias", { address: work })).html)).toContain("no longer treated as yours");
    expect(await count("user_addresses", "email = ?1", work)).toBe(0);
    // The form mails the address it names: five an hour, not a flood.
    for (let i = 0; i < 4; i++) await b.submit("/app/settings/alias", { address: work });
    expect(readable((await b.submit("/app/settings/alias", { address: work })).html)).toContain("enough confirmations for an hour");
    expect((await outbox()).filter((m) => m.to === work && m.headers["X-Kith-Kind"] === "alias-confirm")).toHaveLength(5);
  });

  it("creates a token shown once, and revokes it", async () => {
    const me = await member();
    const b = await signedIn(me);
    await b.page("/app/settings");
    const res = await b.post("/app/settings/tokens", { name: "My script", read_only: "1" });
    const html = await res.text();
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const token = /kith_[A-Za-z0-9_-]{43}/.exec(html)![0];
    const settings = await b.page("/app/settings");
    expect(settings.html).not.toContain(token);
    expect(readable(settings.html)).toContain("My script · read only");
    const ok = await call(token, "/contacts");
    expect(ok.status).toBe(200);
    const id = /\/app\/settings\/tokens\/(\d+)\/revoke/.exec(settings.html)![1]!;
    expect(readable((await b.submit(`/app/settings/tokens/${id}/revoke`)).html)).toContain("Revoked the token “My script”");
    expect((await call(token, "/contacts")).status).toBe(401);
  });

  it("downloads vCard, CSV and JSON, streamed", async () => {
    const me = await withPeople();
    const b = await signedIn(me);
    const vcf = await b.fetch("/app/export/kith-contacts.vcf");
    expect(vcf.headers.get("Content-Type")).toMatch(/^text\/vcard/);
    expect(vcf.headers.get("Content-Disposition")).toBe('attachment; filename="kith-contacts.vcf"');
    const cards = await vcf.text();
    expect(cards.match(/BEGIN:VCARD/g)).toHaveLength(2);
    expect(cards).toContain("FN:Carol Diaz");
    const csv = (await (await b.fetch("/app/export/kith-contacts.csv")).text()).trim().split("\r\n");
    expect(csv).toHaveLength(3);
    expect(csv[0]).toMatch(/^First Name,/);
    const json = (await (await b.fetch("/app/export/kith-export.json")).json()) as { user: { email: string }; people: { name: string }[]; interactions: unknown[] };
    expect(json.user.email).toBe(me);
    expect(json.people.map((p) => p.name).sort()).toEqual(["Carol Diaz", "Dev Patel"]);
    expect(json.interactions.length).toBeGreaterThan(0);
    expect((await b.fetch("/app/export/passwords.txt")).status).toBe(404);

    // The same file as the export mail's, whichever way it is taken (order aside).
    await mail(me, "export");
    const attached = (await latest(me, "export")).attachments.find((a) => a.filename === "kith-export.json")!;
    const mailed = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(attached.content), (ch) => ch.charCodeAt(0)))) as Record<string, { id: number }[]>;
    const byId = (rows: { id: number }[]) => [...rows].sort((x, y) => x.id - y.id);
    const downloaded = json as unknown as Record<string, { id: number }[]>;
    for (const key of ["people", "interactions", "introductions", "reminders"]) expect(byId(downloaded[key]!)).toEqual(byId(mailed[key]!));
    expect({ ...(downloaded as object), exported_at: null, people: null, interactions: null, introductions: null, reminders: null }).toEqual({ ...(mailed as object), exported_at: null, people: null, interactions: null, introductions: null, reminders: null });
  });

  it("deletes the account after a confirmation, leaving no row behind", async () => {
    const me = await withPeople();
    const b = await signedIn(me);
    const id = await userId(me);
    const carol = await contactId(me, "carol@globex-labs.com");
    await b.page("/app/settings");
    await b.post("/app/settings/tokens", { name: "x" });
    const ask = await b.page("/app/settings/delete");
    expect(readable(ask.html)).toContain("Delete your account?");
    expect(await count("users", "id = ?1", id)).toBe(1);
    const res = await b.post("/app/settings/delete");
    expect(res.status).toBe(200);
    expect(readable(await res.text())).toContain("Your account is deleted");
    // (Other tests' users know a Carol at the same address: her id is what must go.)
    expect(await rowsNaming([me, id, carol], ["outbox"])).toEqual([]);
    expect((await b.fetch("/app/settings")).status).toBe(303);
  });
});
