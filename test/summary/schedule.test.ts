/** The weekly summary's schedule and grammar, as pure functions. */
import { describe, expect, it } from "vitest";
import { readMailLine } from "../../src/commands/read";
import { describeSummary, isoWeek, lastSummarySlot, nextSummarySlot, SUMMARY_OFF, summaryZone } from "../../src/summary/schedule";
import { newUser, type User } from "../../src/users/user";

const user = (over: Partial<User> = {}): User => ({ ...newUser(1, "a@example.com", null, 0), ...over });
const iso = (t: number) => new Date(t).toISOString();
const at = (s: string) => Date.parse(s);

describe("summary slots", () => {
  it("default Monday at the delivery hour, in the zone, across the end of European summer time", () => {
    const berlin = user({ time_zone: "Europe/Berlin" });
    // Monday 09:00 CEST is 07:00Z; after Sunday Oct 25 it is 09:00 CET, 08:00Z.
    expect(iso(nextSummarySlot(berlin, at("2026-10-14T12:00:00Z")))).toBe("2026-10-19T07:00:00.000Z");
    expect(iso(nextSummarySlot(berlin, at("2026-10-19T07:00:00Z")))).toBe("2026-10-26T08:00:00.000Z");
    expect(iso(nextSummarySlot(berlin, at("2026-10-24T12:00:00Z")))).toBe("2026-10-26T08:00:00.000Z");
    expect(iso(lastSummarySlot(berlin, at("2026-10-26T08:00:00Z")))).toBe("2026-10-26T08:00:00.000Z");
    expect(iso(lastSummarySlot(berlin, at("2026-10-26T07:59:00Z")))).toBe("2026-10-19T07:00:00.000Z");
  });

  it("a chosen day and hour west of UTC, across the end of US daylight time", () => {
    const la = user({ time_zone: "America/Los_Angeles", summary_day: 5, summary_hour: 17 });
    // Friday 17:00 PDT is Saturday 00:00Z; after Sunday Nov 1 it is 17:00 PST, Saturday 01:00Z.
    expect(iso(nextSummarySlot(la, at("2026-10-28T00:00:00Z")))).toBe("2026-10-31T00:00:00.000Z");
    expect(iso(nextSummarySlot(la, at("2026-10-31T00:00:00Z")))).toBe("2026-11-07T01:00:00.000Z");
    // Saturday 00:30Z is still Friday in Los Angeles: the slot half an hour ago is the last.
    expect(iso(lastSummarySlot(la, at("2026-11-07T01:30:00Z")))).toBe("2026-11-07T01:00:00.000Z");
  });

  it("follows the delivery hour until a summary hour is chosen, and a zone guessed from mail", () => {
    expect(iso(nextSummarySlot(user({ deliver_hour: 7 }), at("2026-11-25T00:00:00Z")))).toBe("2026-11-30T07:00:00.000Z");
    expect(iso(nextSummarySlot(user({ tz_offset_min: -300 }), at("2026-11-25T00:00:00Z")))).toBe("2026-11-30T14:00:00.000Z");
    expect(iso(nextSummarySlot(user({ deliver_hour: 7, summary_hour: 18, summary_day: 7 }), at("2026-11-25T00:00:00Z")))).toBe("2026-11-29T18:00:00.000Z");
  });

  it("is one slot a week for a year, each in its own local ISO week", () => {
    for (const u of [user({ time_zone: "Europe/Berlin" }), user({ time_zone: "America/Los_Angeles", summary_day: 7, summary_hour: 23 }), user({ time_zone: "Australia/Lord_Howe", summary_day: 1, summary_hour: 2 })]) {
      const weeks = new Set<string>();
      let t = at("2026-01-01T00:00:00Z");
      for (let i = 0; i < 53; i++) {
        const next = nextSummarySlot(u, t);
        expect(next - t).toBeLessThanOrEqual(7 * 86400_000 + 3600_000);
        expect(lastSummarySlot(u, next)).toBe(next);
        weeks.add(isoWeek(next, summaryZone(u)));
        t = next;
      }
      expect(weeks.size).toBe(53);
    }
  });
});

describe("ISO weeks", () => {
  it("are the local week, Monday-based, with ISO years", () => {
    const utc = summaryZone(user());
    expect(isoWeek(at("2026-01-01T12:00:00Z"), utc)).toBe("2026-W01");
    expect(isoWeek(at("2027-01-01T12:00:00Z"), utc)).toBe("2026-W53");
    expect(isoWeek(at("2024-12-30T12:00:00Z"), utc)).toBe("2025-W01");
    expect(isoWeek(at("2026-11-23T00:00:00Z"), utc)).toBe("2026-W48");
    // Sunday evening in Los Angeles is Monday in UTC: the local week counts.
    const la = summaryZone(user({ time_zone: "America/Los_Angeles" }));
    expect(isoWeek(at("2026-11-30T04:00:00Z"), la)).toBe("2026-W48");
    expect(isoWeek(at("2026-11-30T04:00:00Z"), utc)).toBe("2026-W49");
  });
});

describe("summary commands and settings", () => {
  it("reads day, hour, off and on", () => {
    expect(readMailLine("summary friday")).toEqual({ name: "summary-schedule", day: 5 });
    expect(readMailLine("Summary day Friday")).toEqual({ name: "summary-schedule", day: 5 });
    expect(readMailLine("summary on sundays")).toEqual({ name: "summary-schedule", day: 7 });
    expect(readMailLine("summary at 8")).toEqual({ name: "summary-schedule", hour: 8 });
    expect(readMailLine("summary hour 17:00")).toEqual({ name: "summary-schedule", hour: 17 });
    expect(readMailLine("weekly summary thu at 6pm")).toEqual({ name: "summary-schedule", day: 4, hour: 18 });
    expect(readMailLine("summary off")).toEqual({ name: "summary-schedule", off: true });
    expect(readMailLine("summary on")).toEqual({ name: "summary-schedule", off: false });
  });

  it("tells a wrong value from prose", () => {
    expect(readMailLine("summary day funday")).toMatchObject({ error: expect.stringContaining("Which day") });
    expect(readMailLine("summary at 25")).toMatchObject({ error: expect.any(String) });
    expect(readMailLine("summary at lunch")).toMatchObject({ error: expect.any(String) });
    expect(readMailLine("Summary of our call")).toBeNull();
    // Bare "summary" is no setting: it is the command that sends one now.
    expect(readMailLine("summary")).toEqual({ name: "summary" });
  });

  it("'summary' alone is the command that sends one now, but not a forwarded 'Summary'", () => {
    for (const s of ["summary", "Summary", "summary now", "send me my summary", "weekly summary?"]) expect(readMailLine(s)).toEqual({ name: "summary" });
    expect(readMailLine("Fwd: Summary")).toBeNull();
    expect(readMailLine("summary friday")).toEqual({ name: "summary-schedule", day: 5 });
  });

  it("describes the schedule for the settings mail", () => {
    expect(describeSummary(user())).toBe("Mondays at 09:00");
    expect(describeSummary(user({ summary_day: 5, summary_hour: 8 }))).toBe("Fridays at 08:00");
    expect(describeSummary(user({ summary_paused_until: SUMMARY_OFF }))).toBe("off");
  });
});
