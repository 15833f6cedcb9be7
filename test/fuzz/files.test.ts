/**
 * Property tests of the file readers: vCards, contact CSVs, calendar invitations. Any
 * text, and every fixture damaged (test/fuzz/mutate.ts): no throw, and every call returns
 * (inputs are bounded). Files made from generated people and events read back as them:
 * Kith's own vCard and CSV exports, an .ics as calendar clients write one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCalendar } from "../../src/inbound/calendar/ics";
import { parseContactsCsv } from "../../src/inbound/cards/csv";
import { textOf as csvText } from "../../src/lib/text";
import { parseVCards } from "../../src/inbound/cards/vcard";
import { NameRank } from "../../src/inbound/types";
import { normalisePhone } from "../../src/lib/phone";
import { UTC } from "../../src/lib/zone";
import { toContactsCsv } from "../../src/network/export/csv";
import type { ExportPerson } from "../../src/network/export/person";
import { toVCards } from "../../src/network/export/vcard";
import { seeded } from "../support/random";
import { DEFAULT_SEED, latin1Bytes } from "./cases";
import { CARD_MUTATIONS, mutate } from "./mutate";
import { SOURCES } from "./sources";

const NOW = Date.parse("2026-03-02T10:00:00Z");
const run = { seed: DEFAULT_SEED, numRuns: 200 };

const GIVEN = ["Ann", "Bob", "Zoë", "José", "Anne-Marie", "Jean Luc", "Łukasz", "Siobhán", "Mary Ann", "Ahmed", "Ngozi", "Dmitrij"];
const FAMILY = ["Example", "O'Brien", "van der Berg", "Müller-Lüdenscheidt", "Nakamura", "Smith", "de la Cruz", "Åkesson", "Okafor"];
const CJK = ["安藤 ロイド", "王 小明", "김 민준"];
const name = fc.oneof({ weight: 5, arbitrary: fc.tuple(fc.constantFrom(...GIVEN), fc.constantFrom(...FAMILY)).map(([g, f]) => `${g} ${f}`) }, { weight: 1, arbitrary: fc.constantFrom(...CJK) });
const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const email = fc.tuple(label, fc.constantFrom("", ".", "_", "+", "-"), label, fc.constantFrom("example.com", "example.org", "mail.example.co.uk", "xn--mnchen-3ya.example")).map(([a, sep, b, d]) => `${a}${sep}${b}@${d}`);
// Valid numbers in several plans, in E.164 as Kith holds them.
const PHONES = ["+14155552671", "+12125557777", "+442071838750", "+4930901820", "+61293744000", "+81312345678", "+33142685300", "+919876543210"];
// Words and the characters each format must escape or quote: ",", ";", "\\", quotes, line
// breaks. A word with letters comes first: a value of punctuation alone is no title.
const WORD = fc.constantFrom("Acme", "Head", "Sales", "Zürich", "東京", "O'Neil", "@Home");
const prose = fc
  .tuple(WORD, fc.array(fc.constantFrom("Inc.", "GmbH", "&", "Co", "R&D", "of", "VP,", "a;b", "back\\slash", 'the "best"', "(EMEA)", "END:VCARD", "BEGIN:VCARD"), { maxLength: 5 }))
  .map(([first, rest]) => [first, ...rest].join(" "));
const note = fc.array(fc.constantFrom("Met at PyCon", "likes sailing", "line\nbreak", "END:VCARD\r\nBEGIN:VCARD\r\nFN:Mallory", '"Quoted, text"', "a,b;c", "=1+1", "\\n"), { maxLength: 4 });

const person = fc.record({
  id: fc.integer({ min: 1, max: 2 ** 52 }),
  name,
  company: fc.option(prose, { nil: null }),
  title: fc.option(prose, { nil: null }),
  metAt: fc.option(fc.constantFrom("PyCon", "Web Summit, Lisbon", "a;b"), { nil: null }),
  emails: fc.uniqueArray(email, { maxLength: 3 }),
  phones: fc.uniqueArray(fc.constantFrom(...PHONES), { maxLength: 2 }),
  notes: note.map((texts) => texts.map((text, i) => ({ text, createdAt: NOW - i }))),
  createdAt: fc.constant(NOW),
  introducedBy: fc.option(fc.constantFrom("Bob Example", "Carol, the host"), { nil: null }),
});
const people = fc.array(person, { minLength: 1, maxLength: 6 });

/** What a reader should give back for a person: the facts the file carries. */
function facts(p: ExportPerson) {
  return {
    name: p.name,
    nameRank: NameRank.card,
    emails: p.emails,
    phones: p.phones,
    ...(p.company && { company: p.company }),
    ...(p.title && { title: p.title }),
  };
}

/** Each fixture and corpus file of a kind, damaged `n` times, each in its own seeded way. */
function damaged(ext: RegExp, n: number): string[] {
  const files = SOURCES.filter((s) => ext.test(s.name));
  return Array.from({ length: n }, (_, i) => {
    const r = seeded(DEFAULT_SEED + i);
    return mutate(files[i % files.length]!.bytes, r, CARD_MUTATIONS).text;
  });
}
const utf8 = (latin1: string): string => new TextDecoder().decode(latin1Bytes(latin1));
const anyText = fc.oneof(fc.string({ unit: "grapheme", maxLength: 2000 }), fc.string({ unit: "binary", maxLength: 2000 }));

describe("vCards", () => {
  it("read back Kith's own export of any people, one card each", () => {
    // The numbers are valid as E.164, else no reader could give them back.
    for (const phone of PHONES) expect(normalisePhone(phone, "US")).toBe(phone);
    fc.assert(
      fc.property(people, (ps) => {
        expect(parseVCards(toVCards(ps))).toEqual(ps.map(facts));
      }),
      run,
    );
  });

  it("read any text and every damaged vCard without throwing", () => {
    fc.assert(fc.property(anyText, (text) => void parseVCards(text)), run);
    for (const text of damaged(/\.vcf$/, 300)) {
      for (const f of parseVCards(latin1Bytes(text))) expect(f.emails.length + f.phones.length > 0 || f.name !== undefined).toBe(true);
    }
  });
});

describe("contact CSVs", () => {
  it("read back Kith's own export of any people", () => {
    fc.assert(
      fc.property(people, (ps) => {
        const csv = toContactsCsv(ps);
        // A cell a spreadsheet would run as a formula is written with a leading apostrophe.
        const sheet = (v: string | null) => (v && /^[=+\-@]/.test(v) ? `'${v}` : v);
        const expected = ps.map((p) => facts({ ...p, company: sheet(p.company), title: sheet(p.title) }));
        expect(parseContactsCsv(csvText(csv)).contacts).toEqual(expected);
        // As Excel saves it: UTF-16 with a byte order mark.
        const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Uint16Array.from(csv, (c) => c.charCodeAt(0)).buffer)]);
        expect(parseContactsCsv(csvText(utf16)).contacts).toEqual(expected);
      }),
      run,
    );
  });

  it("read any text and every damaged CSV without throwing, within the row limit", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 50 }), (text, limit) => {
        const read = parseContactsCsv(text, "US", limit);
        expect(read.contacts.length).toBeLessThanOrEqual(limit);
      }),
      run,
    );
    for (const text of damaged(/\.(csv|txt)$/, 200)) parseContactsCsv(csvText(latin1Bytes(text)));
  });
});

describe("calendar invitations", () => {
  const escapeText = (v: string) => v.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, "\\n");
  const stamp = (t: number) => new Date(t).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
  const event = fc.record({
    uid: fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/),
    summary: prose,
    // Whole minutes, from now to two years on; up to ten hours long.
    start: fc.integer({ min: 0, max: 2 * 365 * 24 * 60 }).map((m) => Math.floor(NOW / 60_000) * 60_000 + m * 60_000),
    minutes: fc.integer({ min: 5, max: 600 }),
    zone: fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"),
    organizer: email,
    attendees: fc.uniqueArray(email, { maxLength: 5 }),
  });

  it("read back the times, title and people of an invitation", () => {
    fc.assert(
      fc.property(event, (e) => {
        // In a zone, the start is the wall time of that instant there (written without
        // a VTIMEZONE, as Google does); in UTC with a Z.
        const wall = e.zone === "UTC" ? null : localWall(e.start, e.zone);
        // In the hour the clocks go back, a wall time names two instants: no one answer.
        fc.pre(!wall || [-60, -30, 30, 60].every((m) => localWall(e.start + m * 60_000, e.zone) !== wall));
        const dtstart = wall ? `DTSTART;TZID=${e.zone}:${wall}` : `DTSTART:${stamp(e.start)}`;
        const start = e.start;
        const ics = [
          "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Kith fuzz//EN", "METHOD:REQUEST", "BEGIN:VEVENT",
          `UID:${e.uid}`, `DTSTAMP:${stamp(NOW)}`, dtstart, `DURATION:PT${e.minutes}M`, `SUMMARY:${escapeText(e.summary)}`,
          `ORGANIZER;CN=Organizer:mailto:${e.organizer}`,
          ...e.attendees.filter((a) => a !== e.organizer).map((a) => `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:${a}`),
          "END:VEVENT", "END:VCALENDAR", "",
        ].join("\r\n");
        const read = readCalendar(ics, { now: NOW, zone: UTC });
        expect(read).toMatchObject({
          meetings: [{ uid: e.uid, method: "REQUEST", cancelled: false, start, end: start + e.minutes * 60_000, summary: e.summary.replace(/\s+/g, " ").trim(), organizer: { email: e.organizer } }],
        });
        if ("meetings" in read) expect(read.meetings[0]!.attendees.map((a) => a.email)).toEqual(e.attendees.filter((a) => a !== e.organizer));
      }),
      run,
    );
  });

  it("read any text and every damaged invitation without throwing", () => {
    const read = (text: string) => {
      const r = readCalendar(text, { now: NOW, zone: UTC });
      if ("meetings" in r) for (const m of r.meetings) expect(m.end).toBeGreaterThanOrEqual(m.start);
      else expect(r.problem.length).toBeGreaterThan(0);
    };
    fc.assert(fc.property(anyText, (text) => read(text)), run);
    for (const text of damaged(/\.ics$|calendar\/.*\.eml$/, 300)) read(utf8(text));
  });
});

/** The wall time of instant `t` in `zone`, as an iCalendar local DATE-TIME. */
function localWall(t: number, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}${parts.month}${parts.day}T${parts.hour}${parts.minute}${parts.second}`;
}
