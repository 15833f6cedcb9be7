/**
 * Property tests of what Kith reads from typed words: reply commands, settings, pause,
 * time phrases, forwarded dates and promises. Any text, hostile ones included: no throw,
 * and every call returns (inputs are bounded, so a call that hangs fails the test by its
 * timeout). Commands rendered as a person types them read back as the same commands.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readMailLine } from "../../src/commands/read";
import { parseForwardDate } from "../../src/inbound/forward/date";
import { DAY, HOUR } from "../../src/lib/time";
import { findWhen, readWhen } from "../../src/lib/when";
import { UTC, type Zone } from "../../src/lib/zone";
import { readPromises } from "../../src/promises/extract";
import { parseReplyCommands, type ReplyCommand } from "../../src/reminders/commands";
import { MAX_CAP, readCadence, readCap, readDeliver, readQuiet, readSummarySchedule, readTimezone } from "../../src/settings/grammar";
import { parsePauseCommand } from "../../src/settings/pause-grammar";
import { DEFAULT_SEED } from "./cases";

const NOW = Date.parse("2026-03-02T10:00:00Z");
const run = { seed: DEFAULT_SEED, numRuns: 300 };
const ZONES = ["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Auckland", "Europe/Berlin"];

/** Text as people type it and as attackers do: words of the grammars, digits, runs of
 * spaces and punctuation, any characters, in up to a few thousand characters. */
const WORDS = ["done", "skip", "stop", "snooze", "every", "note", "remind", "me", "to", "in", "on", "at", "until", "and", ",", ";", "&", "-", "1", "2", "3", "12", "9999", "#2", "items", "days", "weeks", "months", "2h", "tomorrow", "next", "monday", "friday", "pm", "am", "noon", "3rd", "april", "2027", "thanks", "please", "Hi", "Kith", "--", ">", "\n", "\n\n", " ", "   ", "\t", "I'll", "send", "you", "the", "deck", "intro", "by", "will", "Bob", "?", "!", ".", "quiet", "hours", "cadence", "cap", "summary", "timezone", "deliver", "pause", "resume", "Europe/Berlin", "+0200", "weds930am", "年", "😀", "é"];
const typed = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }).map((w) => w.join(" ")) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 400 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(" ", ",", "1 ", "a", "-", "\n", "1 done, "), fc.integer({ min: 1, max: 4000 })).map(([w, s, n]) => w + s.repeat(n)) },
);

describe("reply commands", () => {
  it("read any text without throwing", () => {
    fc.assert(
      fc.property(typed, fc.integer({ min: 0, max: 30 }), fc.constantFrom(...ZONES), (text, itemCount, timeZone) => {
        const r = parseReplyCommands(text, { now: NOW, timeZone, itemCount });
        if (r.ok) for (const c of r.commands) expect(c.items === "all" || c.items.every((n) => n >= 1 && n <= itemCount)).toBe(true);
        else expect(r.reason.length).toBeGreaterThan(0);
      }),
      run,
    );
  });

  // Commands as a person types them: "1, 3 done", "2 every 14 days", "note ..." last.
  const action = fc.oneof(
    fc.constant({ kind: "done" as const }),
    fc.constant({ kind: "skip" as const }),
    fc.constant({ kind: "stop" as const }),
    fc.integer({ min: 1, max: 365 }).map((days) => ({ kind: "cadence" as const, days })),
  );
  const render = (a: ReplyCommand["action"]): string => (a.kind === "cadence" ? `every ${a.days} days` : a.kind === "note" ? `note ${a.text}` : a.kind);
  const noteText = fc.array(fc.constantFrom("met", "at", "PyCon", "likes", "sailing", "Bob's", "sister", "2026"), { minLength: 1, maxLength: 8 }).map((w) => w.join(" "));

  it("read back what they render, item numbers and all", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }).chain((itemCount) =>
          fc.record({
            itemCount: fc.constant(itemCount),
            commands: fc.array(fc.record({ items: fc.uniqueArray(fc.integer({ min: 1, max: itemCount }), { minLength: 1, maxLength: 3 }), action }), { minLength: 1, maxLength: 4 }),
            note: fc.option(noteText),
            join: fc.constantFrom(", ", "; ", " and ", "\n"),
          }),
        ),
        ({ itemCount, commands, note, join }) => {
          const all: ReplyCommand[] = [...commands, ...(note ? [{ items: [1], action: { kind: "note" as const, text: note } }] : [])];
          const text = all.map((c) => `${(c.items as number[]).join(", ")} ${render(c.action)}`).join(join);
          const r = parseReplyCommands(text, { now: NOW, timeZone: "UTC", itemCount });
          expect(r).toEqual({ ok: true, commands: all });
        },
      ),
      run,
    );
  });

  it("snooze for a number of hours to that many hours on", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 72 }), fc.constantFrom(...ZONES), (hours, timeZone) => {
        const r = parseReplyCommands(`snooze ${hours} hours`, { now: NOW, timeZone, itemCount: 1 });
        expect(r).toEqual({ ok: true, commands: [{ items: "all", action: { kind: "snooze", until: NOW + hours * HOUR } }] });
      }),
      run,
    );
  });
});

describe("settings", () => {
  const readers = [readTimezone, readDeliver, readQuiet, readCadence, readCap, readSummarySchedule, parsePauseCommand];

  it("read any line without throwing, and any mail line as a command or not", () => {
    fc.assert(
      fc.property(typed, (line) => {
        for (const read of readers) read(line);
        readMailLine(line, NOW);
      }),
      run,
    );
  });

  const hour12 = (h: number): string => `${h % 12 === 0 ? 12 : h % 12}${h < 12 ? "am" : "pm"}`;
  it("read back the values they are given", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 365 }), fc.integer({ min: 1, max: MAX_CAP }), fc.integer({ min: 1, max: 7 }), (a, b, days, cap, day) => {
        expect(readDeliver(`deliver at ${hour12(a)}`)).toEqual({ name: "deliver", hour: a });
        expect(readDeliver(`deliver at ${String(a).padStart(2, "0")}:00`)).toEqual({ name: "deliver", hour: a });
        expect(readQuiet(`quiet hours ${a}-${b}`)).toEqual({ name: "quiet", start: a, end: b });
        expect(readCadence(`cadence ${days} days`)).toEqual({ name: "cadence", days });
        expect(readCap(`cap ${cap}`)).toEqual({ name: "cap", items: cap });
        const weekday = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][day - 1]!;
        expect(readSummarySchedule(`summary ${weekday} at ${hour12(a)}`)).toEqual({ name: "summary-schedule", day, hour: a });
      }),
      run,
    );
  });

  it("read back every timezone Intl knows", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    fc.assert(
      fc.property(fc.constantFrom(...zones), (zone) => {
        expect(readTimezone(`timezone ${zone}`)).toEqual({ name: "timezone", zone });
      }),
      { ...run, numRuns: 200 },
    );
  });
});

describe("time phrases", () => {
  const zone = fc.constantFrom<Zone>(UTC, { kind: "iana", name: "America/New_York" }, { kind: "iana", name: "Asia/Kathmandu" }, { kind: "offset", minutes: -150 });

  it("read any text without throwing, and never into the past", () => {
    fc.assert(
      fc.property(typed, zone, (text, z) => {
        const w = readWhen(text, NOW, z);
        if ("at" in w) expect(w.at).toBeGreaterThan(NOW);
        const f = findWhen(text, NOW, z);
        if ("at" in f) expect(f.at).toBeGreaterThan(NOW);
      }),
      run,
    );
  });

  it("count hours from now, and days to a later local day", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 48 }), fc.integer({ min: 1, max: 300 }), zone, (hours, days, z) => {
        expect(readWhen(`${hours} hours`, NOW, z)).toEqual({ at: NOW + hours * HOUR });
        const later = readWhen(`in ${days} days`, NOW, z);
        expect("at" in later && Math.round((later.at - NOW) / DAY)).toBeGreaterThanOrEqual(days - 1);
        expect("at" in later && (later.at - NOW) / DAY).toBeLessThanOrEqual(days + 1);
      }),
      run,
    );
  });
});

describe("dates in forwarded headers", () => {
  it("read any text without throwing", () => {
    fc.assert(fc.property(typed, (text) => void parseForwardDate(text)), run);
  });

  it("read back a date as mail clients write it", () => {
    // Whole minutes from 1990 to 2040, in the RFC 5322 form most clients keep when they forward.
    fc.assert(
      fc.property(fc.integer({ min: 10_519_200, max: 36_816_480 }), (minutes) => {
        const at = minutes * 60_000;
        expect(parseForwardDate(new Date(at).toUTCString())).toBe(at);
      }),
      run,
    );
  });
});

describe("promises", () => {
  it("read any text without throwing, each with a due time", () => {
    fc.assert(
      fc.property(typed, fc.constantFrom("mine" as const, "theirs" as const), (text, side) => {
        for (const p of readPromises(text, { side, sentAt: NOW, zone: UTC })) {
          expect(p.what.length).toBeGreaterThan(0);
          expect(Number.isFinite(p.dueAt)).toBe(true);
        }
      }),
      run,
    );
  });

  it("find a promise to send a thing, whatever the text around it", () => {
    const words = fc.array(fc.constantFrom("Great", "meeting", "you", "yesterday", "Thanks", "for", "lunch", "See", "you", "soon"), { maxLength: 8 }).map((w) => w.join(" "));
    fc.assert(
      fc.property(words, fc.constantFrom("the deck", "the slides", "the pricing sheet", "the report"), words, (before, thing, after) => {
        const text = `${before}.\n\nI'll send you ${thing} tomorrow.\n\n${after}.`;
        const found = readPromises(text, { side: "mine", sentAt: NOW, zone: UTC });
        expect(found.map((p) => p.what)).toContain(thing);
      }),
      run,
    );
  });
});
