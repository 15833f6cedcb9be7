import ICAL from "ical.js";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseContactsCsv } from "../../src/inbound/cards/csv";
import { parseVCards } from "../../src/inbound/cards/vcard";
import { readVCards, splitStructured, unescapeText } from "../../src/inbound/cards/vcard-lines";
import { type ContactFacts, NameRank } from "../../src/inbound/types";
import { toContactsCsv } from "../../src/network/export/csv";
import type { ExportPerson } from "../../src/network/export/person";
import { toVCards } from "../../src/network/export/vcard";

let nextId = 1;
function person(fields: Partial<ExportPerson>): ExportPerson {
  return {
    id: nextId++,
    name: null,
    company: null,
    title: null,
    metAt: null,
    emails: [],
    phones: [],
    notes: [],
    createdAt: Date.UTC(2025, 4, 1),
    introducedBy: null,
    ...fields,
  };
}

// The people an export must carry whole: accents, one-word and family-first names, several
// addresses and numbers, nobody's name at all, a company with a comma.
const people: ExportPerson[] = [
  person({
    name: "José Ángel Núñez",
    company: "Señor Café",
    title: "Jefe de producto",
    metAt: "PyCon US 2025",
    introducedBy: "Priya Raman",
    emails: ["jose@senorcafe.example", "jnunez@gmail.example", "jose.angel@work.example"],
    phones: ["+16505550142", "+442079460958"],
    notes: [{ text: "Wants the API beta, ask in June", createdAt: Date.UTC(2025, 4, 2) }],
  }),
  person({ name: "Madonna", emails: ["madonna@example.com"] }),
  person({ name: "Jan van der Berg", company: "Acme, Inc.", title: "VP Sales, EMEA", phones: ["+31201234567"] }),
  person({ name: "安藤 ロイド", company: "グーグル", emails: ["ando@google.example"] }),
  person({ name: "Zoë O'Brien-Łukasiewicz", title: "Ingénieure", emails: ["zoe@example.fr"], phones: ["+33142685300"] }),
  // No name: FN falls back to the address; the importer finds no name in "x9".
  person({ emails: ["x9@example.com"], company: "Initech" }),
  person({ phones: ["+81312345678"] }),
];

type Facts = Pick<ContactFacts, "name" | "emails" | "phones" | "company" | "title">;

function expected(p: ExportPerson): Facts {
  return { name: p.name ?? undefined, emails: p.emails, phones: p.phones, company: p.company ?? undefined, title: p.title ?? undefined };
}

function facts(f: ContactFacts): Facts {
  return { name: f.name, emails: f.emails, phones: f.phones, company: f.company, title: f.title };
}

// jCard (RFC 7095), what ical.js makes of vCard text: [name, params, type, ...values].
const jProperty = z.tuple([z.string(), z.record(z.string(), z.unknown()), z.string()]).rest(z.unknown());
const jCard = z.tuple([z.literal("vcard"), z.array(jProperty), z.array(z.unknown())]);
type JCard = z.infer<typeof jCard>;

/** Every card ical.js reads; it answers one card bare and several as a list. */
function icalCards(text: string): JCard[] {
  const parsed: unknown = ICAL.parse(text);
  return z.array(jCard).parse(Array.isArray(parsed) && parsed[0] === "vcard" ? [parsed] : parsed);
}

function values(card: JCard, name: string): unknown[] {
  return card[1].filter((p) => p[0] === name).map((p) => (p.length === 4 ? p[3] : p.slice(3)));
}

function physicalLines(text: string): string[] {
  expect(text.endsWith("\r\n")).toBe(true);
  const lines = text.slice(0, -2).split("\r\n");
  expect(lines.some((l) => /[\r\n]/.test(l))).toBe(false);
  return lines;
}

const octets = (s: string): number => new TextEncoder().encode(s).length;
const wellFormed = (s: string): boolean => new TextDecoder().decode(new TextEncoder().encode(s)) === s;

describe("vCard export", () => {
  it("folds a long note at 75 octets between characters, and unfolds back to the exact text", () => {
    const note = Array.from("Café ☕ naïve 🎉🎉 Zoë — ".repeat(12)).slice(0, 200).join("");
    // Shifting the text by 0 to 7 octets puts a cut at every place inside a character.
    for (let shift = 0; shift < 8; shift++) {
      const long = "x".repeat(shift) + note;
      const text = toVCards([person({ name: "Ana Lima", notes: [{ text: long, createdAt: 0 }] })]);
      const lines = physicalLines(text);
      expect(lines.length).toBeGreaterThan(8);
      for (const line of lines) {
        expect(octets(line)).toBeLessThanOrEqual(75);
        // A cut inside an emoji would leave half a surrogate pair on each side.
        expect(wellFormed(line)).toBe(true);
      }
      const [card] = readVCards(text);
      expect(unescapeText(card?.find((p) => p.name === "NOTE")?.value ?? "")).toBe(long);
      const [jcard] = icalCards(text);
      expect(jcard && values(jcard, "note")).toEqual([long]);
    }
  });

  it("carries commas, semicolons, backslashes and line breaks through every field", () => {
    const note = "Line one, with a comma; and a semicolon\nC:\\Users\\ana\r\nlast line";
    const p = person({
      name: "Mary Ann Smith-Jones",
      company: "Smith, Jones; Partners \\ Co",
      title: "R&D, QA; tools \\ infra",
      metAt: "Web Summit; Lisbon, 2024",
      notes: [{ text: note, createdAt: 0 }],
    });
    const text = toVCards([p]);
    const noteValue = "Met at Web Summit; Lisbon, 2024\nLine one, with a comma; and a semicolon\nC:\\Users\\ana\nlast line";

    const [card] = readVCards(text);
    const raw = (name: string): string => card?.find((prop) => prop.name === name)?.value ?? "";
    expect(unescapeText(raw("TITLE"))).toBe(p.title);
    expect(unescapeText(raw("NOTE"))).toBe(noteValue);
    expect(splitStructured(raw("ORG"))).toEqual([[p.company]]);
    expect(splitStructured(raw("N"))).toEqual([["Smith-Jones"], ["Mary Ann"], [""], [""], [""]]);

    const [jcard] = icalCards(text);
    expect(jcard && values(jcard, "title")).toEqual([p.title]);
    expect(jcard && values(jcard, "org")).toEqual([p.company]);
    expect(jcard && values(jcard, "note")).toEqual([noteValue]);
  });

  it("escapes separators inside N components", () => {
    const text = toVCards([person({ name: "Jo,Ann;B\\C Smith" })]);
    const [card] = readVCards(text);
    const n = card?.find((p) => p.name === "N")?.value ?? "";
    expect(n).toBe("Smith;Jo\\,Ann\\;B\\\\C;;;");
    expect(splitStructured(n).slice(0, 2)).toEqual([["Smith"], ["Jo,Ann;B\\C"]]);
  });

  it("writes one card per person with the properties it has, and none it lacks", () => {
    const text = toVCards([people[0], people[6]].filter((p) => p !== undefined));
    const lines = physicalLines(text.replace(/\r\n /g, ""));
    const props = lines.map((l) => l.slice(0, l.indexOf(":")));
    expect(props).toEqual([
      "BEGIN", "VERSION", "UID", "FN", "N", "EMAIL", "EMAIL", "EMAIL", "TEL;VALUE=uri", "TEL;VALUE=uri", "ORG", "TITLE", "NOTE", "END",
      "BEGIN", "VERSION", "UID", "FN", "TEL;VALUE=uri", "END",
    ]);
    expect(lines).toContain(`UID:urn:kith:contact:${people[0]?.id}`);
    expect(lines).toContain("TEL;VALUE=uri:tel:+16505550142");
    expect(lines).toContain("NOTE:Met at PyCon US 2025\\nIntroduced by Priya Raman\\nWants the API beta\\, ask in June");
    expect(lines).toContain("FN:+81312345678");
    expect(toVCards([person({})])).toContain("\r\nFN:(no name)\r\n");
    expect(toVCards([])).toBe("");
  });

  it("is read back by Kith's own vCard importer as the same people", () => {
    const got = parseVCards(toVCards(people));
    expect(got.map(facts)).toEqual(people.map(expected));
    expect(got.map((f) => f.nameRank)).toEqual(people.map((p) => (p.name ? NameRank.card : NameRank.none)));
  });

  it("is read by ical.js, an independent vCard parser, with the same fields", () => {
    const cards = icalCards(toVCards(people));
    expect(cards).toHaveLength(people.length);
    cards.forEach((card, i) => {
      const p = people[i];
      if (!p) throw new Error("more cards than people");
      expect(values(card, "version")).toEqual(["4.0"]);
      expect(values(card, "fn")).toEqual([p.name ?? p.emails[0] ?? p.phones[0]]);
      expect(values(card, "email")).toEqual(p.emails);
      expect(values(card, "tel")).toEqual(p.phones.map((n) => `tel:${n}`));
      expect(values(card, "org")).toEqual(p.company ? [p.company] : []);
      expect(values(card, "title")).toEqual(p.title ? [p.title] : []);
    });
  });
});

describe("Google Contacts CSV export", () => {
  const rows = (text: string): string[][] => {
    const parsed = Papa.parse<string[]>(text, { delimiter: ",", newline: "\r\n", skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    return parsed.data;
  };

  it("has Google's column names, as many address and number columns as the fullest person", () => {
    const [header] = rows(toContactsCsv(people));
    expect(header).toEqual([
      "First Name", "Middle Name", "Last Name", "Organization Name", "Organization Title", "Notes",
      "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value", "E-mail 3 - Label", "E-mail 3 - Value",
      "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value",
    ]);
    expect(toContactsCsv([])).toBe(
      "First Name,Middle Name,Last Name,Organization Name,Organization Title,Notes,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\r\n",
    );
  });

  it("quotes per RFC 4180 and keeps a note's lines in one cell", () => {
    const p = person({
      name: "Jan van der Berg",
      company: 'The "Best", Ltd.',
      metAt: "PyCon",
      introducedBy: "Priya Raman",
      notes: [{ text: "Said \"call me\"\nafter the talk", createdAt: 0 }],
      emails: ["jan@example.nl"],
    });
    const text = toContactsCsv([p]);
    expect(text).toContain('"The ""Best"", Ltd."');
    const [, row] = rows(text);
    expect(row).toEqual([
      "Jan", "", "van der Berg", 'The "Best", Ltd.', "", 'Met at PyCon\nIntroduced by Priya Raman\nSaid "call me"\nafter the talk',
      "", "jan@example.nl", "", "",
    ]);
  });

  it("keeps cells from running as spreadsheet formulas, but leaves phone numbers as numbers", () => {
    const p = person({
      name: "Eve Hacker",
      company: '=HYPERLINK("http://evil.example","click")',
      title: "@SUM(A1:A9)",
      notes: [{ text: "-2+3+cmd|' /C calc'!A0", createdAt: 0 }],
      phones: ["+16505550142"],
    });
    const [, row] = rows(toContactsCsv([p]));
    expect(row?.slice(3, 6)).toEqual(["'" + p.company, "'@SUM(A1:A9)", "'-2+3+cmd|' /C calc'!A0"]);
    expect(row?.[9]).toBe("+16505550142");
  });

  it("is read back by Kith's own CSV importer as a Google export of the same people", () => {
    const got = parseContactsCsv(toContactsCsv(people));
    expect(got.format).toBe("google");
    expect(got.truncated).toBe(false);
    // Kith names nobody it has no name for; the importer derives none from "x9@".
    expect(got.contacts.map(facts)).toEqual(people.map(expected));
  });
});

describe("a large export", () => {
  const many = Array.from({ length: 10_000 }, (_, i) =>
    person({
      name: `Person ${i} Example`,
      company: i % 3 === 0 ? `Company ${i}, Inc.` : null,
      emails: [`person${i}@example.com`],
      phones: i % 2 === 0 ? ["+16505550142"] : [],
      notes: [{ text: `Note ${i}: ${"é".repeat(100)}`, createdAt: i }],
    }),
  );

  it("writes all 10,000 cards", () => {
    const text = toVCards(many);
    expect(text.match(/^BEGIN:VCARD\r$/gm)).toHaveLength(10_000);
    expect(icalCards(text)).toHaveLength(10_000);
  });

  it("writes all 10,000 rows", () => {
    const got = parseContactsCsv(toContactsCsv(many), "US", 10_000);
    expect(got.truncated).toBe(false);
    expect(got.contacts).toHaveLength(10_000);
    expect(got.contacts[9_999]?.emails).toEqual(["person9999@example.com"]);
  });
});
