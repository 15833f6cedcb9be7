/** "pause"/"resume" as typed, the time phrases they take, and the List-Unsubscribe
 * tokens and headers (RFC 2369, RFC 8058). Pure: the clock is injected. */
import { describe, expect, it } from "vitest";
import { readMailLine } from "../../src/commands/read";
import { readUnsubscribeToken, tokenFromAddress, unsubscribeHeaders, unsubscribeToken } from "../../src/mail-out/unsubscribe";
import { readWhen } from "../../src/lib/when";
import { parsePauseCommand } from "../../src/settings/pause-grammar";
import { pause } from "../../src/settings/pause";
import { newUser } from "../../src/users/user";
import { config, deps } from "../support/mail";

const BOTH = ["reminders", "summary"];

describe("pause commands", () => {
  it.each([
    ["pause", { name: "pause", kinds: BOTH, until: null }],
    ["Pause.", { name: "pause", kinds: BOTH, until: null }],
    ["pause everything", { name: "pause", kinds: BOTH, until: null }],
    ["pause reminders", { name: "pause", kinds: ["reminders"], until: null }],
    ["pause summary", { name: "pause", kinds: ["summary"], until: null }],
    ["pause the weekly summary until resumed", { name: "pause", kinds: ["summary"], until: null }],
    ["pause until March", { name: "pause", kinds: BOTH, until: "until march" }],
    ["pause for 2 weeks", { name: "pause", kinds: BOTH, until: "for 2 weeks" }],
    ["pause 3 days", { name: "pause", kinds: BOTH, until: "3 days" }],
    ["pause reminders until Jan 5", { name: "pause", kinds: ["reminders"], until: "until jan 5" }],
    ["unsubscribe", { name: "pause", kinds: BOTH, until: null }],
    ["resume", { name: "resume", kinds: BOTH }],
    ["Resume reminders!", { name: "resume", kinds: ["reminders"] }],
    ["unpause summary", { name: "resume", kinds: ["summary"] }],
  ])("%j", (line, expected) => {
    expect(parsePauseCommand(line)).toEqual(expected);
    expect(readMailLine(line)).toEqual(expected);
  });

  it.each(["Pause at PyCon was great", "pause button idea", "resume of Jane Smith", "paused", "résumé"])("%j is no command", (line) => {
    expect(parsePauseCommand(line)).toBeNull();
  });

  it("reads the time in the user's zone, as snoozes do", () => {
    const now = Date.parse("2026-11-26T10:00:00Z");
    const berlin = { kind: "iana", name: "Europe/Berlin" } as const;
    // March 1, 09:00 in Berlin (CET, UTC+1).
    expect(readWhen("until march", now, berlin)).toEqual({ at: Date.parse("2027-03-01T08:00:00Z") });
    expect(readWhen("for 2 weeks", now, berlin)).toEqual({ at: Date.parse("2026-12-10T08:00:00Z") });
    expect(readWhen("until someday", now, berlin)).toEqual({ problem: "not-a-time" });
    expect(readWhen("for 3 years", now, berlin)).toEqual({ problem: "too-far" });
  });

  it("answers with what is paused and until when; an unreadable time changes nothing", async () => {
    const now = Date.parse("2026-11-26T10:00:00Z");
    const user = { ...newUser(1, "ann@example.com", "Ann", now), time_zone: "Europe/Berlin" };
    const ctx = { deps: deps(), now, user, signup: false };
    const march = await pause.run({ name: "pause", kinds: ["reminders"], until: "until march" }, ctx);
    expect(march.statements).toHaveLength(1);
    expect(march.mail[0]!.subject).toBe("Kith: reminders paused");
    expect(march.mail[0]!.text).toMatch(/^ {2}reminders {7}paused until Mon Mar 1 2027, 09:00 \(Europe\/Berlin\)$/m);
    expect(march.mail[0]!.text).toMatch(/^ {2}weekly summary {2}on$/m);
    const both = await pause.run({ name: "pause", kinds: ["reminders", "summary"], until: null }, ctx);
    expect(both.mail[0]!.subject).toBe("Kith: reminders and weekly summary paused");
    expect(both.mail[0]!.text).toContain('no reminders and weekly summaries until you send "resume"');
    const bad = await pause.run({ name: "pause", kinds: ["reminders"], until: "until someday" }, ctx);
    expect(bad.statements).toEqual([]);
    expect(bad.mail[0]!.text).toContain('Kith could not read "until someday" as a time.');
  });
});

describe("List-Unsubscribe tokens and headers", () => {
  it("has the exact RFC 2369 / RFC 8058 shapes, https first", async () => {
    const h = await unsubscribeHeaders(config(), 123456789, "reminders");
    expect(Object.keys(h).sort()).toEqual(["List-Unsubscribe", "List-Unsubscribe-Post"]);
    expect(h["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const m = /^<https:\/\/kith\.test\/u\/(r[0-9a-z]+\.[0-9a-z]{20})>, <mailto:kith\+u\1@kith\.test\?subject=unsubscribe>$/.exec(h["List-Unsubscribe"]!);
    expect(m).not.toBeNull();
  });

  it("names one user and one kind, survives case folding, and keeps the local part short", async () => {
    const c = config();
    const biggest = 2 ** 52;
    const token = await unsubscribeToken(c, biggest, "summary");
    expect(`kith+u${token}`.length).toBeLessThanOrEqual(64);
    expect(await readUnsubscribeToken(c, token)).toEqual({ userId: biggest, kind: "summary" });
    expect(await readUnsubscribeToken(c, token.toUpperCase())).toEqual({ userId: biggest, kind: "summary" });
    expect(tokenFromAddress(c, `KITH+U${token.toUpperCase()}@Kith.Test`)).toBe(token);
    expect(tokenFromAddress(c, `kith+r${token}@kith.test`)).toBeNull();
    expect(tokenFromAddress(c, `kith+u${token}@elsewhere.test`)).toBeNull();
  });

  it("rejects a token for another kind, another user, or another secret", async () => {
    const c = config();
    const token = await unsubscribeToken(c, 42, "reminders");
    expect(await readUnsubscribeToken(c, `s${token.slice(1)}`)).toBeNull();
    expect(await readUnsubscribeToken(c, token.replace(/^r16/, "r17"))).toBeNull();
    expect(await readUnsubscribeToken({ ...c, linkSecret: "another-secret-another-secret-another" }, token)).toBeNull();
    expect(await readUnsubscribeToken(c, "")).toBeNull();
    expect(await readUnsubscribeToken(c, `${token}x`)).toBeNull();
  });
});
