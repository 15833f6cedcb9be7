/** Time phrases as users type them, FollowUpThen's compact forms included ("weds930am",
 * "april3rdAt1300"), read whole (`readWhen`) and found inside a "remind me" sentence
 * (`findWhen`), in a zone west and a half-hour zone east of UTC. Expectations are the
 * user's wall clock, turned into instants here with Intl's offset for that date (New York
 * is on summer time in April), not with the code under test. */
import { describe, expect, it } from "vitest";
import { findWhen, readWhen, type Found, type When } from "../../src/lib/when";
import type { Zone } from "../../src/lib/zone";

interface Place {
  zone: Zone & { kind: "iana" };
  now: number;
}

/** Monday 7 December 2026, 15:00 on each user's own clock. */
const PLACES: Place[] = [
  { zone: { kind: "iana", name: "America/New_York" }, now: Date.parse("2026-12-07T15:00:00-05:00") },
  { zone: { kind: "iana", name: "Asia/Kolkata" }, now: Date.parse("2026-12-07T15:00:00+05:30") },
];

/** The zone's offset at `t` in minutes, as Intl names it ("GMT-04:00"). */
function offsetAt(t: number, p: Place): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone: p.zone.name, timeZoneName: "longOffset" }).formatToParts(t).find((x) => x.type === "timeZoneName")!.value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m) throw new Error(`unexpected offset ${name}`);
  return m[1] ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** "2026-12-09T09:30" on the place's clock, as an ISO instant (no fixture falls in a DST gap). */
function instant(local: string, p: Place): string {
  const wall = Date.parse(`${local}:00Z`);
  if (Number.isNaN(wall)) throw new Error(`bad fixture ${local}`);
  const guess = wall - offsetAt(wall, p) * 60_000;
  return new Date(wall - offsetAt(guess, p) * 60_000).toISOString();
}

/** The reading as an ISO instant, or its problem, for readable failures. */
function shown(w: When): string {
  return "at" in w ? new Date(w.at).toISOString() : w.problem;
}

function found(f: Found): Found | { at: string; phrase: string; rest: string } {
  return "at" in f ? { ...f, at: new Date(f.at).toISOString() } : f;
}

// Each phrase and the local time it means, said on Monday Dec 7 at 15:00.
const READS: [string, string][] = [
  // FollowUpThen's own examples.
  ["1day", "2026-12-08T09:00"],
  ["48hours", "2026-12-09T15:00"],
  ["3days", "2026-12-10T09:00"],
  ["1year", "2027-12-07T09:00"],
  ["weds930am", "2026-12-09T09:30"],
  ["april3rdAt1300", "2027-04-03T13:00"],
  ["friday", "2026-12-11T09:00"],
  ["monday", "2026-12-14T09:00"],
  // The same family.
  ["tue2pm", "2026-12-08T14:00"],
  ["thurs1030", "2026-12-10T10:30"],
  ["mon9am", "2026-12-14T09:00"], // today's 9am has passed
  ["dec12", "2026-12-12T09:00"],
  ["12dec", "2026-12-12T09:00"],
  ["3pm", "2026-12-08T15:00"], // said at 15:00, so tomorrow's
  ["4pm", "2026-12-07T16:00"],
  ["tomorrow9am", "2026-12-08T09:00"],
  ["nextweek", "2026-12-14T09:00"],
  ["2weeks", "2026-12-21T09:00"],
  ["jan5at9am", "2027-01-05T09:00"],
  ["aug15th", "2027-08-15T09:00"],
  ["21jan2027", "2027-01-21T09:00"],
  ["Weds930AM", "2026-12-09T09:30"],
  ["fridayat3pm", "2026-12-11T15:00"],
  ["nexttuesday", "2026-12-15T09:00"],
  ["tues", "2026-12-08T09:00"],
  ["weds 9:30am", "2026-12-09T09:30"],
  ["930am", "2026-12-08T09:30"],
  ["at 1300", "2026-12-08T13:00"],
  ["dec 12 at 1300", "2026-12-12T13:00"],
  // A day of the month: the next one after today.
  ["till the 15th", "2026-12-15T09:00"],
  ["until the 15th", "2026-12-15T09:00"],
  ["the 15th", "2026-12-15T09:00"],
  ["15th", "2026-12-15T09:00"],
  ["the 15th at 3pm", "2026-12-15T15:00"],
  ["the 15th of january", "2027-01-15T09:00"],
  ["the 15th of the month", "2026-12-15T09:00"],
  ["the 7th", "2027-01-07T09:00"], // today is the 7th
  ["the 31st", "2026-12-31T09:00"],
  // What read before reads the same.
  ["next tuesday", "2026-12-15T09:00"],
  ["this tuesday", "2026-12-08T09:00"],
  ["in 2 weeks", "2026-12-21T09:00"],
  ["until march", "2027-03-01T09:00"],
  ["2h", "2026-12-07T17:00"],
];

const NOT_TIMES = ["someday", "the cows come home", "mon9", "room101", "carol2@x.com", "weds99am", "2560am", "feb30", "the 32nd", "the 15th floor", "at 101"];

describe.each(PLACES)("readWhen in $zone.name", (p) => {
  it.each(READS)("%j", (typed, local) => {
    expect(shown(readWhen(typed, p.now, p.zone))).toBe(instant(local, p));
  });
  it("reads a past date as past, not as nothing", () => {
    expect(readWhen("21jan2018", p.now, p.zone)).toEqual({ problem: "past" });
  });
  it("keeps the two-year limit", () => {
    expect(readWhen("3years", p.now, p.zone)).toEqual({ problem: "too-far" });
    expect(shown(readWhen("2years", p.now, p.zone))).toBe(instant("2028-12-07T09:00", p));
  });
  it.each(NOT_TIMES)("%j is not a time", (typed) => {
    expect(readWhen(typed, p.now, p.zone)).toEqual({ problem: "not-a-time" });
  });
});

it("skips months too short for the day asked", () => {
  const p = PLACES[0]!;
  const now = Date.parse("2027-01-31T12:00:00-05:00");
  expect(shown(readWhen("the 30th", now, p.zone))).toBe(instant("2027-03-30T09:00", p));
});

// A sentence, then the local time, the phrase found and the rest.
const FINDS: [string, string, string, string][] = [
  ["to call Bob about the lease next Tuesday", "2026-12-15T09:00", "next Tuesday", "to call Bob about the lease"],
  ["about carol@globex-labs.com in 2 weeks", "2026-12-21T09:00", "in 2 weeks", "about carol@globex-labs.com"],
  ["on Dec 12 to send Jane the contract", "2026-12-12T09:00", "on Dec 12", "to send Jane the contract"],
  ["tomorrow at 3pm to ping Dev", "2026-12-08T15:00", "tomorrow at 3pm", "to ping Dev"],
  ["to follow up with Priya 3days", "2026-12-10T09:00", "3days", "to follow up with Priya"],
  ["to ping Dev weds930am", "2026-12-09T09:30", "weds930am", "to ping Dev"],
  ["to renew the lease april3rdAt1300", "2027-04-03T13:00", "april3rdAt1300", "to renew the lease"],
  ["to pay rent on the 15th", "2026-12-15T09:00", "on the 15th", "to pay rent"],
  ["to pay rent until the 15th of the month, please", "2026-12-15T09:00", "until the 15th of the month", "to pay rent, please"],
  ["to check in with Ana in a fortnight", "2026-12-21T09:00", "in a fortnight", "to check in with Ana"],
  ["to book Room 101 tomorrow", "2026-12-08T09:00", "tomorrow", "to book Room 101"],
  ["to email carol2@x.com jan5at9am", "2027-01-05T09:00", "jan5at9am", "to email carol2@x.com"],
  ["to call Bob on Sun", "2026-12-13T09:00", "on Sun", "to call Bob"],
  ["to send the deck by Friday.", "2026-12-11T09:00", "by Friday", "to send the deck."],
  ["to review the Dec 3 notes tomorrow", "2026-12-08T09:00", "tomorrow", "to review the Dec 3 notes"],
  ["to call Bob, tomorrow at 9am, about the lease", "2026-12-08T09:00", "tomorrow at 9am", "to call Bob, about the lease"],
  ["to call Bob (next Tuesday)", "2026-12-15T09:00", "next Tuesday", "to call Bob"],
];

const NO_TIME = [
  "to send the deck",
  "to call Bob on Blursday",
  "to call Bob on Feb 30", // no such day: nothing else in it is a time
  "to email carol2@x.com",
  "to book Room 101",
  "to ask Sun about the launch",
  "to call April about it",
  "to print the 3d model",
  "to finish the 10 day plan",
  "to discuss the week ahead",
  "to send flowers for the 15th anniversary",
  "to call Bob now that he's back",
  "",
];

describe.each(PLACES)("findWhen in $zone.name", (p) => {
  it.each(FINDS)("%j", (typed, local, phrase, rest) => {
    expect(found(findWhen(typed, p.now, p.zone))).toEqual({ at: instant(local, p), phrase, rest });
  });
  it.each(NO_TIME)("%j has no time", (typed) => {
    expect(findWhen(typed, p.now, p.zone)).toEqual({ problem: "no-time" });
  });
  it("names the phrase that is too far or past", () => {
    expect(findWhen("about the lease in 5 years", p.now, p.zone)).toEqual({ problem: "too-far", phrase: "in 5 years" });
    expect(findWhen("about the audit on 21jan2018", p.now, p.zone)).toEqual({ problem: "past", phrase: "on 21jan2018" });
  });
});
