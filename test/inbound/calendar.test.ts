import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { readCalendar, type Meeting } from "../../src/inbound/calendar/ics";
import { calendarParts } from "../../src/inbound/calendar/parts";
import { ianaZone, windowsZones } from "../../src/inbound/calendar/windows-zones";
import { parseMail } from "../../src/inbound/mime/parse";
import { canonicalTimeZone, type Zone } from "../../src/lib/zone";
import appleIcs from "../fixtures/calendar/apple-request.ics?raw";
import appleEml from "../fixtures/calendar/apple-request.eml?raw";
import forwardEml from "../fixtures/calendar/gmail-forward.eml?raw";
import allDayIcs from "../fixtures/calendar/google-allday.ics?raw";
import allDayEml from "../fixtures/calendar/google-allday.eml?raw";
import googleIcs from "../fixtures/calendar/google-request.ics?raw";
import googleEml from "../fixtures/calendar/google-request.eml?raw";
import googleUpdateIcs from "../fixtures/calendar/google-update.ics?raw";
import googleUpdateEml from "../fixtures/calendar/google-update.eml?raw";
import cancelIcs from "../fixtures/calendar/outlook-cancel.ics?raw";
import cancelEml from "../fixtures/calendar/outlook-cancel.eml?raw";
import outlookIcs from "../fixtures/calendar/outlook-request.ics?raw";
import outlookEml from "../fixtures/calendar/outlook-request.eml?raw";
import weeklyIcs from "../fixtures/calendar/outlook-weekly.ics?raw";
import weeklyEml from "../fixtures/calendar/outlook-weekly.eml?raw";
import zoomIcs from "../fixtures/calendar/zoom-publish.ics?raw";
import zoomEml from "../fixtures/calendar/zoom-publish.eml?raw";
import { seeded } from "../support/random";

const LONDON: Zone = { kind: "iana", name: "Europe/London" };
const NEW_YORK: Zone = { kind: "iana", name: "America/New_York" };
const at = (iso: string): number => Date.parse(iso);
const iso = (t: number): string => new Date(t).toISOString();
const JAN_1 = at("2026-01-01T00:00:00Z");

function read(text: string, now = JAN_1, zone = LONDON): Meeting[] {
  const result = readCalendar(text, { now, zone });
  if ("problem" in result) expect.fail(`unexpected problem: ${result.problem}`);
  return result.meetings;
}

function one(text: string, now = JAN_1, zone = LONDON): Meeting {
  const meetings = read(text, now, zone);
  expect(meetings).toHaveLength(1);
  return meetings[0]!;
}

function problem(text: string): string {
  const result = readCalendar(text, { now: JAN_1, zone: LONDON });
  if (!("problem" in result)) expect.fail(`expected a problem, read ${result.meetings.length} meetings`);
  return result.problem;
}

/** A meeting with its instants as ISO strings, for whole-object assertions. */
function view(m: Meeting): Record<string, unknown> {
  const { description: _, ...rest } = m;
  return { ...rest, start: iso(m.start), end: iso(m.end), ...(m.occurrence === undefined ? {} : { occurrence: iso(m.occurrence) }) };
}

/** A minimal calendar around one VEVENT's lines. */
const calendar = (...lines: string[]): string =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "METHOD:REQUEST", ...lines, "END:VCALENDAR", ""].join("\r\n");
const event = (...lines: string[]): string[] => ["BEGIN:VEVENT", "UID:test-1@example.com", ...lines, "END:VEVENT"];

const OUTLOOK_UID = "040000008200E00074C5B7101A82E00800000000D0D2F7A1C98BDC01000000000000000010000000B2C6B3C3AE2F1C4C9B5A1E2D3F4A5B6C";
const GOOGLE_UID = "5k2m9qv7h1c3r8t0n4b6d2f8g0@google.com";

describe("readCalendar on invitations as each client writes them", () => {
  it("reads a Google Calendar request: Los Angeles time, people without the room or the organizer", () => {
    const m = one(googleIcs);
    expect(view(m)).toEqual({
      uid: GOOGLE_UID,
      sequence: 0,
      method: "REQUEST",
      cancelled: false,
      summary: "Priya / Marcus: partnership sync",
      location: "SF-4-Redwood (8) [TV]",
      start: "2026-03-12T17:00:00.000Z", // 10:00 PDT, four days after the change to summer time
      end: "2026-03-12T17:30:00.000Z",
      allDay: false,
      recurring: false,
      organizer: { email: "priya.raman@example.com", name: "Priya Raman" },
      // Google writes the address as CN when it knows no name: that is no name.
      attendees: [
        { email: "marcus.oduya@example.org" },
        { email: "lea.fontaine@example.fr", name: "Léa Fontaine" },
        { email: "sam.lee@example.net", name: "Sam Lee" },
      ],
      attendeesDropped: 0,
    });
    expect(m.description).toContain("Join with Google Meet: https://meet.google.com/abc-defg-hij\n");
    expect(m.description).toContain("pilot scope, pricing and next steps.");
  });

  it("folds Google's long lines at 75 octets, and unfolds them", () => {
    const lines = googleIcs.split("\r\n");
    expect(lines.some((l) => l.startsWith(" "))).toBe(true);
    expect(Math.max(...lines.map((l) => new TextEncoder().encode(l).length))).toBeLessThanOrEqual(75);
  });

  it("reads Google's update: same UID, next SEQUENCE, the new time", () => {
    const m = one(googleUpdateIcs);
    expect([m.uid, m.sequence, m.method, m.cancelled]).toEqual([GOOGLE_UID, 1, "REQUEST", false]);
    expect([iso(m.start), iso(m.end)]).toEqual(["2026-03-13T21:00:00.000Z", "2026-03-13T21:30:00.000Z"]);
  });

  it("reads an Outlook request: Windows zone name, quoted CN, rooms, resources and no-address attendees left out", () => {
    const m = one(outlookIcs);
    expect(view(m)).toEqual({
      uid: OUTLOOK_UID,
      sequence: 0,
      method: "REQUEST",
      cancelled: false,
      summary: "Hiring plan review",
      location: "Conf Room Adams (12)",
      start: "2026-07-16T16:00:00.000Z", // 09:00 in "Pacific Standard Time", which is PDT in July
      end: "2026-07-16T17:00:00.000Z",
      allDay: false,
      recurring: false,
      organizer: { email: "daniel.okafor@contoso.com", name: "Daniel Okafor" },
      // Sam twice (once as MAILTO:Sam.Lee@...), the CUTYPE=ROOM room, the NON-PARTICIPANT
      // projector and "invalid:nomail" are not people to list.
      attendees: [
        { email: "sam.lee@example.net", name: "Sam Lee" },
        { email: "yuki.tanaka@contoso.com", name: "Yuki Tanaka" },
      ],
      attendeesDropped: 0,
    });
    expect(m.description).toBe("Agenda: the hiring plan for H2, then open questions.\n\nDaniel");
  });

  it("reads Outlook's cancellation of the same meeting", () => {
    const m = one(cancelIcs);
    expect([m.uid, m.method, m.cancelled, m.sequence]).toEqual([OUTLOOK_UID, "CANCEL", true, 1]);
    expect(m.summary).toBe("Canceled: Hiring plan review");
    expect(m.description).toBe("Désolé, we will find another slot next week.");
    expect(iso(m.start)).toBe("2026-07-16T16:00:00.000Z");
  });

  it("reads an Apple Calendar request: Europe/Berlin, iCloud's relay addresses replaced by EMAIL", () => {
    const m = one(appleIcs);
    expect(view(m)).toEqual({
      uid: "9F3A2C1E-7B4D-4E8A-9C21-5D6E7F809A1B",
      sequence: 0,
      method: "REQUEST",
      cancelled: false,
      summary: "Kaffee mit Jonas",
      location: "Café Einstein Stammhaus Kurfürstenstraße 58, 10785 Berlin, Germany",
      start: "2026-05-05T12:00:00.000Z", // 14:00 CEST
      end: "2026-05-05T13:00:00.000Z",
      allDay: false,
      recurring: false,
      organizer: { email: "jonas.weber@icloud.com", name: "Jonas Weber" },
      // Jonas is also an ATTENDEE (the CHAIR): the organizer is not repeated.
      attendees: [
        { email: "sam.lee@example.net", name: "Sam Lee" },
        { email: "mia.schaefer@example.de", name: "Mia Schäfer" },
      ],
      attendeesDropped: 0,
    });
  });

  it("reads Zoom's published event: UTC times, the join link in the description", () => {
    const m = one(zoomIcs);
    expect(view(m)).toEqual({
      uid: "20260410T150000Z-85012345678@fe80:0:0:0:0:0:0:1%en0",
      sequence: 0,
      method: "PUBLISH",
      cancelled: false,
      summary: "Kith demo with Ana",
      location: "https://us02web.zoom.us/j/85012345678?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ.1",
      start: "2026-04-15T16:00:00.000Z",
      end: "2026-04-15T16:45:00.000Z",
      allDay: false,
      recurring: false,
      organizer: { email: "ana.souza@example.com.br", name: "Ana Souza" },
      attendees: [],
      attendeesDropped: 0,
    });
    expect(m.description).toContain("Join Zoom Meeting\nhttps://us02web.zoom.us/j/85012345678?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ.1\n");
  });

  it("reads an all-day event in the user's zone, without the mailing-list guest", () => {
    const m = one(allDayIcs);
    expect(view(m)).toMatchObject({
      uid: "0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com",
      summary: "Team offsite",
      location: "Hathersage, Hope Valley, UK",
      start: "2026-05-31T23:00:00.000Z", // midnight in London, on summer time
      end: "2026-06-02T23:00:00.000Z", // DTEND is exclusive: two days
      allDay: true,
      organizer: { email: "hannah.cole@example.co.uk", name: "Hannah Cole" },
      attendees: [{ email: "sam.lee@example.net", name: "Sam Lee" }],
    });
    const inNewYork = one(allDayIcs, JAN_1, NEW_YORK);
    expect(iso(inNewYork.start)).toBe("2026-06-01T04:00:00.000Z");
  });
});

describe("readCalendar: time zones", () => {
  const pacific = (date: string) =>
    calendar(...event(`DTSTART;TZID=Pacific Standard Time:${date}T090000`, `DTEND;TZID=Pacific Standard Time:${date}T093000`));

  it('keeps DST in the Windows zone "Pacific Standard Time": July is UTC-7, January UTC-8', () => {
    expect(iso(one(pacific("20260716")).start)).toBe("2026-07-16T16:00:00.000Z");
    expect(iso(one(pacific("20260115")).start)).toBe("2026-01-15T17:00:00.000Z");
  });

  it("maps every Windows zone name to a zone Intl knows, whatever its case", () => {
    const unknown = [...windowsZones].filter(([, iana]) => !canonicalTimeZone(iana)).map(([w]) => w);
    expect(unknown).toEqual([]);
    expect(windowsZones.size).toBeGreaterThan(100);
    expect(ianaZone("pacific standard time")).toBe("America/Los_Angeles");
    expect(ianaZone("India Standard Time")).toBe("Asia/Kolkata");
    expect(ianaZone("/mozilla.org/20050126_1/Europe/Berlin")).toBe("Europe/Berlin");
    expect(ianaZone("/softwarestudio.org/Olson_20011030_5/America/New_York")).toBe("America/New_York");
    expect(ianaZone("Customized Time Zone")).toBeUndefined();
  });

  const CUSTOM = [
    "BEGIN:VTIMEZONE",
    "TZID:Customized Time Zone",
    "BEGIN:STANDARD",
    "DTSTART:16010101T030000",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
    "END:STANDARD",
    "BEGIN:DAYLIGHT",
    "DTSTART:16010101T020000",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
    "END:DAYLIGHT",
    "END:VTIMEZONE",
  ];

  it("applies a custom VTIMEZONE's own rules when its TZID names no zone", () => {
    const custom = (date: string) => calendar(...CUSTOM, ...event(`DTSTART;TZID=Customized Time Zone:${date}T100000`));
    expect(iso(one(custom("20260715")).start)).toBe("2026-07-15T08:00:00.000Z");
    expect(iso(one(custom("20260115")).start)).toBe("2026-01-15T09:00:00.000Z");
  });

  it("falls back to the standard offset when the VTIMEZONE's rules cannot be read", () => {
    const broken = [
      "BEGIN:VTIMEZONE",
      "TZID:Chennai Office",
      "BEGIN:STANDARD",
      "DTSTART:not-a-date",
      "TZOFFSETFROM:+0530",
      "TZOFFSETTO:+0530",
      "RRULE:FREQ=YEARLY;BYDAY=XX",
      "END:STANDARD",
      "END:VTIMEZONE",
    ];
    const m = one(calendar(...broken, ...event("DTSTART;TZID=Chennai Office:20260715T100000")));
    expect(iso(m.start)).toBe("2026-07-15T04:30:00.000Z");
  });

  it("reads a TZID behind a vendor prefix, and floating or unknown zones in the user's zone", () => {
    const mozilla = one(calendar(...event("DTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20260715T100000")));
    expect(iso(mozilla.start)).toBe("2026-07-15T08:00:00.000Z");
    const floating = one(calendar(...event("DTSTART:20260310T090000")), JAN_1, NEW_YORK);
    expect(iso(floating.start)).toBe("2026-03-10T13:00:00.000Z"); // EDT since March 8
    const unknown = one(calendar(...event("DTSTART;TZID=Somewhere Nice:20260310T090000")), JAN_1, NEW_YORK);
    expect(iso(unknown.start)).toBe("2026-03-10T13:00:00.000Z");
  });

  it("takes DURATION when DTEND is missing, else an hour (a day when all-day)", () => {
    const duration = one(calendar(...event("DTSTART:20260401T150000Z", "DURATION:PT45M")));
    expect(iso(duration.end)).toBe("2026-04-01T15:45:00.000Z");
    const neither = one(calendar(...event("DTSTART:20260401T150000Z")));
    expect(iso(neither.end)).toBe("2026-04-01T16:00:00.000Z");
    const day = one(calendar(...event("DTSTART;VALUE=DATE:20260401")), JAN_1, { kind: "iana", name: "UTC" });
    expect([iso(day.start), iso(day.end), day.allDay]).toEqual(["2026-04-01T00:00:00.000Z", "2026-04-02T00:00:00.000Z", true]);
    const backwards = one(calendar(...event("DTSTART:20260401T150000Z", "DTEND:20260401T140000Z")));
    expect(iso(backwards.end)).toBe("2026-04-01T16:00:00.000Z");
  });
});

describe("readCalendar: recurring meetings", () => {
  // Weekly on Tuesdays 10:00 Pacific from January 6, 2026, until June 30; January 20 taken
  // out by EXDATE; February 3 moved to Wednesday February 4, 11:00.
  const next = (now: string) => {
    const m = one(weeklyIcs, at(now));
    return [iso(m.start), iso(m.end)];
  };

  it("gives the first occurrence before the series starts", () => {
    const m = one(weeklyIcs, JAN_1);
    expect([m.recurring, m.summary, m.occurrence]).toEqual([true, "Sam / Yuki 1:1", undefined]);
    expect(m.attendees.map((a) => a.email)).toEqual(["sam.lee@example.net", "daniel.okafor@contoso.com"]);
    expect(next("2026-01-01T00:00:00Z")).toEqual(["2026-01-06T18:00:00.000Z", "2026-01-06T18:30:00.000Z"]);
  });

  it("gives the next occurrence when now falls between two", () => {
    expect(next("2026-01-10T12:00:00Z")).toEqual(["2026-01-13T18:00:00.000Z", "2026-01-13T18:30:00.000Z"]);
  });

  it("gives the occurrence under way until it ends", () => {
    expect(next("2026-01-13T18:15:00Z")[0]).toBe("2026-01-13T18:00:00.000Z");
    expect(next("2026-01-13T18:30:00Z")[0]).toBe("2026-01-27T18:00:00.000Z");
  });

  it("skips an EXDATE", () => {
    expect(next("2026-01-14T00:00:00Z")[0]).toBe("2026-01-27T18:00:00.000Z");
  });

  it("takes a moved occurrence (RECURRENCE-ID) in place of the one it replaces", () => {
    expect(next("2026-01-28T00:00:00Z")).toEqual(["2026-02-04T19:00:00.000Z", "2026-02-04T19:30:00.000Z"]);
    expect(next("2026-02-05T00:00:00Z")[0]).toBe("2026-02-10T18:00:00.000Z");
  });

  it("keeps 10:00 local across the change to summer time", () => {
    expect(next("2026-03-20T00:00:00Z")[0]).toBe("2026-03-24T17:00:00.000Z");
  });

  it("gives the last occurrence once the series has ended (UNTIL compared as an instant)", () => {
    expect(next("2026-08-01T00:00:00Z")).toEqual(["2026-06-30T17:00:00.000Z", "2026-06-30T17:30:00.000Z"]);
  });

  it("reads a lone changed occurrence as one occurrence of a series", () => {
    const lone = weeklyIcs.replace(/BEGIN:VEVENT[\s\S]*?END:VEVENT\r\n/, "");
    const m = one(lone);
    expect([m.recurring, iso(m.occurrence!), iso(m.start)]).toEqual([true, "2026-02-03T18:00:00.000Z", "2026-02-04T19:00:00.000Z"]);
  });

  it("walks a daily series that began years ago, and RDATEs beside the rule", () => {
    const daily = one(calendar(...event("DTSTART;TZID=Europe/Berlin:20150105T093000", "RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR")), at("2026-03-14T12:00:00Z"));
    expect(iso(daily.start)).toBe("2026-03-16T08:30:00.000Z"); // Monday after a Saturday
    const rdate = one(calendar(...event("DTSTART:20260105T150000Z", "RRULE:FREQ=WEEKLY;COUNT=2", "RDATE:20260107T150000Z,20260301T150000Z")), at("2026-01-13T00:00:00Z"));
    expect(iso(rdate.start)).toBe("2026-03-01T15:00:00.000Z");
  });

  it("stops on a rule that can never match, and on a rule ical.js rejects", () => {
    const never = one(calendar(...event("DTSTART:20260105T150000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")), at("2026-06-01T00:00:00Z"));
    expect(iso(never.start)).toBe("2026-01-05T15:00:00.000Z");
    const junk = one(calendar(...event("DTSTART:20260105T150000Z", "RRULE:FREQ=WEEKLY;BYDAY=XX")), at("2026-06-01T00:00:00Z"));
    expect([iso(junk.start), junk.recurring]).toEqual(["2026-01-05T15:00:00.000Z", true]);
  });
});

describe("readCalendar: limits and broken input", () => {
  it("refuses a file over 1 MB with a sentence", () => {
    const big = calendar(...event("DTSTART:20260401T150000Z", `DESCRIPTION:${"x".repeat(2 * 1024 * 1024)}`));
    expect(problem(big)).toMatch(/larger than 1 MB/);
    const justUnder = calendar(...event("DTSTART:20260401T150000Z", `DESCRIPTION:${"x".repeat(1000 * 1000)}`));
    expect(one(justUnder).description).toHaveLength(4000);
  });

  it("keeps 200 of 5,000 attendees and counts the rest", () => {
    const guests = Array.from({ length: 5000 }, (_, i) => `ATTENDEE;CN=Guest ${i};RSVP=TRUE:mailto:guest${i}@example.com`);
    const m = one(calendar(...event("DTSTART:20260401T150000Z", "ORGANIZER:mailto:host@example.com", ...guests)));
    expect(m.attendees).toHaveLength(200);
    expect(m.attendeesDropped).toBe(4800);
    expect([m.attendees[0]!.email, m.attendees[199]!.email]).toEqual(["guest0@example.com", "guest199@example.com"]);
  });

  it("reads at most 20 events", () => {
    const many = Array.from({ length: 30 }, (_, i) => ["BEGIN:VEVENT", `UID:e${i}`, "DTSTART:20260401T150000Z", "END:VEVENT"]).flat();
    expect(read(calendar(...many))).toHaveLength(20);
  });

  it("says a file cut short inside its only event is cut short, and reads what ended before the cut", () => {
    expect(problem(googleIcs.slice(0, googleIcs.indexOf("SUMMARY:")))).toMatch(/cut short/);
    const cut = weeklyIcs.slice(0, weeklyIcs.indexOf("RECURRENCE-ID"));
    expect(iso(one(cut, at("2026-01-28T00:00:00Z")).start)).toBe("2026-02-03T18:00:00.000Z");
  });

  it("says so when no event has a start, and skips such events beside good ones", () => {
    expect(problem(calendar(...event("SUMMARY:No time given")))).toMatch(/says when it starts/);
    const mixed = read(calendar(...event("SUMMARY:No time given"), ...event("DTSTART:20260401T150000Z", "SUMMARY:Has a time")));
    expect(mixed.map((m) => m.summary)).toEqual(["Has a time"]);
  });

  it("skips malformed lines and keeps the rest", () => {
    const m = one(
      calendar(
        ...event(
          "this line has no colon",
          ";NONAME:value",
          "DTSTART:20260401T150000Z",
          'ATTENDEE;CN="unterminated:mailto:broken@example.com',
          "ATTENDEE;CN=Fine Person:mailto:fine@example.com",
          "SEQUENCE:many",
          "DTEND:2026-04-01",
        ),
      ),
    );
    expect([iso(m.start), iso(m.end), m.sequence]).toEqual(["2026-04-01T15:00:00.000Z", "2026-04-01T16:00:00.000Z", 0]);
    expect(m.attendees).toEqual([{ email: "fine@example.com", name: "Fine Person" }]);
  });

  it("gives a problem for text that is no calendar, and for binary junk", () => {
    expect(problem("")).toMatch(/no events/);
    expect(problem("Hello, this is not a calendar.")).toMatch(/no events/);
    const random = seeded(7);
    const bytes = Uint8Array.from({ length: 64 * 1024 }, () => Math.floor(random() * 256));
    expect(problem(new TextDecoder().decode(bytes))).toBeTypeOf("string");
    expect(problem(String.fromCharCode(...bytes.subarray(0, 30_000)))).toBeTypeOf("string");
  });

  it("never throws on mutated fixtures, and every meeting it gives has real instants", () => {
    const random = seeded(20260101);
    for (const fixture of [googleIcs, outlookIcs, weeklyIcs, appleIcs, zoomIcs, allDayIcs, cancelIcs]) {
      for (let i = 0; i < 60; i++) {
        const mutated = mutate(fixture, random);
        const result = readCalendar(mutated, { now: JAN_1, zone: LONDON });
        if ("problem" in result) expect(result.problem).toBeTypeOf("string");
        else for (const m of result.meetings) expect(Number.isFinite(m.start) && m.end >= m.start).toBe(true);
      }
    }
  });
});

describe("calendarParts", () => {
  const parts = async (raw: string) => calendarParts(await PostalMime.parse(raw));
  const same = (part: string | undefined, ics: string) => expect(part).toBe(ics.replace(/\r\n/g, "\n").trim());

  it("finds Google's invitation once, though it is both the text/calendar alternative and invite.ics", async () => {
    for (const [eml, ics] of [
      [googleEml, googleIcs],
      [googleUpdateEml, googleUpdateIcs],
      [allDayEml, allDayIcs],
    ] as const) {
      const found = await parts(eml);
      expect(found).toHaveLength(1);
      same(found[0], ics);
    }
  });

  it("finds Outlook's text/calendar alternative, in utf-8 base64 and in iso-8859-1 quoted-printable", async () => {
    for (const [eml, ics] of [
      [outlookEml, outlookIcs],
      [cancelEml, cancelIcs],
      [weeklyEml, weeklyIcs],
    ] as const) {
      const found = await parts(eml);
      expect(found).toHaveLength(1);
      same(found[0], ics);
    }
    const [cancel] = await parts(cancelEml);
    expect(one(cancel!).description).toBe("Désolé, we will find another slot next week.");
  });

  it("finds Apple's attached invite.ics (quoted-printable)", async () => {
    const found = await parts(appleEml);
    expect(found).toHaveLength(1);
    same(found[0], appleIcs);
    expect(one(found[0]!).location).toContain("Kurfürstenstraße");
  });

  it("finds an .ics sent as application/octet-stream in windows-1252, in any attachment encoding", async () => {
    for (const attachmentEncoding of ["arraybuffer", "base64", "utf8"] as const) {
      const found = await calendarParts(await PostalMime.parse(zoomEml, { attachmentEncoding }));
      expect(found).toHaveLength(1);
      if (attachmentEncoding !== "utf8") same(found[0], zoomIcs); // as utf8, postal-mime has already lost the bytes
    }
    const [zoom] = await parts(zoomEml);
    expect(one(zoom!).description).toContain("Host located in São Paulo.");
  });

  it("finds the invitation inside a Gmail forward-as-attachment (message/rfc822)", async () => {
    const found = await parts(forwardEml);
    expect(found).toHaveLength(1);
    same(found[0], outlookIcs);
    const parsed = await parseMail(new TextEncoder().encode(forwardEml));
    if (!parsed.ok) expect.fail(parsed.reason);
    expect(await calendarParts(parsed.email)).toEqual(found);
  });

  it("looks three forwards deep and no deeper", async () => {
    const wrap = (raw: string, n: number, disposition = 'Content-Disposition: attachment; filename="original.eml"') =>
      [
        "From: Sam Lee <sam.lee@example.net>",
        "To: kith@kith.test",
        `Subject: Fwd ${n}`,
        "MIME-Version: 1.0",
        `Content-Type: multipart/mixed; boundary="fwd-${n}"`,
        "",
        `--fwd-${n}`,
        "Content-Type: text/plain",
        "",
        "See attached.",
        `--fwd-${n}`,
        "Content-Type: message/rfc822",
        disposition,
        "",
        raw,
        `--fwd-${n}--`,
        "",
      ].join("\r\n");
    let raw = outlookEml;
    for (let n = 1; n <= 3; n++) raw = wrap(raw, n);
    expect(await parts(raw)).toHaveLength(1);
    expect(await parts(wrap(raw, 4))).toEqual([]);
    // Shown inline, a forwarded message is opened by postal-mime itself, at any depth it allows.
    const inline = wrap(wrap(outlookEml, 1, "Content-Disposition: inline"), 2, "Content-Disposition: inline");
    same((await parts(inline))[0], outlookIcs);
  });

  it("finds nothing in a mail without a calendar", async () => {
    expect(await parts("From: a@example.com\r\nSubject: hi\r\n\r\nNo invitation here.\r\n")).toEqual([]);
  });
});


/** A few random edits: characters changed, spans cut or repeated, line breaks added. */
function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(random() * out.length);
    const span = Math.floor(random() * 200);
    switch (Math.floor(random() * 5)) {
      case 0:
        out = out.slice(0, i) + String.fromCharCode(Math.floor(random() * 256)) + out.slice(i + 1);
        break;
      case 1:
        out = out.slice(0, i) + out.slice(i + span);
        break;
      case 2:
        out = out.slice(0, i) + out.slice(i, i + span) + out.slice(i);
        break;
      case 3:
        out = out.slice(0, i) + "\r\n" + out.slice(i);
        break;
      default:
        out = out.slice(0, i);
    }
  }
  return out;
}
