import { describe, expect, it } from "vitest";
import { eventFromSubject, parseCardText } from "../../src/inbound/cards/text";
import { NameRank, type ContactFacts } from "../../src/inbound/types";

const card = NameRank.card;
const address = NameRank.address;

interface Note {
  what: string;
  subject?: string;
  body: string;
  region?: string;
  want: ContactFacts[];
}

// Notes as people type them into a mail to Kith, from a phone or a desktop client.
const notes: Note[] = [
  {
    what: "a card typed line by line, from an iPhone",
    subject: "Met at PyCon",
    body: "Jane Smith\nCTO, Acme Corp\njane@acme.com\n+1 415 555 0100\n\nSent from my iPhone",
    want: [
      { name: "Jane Smith", nameRank: card, emails: ["jane@acme.com"], phones: ["+14155550100"], company: "Acme Corp", title: "CTO", metAt: "PyCon" },
    ],
  },
  {
    what: "labelled fields on one line, separated by slashes",
    subject: "met @ PyCon 2026",
    body: "Name: Priya Raman / Company: Globex / Title: Head of Data / Email: Priya.Raman@Globex.io / Phone: (650) 555-0142",
    want: [
      { name: "Priya Raman", nameRank: card, emails: ["priya.raman@globex.io"], phones: ["+16505550142"], company: "Globex", title: "Head of Data", metAt: "PyCon" },
    ],
  },
  {
    what: "labelled fields in any case, one per line, with Tel/Org/Role labels",
    subject: "Fwd: met at Web Summit",
    body: "NAME: Tomás Oliveira\norg: Lisboa Labs\nrole: Founder & CEO\ntel: +351 21 123 4567\nE-MAIL: tomas@lisboalabs.pt\nNotes: wants an intro to our Berlin team",
    want: [
      { name: "Tomás Oliveira", nameRank: card, emails: ["tomas@lisboalabs.pt"], phones: ["+351211234567"], company: "Lisboa Labs", title: "Founder & CEO", metAt: "Web Summit" },
    ],
  },
  {
    what: "one-liners, one person per line",
    subject: "PyCon contacts",
    body: "Jane Smith <jane@acme.com>, Acme\nBob Lee <bob.lee@initech.com>, Initech\n\"Chen, Wei\" <wei.chen@umbrella.cn>",
    want: [
      { name: "Jane Smith", nameRank: card, emails: ["jane@acme.com"], phones: [], company: "Acme", metAt: "PyCon" },
      { name: "Bob Lee", nameRank: card, emails: ["bob.lee@initech.com"], phones: [], company: "Initech", metAt: "PyCon" },
      { name: "Wei Chen", nameRank: card, emails: ["wei.chen@umbrella.cn"], phones: [], metAt: "PyCon" },
    ],
  },
  {
    what: "several people separated by --- and blank lines, with a lead-in sentence",
    subject: "people from the meetup",
    body: [
      "Hi Kith, a few people from last night:",
      "",
      "Maria Gonzalez",
      "VP Engineering at Stripe",
      "maria.g@stripe.com",
      "---",
      "Ken Watanabe",
      "Mobile: 090-1234-5678",
      "ken@watanabe.jp",
      "",
      "Olu Adeyemi",
      "olu@paystack.example.com",
      "Product Manager",
    ].join("\n"),
    region: "JP",
    want: [
      { name: "Maria Gonzalez", nameRank: card, emails: ["maria.g@stripe.com"], phones: [], company: "Stripe", title: "VP Engineering", metAt: "meetup" },
      { name: "Ken Watanabe", nameRank: card, emails: ["ken@watanabe.jp"], phones: ["+819012345678"], metAt: "meetup" },
      { name: "Olu Adeyemi", nameRank: card, emails: ["olu@paystack.example.com"], phones: [], title: "Product Manager", metAt: "meetup" },
    ],
  },
  {
    what: "a pasted email signature with bars and single-letter labels",
    body: [
      "Great chat today, follow up about the pilot next week.",
      "",
      "Best,",
      "Sam",
      "",
      "Samantha O'Connor | Director of Partnerships | Northwind Traders",
      "M: +44 7911 123456 | E: s.oconnor@northwind.co.uk",
      "www.northwind.co.uk",
    ].join("\n"),
    want: [
      { name: "Samantha O'Connor", nameRank: card, emails: ["s.oconnor@northwind.co.uk"], phones: ["+447911123456"], company: "Northwind Traders", title: "Director of Partnerships" },
    ],
  },
  {
    what: "a body line names the event, the name is in capitals, and the number has no country code",
    subject: "new contact",
    body: "Met at the AWS Summit yesterday.\n\nDAVID MCALLISTER\nSenior Solutions Architect\n(212) 555-0187\ndavid.mcallister@example.com",
    want: [
      { name: "David McAllister", nameRank: card, emails: ["david.mcallister@example.com"], phones: ["+12125550187"], title: "Senior Solutions Architect", metAt: "AWS Summit" },
    ],
  },
  {
    what: "only an address: the name comes from it, at address rank",
    subject: "Met at RustConf",
    body: "carol.diaz@ferrous.dev",
    want: [{ name: "Carol Diaz", nameRank: address, emails: ["carol.diaz@ferrous.dev"], phones: [], metAt: "RustConf" }],
  },
  {
    what: "a list of bare addresses is a list of people",
    body: "anna.berg@example.se\nlars@example.se",
    want: [
      { name: "Anna Berg", nameRank: address, emails: ["anna.berg@example.se"], phones: [] },
      { nameRank: NameRank.none, emails: ["lars@example.se"], phones: [] },
    ],
  },
  {
    what: "an explicit Name: label counts without any address or number",
    subject: "Met at JSConf",
    body: "Name: Lena Fischer\nCompany: Contoso\n(no card, she'll email me)",
    want: [{ name: "Lena Fischer", nameRank: card, emails: [], phones: [], company: "Contoso", metAt: "JSConf" }],
  },
  {
    what: "names and companies without any address, number or label yield nothing",
    subject: "Met at PyCon",
    body: "Jane Smith\nCTO, Acme Corp\n\nTalked about Rust in production, send her the deck.",
    want: [],
  },
  {
    what: "per-person events override the note's, and international 00 numbers",
    subject: "contacts",
    body: "Pierre Martin (met at VivaTech)\npierre.martin@example.fr\n00 33 1 42 68 53 00\n\nSofia Rossi - sofia@example.it - met at EuroPython",
    want: [
      { name: "Pierre Martin", nameRank: card, emails: ["pierre.martin@example.fr"], phones: ["+33142685300"], metAt: "VivaTech" },
      { name: "Sofia Rossi", nameRank: card, emails: ["sofia@example.it"], phones: [], metAt: "EuroPython" },
    ],
  },
  {
    what: "labelled people repeat in one block; an invalid number is dropped",
    body: "Name: Ana Lima\nEmail: ana@example.com.br\nPhone: 12345\nName: João Costa\nMobile: +55 11 91234-5678",
    want: [
      { name: "Ana Lima", nameRank: card, emails: ["ana@example.com.br"], phones: [] },
      { name: "João Costa", nameRank: card, emails: [], phones: ["+5511912345678"] },
    ],
  },
  {
    what: "an Outlook-style note with quoted lines and a forwarded header to ignore",
    subject: "FW: Met at SaaStr",
    body: [
      "> Kevin Osei",
      "> Account Executive, HubSpot",
      "> kosei@hubspot.example",
      "> T. +1 617 555 0199",
      "",
      "-----Original Message-----",
      "From: Kith Bot <kith@kith.test>",
      "Sent: Monday, May 4, 2026 10:00 AM",
    ].join("\n"),
    want: [
      { name: "Kevin Osei", nameRank: card, emails: ["kosei@hubspot.example"], phones: ["+16175550199"], company: "HubSpot", title: "Account Executive", metAt: "SaaStr" },
    ],
  },
  {
    what: "a family-name-first line and a company after the contact details",
    body: "Nakamura, Yuki\nyuki.nakamura@example.jp\nKaizen Robotics",
    want: [{ name: "Yuki Nakamura", nameRank: card, emails: ["yuki.nakamura@example.jp"], phones: [], company: "Kaizen Robotics" }],
  },
  {
    what: "a German card: title and legal form in German",
    subject: "Kontakte von der Hannover Messe",
    body: "Anna Müller\nGeschäftsführerin\nMüller & Söhne GmbH\nTel. +49 89 12345678\nanna.mueller@mueller-soehne.example",
    want: [
      { name: "Anna Müller", nameRank: card, emails: ["anna.mueller@mueller-soehne.example"], phones: ["+498912345678"], company: "Müller & Söhne GmbH", title: "Geschäftsführerin" },
    ],
  },
  {
    what: "a reply's quote header is not a card",
    body: "Thanks for the intro!\n\nOn Mon, May 4, 2026 at 10:00 AM Jane Smith <jane@acme.com> wrote:\n> Hi there",
    want: [],
  },
  {
    what: "prose with dates, times, amounts and a street address is not a contact",
    subject: "Lunch",
    body: "Lunch with the team on 2026-05-12 at 12:30, budget $1,250.00.\nRoom 4B, 221B Baker Street, London NW1 6XE\nOrder no. 1234-5678",
    want: [],
  },
];

describe("parseCardText", () => {
  it.each(notes)("$what", ({ body, subject, region, want }) => {
    expect(parseCardText(body, subject, region)).toEqual(want);
  });

  it("yields nothing for empty text, whatever the subject says", () => {
    expect(parseCardText("", "Met at PyCon")).toEqual([]);
    expect(parseCardText("\n\n---\n\nSent from my iPhone\n")).toEqual([]);
  });

  // Shortcuts that skip work must not skip people.
  it("reads a block with no address or number for its labels alone", () => {
    expect(parseCardText("Name: Bob Jones")).toEqual([{ name: "Bob Jones", nameRank: card, emails: [], phones: [] }]);
    expect(parseCardText("Event: RailsConf\nSee you there\n\nJane Smith\njane@x.com")).toEqual([
      { name: "Jane Smith", nameRank: card, emails: ["jane@x.com"], phones: [], metAt: "RailsConf" },
    ]);
  });

  it("reads a number that a met-at phrase cut in two", () => {
    expect(parseCardText("Jane Doe\n310 (met at PyCon) 1234")).toEqual([{ name: "Jane Doe", nameRank: card, emails: [], phones: ["+13101234"], metAt: "PyCon" }]);
  });

  it("keeps the shortest numbers libphonenumber takes (Canada's 310-xxxx under +1)", () => {
    expect(parseCardText("Jane Doe\n310-1234")).toEqual([{ name: "Jane Doe", nameRank: card, emails: [], phones: ["+13101234"] }]);
  });

  it("stays bounded on a huge paste", () => {
    const many = "Some Person\nsome.person@example.com\n\n".repeat(5_000);
    expect(parseCardText(many).length).toBeLessThanOrEqual(500);
  });
});

describe("eventFromSubject", () => {
  const cases: [string | undefined, string | undefined][] = [
    ["Met at PyCon", "PyCon"],
    ["met @ PyCon 2026", "PyCon"],
    ["met @PyCon", "PyCon"],
    ["Fwd: met at Web Summit", "Web Summit"],
    ["Re: Fwd: Met at Web Summit Lisbon!", "Web Summit Lisbon"],
    ["PyCon contacts", "PyCon"],
    ["PyCon US 2026 business cards", "PyCon US"],
    ["Contacts from SXSW", "SXSW"],
    ["Met Jane at the Rust meetup", "Rust meetup"],
    ["Event: KubeCon EU", "KubeCon EU"],
    ["new contacts", undefined],
    ["some people", undefined],
    ["Hello", undefined],
    ["", undefined],
    [undefined, undefined],
  ];
  it.each(cases)("%j → %j", (subject, want) => {
    expect(eventFromSubject(subject)).toBe(want);
  });
});

describe("pathological input", () => {
  // workerd freezes the clock during synchronous code, so no timing assertion: a
  // quadratic scan here shows as this test taking seconds (or the run timing out).
  it("finishes on long runs of address and number characters", () => {
    parseCardText("a".repeat(90_000));
    parseCardText("a.".repeat(45_000) + "@");
    parseCardText("1-".repeat(45_000));
    parseCardText(`${"x".repeat(50_000)}@${"y-".repeat(20_000)}`);
    expect(parseCardText("Name: ".repeat(15_000))).toEqual([]);
  });
});
