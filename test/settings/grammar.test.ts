/** Settings by mail: what each line reads as, what is an error the user can act on, and
 * what is no setting at all (a subject that merely starts with the same word). */
import { describe, expect, it } from "vitest";
import { readMailLine } from "../../src/commands/read";

const error = (text: string) => ({ error: expect.stringContaining(text) as unknown as string });

describe("settings, as the commands list reads them", () => {
  it.each<[string, Record<string, unknown>]>([
    ["settings", { name: "settings" }],
    ["Settings?", { name: "settings" }],
    ["my settings", { name: "settings" }],
    ["timezone Europe/Berlin", { name: "timezone", zone: "Europe/Berlin" }],
    ["Timezone: europe/berlin", { name: "timezone", zone: "Europe/Berlin" }],
    ["time zone America/New York", { name: "timezone", zone: "America/New_York" }],
    ["set my timezone to Asia/Kolkata", { name: "timezone", zone: "Asia/Kolkata" }],
    ["tz Pacific/Auckland", { name: "timezone", zone: "Pacific/Auckland" }],
    ["timezone Berlin", { name: "timezone", zone: "Europe/Berlin" }],
    ["timezone UTC", { name: "timezone", zone: "UTC" }],
    ["timezone GMT", { name: "timezone", zone: "UTC" }],
    ["deliver at 8am", { name: "deliver", hour: 8 }],
    ["deliver at 8 PM", { name: "deliver", hour: 20 }],
    ["deliver at 12am", { name: "deliver", hour: 0 }],
    ["deliver at 12pm", { name: "deliver", hour: 12 }],
    ["deliver at 17:00", { name: "deliver", hour: 17 }],
    ["delivery 8", { name: "deliver", hour: 8 }],
    ["deliver at noon", { name: "deliver", hour: 12 }],
    ["Deliver at 07h.", { name: "deliver", hour: 7 }],
    ["quiet hours 22-7", { name: "quiet", start: 22, end: 7 }],
    ["quiet 21:00-08:00", { name: "quiet", start: 21, end: 8 }],
    ["quiet hours 10pm to 7am", { name: "quiet", start: 22, end: 7 }],
    ["quiet off", { name: "quiet", start: 0, end: 0 }],
    ["quiet hours: none", { name: "quiet", start: 0, end: 0 }],
    ["cadence 60 days", { name: "cadence", days: 60 }],
    ["cadence 45", { name: "cadence", days: 45 }],
    ["default every 2 months", { name: "cadence", days: 60 }],
    ["check in every 3 months", { name: "cadence", days: 90 }],
    ["default cadence monthly", { name: "cadence", days: 30 }],
    ["cap 5", { name: "cap", items: 5 }],
    ["max 5 items", { name: "cap", items: 5 }],
    ["items 5", { name: "cap", items: 5 }],
    ["items per mail: 20", { name: "cap", items: 20 }],
  ])("%j", (line, want) => {
    expect(readMailLine(line)).toEqual(want);
  });

  it.each([
    ["timezone Europe/Berln", "Unknown timezone 'Europe/Berln'. Use a name like Europe/Berlin."],
    ["timezone PST", "America/Los_Angeles"],
    ["timezone EST", "America/New_York"], // Intl's EST has no daylight saving: not what was meant
    ["timezone CET", "Europe/Berlin"],
    ["timezone IST", "Asia/Kolkata or Europe/Dublin"],
    ["timezone UTC+2", "not an offset"],
    ["timezone", "Which timezone?"],
    ["deliver at 8:30", 'try "8"'],
    ["deliver at 8:30am", 'try "8am"'],
    ["deliver at 13pm", "1-12 with am/pm"],
    ["deliver at 24", "0 to 23"],
    ["deliver", "At what hour?"],
    ["quiet hours 22-25", '"25"'],
    ["quiet", "Which hours?"],
    ["cadence 2 hours", "days, weeks, months or years"],
    ["cadence every 10 years", "at most 5 years"],
    ["cadence", "How often?"],
    ["cap 0", "1 to 20"],
    ["cap 50", "1 to 20"],
    ["cap", "How many"],
  ])("%j is an error", (line, text) => {
    expect(readMailLine(line)).toEqual(error(text));
  });

  it.each([
    "hello",
    "Re: Kith: your settings",
    "Timezone question for you",
    "timezone question",
    "Deliver the deck tomorrow",
    "Quiet week ahead",
    "Check in with Bob about the offer",
    "Default password reset",
    "Max, can you call me?",
    "Items from the meeting",
    "settings for the projector",
  ])("%j is no setting", (line) => {
    expect(readMailLine(line)).toBeNull();
  });

  it("stays quick on a long line", () => {
    expect(readMailLine(`timezone ${"a/".repeat(50_000)}`)).toEqual(error("Unknown timezone"));
    expect(readMailLine(`quiet ${"1-".repeat(50_000)}`)).toBeNull();
  });
});
