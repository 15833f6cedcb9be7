import { describe, expect, it } from "vitest";
import { CSV_ROW_LIMIT, parseContactsCsv } from "../../src/inbound/cards/csv";
import { NameRank } from "../../src/inbound/types";

const card = NameRank.card;

// LinkedIn "Connections.csv" (Settings > Data privacy > Get a copy of your data), 2024
// shape: a notes preamble, a blank line, then the header. Most emails are hidden.
const linkedin = [
  "Notes:",
  '"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"',
  "",
  "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
  "Jane,Smith,https://www.linkedin.com/in/janesmith,,Acme Corp,Chief Technology Officer,12 Mar 2024",
  'Wei,Chen,https://www.linkedin.com/in/wei-chen-1a2b3c,Wei.Chen@umbrella.example,"Umbrella, Inc.",Senior Data Scientist,03 Jan 2023',
  "José,García López,https://www.linkedin.com/in/jgarcialopez,,,,21 Nov 2019",
  ",,https://www.linkedin.com/in/former-member,,,,01 Feb 2020",
  "",
].join("\n");

// Google Contacts export, "Google CSV" (2023+ column names), CRLF.
const googleHeader =
  "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As," +
  "Organization Name,Organization Title,Organization Department,Birthday,Notes,Photo,Labels," +
  "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value," +
  "Address 1 - Label,Address 1 - Formatted,Website 1 - Label,Website 1 - Value";
const google = [
  googleHeader,
  'Priya,,Raman,,,,,,,,Globex,Head of Data,Analytics,,"Met at PyCon 2025, interested in the API",,* myContacts ::: Conferences,* Work,priya.raman@globex.example ::: PRIYA@raman.example,Home,priya.home@example.com,Mobile,+1 650-555-0142,Work,(650) 555-0199,Work,"1 Market St, San Francisco",,',
  ",,,,,,,,,,,,,,,,* myContacts,,,,,Mobile,+44 20 7946 0958,,,,,,",
  ",,,,,,,,,,,,,,,,* myContacts,* Other,carol.diaz@example.org,,,,,,,,,,",
  ",,,,,,,,,,Initech,,,,just a note,,* myContacts,,,,,,,,,,,,",
].join("\r\n");

// Google's older export ("Google CSV" before 2020): Given/Family Name, "Organization 1 - ...".
const googleOld = [
  "Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Type,Organization 1 - Name,Organization 1 - Yomi Name,Organization 1 - Title,Organization 1 - Department",
  "Tomás Oliveira,Tomás,,Oliveira,,,,,,,,,,,,,,,,,,,,,,,,,* My Contacts,* Work,tomas@lisboalabs.example,Mobile,+351 21 123 4567,,Lisboa Labs,,Founder,",
  "MCALLISTER DAVID,,,,,,,,,,,,,,,,,,,,,,,,,,,,* My Contacts,* ,david.mcallister@example.com,,,,,,,",
].join("\n");

// Outlook "Export to a file > Comma Separated Values": every field quoted, CRLF;
// "Title" is Mr./Ms., the job is "Job Title", and Assistant's Phone is not the contact's.
const outlookHeader =
  '"Title","First Name","Middle Name","Last Name","Suffix","Company","Department","Job Title","Business Street","Business City",' +
  '"Business Fax","Business Phone","Business Phone 2","Callback","Car Phone","Company Main Phone","Home Fax","Home Phone","Mobile Phone",' +
  '"Pager","Primary Phone","Assistant\'s Name","Assistant\'s Phone","E-mail Address","E-mail Type","E-mail Display Name","E-mail 2 Address","Notes"';
const outlook = [
  outlookHeader,
  '"Ms.","Samantha","","O\'Connor","","Northwind Traders","Partnerships","Director of Partnerships","1 Old St","London","+44 20 7946 0000","+44 20 7946 0958","","","","","","","+44 7911 123456","","","Tom","+44 20 7946 0001","s.oconnor@northwind.example","SMTP","Samantha O\'Connor (s.oconnor@northwind.example)","","Met at SaaStr"',
  '"","","","","","","","","","","","","","","","","","","","","","","","","","","",""',
  '"Dr.","Kevin","","Osei","","HubSpot","","","","","","(617) 555-0199","","","","","","","","","","","","kosei@hubspot.example","SMTP","","k.osei@gmail.example",""',
].join("\r\n");

describe("parseContactsCsv", () => {
  it("reads LinkedIn Connections.csv past its notes preamble", () => {
    const got = parseContactsCsv(linkedin);
    expect(got.format).toBe("linkedin");
    expect(got.truncated).toBe(false);
    expect(got.contacts).toEqual([
      { name: "Jane Smith", nameRank: card, emails: [], phones: [], company: "Acme Corp", title: "Chief Technology Officer" },
      { name: "Wei Chen", nameRank: card, emails: ["wei.chen@umbrella.example"], phones: [], company: "Umbrella, Inc.", title: "Senior Data Scientist" },
      { name: "José García López", nameRank: card, emails: [], phones: [] },
    ]);
  });

  it("reads a Google Contacts export, with ::: multi-values", () => {
    const got = parseContactsCsv(google);
    expect(got.format).toBe("google");
    expect(got.contacts).toEqual([
      {
        name: "Priya Raman",
        nameRank: card,
        emails: ["priya.raman@globex.example", "priya@raman.example", "priya.home@example.com"],
        phones: ["+16505550142", "+16505550199"],
        company: "Globex",
        title: "Head of Data",
      },
      { nameRank: NameRank.none, emails: [], phones: ["+442079460958"] },
      { name: "Carol Diaz", nameRank: NameRank.address, emails: ["carol.diaz@example.org"], phones: [] },
    ]);
  });

  it("reads Google's older column names", () => {
    const got = parseContactsCsv(googleOld, "PT");
    expect(got.format).toBe("google");
    expect(got.contacts).toEqual([
      { name: "Tomás Oliveira", nameRank: card, emails: ["tomas@lisboalabs.example"], phones: ["+351211234567"], company: "Lisboa Labs", title: "Founder" },
      { name: "McAllister David", nameRank: card, emails: ["david.mcallister@example.com"], phones: [] },
    ]);
  });

  it("reads an Outlook export: job title, not Mr./Ms.; not the assistant's or fax number", () => {
    const got = parseContactsCsv(outlook);
    expect(got.format).toBe("outlook");
    expect(got.contacts).toEqual([
      {
        name: "Samantha O'Connor",
        nameRank: card,
        emails: ["s.oconnor@northwind.example"],
        phones: ["+442079460958", "+447911123456"],
        company: "Northwind Traders",
        title: "Director of Partnerships",
      },
      { name: "Kevin Osei", nameRank: card, emails: ["kosei@hubspot.example", "k.osei@gmail.example"], phones: ["+16175550199"], company: "HubSpot" },
    ]);
  });

  it("reads a hand-made sheet with semicolons, a BOM and a plain Title column", () => {
    const sheet = "\ufeffName;Email;Phone;Company;Title\nDiaz, Carol;CAROL@EXAMPLE.ORG;030 901820;Ferrous GmbH;Engineer\n;;;;\n";
    const got = parseContactsCsv(sheet, "DE");
    expect(got.format).toBe("generic");
    expect(got.contacts).toEqual([
      { name: "Carol Diaz", nameRank: card, emails: ["carol@example.org"], phones: ["+4930901820"], company: "Ferrous GmbH", title: "Engineer" },
    ]);
  });

  it("finds nothing without a header it knows", () => {
    expect(parseContactsCsv("a,b,c\n1,2,3\n")).toEqual({ contacts: [], truncated: false, limit: CSV_ROW_LIMIT });
    expect(parseContactsCsv("")).toEqual({ contacts: [], truncated: false, limit: CSV_ROW_LIMIT });
    expect(() => parseContactsCsv('"unterminated,\n"quote')).not.toThrow();
  });

  it(`reads at most ${CSV_ROW_LIMIT} rows and says when it stopped`, () => {
    const rows = Array.from({ length: CSV_ROW_LIMIT + 3 }, (_, i) => `Person,Number${i},person${i}@example.com`);
    const got = parseContactsCsv(["First Name,Last Name,Email Address", ...rows].join("\n"));
    expect(got.truncated).toBe(true);
    expect(got.limit).toBe(CSV_ROW_LIMIT);
    expect(got.contacts.length).toBe(CSV_ROW_LIMIT);
    const exact = parseContactsCsv(["First Name,Last Name,Email Address", ...rows.slice(0, 10)].join("\n"), "US", 10);
    expect(exact.truncated).toBe(false);
    expect(exact.contacts.length).toBe(10);
  });
});
