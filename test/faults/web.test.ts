/** D1 faults at every call of the HTTP door: Resend's webhook (Svix redelivers on a 5xx),
 * a reminder's one-click Done and Snooze (the user presses again), and the dashboard's
 * edit, merge and forget forms (the user submits again). A fault must answer 5xx, change
 * all or nothing, and the second try must end as one clean request does. */

import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import worker from "../../src/index";
import { tick } from "../../src/cron/tick";
import { contactsOf, deps, eml, outbox, send, signUp, userId } from "../support/mail";
import { svixSignature, webhookSecret } from "../support/svix";
import { type Browser, ORIGIN, signedIn } from "../web/support";
import { atEveryCall, bindings, depsOn, expectNoHarm, KITH, LEASES_LAPSED, MINUTE, type Run, type Scenario } from "./support";

vi.setConfig({ testTimeout: 60_000 });

/** The web runs on real time (clockAt(Date.now())): its timestamps differ run to run. */
const REAL_TIME = /_at$|^window$/;

/** One request to the Worker's fetch() with `db` as its D1. */
async function fetchOn(db: D1Database, apiKey: string, path: string, init: RequestInit): Promise<Response> {
  return worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }), bindings(db, apiKey), createExecutionContext());
}

/** 5xx: the platform (Svix) or the user tries again; anything else is an answer. */
async function answered(res: Response): Promise<"ok" | "retry"> {
  await res.body?.cancel();
  return res.status >= 500 ? "retry" : "ok";
}

const settle = async ({ apiKey }: Run<unknown>) => {
  await tick(depsOn(env.DB, apiKey, Date.now() + 10 * MINUTE, LEASES_LAPSED));
};

describe("a D1 fault at any call of the Resend webhook", () => {
  it("a hard bounce: suppressed, the mail failed, mail paused, recorded once", async () => {
    const s: Scenario<{ body: string; id: string }> = {
      atomic: true,
      volatile: REAL_TIME,
      async setup(tag) {
        const me = `hook-${tag}@example.com`;
        await signUp(me);
        const welcome = await env.DB.prepare("SELECT provider_id FROM outbound_messages WHERE to_address = ?1").bind(me).first<{ provider_id: string }>();
        const body = JSON.stringify({
          type: "email.bounced",
          created_at: "2026-11-22T23:41:12.126Z",
          data: { email_id: welcome!.provider_id, to: [me], subject: "Welcome to Kith", bounce: { type: "Permanent", subType: "General", message: "550 5.1.1 user unknown" } },
        });
        return { body, id: `msg_${tag}` };
      },
      async act({ apiKey, ctx }, db) {
        const timestamp = Math.floor(Date.now() / 1000);
        const signature = await svixSignature(webhookSecret, ctx.id, timestamp, ctx.body);
        const headers = { "content-type": "application/json", "svix-id": ctx.id, "svix-timestamp": String(timestamp), "svix-signature": signature };
        const res = await fetchOn(db, apiKey, "/webhooks/resend", { method: "POST", headers, body: ctx.body });
        expect([200, 500]).toContain(res.status);
        return answered(res);
      },
      settle,
    };
    expectNoHarm(await atEveryCall(s), 2);
  });
});

/** A user whose follow-up about Jane went out an hour ago, with its one-click links. */
async function remindedUser(tag: string): Promise<{ done: string; snooze: string }> {
  const me = `click-${tag}@example.com`;
  const t = Date.now() - 2 * 24 * 3600_000;
  await send(eml({ From: `Ann Example <${me}>`, To: KITH, Subject: "hello", Date: new Date(t).toUTCString() }, "hi"), { now: t });
  await send(eml({ From: me, To: KITH, Subject: "Met at PyCon", Date: new Date(t).toUTCString() }, "Jane Smith\njane@acme.com\n"), { now: t });
  const due = await env.DB.prepare("SELECT due_at FROM reminders WHERE user_id = ?1 AND kind = 'follow-up'").bind(await userId(me)).first<{ due_at: number }>();
  await tick(deps({}, () => due!.due_at));
  const text = (await outbox()).find((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder")?.text ?? "";
  const link = (label: string) => new RegExp(`${label}: ${ORIGIN}(/r/[0-9a-z.]+)`).exec(text)?.[1];
  const [done, snooze] = [link("Done"), link("Snooze")];
  if (!done || !snooze) throw new Error(`no one-click links in:\n${text}`);
  return { done, snooze };
}

function clickScenario(action: "done" | "snooze"): Scenario<{ done: string; snooze: string }> {
  return {
    atomic: true,
    volatile: REAL_TIME,
    setup: remindedUser,
    async act({ apiKey, ctx }, db) {
      const form = action === "snooze" ? new URLSearchParams({ days: "3" }) : new URLSearchParams();
      const res = await fetchOn(db, apiKey, ctx[action], { method: "POST", body: form, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
      return answered(res);
    },
    settle,
  };
}

describe("a D1 fault at any call of a one-click link", () => {
  it("Done: the reminder closed once", async () => {
    expectNoHarm(await atEveryCall(clickScenario("done")), 2);
  });

  it("Snooze 3 days: the reminder moved once", async () => {
    expectNoHarm(await atEveryCall(clickScenario("snooze")), 2);
  });
});

interface Dashboard {
  browser: Browser;
  carol: number;
}

/** A signed-in user with two cards for one person (Carol, at work and at home). */
async function dashboardUser(tag: string): Promise<Dashboard> {
  const me = `dash-${tag}@example.com`;
  await signUp(me);
  for (const card of ["Carol Diaz\nVP Sales, Acme\ncarol@acme.com", "Carol D.\ncdiaz@gmail.com"]) {
    expect((await send(eml({ From: me, To: KITH, Subject: "Met at PyCon" }, card))).outcome).toBe("applied");
  }
  const carol = (await contactsOf(me)).find((c) => c.emails === "carol@acme.com")!.id;
  const browser = await signedIn(me);
  return { browser, carol };
}

function formScenario(path: (d: Dashboard) => string, form: Record<string, string>): Scenario<Dashboard> {
  return {
    atomic: true,
    volatile: REAL_TIME,
    setup: dashboardUser,
    async act({ apiKey, ctx }, db) {
      const b = ctx.browser;
      const body = new URLSearchParams({ ...form, csrf: b.csrf });
      const headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        Cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        "CF-Connecting-IP": b.ip,
      };
      return answered(await fetchOn(db, apiKey, path(ctx), { method: "POST", body, headers }));
    },
    settle,
  };
}

describe("a D1 fault at any call of a dashboard form", () => {
  it("edit facts: all the changes or none", async () => {
    const s = formScenario((d) => `/app/people/${d.carol}/facts`, { name: "Carol Diaz", title: "Chief Revenue Officer", company: "Acme", met_at: "PyCon 2026" });
    expectNoHarm(await atEveryCall(s), 2);
  });

  it("merge: one person with both addresses, once", async () => {
    expectNoHarm(await atEveryCall(formScenario((d) => `/app/people/${d.carol}/merge`, { address: "cdiaz@gmail.com" })), 2);
  });

  it("forget: the person erased whole, or not at all", async () => {
    expectNoHarm(await atEveryCall(formScenario((d) => `/app/people/${d.carol}/forget`, {})), 2);
  });
});
