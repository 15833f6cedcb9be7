import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/web/app";
import { card, contactId, member } from "../network/support";
import { userId } from "../support/mail";
import { apiToken, call, signedIn } from "./support";

/**
 * No user reaches another's data. Every route of the app that takes an id is found by
 * enumerating the app's own routes (a new route is covered without editing this test),
 * filled with ids that belong to the first user, and asked by a second user's session
 * or token: each answers 404, the same as an id that does not exist, and the first
 * user's rows are as they were.
 */

/** The first user's data, as a fingerprint of every row that names them. */
async function fingerprint(uid: number): Promise<string> {
  const parts: string[] = [];
  for (const t of ["contacts", "contact_emails", "contact_notes", "reminders", "interactions", "introductions", "forgotten_addresses"]) {
    const { results } = await env.DB.prepare(`SELECT * FROM ${t} WHERE user_id = ?1 ORDER BY 1`).bind(uid).all();
    parts.push(JSON.stringify(results));
  }
  // A token's last use changes with Ann's own calls only; its revocation must not.
  const { results } = await env.DB.prepare("SELECT id, revoked_at FROM api_tokens WHERE user_id = ?1").bind(uid).all();
  parts.push(JSON.stringify(results));
  return parts.join("\n");
}

/** Routes with a parameter, by method and path, as Hono holds them. */
function routesWithIds(prefix: string): { method: string; path: string }[] {
  const seen = new Set<string>();
  return app.routes
    .filter((r) => r.path.startsWith(prefix) && /:|\{/.test(r.path) && r.method !== "ALL")
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      return !seen.has(key) && (seen.add(key), true);
    })
    .map((r) => ({ method: r.method, path: r.path }));
}

describe("isolation", () => {
  it("gives a second user 404 for every id of the first, on every dashboard and API route", async () => {
    const ann = await member();
    await card(ann, "Carol Diaz\nVP Sales, Globex\ncarol@globex-labs.com");
    const annId = await userId(ann);
    const contact = await contactId(ann, "carol@globex-labs.com");
    const reminder = (await env.DB.prepare("SELECT id FROM reminders WHERE user_id = ?1 LIMIT 1").bind(annId).first<{ id: number }>())!.id;
    await apiToken(ann);
    const token = (await env.DB.prepare("SELECT id FROM api_tokens WHERE user_id = ?1").bind(annId).first<{ id: number }>())!.id;
    // Each parameter name, and the ids of Ann's that it could be given.
    const ids: Record<string, number[]> = { id: [contact, reminder, token] };
    const before = await fingerprint(annId);

    const bob = await member();
    const browser = await signedIn(bob);
    const bobToken = await apiToken(bob);

    const dashboard = routesWithIds("/app/").filter((r) => !r.path.includes(":token") && !r.path.includes(":setting") && !r.path.includes(":file"));
    const api = routesWithIds("/api/v1/");
    // The enumeration found the routes it must (a broken filter would test nothing).
    expect(dashboard.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(["GET /app/people/:id", "POST /app/people/:id/facts", "POST /app/people/:id/forget", "POST /app/reminders/:id", "POST /app/settings/tokens/:id/revoke"]),
    );
    expect(api.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(["GET /api/v1/contacts/:id", "PATCH /api/v1/contacts/:id", "DELETE /api/v1/contacts/:id", "POST /api/v1/reminders/:id", "GET /api/v1/contacts/:id/interactions"]),
    );

    const wrong: string[] = [];
    for (const r of dashboard) {
      for (const id of ids.id!) {
        const path = r.path.replace(":id", String(id));
        const res =
          r.method === "GET"
            ? await browser.fetch(path)
            : await browser.post(path, { name: "Mallory", title: "x", company: "x", met_at: "x", text: "x", phone: "+14155550100", days: "7", action: "done", address: "carol@globex-labs.com", what: "x", on: new Date().toISOString().slice(0, 10) });
        await res.body?.cancel();
        if (res.status !== 404) wrong.push(`${r.method} ${path}: ${res.status}`);
      }
    }
    for (const r of api) {
      for (const id of ids.id!) {
        const path = r.path.replace("/api/v1", "").replace(":id", String(id));
        // A valid body for each, so that the answer is about the id alone.
        const json = r.method === "PATCH" ? { title: "x" } : r.method !== "POST" ? undefined : path.includes("/interactions") ? { kind: "note", text: "x" } : { action: "done" };
        const res = await call(bobToken, path, { method: r.method, json });
        await res.body?.cancel();
        if (res.status !== 404) wrong.push(`${r.method} ${path}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await fingerprint(annId)).toBe(before);
  });

  it("lists and searches only the user's own people, on the page and in the API", async () => {
    const ann = await member();
    await card(ann, "Carol Diaz\ncarol@globex-labs.com");
    const bob = await member();
    const browser = await signedIn(bob);
    const page = await browser.page("/app?q=carol");
    expect(page.html).not.toContain("Carol Diaz");
    expect((await browser.page("/app")).html).not.toContain("Carol Diaz");
    const res = (await (await call(await apiToken(bob), "/contacts?q=carol")).json()) as { contacts: unknown[] };
    expect(res.contacts).toEqual([]);
    // The "introduced by" filter of someone else's contact is a 404 too.
    expect((await browser.fetch(`/app?by=${await contactId(ann, "carol@globex-labs.com")}`)).status).toBe(404);
  });
});
