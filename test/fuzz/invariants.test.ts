/** The checks the fuzzer makes after every case see what they are meant to see: a
 * database stored by halves, and a change to any row. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eml, send, userId } from "../support/mail";
import { orphans } from "../support/orphans";
import { emptyTables, snapshot } from "./database";

const ME = "invariants.user@example.com";
const run = (sql: string, ...binds: unknown[]) => env.DB.prepare(sql).bind(...binds).run();

/** Empty tables but for a user who has copied Kith on one mail. */
async function oneMail(): Promise<number> {
  await emptyTables();
  await send(eml({ From: `Ivy <${ME}>`, To: "kith@kith.test", Cc: "Bob Example <bob@example.org>", Subject: "lunch" }, "Good to meet you, Bob."));
  return userId(ME);
}

describe("the fuzzer's invariants", () => {
  it("find nothing wrong with mail stored whole", async () => {
    await oneMail();
    expect(await orphans()).toEqual([]);
  });

  it("name each kind of half-stored row", async () => {
    const me = await oneMail();
    await run("INSERT INTO reminders (id, user_id, contact_id, kind, due_at, status, created_at) VALUES (1, ?1, 424242, 'check-in', 0, 'pending', 0)", me);
    await run("INSERT INTO interactions (id, user_id, kind, occurred_at, created_at) VALUES (2, ?1, 'note', 0, 0)", me);
    await run("INSERT INTO users (id, email, created_at) VALUES (3, 'half@example.com', 0)");
    await run("INSERT INTO contact_emails (contact_id, user_id, email) VALUES (434343, ?1, 'nobody@example.org')", me);
    expect(await orphans()).toEqual(
      expect.arrayContaining([
        "reminders.contact_id → contacts: 1",
        "an interaction with no one in it: 1",
        "a user without their own address: 1",
        "contact_emails.contact_id → contacts: 1",
      ]),
    );
  });

  it("see a change to any row, and only a change", async () => {
    await oneMail();
    const before = await snapshot();
    expect(await snapshot()).toBe(before);
    await run("UPDATE users SET name = 'Ivy B' WHERE email = ?1", ME);
    expect(await snapshot()).not.toBe(before);
  });
});
