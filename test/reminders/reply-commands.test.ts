/** Commands typed in reply to a reminder mail: the grammar, item numbers, and snooze
 * times in the user's zone (both sides of UTC, a half-hour zone, both DST changes). The
 * clock is injected; chrono-node runs inside workerd here. */
import { describe, expect, it } from "vitest";
import { parseReplyCommands, type ParsedReply, type ReplyCommand } from "../../src/reminders/commands";
import { parseCadence, parseSpan } from "../../src/lib/spans";

const at = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad fixture ${iso}`);
  return t;
};
// Monday 2 March 2026, 10:00 UTC.
const MONDAY = at("2026-03-02T10:00:00Z");

function read(typed: string, opts: { now?: number; timeZone?: string; itemCount?: number } = {}): ParsedReply {
  return parseReplyCommands(typed, { now: opts.now ?? MONDAY, timeZone: opts.timeZone ?? "UTC", itemCount: opts.itemCount ?? 3 });
}

function commands(typed: string, opts: Parameters<typeof read>[1] = {}): ReplyCommand[] {
  const r = read(typed, opts);
  if (!r.ok) throw new Error(`not read: ${r.reason}`);
  return r.commands;
}

function reason(typed: string, opts: Parameters<typeof read>[1] = {}): string {
  const r = read(typed, opts);
  if (r.ok) throw new Error(`read as ${JSON.stringify(r.commands)}`);
  return r.reason;
}

/** The snooze instant of a one-command reply, as ISO for readable failures. */
function snoozed(typed: string, opts: Parameters<typeof read>[1] = {}): string {
  const [c, ...rest] = commands(typed, opts);
  if (!c || rest.length > 0 || c.action.kind !== "snooze") throw new Error(`not one snooze: ${JSON.stringify(c)}`);
  return new Date(c.action.until).toISOString();
}

const all = (action: ReplyCommand["action"]): ReplyCommand => ({ items: "all", action });
const DONE = { kind: "done" } as const;
const SKIP = { kind: "skip" } as const;
const STOP = { kind: "stop" } as const;

describe("verbs", () => {
  it.each(["done", "Done!", "DONE.", "did it", "✓", "✅", "followed up", "completed", "ok done", "done, thanks", "done please"])("%j is done", (typed) => {
    expect(commands(typed)).toEqual([all(DONE)]);
  });
  it.each(["skip", "Skip.", "ignore", "not now", "skip this one", "please skip"])("%j is skip", (typed) => {
    expect(commands(typed)).toEqual([all(SKIP)]);
  });
  it.each(["stop", "mute", "never", "stop reminding me", "no more check-ins"])("%j is stop", (typed) => {
    expect(commands(typed)).toEqual([all(STOP)]);
  });
  it.each(["unsubscribe", "stop everything", "stop emailing me"])("%j is not a mute of every contact", (typed) => {
    expect(reason(typed)).toContain("2 stop");
  });

  it("reads cadences in days: a month is 30 of them", () => {
    expect(commands("every 2 months")).toEqual([all({ kind: "cadence", days: 60 })]);
    expect(commands("every 3 weeks")).toEqual([all({ kind: "cadence", days: 21 })]);
    expect(commands("every 90 days")).toEqual([all({ kind: "cadence", days: 90 })]);
    expect(commands("Monthly")).toEqual([all({ kind: "cadence", days: 30 })]);
    expect(commands("quarterly")).toEqual([all({ kind: "cadence", days: 90 })]);
    expect(commands("yearly")).toEqual([all({ kind: "cadence", days: 365 })]);
    expect(commands("remind me every other week")).toEqual([all({ kind: "cadence", days: 14 })]);
    expect(reason("every 2 hours")).toContain("days, weeks, months or years");
    expect(reason("every blue moon")).toContain("every 2 months");
  });

  it("keeps a note's text as typed, to the end of its paragraph", () => {
    expect(commands("note Met at PyCon, into sailing; call after June")).toEqual([all({ kind: "note", text: "Met at PyCon, into sailing; call after June" })]);
    expect(commands("2 note: new job at Acme\nmoved to Lisbon\n\n1 done")).toEqual([
      { items: [2], action: { kind: "note", text: "new job at Acme\nmoved to Lisbon" } },
      { items: [1], action: DONE },
    ]);
    expect(reason("note")).toContain("note needs some text");
  });
});

describe("item numbers", () => {
  it("reads them before a command, in every usual form", () => {
    expect(commands("1 done")).toEqual([{ items: [1], action: DONE }]);
    expect(commands("1, 2 done")).toEqual([{ items: [1, 2], action: DONE }]);
    expect(commands("1 and 3 skip")).toEqual([{ items: [1, 3], action: SKIP }]);
    expect(commands("1-3 skip")).toEqual([{ items: [1, 2, 3], action: SKIP }]);
    expect(commands("#2 snooze 3 days")).toEqual([{ items: [2], action: { kind: "snooze", until: at("2026-03-05T09:00:00Z") } }]);
    expect(commands("item 2: done")).toEqual([{ items: [2], action: DONE }]);
    expect(commands("2. done")).toEqual([{ items: [2], action: DONE }]);
    expect(commands("3) stop")).toEqual([{ items: [3], action: STOP }]);
    expect(commands("skip 2")).toEqual([{ items: [2], action: SKIP }]);
  });

  it("reads several commands on a line or on several lines", () => {
    const want = [
      { items: [1], action: DONE },
      { items: [3], action: { kind: "snooze", until: at("2026-03-16T09:00:00Z") } },
    ];
    expect(commands("1 done, 3 snooze 2 weeks")).toEqual(want);
    expect(commands("1 done; 3 snooze 2 weeks.")).toEqual(want);
    expect(commands("1 done and 3 snooze 2 weeks please")).toEqual(want);
    expect(commands("1 done 3 snooze 2 weeks")).toEqual(want);
    expect(commands("1 done\n3 snooze 2 weeks")).toEqual(want);
    expect(commands("Hi Kith,\n\n1 done\n\n3 snooze 2 weeks\n")).toEqual(want);
  });

  it("applies a bare command to all items", () => {
    expect(commands("snooze 2 weeks", { itemCount: 5 })).toEqual([all({ kind: "snooze", until: at("2026-03-16T09:00:00Z") })]);
    expect(commands("done", { itemCount: 1 })).toEqual([all(DONE)]);
  });

  it("names a number the mail does not list", () => {
    expect(reason("5 done")).toContain("no item 5");
    expect(reason("1, 4 skip")).toContain("no item 4");
    expect(reason("2-7 skip")).toContain("no item 7");
    expect(reason("0 done")).toContain("no item 0");
    expect(reason("2 done", { itemCount: 1 })).toContain("lists one item");
  });

  it("does not take a snooze's number for an item", () => {
    expect(snoozed("2 weeks")).toBe("2026-03-16T09:00:00.000Z");
    expect(snoozed("snooze until Dec 3, 2026")).toBe("2026-12-03T09:00:00.000Z");
  });
});

describe("what is not a command", () => {
  it("explains, quoting what it could not read", () => {
    expect(reason("foo")).toMatch(/^Kith did not understand "foo"\./);
    expect(reason("1, 2")).toContain('"1, 2"');
    expect(reason("done\nbought her coffee")).toContain('"bought her coffee"');
    expect(reason("")).toContain("no command");
    expect(reason("Thanks!\n\nBest,\n")).toContain("no command");
    expect(reason("snooze")).toContain("until when");
    expect(reason("later")).toContain("until when");
    expect(reason("snooze until the cows come home")).toContain("could not read");
  });

  it("ignores a sign-off, a name or a disclaimer below the commands", () => {
    expect(commands("done\n\nThanks,\nAlex")).toEqual([all(DONE)]);
    expect(commands("1 done\nAlex")).toEqual([{ items: [1], action: DONE }]);
    expect(commands("1 done\n-- \nAlex Example")).toEqual([{ items: [1], action: DONE }]);
    expect(commands("skip\n\nThis message is confidential. If you are not the intended recipient...")).toEqual([all(SKIP)]);
    // ... but not a misspelt command on the last line.
    expect(reason("done\nskipp")).toContain('"skipp"');
  });

  it("bounds the work on a hostile reply", () => {
    expect(reason("1 done, ".repeat(60))).toContain("at most 50 commands");
    expect(reason("snooze 1 day\n".repeat(60))).toContain("at most 50 commands");
    expect(reason("snooze 1 day, ".repeat(2000))).toContain("did not understand"); // a 28 KB line
    expect(reason(`${"x".repeat(100_000)}`)).toContain("did not understand");
    expect(read("done\n".repeat(10_000)).ok).toBe(false);
  });
});

describe("snooze times", () => {
  it("reads dates at a user's mail offset when no zone is set, half hours included", () => {
    // What read-reply passes for a user known only by the "+0530" of their mail.
    expect(snoozed("snooze until tomorrow", { timeZone: "+05:30" })).toBe("2026-03-03T03:30:00.000Z");
  });

  it("puts durations of days and more on the local date at 09:00, hours from now", () => {
    expect(snoozed("snooze 3 days")).toBe("2026-03-05T09:00:00.000Z");
    expect(snoozed("snooze 2w")).toBe("2026-03-16T09:00:00.000Z");
    expect(snoozed("snooze 1 week")).toBe("2026-03-09T09:00:00.000Z");
    expect(snoozed("snooze a month")).toBe("2026-04-02T09:00:00.000Z");
    expect(snoozed("remind me in 2 weeks")).toBe("2026-03-16T09:00:00.000Z");
    expect(snoozed("snooze for a couple of weeks")).toBe("2026-03-16T09:00:00.000Z");
    expect(snoozed("2h")).toBe("2026-03-02T12:00:00.000Z");
    expect(snoozed("snooze 30 minutes")).toBe("2026-03-02T10:30:00.000Z");
    // A month from 31 January is the end of February.
    expect(snoozed("snooze 1 month", { now: at("2026-01-31T10:00:00Z") })).toBe("2026-02-28T09:00:00.000Z");
  });

  it("reads dates with chrono, at 09:00 unless a time is given", () => {
    expect(snoozed("tomorrow")).toBe("2026-03-03T09:00:00.000Z");
    expect(snoozed("snooze until Dec 3")).toBe("2026-12-03T09:00:00.000Z");
    expect(snoozed("snooze next Tuesday")).toBe("2026-03-10T09:00:00.000Z");
    expect(snoozed("snooze until Friday 5pm")).toBe("2026-03-06T17:00:00.000Z");
    expect(snoozed("remind me tonight")).toBe("2026-03-02T22:00:00.000Z");
  });

  it("refuses a time in the past or more than two years away", () => {
    expect(reason("snooze until yesterday")).toContain("not in the future");
    expect(reason("snooze until Dec 3, 2020")).toContain("not in the future");
    expect(reason("snooze 3 years")).toContain("more than two years");
    expect(reason("snooze until Jan 1, 2029")).toContain("more than two years");
    expect(snoozed("snooze 2 years")).toBe("2028-03-02T09:00:00.000Z");
  });

  // 10:00 UTC is 02:00 Monday in Los Angeles, 15:30 Monday in Kolkata and 23:00 Monday in
  // Auckland; the US changes to summer time on 8 March, New Zealand to winter on 5 April.
  it.each([
    ["America/Los_Angeles", "tomorrow", "2026-03-03T17:00:00.000Z"],
    ["America/Los_Angeles", "snooze 3 days", "2026-03-05T17:00:00.000Z"],
    ["America/Los_Angeles", "next Tuesday", "2026-03-10T16:00:00.000Z"], // after the change: PDT
    ["America/Los_Angeles", "snooze until Monday 9am", "2026-03-02T17:00:00.000Z"], // later today
    ["America/Los_Angeles", "until Dec 3", "2026-12-03T17:00:00.000Z"],
    ["Asia/Kolkata", "tomorrow", "2026-03-03T03:30:00.000Z"],
    ["Asia/Kolkata", "snooze until Monday 9am", "2026-03-09T03:30:00.000Z"], // today's is past
    ["Asia/Kolkata", "snooze until Friday 5pm", "2026-03-06T11:30:00.000Z"],
    ["Asia/Kolkata", "in 2 weeks", "2026-03-16T03:30:00.000Z"],
    ["Pacific/Auckland", "tomorrow", "2026-03-02T20:00:00.000Z"],
    ["Pacific/Auckland", "snooze a month", "2026-04-01T20:00:00.000Z"],
    ["Pacific/Auckland", "until Dec 3", "2026-12-02T20:00:00.000Z"],
    ["Pacific/Auckland", "snooze 2h", "2026-03-02T12:00:00.000Z"],
  ])("%s: %j", (timeZone, typed, want) => {
    expect(snoozed(typed, { timeZone })).toBe(want);
  });

  it("says 'tonight' is past at 23:00 in Auckland", () => {
    expect(reason("snooze tonight", { timeZone: "Pacific/Auckland" })).toContain("not in the future");
  });

  describe("across Europe/Berlin's DST changes (29 March and 25 October 2026)", () => {
    const timeZone = "Europe/Berlin";
    it("the day before spring-forward", () => {
      const now = at("2026-03-28T12:00:00Z"); // Saturday 13:00 CET
      expect(snoozed("tomorrow", { now, timeZone })).toBe("2026-03-29T07:00:00.000Z"); // 09:00 CEST
      expect(snoozed("snooze 1 week", { now, timeZone })).toBe("2026-04-04T07:00:00.000Z");
      expect(snoozed("2h", { now, timeZone })).toBe("2026-03-28T14:00:00.000Z");
      // 02:30 does not exist that night: the first instant after the gap.
      expect(snoozed("snooze until tomorrow 2:30am", { now, timeZone })).toBe("2026-03-29T01:00:00.000Z");
    });
    it("just after midnight on the change day", () => {
      const now = at("2026-03-28T23:30:00Z"); // Sunday 00:30 CET
      expect(snoozed("tomorrow", { now, timeZone })).toBe("2026-03-30T07:00:00.000Z");
      expect(snoozed("2h", { now, timeZone })).toBe("2026-03-29T01:30:00.000Z"); // 03:30 CEST
    });
    it("the day before fall-back", () => {
      const now = at("2026-10-24T12:00:00Z"); // Saturday 14:00 CEST
      expect(snoozed("tomorrow", { now, timeZone })).toBe("2026-10-25T08:00:00.000Z"); // 09:00 CET
      expect(snoozed("snooze 1 week", { now, timeZone })).toBe("2026-10-31T08:00:00.000Z");
      // 02:30 happens twice that night: the first time.
      expect(snoozed("snooze until tomorrow 2:30am", { now, timeZone })).toBe("2026-10-25T00:30:00.000Z");
      expect(snoozed("2h", { now: at("2026-10-24T23:30:00Z"), timeZone })).toBe("2026-10-25T01:30:00.000Z");
    });
  });
});

describe("the shared span and cadence grammar", () => {
  it.each([
    ["3 days", { count: 3, unit: "day" }],
    ["2w", { count: 2, unit: "week" }],
    ["1 week", { count: 1, unit: "week" }],
    ["a month", { count: 1, unit: "month" }],
    ["two weeks", { count: 2, unit: "week" }],
    ["fortnight", { count: 2, unit: "week" }],
    ["2h", { count: 2, unit: "hour" }],
    ["30m", { count: 30, unit: "minute" }],
    ["3 mo", { count: 3, unit: "month" }],
    ["a quarter", { count: 3, unit: "month" }],
    ["week", { count: 1, unit: "week" }],
  ])("span %j", (text, want) => {
    expect(parseSpan(text)).toEqual(want);
  });

  it.each(["", "soon", "0 days", "3 bananas", "3.5 days"])("no span in %j", (text) => {
    expect(parseSpan(text)).toBeNull();
  });

  it("reads cadences, bare ones only when asked", () => {
    expect(parseCadence("every 2 months")).toEqual({ days: 60 });
    expect(parseCadence("biweekly")).toEqual({ days: 14 });
    expect(parseCadence("twice a year")).toEqual({ days: 182 });
    expect(parseCadence("60 days")).toBeNull();
    expect(parseCadence("60 days", true)).toEqual({ days: 60 });
    expect(parseCadence("45", true)).toEqual({ days: 45 });
    expect(parseCadence("every 10 years")).toEqual({ error: expect.stringContaining("at most 5 years") });
    expect(parseCadence("hello", true)).toBeNull();
  });
});

describe("notes", () => {
  it("refuses a note over 2,000 characters, saying so, rather than cutting it", () => {
    expect(reason(`note ${"a".repeat(2001)}`)).toContain("at most 2,000 characters");
    expect(commands(`note ${"a".repeat(2000)}`)).toEqual([all({ kind: "note", text: "a".repeat(2000) })]);
  });
});
