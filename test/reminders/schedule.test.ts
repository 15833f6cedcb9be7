/** Time rules for reminders: zones on both sides of UTC, both DST changes, quiet hours,
 * the follow-up window. Every instant is injected; nothing reads the clock. */
import { describe, expect, it } from "vitest";
import { addDays, atLocal, describeZone, type LocalTime, localTime, startOfLocalDay, type Zone } from "../../src/lib/zone";
import { followUpDue } from "../../src/reminders/schedule";
import { DEFAULT_PREFS, type DeliveryPrefs, inQuiet, nextSlot, quietEndAfter, zoneOf } from "../../src/users/delivery";
import { seeded } from "../support/random";

const MIN = 60_000;
const HOUR = 60 * MIN;

function at(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad fixture ${iso}`);
  return t;
}
/** ISO strings make a failing comparison readable. */
const iso = (t: number): string => (Number.isFinite(t) ? new Date(t).toISOString() : String(t));
const iana = (name: string): Zone => ({ kind: "iana", name });
const offset = (minutes: number): Zone => ({ kind: "offset", minutes });
const pad = (n: number): string => String(n).padStart(2, "0");
const show = (l: LocalTime): string => `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)} w${l.weekday}`;
const prefsIn = (zone: string | null, over: Partial<DeliveryPrefs> = {}): DeliveryPrefs => ({ ...DEFAULT_PREFS, timeZone: zone, ...over });

describe("ICU in workerd", () => {
  it("knows the world's zones, not just UTC", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    expect(zones.length).toBeGreaterThan(300);
    for (const z of ["America/Los_Angeles", "Europe/Berlin", "Pacific/Chatham", "America/Santiago"]) expect(zones).toContain(z);
    // ICU lists some zones under older names (Asia/Katmandu) but takes the current ones too.
    for (const z of ["Asia/Kathmandu", "Asia/Kolkata"]) expect(() => new Intl.DateTimeFormat("en", { timeZone: z })).not.toThrow();
  });
});

describe("localTime", () => {
  const winter = at("2025-01-15T12:00:00Z"); // a Wednesday
  const summer = at("2025-07-15T12:00:00Z"); // a Tuesday
  const cases: [zone: Zone, winter: string, summer: string][] = [
    [iana("UTC"), "2025-01-15 12:00 w3", "2025-07-15 12:00 w2"],
    [iana("America/Los_Angeles"), "2025-01-15 04:00 w3", "2025-07-15 05:00 w2"],
    [iana("America/New_York"), "2025-01-15 07:00 w3", "2025-07-15 08:00 w2"],
    [iana("Europe/Berlin"), "2025-01-15 13:00 w3", "2025-07-15 14:00 w2"],
    [iana("Asia/Kolkata"), "2025-01-15 17:30 w3", "2025-07-15 17:30 w2"],
    [iana("Asia/Kathmandu"), "2025-01-15 17:45 w3", "2025-07-15 17:45 w2"],
    [iana("Pacific/Auckland"), "2025-01-16 01:00 w4", "2025-07-16 00:00 w3"],
    [iana("Pacific/Chatham"), "2025-01-16 01:45 w4", "2025-07-16 00:45 w3"],
    [offset(330), "2025-01-15 17:30 w3", "2025-07-15 17:30 w2"],
    [offset(-420), "2025-01-15 05:00 w3", "2025-07-15 05:00 w2"],
    [iana("Mars/Olympus"), "2025-01-15 12:00 w3", "2025-07-15 12:00 w2"],
  ];
  it.each(cases)("%j", (zone, w, s) => {
    expect(show(localTime(winter, zone))).toBe(w);
    expect(show(localTime(summer, zone))).toBe(s);
  });

  it("crosses the date line and midnight", () => {
    expect(show(localTime(at("2025-01-01T07:59:00Z"), iana("America/Los_Angeles")))).toBe("2024-12-31 23:59 w2");
    expect(show(localTime(at("2025-01-01T00:00:00Z"), iana("America/Los_Angeles")))).toBe("2024-12-31 16:00 w2");
    expect(show(localTime(at("2024-12-31T11:00:00Z"), iana("Pacific/Auckland")))).toBe("2025-01-01 00:00 w3");
  });
});

describe("atLocal", () => {
  const cases: [label: string, zone: Zone, ymdhm: [number, number, number, number, number], expected: string][] = [
    ["Berlin summer", iana("Europe/Berlin"), [2025, 6, 10, 9, 0], "2025-06-10T07:00:00.000Z"],
    ["Berlin spring gap 02:30 → 03:00 CEST", iana("Europe/Berlin"), [2025, 3, 30, 2, 30], "2025-03-30T01:00:00.000Z"],
    ["Berlin spring gap 02:00 → 03:00 CEST", iana("Europe/Berlin"), [2025, 3, 30, 2, 0], "2025-03-30T01:00:00.000Z"],
    ["Berlin 03:00 CEST after the gap", iana("Europe/Berlin"), [2025, 3, 30, 3, 0], "2025-03-30T01:00:00.000Z"],
    ["Berlin fall overlap 02:30 → the CEST one", iana("Europe/Berlin"), [2025, 10, 26, 2, 30], "2025-10-26T00:30:00.000Z"],
    ["Berlin 03:00 CET after the overlap", iana("Europe/Berlin"), [2025, 10, 26, 3, 0], "2025-10-26T02:00:00.000Z"],
    ["LA spring gap 02:30 → 03:00 PDT", iana("America/Los_Angeles"), [2025, 3, 9, 2, 30], "2025-03-09T10:00:00.000Z"],
    ["LA fall overlap 01:30 → the PDT one", iana("America/Los_Angeles"), [2025, 11, 2, 1, 30], "2025-11-02T08:30:00.000Z"],
    ["New York spring gap", iana("America/New_York"), [2025, 3, 9, 2, 15], "2025-03-09T07:00:00.000Z"],
    ["Auckland fall overlap (April)", iana("Pacific/Auckland"), [2025, 4, 6, 2, 30], "2025-04-05T13:30:00.000Z"],
    ["Auckland spring gap (September)", iana("Pacific/Auckland"), [2025, 9, 28, 2, 30], "2025-09-27T14:00:00.000Z"],
    ["Chatham spring gap 02:45 → 03:45", iana("Pacific/Chatham"), [2025, 9, 28, 3, 0], "2025-09-27T14:00:00.000Z"],
    ["Chatham fall overlap → +13:45", iana("Pacific/Chatham"), [2025, 4, 6, 3, 0], "2025-04-05T13:15:00.000Z"],
    ["Santiago: DST skips midnight", iana("America/Santiago"), [2025, 9, 7, 0, 0], "2025-09-07T04:00:00.000Z"],
    ["Kathmandu +05:45", iana("Asia/Kathmandu"), [2025, 6, 10, 9, 0], "2025-06-10T03:15:00.000Z"],
    ["Kolkata +05:30", iana("Asia/Kolkata"), [2025, 6, 10, 9, 0], "2025-06-10T03:30:00.000Z"],
    ["offset +05:30", offset(330), [2025, 6, 10, 9, 0], "2025-06-10T03:30:00.000Z"],
    ["offset -05:00", offset(-300), [2025, 6, 10, 9, 0], "2025-06-10T14:00:00.000Z"],
    ["day 32 rolls over", iana("Europe/Berlin"), [2025, 1, 32, 9, 0], "2025-02-01T08:00:00.000Z"],
    ["hour 24 rolls over", iana("Europe/Berlin"), [2025, 1, 31, 24, 0], "2025-01-31T23:00:00.000Z"],
    ["unknown zone is UTC", iana("Mars/Olympus"), [2025, 6, 10, 9, 0], "2025-06-10T09:00:00.000Z"],
  ];
  it.each(cases)("%s", (_label, zone, [y, m, d, h, min], expected) => {
    expect(iso(atLocal(zone, y, m, d, h, min))).toBe(expected);
  });

  it("inverts localTime for every hour of 2025 in zones with DST", () => {
    for (const name of ["Europe/Berlin", "America/Los_Angeles", "Pacific/Chatham"]) {
      const zone = iana(name);
      for (let t = at("2025-01-01T00:00:00Z"); t < at("2026-01-01T00:00:00Z"); t += HOUR) {
        const l = localTime(t, zone);
        const back = atLocal(zone, l.year, l.month, l.day, l.hour, l.minute);
        // Equal, or the earlier reading of a wall time repeated by the fall-back overlap.
        if (back !== t) {
          expect(t - back, `${name} ${iso(t)}`).toBe(HOUR);
          expect(show(localTime(back, zone))).toBe(show(l));
        }
      }
    }
  });
});

describe("nextSlot", () => {
  const cases: [label: string, prefs: DeliveryPrefs, t: string, expected: string][] = [
    ["before today's slot", prefsIn("Europe/Berlin"), "2025-03-29T08:00:00+01:00", "2025-03-29T09:00:00+01:00"],
    ["exactly at the slot", prefsIn("Europe/Berlin"), "2025-03-29T09:00:00+01:00", "2025-03-29T09:00:00+01:00"],
    ["Berlin spring forward keeps 09:00", prefsIn("Europe/Berlin"), "2025-03-29T10:00:00+01:00", "2025-03-30T09:00:00+02:00"],
    ["Berlin fall back keeps 09:00", prefsIn("Europe/Berlin"), "2025-10-25T10:00:00+02:00", "2025-10-26T09:00:00+01:00"],
    ["LA spring forward keeps 09:00", prefsIn("America/Los_Angeles"), "2025-03-08T10:00:00-08:00", "2025-03-09T09:00:00-07:00"],
    ["LA fall back keeps 09:00", prefsIn("America/Los_Angeles"), "2025-11-01T10:00:00-07:00", "2025-11-02T09:00:00-08:00"],
    ["Auckland April change keeps 09:00", prefsIn("Pacific/Auckland"), "2025-04-05T10:00:00+13:00", "2025-04-06T09:00:00+12:00"],
    ["deliver hour in the spring gap → the transition", prefsIn("Europe/Berlin", { deliverHour: 2 }), "2025-03-30T00:00:00+01:00", "2025-03-30T03:00:00+02:00"],
    ["repeated hour on fall back: the first", prefsIn("Europe/Berlin", { deliverHour: 2 }), "2025-10-26T00:00:00+02:00", "2025-10-26T02:00:00+02:00"],
    ["repeated hour counts once per day", prefsIn("Europe/Berlin", { deliverHour: 2 }), "2025-10-26T02:30:00+02:00", "2025-10-27T02:00:00+01:00"],
    ["Chatham +12:45", prefsIn("Pacific/Chatham"), "2025-06-10T12:00:00+12:45", "2025-06-11T09:00:00+12:45"],
    ["Kathmandu, a millisecond late", prefsIn("Asia/Kathmandu"), "2025-06-10T09:00:00.001+05:45", "2025-06-11T09:00:00+05:45"],
    ["Kolkata, evening hour", prefsIn("Asia/Kolkata", { deliverHour: 18 }), "2025-06-10T09:00:00+05:30", "2025-06-10T18:00:00+05:30"],
    ["New York", prefsIn("America/New_York", { deliverHour: 7 }), "2025-06-10T23:00:00-04:00", "2025-06-11T07:00:00-04:00"],
    ["offset from mail, west of UTC", prefsIn(null, { tzOffsetMin: -300 }), "2025-06-10T10:00:00-05:00", "2025-06-11T09:00:00-05:00"],
    ["offset from mail, east of UTC", prefsIn(null, { tzOffsetMin: 345 }), "2025-06-10T08:00:00+05:45", "2025-06-10T09:00:00+05:45"],
    ["nothing known → UTC", prefsIn(null), "2025-06-10T10:00:00Z", "2025-06-11T09:00:00Z"],
    ["deliver hour 99 → 23", prefsIn("UTC", { deliverHour: 99 }), "2025-06-10T10:00:00Z", "2025-06-10T23:00:00Z"],
    ["deliver hour -5 → 0", prefsIn("UTC", { deliverHour: -5 }), "2025-06-10T10:00:00Z", "2025-06-11T00:00:00Z"],
    ["deliver hour NaN → 9", prefsIn("UTC", { deliverHour: NaN }), "2025-06-10T08:00:00Z", "2025-06-10T09:00:00Z"],
    ["deliver hour 9.7 → 9", prefsIn("UTC", { deliverHour: 9.7 }), "2025-06-10T08:00:00Z", "2025-06-10T09:00:00Z"],
  ];
  it.each(cases)("%s", (_label, prefs, t, expected) => {
    expect(iso(nextSlot(at(t), prefs))).toBe(iso(at(expected)));
  });

  it("is 09:00 local on every day of 2025, both sides of UTC", () => {
    for (const name of ["Europe/Berlin", "America/Los_Angeles", "Pacific/Auckland", "Pacific/Chatham"]) {
      const zone = iana(name);
      for (let day = startOfLocalDay(at("2025-01-01T12:00:00Z"), zone), i = 0; i < 365; i++, day = addDays(day, 1, zone)) {
        const slot = nextSlot(day, prefsIn(name));
        const [d, s] = [localTime(day, zone), localTime(slot, zone)];
        expect(`${s.year}-${s.month}-${s.day} ${s.hour}:${s.minute}`, `${name} ${iso(day)}`).toBe(`${d.year}-${d.month}-${d.day} 9:0`);
      }
    }
  });
});

describe("addDays and startOfLocalDay", () => {
  const berlin = iana("Europe/Berlin");
  const la = iana("America/Los_Angeles");
  const cases: [label: string, zone: Zone, t: string, days: number, expected: string][] = [
    ["into Berlin summer time (a 23 h day)", berlin, "2025-03-29T09:00:00+01:00", 1, "2025-03-30T09:00:00+02:00"],
    ["back out of it", berlin, "2025-03-30T09:00:00+02:00", -1, "2025-03-29T09:00:00+01:00"],
    ["into LA standard time (a 25 h day)", la, "2025-11-01T09:00:00-07:00", 1, "2025-11-02T09:00:00-08:00"],
    ["a week across the LA spring change", la, "2025-03-05T09:00:00-08:00", 7, "2025-03-12T09:00:00-07:00"],
    ["landing in the gap → its end", berlin, "2025-03-29T02:30:00+01:00", 1, "2025-03-30T03:00:00+02:00"],
    ["landing in the overlap → the earlier", berlin, "2025-10-25T02:30:00+02:00", 1, "2025-10-26T02:30:00+02:00"],
    ["zero days is the same instant, even in an overlap", berlin, "2025-10-26T02:30:00+01:00", 0, "2025-10-26T02:30:00+01:00"],
    ["keeps seconds and milliseconds", berlin, "2025-06-10T09:00:05.123+02:00", 1, "2025-06-11T09:00:05.123+02:00"],
    ["months and years roll over", iana("Pacific/Auckland"), "2025-12-31T09:00:00+13:00", 60, "2026-03-01T09:00:00+13:00"],
    ["fractional days count whole", offset(330), "2025-06-10T09:00:00+05:30", 2.9, "2025-06-12T09:00:00+05:30"],
  ];
  it.each(cases)("%s", (_label, zone, t, days, expected) => {
    expect(iso(addDays(at(t), days, zone))).toBe(iso(at(expected)));
  });

  const starts: [zone: Zone, t: string, expected: string][] = [
    [berlin, "2025-03-30T12:00:00+02:00", "2025-03-30T00:00:00+01:00"],
    [berlin, "2025-10-26T23:59:00+01:00", "2025-10-26T00:00:00+02:00"],
    [la, "2025-11-02T12:00:00-08:00", "2025-11-02T00:00:00-07:00"],
    [iana("America/Santiago"), "2025-09-07T12:00:00-03:00", "2025-09-07T01:00:00-03:00"],
    [iana("Pacific/Chatham"), "2025-06-10T00:30:00+12:45", "2025-06-10T00:00:00+12:45"],
    [offset(-570), "2025-06-10T23:00:00-09:30", "2025-06-10T00:00:00-09:30"],
  ];
  it.each(starts)("start of day %j %s", (zone, t, expected) => {
    expect(iso(startOfLocalDay(at(t), zone))).toBe(iso(at(expected)));
  });
});

describe("zoneOf and describeZone", () => {
  const cases: [timeZone: string | null, tzOffsetMin: number | null, zone: Zone, described: string][] = [
    ["Europe/Berlin", 330, iana("Europe/Berlin"), "Europe/Berlin"],
    [" europe/berlin ", null, iana("Europe/Berlin"), "Europe/Berlin"],
    ["Asia/Kolkata", null, iana("Asia/Kolkata"), "Asia/Kolkata"],
    ["Asia/Kathmandu", null, iana("Asia/Kathmandu"), "Asia/Kathmandu"],
    ["Mars/Olympus", 120, offset(120), "UTC+02:00 (from your mail)"],
    [null, 330, offset(330), "UTC+05:30 (from your mail)"],
    [null, -420, offset(-420), "UTC-07:00 (from your mail)"],
    [null, 0, offset(0), "UTC+00:00 (from your mail)"],
    [null, 90.4, offset(90), "UTC+01:30 (from your mail)"],
    [null, 9999, offset(840), "UTC+14:00 (from your mail)"],
    [null, -9999, offset(-840), "UTC-14:00 (from your mail)"],
    [null, NaN, iana("UTC"), "UTC"],
    [null, null, iana("UTC"), "UTC"],
    ["", null, iana("UTC"), "UTC"],
    ["Mars/Olympus", null, iana("UTC"), "UTC"],
  ];
  it.each(cases)("%j %j", (timeZone, tzOffsetMin, zone, described) => {
    const z = zoneOf({ ...DEFAULT_PREFS, timeZone, tzOffsetMin });
    expect(z).toEqual(zone);
    expect(describeZone(z)).toBe(described);
  });

  it("describes an unknown name as UTC, which is how it is used", () => {
    expect(describeZone(iana("Not/AZone"))).toBe("UTC");
  });
});

describe("quiet hours", () => {
  const cases: [label: string, prefs: DeliveryPrefs, t: string, quiet: boolean, endsAt: string | null][] = [
    ["default, evening before", prefsIn("Europe/Berlin"), "2025-06-10T20:59:00+02:00", false, null],
    ["default, starts 21:00", prefsIn("Europe/Berlin"), "2025-06-10T21:00:00+02:00", true, "2025-06-11T08:00:00+02:00"],
    ["default, wraps midnight", prefsIn("Europe/Berlin"), "2025-06-11T00:00:00+02:00", true, "2025-06-11T08:00:00+02:00"],
    ["default, 07:59", prefsIn("Europe/Berlin"), "2025-06-11T07:59:00+02:00", true, "2025-06-11T08:00:00+02:00"],
    ["default, ends 08:00", prefsIn("Europe/Berlin"), "2025-06-11T08:00:00+02:00", false, null],
    ["night of the spring change", prefsIn("Europe/Berlin"), "2025-03-29T23:00:00+01:00", true, "2025-03-30T08:00:00+02:00"],
    ["night of the LA fall change", prefsIn("America/Los_Angeles"), "2025-11-01T23:00:00-07:00", true, "2025-11-02T08:00:00-08:00"],
    ["quiet ending in the gap ends at the transition", prefsIn("Europe/Berlin", { quietEnd: 2 }), "2025-03-30T01:30:00+01:00", true, "2025-03-30T03:00:00+02:00"],
    ["LA evening", prefsIn("America/Los_Angeles"), "2025-01-15T21:30:00-08:00", true, "2025-01-16T08:00:00-08:00"],
    ["Kathmandu 07:50", prefsIn("Asia/Kathmandu"), "2025-06-10T07:50:00+05:45", true, "2025-06-10T08:00:00+05:45"],
    ["Chatham 21:00", prefsIn("Pacific/Chatham"), "2025-06-10T21:00:00+12:45", true, "2025-06-11T08:00:00+12:45"],
    ["offset from mail", prefsIn(null, { tzOffsetMin: 330 }), "2025-06-10T22:00:00+05:30", true, "2025-06-11T08:00:00+05:30"],
    ["not wrapping, before", prefsIn("UTC", { quietStart: 13, quietEnd: 15 }), "2025-06-10T12:59:00Z", false, null],
    ["not wrapping, inside", prefsIn("UTC", { quietStart: 13, quietEnd: 15 }), "2025-06-10T14:59:00Z", true, "2025-06-10T15:00:00Z"],
    ["not wrapping, after", prefsIn("UTC", { quietStart: 13, quietEnd: 15 }), "2025-06-10T15:00:00Z", false, null],
    ["start === end: never quiet", prefsIn("UTC", { quietStart: 8, quietEnd: 8 }), "2025-06-10T03:00:00Z", false, null],
    ["0→23, before 23:00", prefsIn("UTC", { quietStart: 0, quietEnd: 23 }), "2025-06-10T22:59:00Z", true, "2025-06-10T23:00:00Z"],
    ["0→23, 23:00 is free", prefsIn("UTC", { quietStart: 0, quietEnd: 23 }), "2025-06-10T23:30:00Z", false, null],
    ["clamped 25→-3 means 23→0", prefsIn("UTC", { quietStart: 25, quietEnd: -3 }), "2025-06-10T23:30:00Z", true, "2025-06-11T00:00:00Z"],
    ["NaN hours mean the defaults", prefsIn("UTC", { quietStart: NaN, quietEnd: NaN }), "2025-06-10T22:00:00Z", true, "2025-06-11T08:00:00Z"],
  ];
  it.each(cases)("%s", (_label, prefs, t, quiet, endsAt) => {
    expect(inQuiet(at(t), prefs)).toBe(quiet);
    expect(iso(quietEndAfter(at(t), prefs))).toBe(iso(at(endsAt ?? t)));
  });
});

describe("followUpDue", () => {
  const cases: [label: string, prefs: DeliveryPrefs, connectedAt: string, due: string][] = [
    ["10:00 → next day's 09:00 (23 h later)", prefsIn("Europe/Berlin"), "2025-06-10T10:00:00+02:00", "2025-06-11T09:00:00+02:00"],
    ["20:30 → next morning 09:00", prefsIn("Europe/Berlin"), "2025-06-10T20:30:00+02:00", "2025-06-11T09:00:00+02:00"],
    ["08:30 → not 09:00 (first hour), not tomorrow's (24.5 h) → 09:30", prefsIn("Europe/Berlin"), "2025-06-10T08:30:00+02:00", "2025-06-10T09:30:00+02:00"],
    ["07:00 → 09:00 the same morning", prefsIn("Asia/Kolkata"), "2025-06-10T07:00:00+05:30", "2025-06-10T09:00:00+05:30"],
    ["03:00 → 09:00, past the quiet hours", prefsIn("Asia/Kathmandu"), "2025-06-10T03:00:00+05:45", "2025-06-10T09:00:00+05:45"],
    ["Chatham evening", prefsIn("Pacific/Chatham"), "2025-06-10T20:00:00+12:45", "2025-06-11T09:00:00+12:45"],
    ["Auckland night", prefsIn("Pacific/Auckland"), "2025-01-15T23:30:00+13:00", "2025-01-16T09:00:00+13:00"],
    ["New York afternoon", prefsIn("America/New_York"), "2025-06-10T15:00:00-04:00", "2025-06-11T09:00:00-04:00"],
    ["offset from mail", prefsIn(null, { tzOffsetMin: -300 }), "2025-06-10T22:00:00-05:00", "2025-06-11T09:00:00-05:00"],
    ["LA before spring forward: slot 22.5 h later", prefsIn("America/Los_Angeles"), "2025-03-08T09:30:00-08:00", "2025-03-09T09:00:00-07:00"],
    ["LA before fall back: slot 23 h 45 min later fits", prefsIn("America/Los_Angeles"), "2025-11-01T10:15:00-07:00", "2025-11-02T09:00:00-08:00"],
    ["LA before fall back: slot 23 h 55 min later does not", prefsIn("America/Los_Angeles"), "2025-11-01T10:05:00-07:00", "2025-11-01T11:05:00-07:00"],
    ["Berlin spring forward night", prefsIn("Europe/Berlin"), "2025-03-29T22:00:00+01:00", "2025-03-30T09:00:00+02:00"],
    ["deliver hour inside quiet hours → earliest free instant", prefsIn("Europe/Berlin", { deliverHour: 22 }), "2025-06-10T10:00:00+02:00", "2025-06-10T11:00:00+02:00"],
    ["deliver hour inside quiet hours, late connection → quiet end", prefsIn("Europe/Berlin", { deliverHour: 22 }), "2025-06-10T20:30:00+02:00", "2025-06-11T08:00:00+02:00"],
    ["siesta 13→15 holds the deliver hour 14", prefsIn("UTC", { quietStart: 13, quietEnd: 15, deliverHour: 14 }), "2025-06-10T10:00:00Z", "2025-06-10T11:00:00Z"],
    ["no quiet hours, early slot", prefsIn("UTC", { quietStart: 0, quietEnd: 0, deliverHour: 3 }), "2025-06-10T02:00:00Z", "2025-06-10T03:00:00Z"],
    ["no quiet hours, 08:30", prefsIn("UTC", { quietStart: 5, quietEnd: 5 }), "2025-06-10T08:30:00Z", "2025-06-10T09:30:00Z"],
    ["quiet 0→23 at 10:00 → 23:00", prefsIn("UTC", { quietStart: 0, quietEnd: 23 }), "2025-06-10T10:00:00Z", "2025-06-10T23:00:00Z"],
    ["quiet 0→23 at 23:05: whole window quiet → its end", prefsIn("UTC", { quietStart: 0, quietEnd: 23 }), "2025-06-10T23:05:00Z", "2025-06-11T22:55:00Z"],
    ["unknown zone → UTC", prefsIn("Mars/Olympus"), "2025-06-10T10:00:00Z", "2025-06-11T09:00:00Z"],
  ];
  it.each(cases)("%s", (_label, prefs, connectedAt, due) => {
    expect(iso(followUpDue(at(connectedAt), prefs))).toBe(iso(at(due)));
  });
});

describe("odd input", () => {
  it("never throws, and a non-finite instant gives NaN", () => {
    const weird: DeliveryPrefs[] = [
      prefsIn("", { tzOffsetMin: Infinity, deliverHour: -Infinity, quietStart: NaN, quietEnd: 1e9 }),
      prefsIn("../../etc/passwd", { tzOffsetMin: -1e9, deliverHour: 1e9, quietStart: -1, quietEnd: 24 }),
      prefsIn("+05:30"),
      prefsIn("\u0000"),
    ];
    const instants = [0, -1, 1e16, -1e16, at("0050-06-01T00:00:00Z"), at("-000500-06-01T00:00:00Z")];
    for (const p of weird) {
      const z = zoneOf(p);
      expect(() => describeZone(z)).not.toThrow();
      for (const t of [...instants, NaN, Infinity, -Infinity]) {
        expect(() => [localTime(t, z), nextSlot(t, p), inQuiet(t, p), quietEndAfter(t, p), followUpDue(t, p), addDays(t, 3, z), startOfLocalDay(t, z)]).not.toThrow();
      }
      expect(followUpDue(NaN, p)).toBeNaN();
      expect(nextSlot(Infinity, p)).toBeNaN();
      expect(localTime(NaN, z).hour).toBeNaN();
      expect(() => atLocal(z, NaN, 1, 1, 9)).not.toThrow();
    }
  });

  it("reads years before 100 AD and BC as such", () => {
    expect(show(localTime(at("0050-06-01T00:00:00Z"), iana("Europe/Berlin")))).toBe("50-06-01 00:53 w3");
    expect(localTime(at("-000500-06-01T12:00:00Z"), iana("UTC")).year).toBe(-500);
  });
});

describe("followUpDue, property-style", () => {
  const NAMES = ["America/Los_Angeles", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Auckland", "Pacific/Chatham", "America/Santiago", "UTC"];
  const STEP = 15 * MIN;

  /** The local hour and minute computed apart from the code under test. */
  const hourFormats = new Map<string, Intl.DateTimeFormat>();
  function oracleClock(t: number, p: DeliveryPrefs): { hour: number; minute: number } {
    if (p.timeZone === null || p.timeZone === "Mars/Olympus") {
      const local = t + (p.tzOffsetMin ?? 0) * MIN;
      return { hour: new Date(local).getUTCHours(), minute: new Date(local).getUTCMinutes() };
    }
    let f = hourFormats.get(p.timeZone);
    if (!f) hourFormats.set(p.timeZone, (f = new Intl.DateTimeFormat("en-GB", { timeZone: p.timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })));
    const [h, m] = f.format(t).split(":").map(Number);
    return { hour: h ?? NaN, minute: m ?? NaN };
  }
  function oracleQuiet(t: number, p: DeliveryPrefs): boolean {
    const h = oracleClock(t, p).hour;
    const [s, e] = [p.quietStart, p.quietEnd];
    return s === e ? false : s < e ? h >= s && h < e : h >= s || h < e;
  }

  /** The first grid instant after t at which the one free hour (quietEnd) has just ended. */
  function justAfterFreeHour(t: number, p: DeliveryPrefs): number | undefined {
    for (let g = Math.ceil(t / STEP) * STEP; g < t + 3 * 24 * HOUR; g += STEP) {
      if (oracleClock(g - STEP, p).hour === p.quietEnd && oracleClock(g, p).hour !== p.quietEnd) return g;
    }
    return undefined;
  }

  it("is inside [t+1h, t+24h-10min], at the delivery hour when it can be, and outside quiet hours when it can be", () => {
    const next = seeded(20250610);
    const int = (n: number): number => Math.floor(next() * n);
    const start = at("2025-01-01T00:00:00Z");
    for (let i = 0; i < 2000; i++) {
      const kind = int(10);
      // Offsets from mail are quarter hours (as every real zone is), so quiet hours change only on the grid.
      const p: DeliveryPrefs =
        kind < 7
          ? { timeZone: NAMES[int(NAMES.length)] ?? "UTC", tzOffsetMin: null, deliverHour: int(24), quietStart: int(24), quietEnd: int(24) }
          : { timeZone: kind === 7 ? "Mars/Olympus" : null, tzOffsetMin: kind === 9 ? null : (int(105) - 48) * 15, deliverHour: int(24), quietStart: int(24), quietEnd: int(24) };
      const shape = next();
      if (shape < 0.3) Object.assign(p, { deliverHour: 9, quietStart: 21, quietEnd: 8 });
      let t = start + Math.floor(next() * 366 * 24 * HOUR);
      if (shape > 0.85) {
        // One free hour a day, and a window that opens just after it: all of it can be quiet.
        Object.assign(p, { quietEnd: int(24) });
        p.quietStart = (p.quietEnd + 1) % 24;
        const end = justAfterFreeHour(t, p);
        if (end !== undefined) t = end - HOUR + int(10 * MIN);
      }
      const from = t + HOUR;
      const to = t + 24 * HOUR - 10 * MIN;
      const due = followUpDue(t, p);
      const label = `#${i} ${JSON.stringify(p)} t=${iso(t)} due=${iso(due)}`;

      expect(due, label).toBeGreaterThanOrEqual(from);
      expect(due, label).toBeLessThanOrEqual(to);

      // Quiet hours and local hours change only on the 15-minute grid, so the window start
      // and the grid points in it are every instant worth looking at.
      const points = [from];
      for (let g = Math.ceil(from / STEP) * STEP; g <= to; g += STEP) if (g > from) points.push(g);
      const free = points.filter((u) => !oracleQuiet(u, p));
      const slot = free.find((u) => {
        const c = oracleClock(u, p);
        return c.hour === p.deliverHour && c.minute === 0;
      });
      if (free.length === 0) expect(iso(due), label).toBe(iso(to));
      else if (slot !== undefined) expect(iso(due), label).toBe(iso(slot));
      else {
        expect(oracleQuiet(due, p), label).toBe(false);
        // Either the earliest free instant, or the delivery hour moved to the end of a DST gap.
        if (due !== free[0]) expect(oracleClock(due, p).hour, label).not.toBe(p.deliverHour);
        if (due !== free[0]) expect(iso(due), label).toBe(iso(nextSlot(from, p)));
      }
    }
  });
});
