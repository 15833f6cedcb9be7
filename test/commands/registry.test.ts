/** The commands list: one definition per command, its precedence, the help written from
 * it, and the schemas a held mail is checked against again. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { COMMANDS, CommandSchema, helpFor } from "../../src/commands/index";
import { readCommand } from "../../src/commands/read";
import type { Where } from "../../src/core/commands";
import { confirmHeld } from "../../src/inbound/held";
import { insertHeld } from "../../src/received/held";
import { ITEM_ACTIONS } from "../../src/reminders/item-actions";
import { contactsOf, deps, outbox, signUp, userId } from "../support/mail";
import { uniq } from "../support/clock";

const NOW = Date.parse("2026-12-01T10:00:00Z");

/** How a help line's usage is typed: "<text>" becomes some text. */
const typed = (usage: string) => usage.replace("<text>", "met at PyCon");

describe("the commands list", () => {
  it("names each command once, and says where it may be sent", () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of COMMANDS) {
      expect(c.where.length, c.name).toBeGreaterThan(0);
      expect(c.help.length, c.name).toBeGreaterThan(0);
    }
  });

  it("reads each help line of a mail command as that command, and as no other before it", () => {
    for (const c of COMMANDS.filter((x) => x.where.includes("mail"))) {
      for (const { usage } of c.help) {
        const said = readCommand([typed(usage)], { where: "mail", now: NOW, user: null, typed: typed(usage) });
        expect(said && "command" in said ? said.command.name : said, usage).toBe(c.name);
        // No other command reads it at all: the order is precedence, not luck.
        const others = COMMANDS.filter((x) => x !== c && x.where.includes("mail") && x.read(typed(usage), { where: "mail", now: NOW, user: null, typed: usage }) !== null);
        expect(others.map((x) => x.name), usage).toEqual([]);
      }
    }
  });

  it("reads each reply action's help line as that action, in a reply to a reminder", () => {
    for (const a of ITEM_ACTIONS) {
      for (const { usage } of a.help) {
        const said = readCommand([typed(usage)], { where: "reminder", now: NOW, user: null, typed: typed(usage), replyTo: { id: 1, items: 3 } });
        expect(said, usage).toMatchObject({ command: { name: "items", outboundId: 1, commands: [{ items: "all", action: { kind: a.kind } }] } });
      }
    }
  });

  it("reads the subject before the first line: the subject says what the mail is", () => {
    const mail = (subject: string, first: string) => readCommand([subject, first], { where: "mail", now: NOW, user: null, typed: first });
    expect(mail("summary off", "pause")).toEqual({ command: { name: "summary-schedule", off: true } });
    expect(mail("Lunch next week?", "pause")).toMatchObject({ command: { name: "pause" } });
    // A subject meant as a setting but wrong answers with why, before a command below it.
    expect(mail("deliver at 25", "aliases")).toMatchObject({ error: expect.stringContaining("not a time of day") });
  });

  it("offers in a reply only the commands made for that kind of mail", () => {
    const at = (where: Where, line: string) => readCommand([line], { where, now: NOW, user: null, typed: line, replyTo: { id: 1, items: 2 } });
    // "settings" is a mail command; in a reply to a reminder it is no item command either.
    expect(at("reminder", "settings")).toMatchObject({ error: expect.stringContaining('did not understand "settings"') });
    expect(at("reminder", "pause for 2 weeks")).toEqual({ command: { name: "pause", kinds: ["reminders", "summary"], until: "for 2 weeks" } });
    expect(at("verify", "yes")).toEqual({ command: { name: "yes" } });
    expect(at("verify", "done")).toBeNull();
    expect(at("mail", "1 done")).toBeNull();
  });

  it("writes the help mail from the list: every command's lines, in its order", () => {
    const text = helpFor("kith@kith.test").text;
    let at = 0;
    for (const c of COMMANDS.filter((x) => x.where.includes("mail"))) {
      for (const { usage } of c.help) {
        const found = text.indexOf(`  ${usage} `, at);
        expect(found, usage).toBeGreaterThan(at);
        at = found;
      }
    }
    for (const a of ITEM_ACTIONS) for (const { usage } of a.help) expect(text).toContain(`  ${usage} `);
    // The generated lines wrap at 80 columns (the prose around them names the address).
    expect(text.split("\n").filter((l) => !l.startsWith("  *") && !l.includes("kith@kith.test") && l.length > 80)).toEqual([]);
  });
});

describe("held mail and the schemas", () => {
  it("checks a stored command against that command's own schema", () => {
    expect(CommandSchema.safeParse({ name: "cap", items: 5 }).success).toBe(true);
    expect(CommandSchema.safeParse({ name: "cap", items: 500 }).success).toBe(false);
    expect(CommandSchema.safeParse({ name: "cap" }).success).toBe(false);
    expect(CommandSchema.safeParse({ name: "format-disk" }).success).toBe(false);
  });

  /** Holds `action` (in a shape from before the list) for a new user, then confirms it. */
  async function heldThenConfirmed(action: unknown) {
    const me = `held-${uniq()}@example.com`;
    await signUp(me);
    const id = await userId(me);
    const heldId = Math.floor(Math.random() * 2 ** 40);
    const intent = { signup: false, messageId: `<${uniq()}@example.com>`, subject: "held", action };
    await insertHeld(env.DB, { id: heldId, userId: id, address: me, messageId: intent.messageId, intent, now: NOW, expiresAt: Date.now() + 3600_000 }).run();
    const out = await confirmHeld(deps(), Date.now(), heldId, me);
    const user = await env.DB.prepare("SELECT time_zone, summary_day, summary_hour FROM users WHERE id = ?1").bind(id).first<{ time_zone: string | null; summary_day: number; summary_hour: number | null }>();
    return { me, out, user };
  }

  it("applies a mail held before the list existed: a setting in its old shape", async () => {
    const { me, out, user } = await heldThenConfirmed({ type: "settings", command: { name: "timezone", zone: "Europe/Berlin" } });
    expect(out).toMatchObject({ outcome: "applied", kind: "settings" });
    expect(user?.time_zone).toBe("Europe/Berlin");
    expect((await outbox()).filter((m) => m.to === me).at(-1)?.subject).toBe("Kith: your settings");
    expect(await contactsOf(me)).toEqual([]);
  });

  it("applies a held summary setting, old shape, as the summary's schedule (not a summary now)", async () => {
    const { me, out, user } = await heldThenConfirmed({ type: "settings", command: { name: "summary", day: 5, hour: 8 } });
    expect(out).toMatchObject({ outcome: "applied", kind: "settings" });
    expect(user).toMatchObject({ summary_day: 5, summary_hour: 8 });
    expect((await outbox()).filter((m) => m.to === me).map((m) => m.headers["X-Kith-Kind"])).not.toContain("weekly-summary");
  });

  it("applies a held reply to a reminder, old shape, as item commands on that mail", async () => {
    const { out } = await heldThenConfirmed({ type: "reply", outboundId: 12345, commands: [{ items: "all", action: { kind: "done" } }] });
    // The mail it replied to is not this user's: nothing to change, and it says so.
    expect(out).toMatchObject({ outcome: "applied", kind: "reply" });
  });
});
