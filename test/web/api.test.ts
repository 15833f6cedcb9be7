import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/web/app";
import { card, contactId, member } from "../network/support";
import { count, userId } from "../support/mail";
import { apiToken, call, ORIGIN } from "./support";

/** The JSON API, each route through the Worker's fetch() with real D1: what a script
 * can read and do with a personal access token, and every way it is refused. */

interface ApiContact {
  id: number;
  name: string | null;
  emails: string[];
  phones: string[];
  company: string | null;
  title: string | null;
  met_at: string | null;
  checkins_stopped: boolean;
}

async function withPeople() {
  const me = await member();
  // Carol an hour before Dev: the list is most recently in touch first.
  await card(me, "Carol Diaz\nVP Sales, Globex\ncarol@globex-labs.com\n+1 415 555 0142", "Met at PyCon", Date.now() - 3600_000);
  await card(me, "Dev Patel\ndev@initech.com", "Met at RustConf");
  return { me, token: await apiToken(me) };
}

const json = async <T>(res: Response) => (await res.json()) as T;

describe("the API", () => {
  it("answers 401 with a JSON error without a valid token", async () => {
    for (const auth of [null, "kith_nope", "Bearer", `Basic ${btoa("a:b")}`]) {
      const res = await SELF.fetch(`${ORIGIN}/api/v1/contacts`, { headers: auth ? { Authorization: auth } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  it("lists contacts with q and a cursor, in the documented shape", async () => {
    const { me, token } = await withPeople();
    const all = await json<{ contacts: ApiContact[]; next_cursor: string | null }>(await call(token, "/contacts"));
    expect(all.contacts.map((c) => c.name)).toEqual(["Dev Patel", "Carol Diaz"]);
    expect(all.next_cursor).toBeNull();
    const carol = all.contacts[1]!;
    expect(carol).toMatchObject({ id: await contactId(me, "carol@globex-labs.com"), emails: ["carol@globex-labs.com"], phones: ["+14155550142"], company: "Globex", title: "VP Sales", met_at: "PyCon" });

    const first = await json<{ contacts: ApiContact[]; next_cursor: string }>(await call(token, "/contacts?limit=1"));
    expect(first.contacts.map((c) => c.name)).toEqual(["Dev Patel"]);
    const second = await json<{ contacts: ApiContact[]; next_cursor: string | null }>(await call(token, `/contacts?limit=1&cursor=${first.next_cursor}`));
    expect(second.contacts.map((c) => c.name)).toEqual(["Carol Diaz"]);
    expect(second.next_cursor).toBeNull();

    const found = await json<{ contacts: ApiContact[] }>(await call(token, "/contacts?q=globex"));
    expect(found.contacts.map((c) => c.name)).toEqual(["Carol Diaz"]);
    expect((await call(token, "/contacts?limit=1000")).status).toBe(400);
    expect(await json(await call(token, "/contacts?cursor=garbage"))).toEqual({ error: { code: "invalid", message: expect.stringContaining("cursor") } });
  });

  it("gets, patches and forgets a contact", async () => {
    const { me, token } = await withPeople();
    const id = await contactId(me, "carol@globex-labs.com");
    const got = await json<ApiContact & { notes: unknown[]; reminders: { kind: string }[] }>(await call(token, `/contacts/${id}`));
    expect(got.name).toBe("Carol Diaz");
    expect(got.reminders.map((r) => r.kind)).toContain("follow-up");

    const patched = await call(token, `/contacts/${id}`, { method: "PATCH", json: { title: "CRO", company: null, phone: "+44 20 7946 0000", cadence_days: 30 } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ title: "CRO", company: null, phones: ["+14155550142", "+442079460000"], cadence_days: 30 });
    expect((await call(token, `/contacts/${id}`, { method: "PATCH", json: { checkins_stopped: true } })).status).toBe(200);
    expect(await env.DB.prepare("SELECT muted_at IS NOT NULL AS m FROM contacts WHERE id = ?1").bind(id).first("m")).toBe(1);

    for (const bad of [{ title: "" }, { nickname: "CC" }, { cadence_days: 0 }, { phone: "call me" }]) {
      const res = await call(token, `/contacts/${id}`, { method: "PATCH", json: bad });
      expect(res.status).toBe(400);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe("invalid");
    }
    const notJson = await SELF.fetch(`${ORIGIN}/api/v1/contacts/${id}`, { method: "PATCH", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: { code: "invalid", message: expect.any(String) } });

    const gone = await call(token, `/contacts/${id}`, { method: "DELETE" });
    expect(gone.status).toBe(200);
    expect(await gone.json()).toMatchObject({ forgotten: true });
    expect(await count("contacts", "id = ?1", id)).toBe(0);
    expect(await count("forgotten_addresses", "email = 'carol@globex-labs.com' AND user_id = ?1", await userId(me))).toBe(1);
    expect((await call(token, `/contacts/${id}`)).status).toBe(404);
  });

  it("lists a contact's interactions and adds a note or a meeting", async () => {
    const { me, token } = await withPeople();
    const id = await contactId(me, "dev@initech.com");
    const note = await call(token, `/contacts/${id}/interactions`, { method: "POST", json: { kind: "note", text: "Wants an intro to a designer" } });
    expect(note.status).toBe(201);
    expect(await count("contact_notes", "contact_id = ?1 AND text = 'Wants an intro to a designer'", id)).toBe(1);
    const at = new Date(Date.now() - 3600_000).toISOString();
    const met = await call(token, `/contacts/${id}/interactions`, { method: "POST", json: { kind: "met", subject: "Coffee", occurred_at: at } });
    expect(met.status).toBe(201);
    const list = await json<{ interactions: { kind: string; subject: string | null; occurred_at: string }[] }>(await call(token, `/contacts/${id}/interactions`));
    // Newest first: the card (just now), then the coffee an hour ago.
    expect(list.interactions.map((i) => i.kind)).toEqual(["note", "met"]);
    expect(list.interactions[1]).toMatchObject({ kind: "met", subject: "Coffee", occurred_at: at });
    // Meeting them closes the follow-up.
    expect(await count("reminders", "contact_id = ?1 AND kind = 'follow-up' AND status = 'pending'", id)).toBe(0);
    const future = await call(token, `/contacts/${id}/interactions`, { method: "POST", json: { kind: "met", occurred_at: "2999-01-01T00:00:00Z" } });
    expect(future.status).toBe(400);
    expect((await call(token, `/contacts/${id}/interactions`, { method: "POST", json: { kind: "call" } })).status).toBe(400);
  });

  it("lists what is due and acts on it", async () => {
    const { me, token } = await withPeople();
    const uid = await userId(me);
    await env.DB.prepare("UPDATE reminders SET due_at = ?2 WHERE user_id = ?1 AND kind = 'follow-up'").bind(uid, Date.now() - 1000).run();
    const due = await json<{ reminders: { id: number; kind: string; contact: { name: string } }[] }>(await call(token, "/reminders"));
    expect(due.reminders.map((r) => r.contact.name).sort()).toEqual(["Carol Diaz", "Dev Patel"]);
    const [a, b] = due.reminders;
    const snoozed = await call(token, `/reminders/${a!.id}`, { method: "POST", json: { action: "snooze", days: 3 } });
    expect(snoozed.status).toBe(200);
    expect((await json<{ message: string }>(snoozed)).message).toMatch(/^Snoozed/);
    expect(await json(await call(token, `/reminders/${b!.id}`, { method: "POST", json: { action: "done" } }))).toEqual({ message: expect.stringMatching(/^Done/) });
    expect((await json<{ reminders: unknown[] }>(await call(token, "/reminders"))).reminders).toEqual([]);
    expect((await call(token, `/reminders/${b!.id}`, { method: "POST", json: { action: "snooze" } })).status).toBe(400);
    expect((await call(token, "/reminders/1", { method: "POST", json: { action: "done" } })).status).toBe(404);
  });

  it("exports everything, streamed, in three formats", async () => {
    const { token } = await withPeople();
    const jsonRes = await call(token, "/export");
    expect(jsonRes.headers.get("Content-Type")).toMatch(/^application\/json/);
    const all = await json<{ people: { name: string }[] }>(jsonRes);
    expect(all.people).toHaveLength(2);
    expect((await (await call(token, "/export?format=vcf")).text()).match(/BEGIN:VCARD/g)).toHaveLength(2);
    expect((await (await call(token, "/export?format=csv")).text()).trim().split("\r\n")).toHaveLength(3);
    expect((await call(token, "/export?format=xml")).status).toBe(400);
  });

  it("lets a read token read but not write (403), and a revoked token do nothing", async () => {
    const { me } = await withPeople();
    const read = await apiToken(me, "read");
    const id = await contactId(me, "dev@initech.com");
    expect((await call(read, "/contacts")).status).toBe(200);
    const refused = await call(read, `/contacts/${id}`, { method: "PATCH", json: { title: "x" } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: "read_only", message: expect.any(String) } });
    expect((await call(read, `/contacts/${id}`, { method: "DELETE" })).status).toBe(403);
    expect(await count("contacts", "id = ?1", id)).toBe(1);
    await env.DB.prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1").bind(await userId(me), Date.now()).run();
    expect((await call(read, "/contacts")).status).toBe(401);
  });

  it("answers 429 past the rate limit, with Retry-After", async () => {
    const { token } = await withPeople();
    // The same app with a limit of 3 a minute (API_RATE_PER_MINUTE).
    const limited = { ...env, API_RATE_PER_MINUTE: "3" };
    const ask = () => app.fetch(new Request(`${ORIGIN}/api/v1/reminders`, { headers: { Authorization: `Bearer ${token}` } }), limited, { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext);
    // All five in one minute's window: not in the last seconds of one.
    if (Date.now() % 60_000 > 55_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 50));
    const answers: Response[] = [];
    for (let i = 0; i < 5; i++) answers.push(await ask());
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429, 429]);
    expect(Number(answers[3]!.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await json<{ error: { code: string } }>(answers[3]!)).error.code).toBe("rate_limited");
  });

  it("serves its OpenAPI document, which names every route the app has", async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }>(res);
    expect(doc.openapi).toMatch(/^3\.1/);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} /api/v1${p.replace(/\{(\w+)\}/g, ":$1")}`));
    const served = app.routes.filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL" && !r.path.endsWith("openapi.json")).map((r) => `${r.method} ${r.path}`);
    expect([...new Set(served)].sort()).toEqual(documented.sort());
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Contact", "ContactPatch", "Reminder", "Error"]));
  });
});
