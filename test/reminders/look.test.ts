/** users.remind_at, the user's next look: how a tick finds whose reminders need reading,
 * and how an item waits for a later slot without its row changing. Kept by triggers when
 * a reminder is made or brought forward, and set by each delivery in its write batch. */
import { env } from "cloudflare:workers";
import { expect, it, vi } from "vitest";
import { deliverFor } from "../../src/reminders/deliver";
import { newId } from "../../src/lib/ids";
import { DUE_REMINDERS } from "../../src/users/store";
import { deps, eml, outbox, send, userId } from "../support/mail";
import { DAY, HOUR, uniq } from "../support/clock";

vi.setConfig({ testTimeout: 30_000 });

const KITH = "kith@kith.test";

const lookOf = async (id: number) => (await env.DB.prepare("SELECT remind_at FROM users WHERE id = ?1").bind(id).first<{ remind_at: number | null }>())!.remind_at;
const remindersTo = async (me: string) => (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder");

/** A user with an item cap of 1 and two follow-ups due at the same time. */
async function twoDue(t0: number): Promise<{ me: string; id: number; due: number }> {
  const me = `look-${uniq()}@example.com`;
  await send(eml({ From: me, To: KITH, Subject: "hello" }, "hi"), { now: t0 });
  await send(eml({ From: me, To: KITH, Subject: "cap 1" }, ""), { now: t0 });
  await send(eml({ From: me, To: KITH, Subject: "Met at PyCon" }, "Jane Smith\njane@acme.com\n\nBo Li\nbo@li.example"), { now: t0 });
  const id = await userId(me);
  const row = await env.DB.prepare("SELECT max(due_at) AS due FROM reminders WHERE user_id = ?1 AND kind = 'follow-up'").bind(id).first<{ due: number }>();
  return { me, id, due: row!.due };
}

it("a reminder made or brought forward brings the look forward; one pushed back leaves it", async () => {
  const t0 = Date.parse("2026-11-26T09:00:00Z");
  const { id, due } = await twoDue(t0);
  expect(await lookOf(id)).toBe(due);
  const insert = (at: number) =>
    env.DB.prepare("INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at, what) VALUES (?1, ?2, NULL, 'remind', ?3, 'pending', ?4, 'call')")
      .bind(newId(), id, at, t0)
      .run();
  await insert(due + HOUR);
  expect(await lookOf(id)).toBe(due);
  await insert(due - HOUR);
  expect(await lookOf(id)).toBe(due - HOUR);
  await env.DB.prepare("UPDATE reminders SET due_at = due_at + 10 * 3600000 WHERE user_id = ?1 AND due_at = ?2").bind(id, due - HOUR).run();
  expect(await lookOf(id)).toBe(due - HOUR);
  await env.DB.prepare("UPDATE reminders SET due_at = ?2 WHERE user_id = ?1 AND what = 'call' AND due_at = ?3").bind(id, due - 2 * HOUR, due + HOUR).run();
  expect(await lookOf(id)).toBe(due - 2 * HOUR);
});

it("what waits for the next slot keeps its row, and the look moves to the slot", async () => {
  const t0 = Date.parse("2026-11-26T09:00:00Z");
  const { me, id, due } = await twoDue(t0);
  const before = (await env.DB.prepare("SELECT id, due_at, status FROM reminders WHERE user_id = ?1 AND kind = 'follow-up' ORDER BY id").bind(id).all()).results;
  expect(await deliverFor(deps({}, () => due), id)).toBe(true);
  expect(await remindersTo(me)).toHaveLength(1);
  const after = (await env.DB.prepare("SELECT id, due_at, status FROM reminders WHERE user_id = ?1 AND kind = 'follow-up' ORDER BY id").bind(id).all<{ id: number; due_at: number; status: string }>()).results;
  // One sent, the other exactly as it was.
  expect(after.filter((r) => r.status === "sent")).toHaveLength(1);
  expect(after.filter((r) => r.status === "pending")).toEqual(before.filter((r) => after.find((a) => a.id === r.id)!.status === "pending"));
  const look = (await lookOf(id))!;
  expect(look).toBeGreaterThan(due + HOUR);
  // No tick finds the user before the look; at the look, the other goes.
  const due2 = async (t: number) => (await env.DB.prepare(DUE_REMINDERS).bind(t, 100, -1, 0).all<{ user_id: number }>()).results.map((r) => r.user_id);
  expect(await due2(look - 1)).not.toContain(id);
  expect(await due2(look)).toContain(id);
  expect(await deliverFor(deps({}, () => look), id)).toBe(true);
  expect(await remindersTo(me)).toHaveLength(2);
});

it("a reminder made while a delivery runs is looked at when it falls due, not at the slot", async () => {
  const t0 = Date.parse("2026-11-26T09:00:00Z");
  const { id, due } = await twoDue(t0);
  // A capture commits between the delivery's read and its write batch.
  const soon = due + 20 * 60_000;
  let batches = 0;
  const racing = new Proxy(env.DB, {
    get(db, key) {
      if (key !== "batch") return Reflect.get(db, key);
      return async (statements: D1PreparedStatement[]) => {
        if (++batches === 2) {
          await db
            .prepare("INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at, what) VALUES (?1, ?2, NULL, 'remind', ?3, 'pending', ?4, 'call Bo')")
            .bind(newId(), id, soon, due)
            .run();
        }
        return db.batch(statements);
      };
    },
  });
  expect(await deliverFor({ ...deps({}, () => due), db: racing }, id)).toBe(true);
  expect(await lookOf(id)).toBe(soon);
});

it("a look that falls at or below the queue's watermark is put just above it", async () => {
  const t0 = Date.parse("2026-11-26T09:00:00Z");
  const { id, due } = await twoDue(t0);
  // Another tick handed the queue everyone due by `mark`, after this user's job was made.
  const mark = due + 5 * 60_000;
  await env.DB.prepare("INSERT INTO tick_marks (name, at) VALUES ('enqueued', ?1) ON CONFLICT (name) DO UPDATE SET at = excluded.at").bind(mark).run();
  await env.DB.prepare("INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at, what) VALUES (?1, ?2, NULL, 'remind', ?3, 'pending', ?3, 'x')")
    .bind(newId(), id, due + 60_000)
    .run();
  try {
    expect(await deliverFor(deps({}, () => due), id)).toBe(true);
    expect(await lookOf(id)).toBe(mark + 1);
  } finally {
    await env.DB.prepare("DELETE FROM tick_marks").run();
  }
});

it("a pause set or lifted has the next tick look at once", async () => {
  const t0 = Date.parse("2026-11-26T09:00:00Z");
  const { me, id } = await twoDue(t0);
  await send(eml({ From: me, To: KITH, Subject: "pause reminders" }, ""), { now: t0 });
  expect(await lookOf(id)).toBe(0);
  await env.DB.prepare("UPDATE users SET remind_at = ?2 WHERE id = ?1").bind(id, t0 + 400 * 24 * HOUR).run();
  await send(eml({ From: me, To: KITH, Subject: "resume" }, ""), { now: t0 + HOUR });
  expect(await lookOf(id)).toBe(0);
});

it("a new follow-up goes within its 24 hours however many older items are due", async () => {
  const t0 = Date.parse("2026-11-26T09:00:00Z");
  const me = `pile-${uniq()}@example.com`;
  await send(eml({ From: me, To: KITH, Subject: "hello" }, "hi"), { now: t0 });
  const id = await userId(me);
  // 100 overdue "remind me" items and 100 overdue check-ins: more than one read takes.
  for (const kind of ["remind", "check-in"]) {
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
       INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at, what) SELECT ?1 + i, ?2, NULL, ?3, ?4 - 30 * 86400000 + i * 1000, 'pending', ?4 - 40 * 86400000, 'old' FROM n`,
    )
      .bind(kind === "remind" ? 7_000_000 : 8_000_000, id, kind, t0)
      .run();
  }
  await send(eml({ From: me, To: KITH, Subject: "Met at PyCon" }, "Jane Smith\njane@acme.com"), { now: t0 });
  const fu = (await env.DB.prepare("SELECT id, due_at, created_at FROM reminders WHERE user_id = ?1 AND kind = 'follow-up'").bind(id).first<{ id: number; due_at: number; created_at: number }>())!;
  for (let t = t0; t < fu.created_at + DAY; t += 30 * 60_000) {
    const look = await lookOf(id);
    if (look !== null && look <= t) await deliverFor(deps({}, () => t), id);
  }
  const row = await env.DB.prepare("SELECT status, sent_at FROM reminders WHERE id = ?1").bind(fu.id).first<{ status: string; sent_at: number }>();
  expect(row!.status).toBe("sent");
  expect(row!.sent_at - fu.created_at).toBeLessThanOrEqual(DAY);
});
