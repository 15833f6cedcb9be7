import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { NameRank, type ContactFacts } from "../../src/inbound/types";
import { parseVCards, vcardAttachments } from "../../src/inbound/cards/vcard";
import { corpusBytes, corpusFiles, corpusText } from "../support/corpus";

/** What the table asserts about a card; title and rank only where the table gives them. */
type Card = Pick<ContactFacts, "name" | "emails" | "phones" | "company"> & Partial<Pick<ContactFacts, "title" | "nameRank">>;

const c = (name: string | undefined, emails: string[] = [], phones: string[] = [], company?: string, title?: string): Card => ({
  name,
  emails,
  phones,
  company,
  ...(title ? { title } : {}),
});

// Every corpus file under vcard/, with the contacts it must yield. Phones are kept only
// when valid (the 555-555-xxxx and (111) numbers of test exports are not); fax and pager
// lines are not phones to call.
const expected: Record<string, Card[]> = {
  // Custom properties only: no contact.
  "aosp_android_custom_no_version.vcf": [],
  "aosp_v21_adr_backslash_newline.vcf": [c("Bogus")],
  // FN and N are escaping torture ("A;B\C\;D:E\\"): not a name, and nothing else.
  "aosp_v21_backslash_escapes.vcf": [],
  "aosp_v21_comment_lines.vcf": [c("Conference Call")],
  "aosp_v21_complicated.vcf": [
    c("Joe Due", ["forrestgump@walladalla.com", "cell@example.com"], ["+14045551212"], "Gump Shrimp Co.", "Shrimp Man"),
  ],
  // 2.1 has no folding, but the address on the indented line is still the address.
  "aosp_v21_invalid_continuation.vcf": [c("Omega", ["omega@example.com"])],
  "aosp_v21_malformed_photo.vcf": [c("Fullname")],
  // Raw SHIFT_JIS bytes, decoded per CHARSET; the numbers (9, 10...) are not phone numbers.
  "aosp_v21_multi_shift_jis.vcf": [c("安藤ロイド3"), c("安藤ロイド4"), c("安藤ロイド5")],
  // Nested cards are cards of their own; the parent goes on after them.
  "aosp_v21_nested_cards.vcf": [c("Nest1"), c("Nest2"), c("Parent")],
  "aosp_v21_shift_jis_qp.vcf": [c("安藤 ロイド 1")],
  "aosp_v21_windows_mobile65.vcf": [c("Example")],
  // "\r\r\n" line ends, grouped item1.EMAIL.
  "aosp_v30_ios613_photo.vcf": [c("Bob Smith", ["bob@smithauto.com"], ["+16505551212"], "Smith Auto Repair")],
  "aosp_v30_quoted_param.vcf": [c("G M F")],
  "aosp_v40_sort_as_japanese.vcf": [c("安藤 ロイド", [], [], "グーグル")],
  "ezvcard_android_export.vcf": [
    { ...c("John Doe", ["john.doe@company.com"]), nameRank: NameRank.address },
    { ...c("Jane Doe", ["jane.doe@company.com"]), nameRank: NameRank.address },
    c("Ñ Ñ Ñ Ñ Ñ"),
    c("Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ"),
    c("Ñ Ñ Ñ Ñ", ["bob@company.com"], [], "Ñ".repeat(12)),
    c("Ññññ", ["henry@company.com"], [], "Ñ".repeat(44)),
  ],
  // +961 2... is no Lebanese number range.
  "ezvcard_blackberry.vcf": [c("John Doe", [], [], "Acme Solutions")],
  "ezvcard_evolution.vcf": [
    c("Mr. John Richter, James Doe Sr.", ["john.doe@ibm.com"], ["+19056661234", "+19055551234"], "IBM", "Money Counter"),
  ],
  "ezvcard_gmail_custom_labels.vcf": [
    c(
      "VCard Test",
      ["email@example.com", "homeemail@example.com", "workemail@example.com", "otheremail@example.com", "customcategory@example.com"],
      [],
      "TheCompany",
      "TheJobTitle",
    ),
  ],
  "ezvcard_gmail_export.vcf": [
    c("Mr. John Richter, James Doe Sr.", ["john.doe@ibm.com"], ["+19055551234", "+19056661234"], "IBM", "Money Counter"),
  ],
  "ezvcard_gmail_multi.vcf": [
    c("Arnold Smith", ["asmithk@gmail.com"]),
    c("Chris Beatle", ["chrisy55d@yahoo.com"]),
    c("Doug White", ["dwhite@gmail.com"]),
  ],
  "ezvcard_gmail_single.vcf": [c("Greg Dartmouth", ["gdartmouth@hotmail.com"], [], "TheCompany", "TheJobTitle")],
  "ezvcard_iphone_ios5.vcf": [
    c(
      "Mr. John Richter James Doe Sr.",
      ["john.doe@ibm.com"],
      ["+19055551234", "+19056661234", "+19057771234", "+19052221234"],
      "IBM",
      "Money Counter",
    ),
  ],
  // "+1 (212) 204-34456" has a digit too many; the 00-1-212 number is a fax.
  "ezvcard_lotus_notes_sample.vcf": [
    c("Mr. Doe John I Johny", ["john.doe@ibm.com", "billy_bob@gmail.com"], [], "IBM", "Generic Accountant"),
  ],
  "ezvcard_mac_address_book.vcf": [
    c(
      "Mr. John Richter,James Doe Sr.",
      ["john.doe@ibm.com"],
      ["+19057771234", "+19056661234", "+19055551234", "+19052221234"],
      "IBM",
      "Money Counter",
    ),
  ],
  "ezvcard_ms_outlook.vcf": [
    c("Mr. John Richter James Doe Sr.", ["john.doe@ibm.cm"], ["+19055551234", "+19056661234"], "IBM", "Money Counter"),
  ],
  // Placeholder phone values ("BusinessPhone") are dropped; ORG keeps its comma.
  "ezvcard_outlook2003.vcf": [c("John Doe III", ["jdoe@hotmail.com"], [], "Company, The", "The Job Title")],
  "ezvcard_outlook2007.vcf": [c("Mr. Michael Angstadt Jr.", ["mike.angstadt@gmail.com"], [], "TheCompany", "TheJobTitle")],
  "ezvcard_thunderbird_mfab.vcf": [
    c(
      "John Doe",
      ["doe.john@hotmail.com", "additional-email@company.com", "additional-email1@company.com", "additional-email2@company.com", "additional-email3@company.com"],
      [],
      "TheOrganization",
      "TheTitle",
    ),
  ],
  "ezvcard_v4_full.vcf": [
    c(
      "Prefix FirstName MiddleName LastName Suffix",
      ["home@example.com", "work@example.com", "school@example.com", "other@example.com", "custom@example.com"],
      [],
      "Organization1",
      "Title1",
    ),
  ],
  // TEL values with escaped ';' and ',' are not numbers.
  "icaljs_nextcloud_sabre_export.vcf": [c("First Last NextCloud", ["home@gmx.de", "work@gmx.de"], [], "Firma")],
  // The AGENT's embedded card is a value, not a card of its own.
  "icaljs_v30_rfc2426_all_props.vcf": [
    c(
      "Mr. John Q. Public, Esq.",
      ["jqpublic@xyz.dom1.com", "jdoe@isp.net", "jane_doe@abc.com"],
      ["+12135551234"],
      "ABC, Inc.",
      "Director, Research and Development",
    ),
  ],
  // tel: URIs with ;ext= parameters.
  "icaljs_v40_rfc6350_author.vcf": [c("Simon Perreault", ["simon.perreault@viagenie.ca"], ["+14186569254", "+14182626501"], "Viagenie")],
  // A mail with an inline photo but no card.
  "php_iphone_text_image_text.eml": [],
  "tb_email_with_vcard_attachment.eml": [c("Meister", ["meister@example.com"])],
  // Lower-case property names, VERSION last; "contact1@invalid" has no dotted domain.
  "tb_export_v21_lowercase.vcf": [c("Contact Number One"), c("Contact Number Two", [], [], undefined, "worker")],
};

async function contactsOf(path: string): Promise<ContactFacts[]> {
  if (path.endsWith(".eml")) return vcardAttachments(await PostalMime.parse(corpusBytes(path)));
  return parseVCards(corpusBytes(path));
}

function project(facts: ContactFacts, like: Card): Card {
  const out: Card = { name: facts.name, emails: facts.emails, phones: facts.phones, company: facts.company };
  if (like.title !== undefined || facts.title !== undefined) out.title = facts.title;
  if (like.nameRank !== undefined) out.nameRank = facts.nameRank;
  return out;
}

describe("vCard corpus", () => {
  const files = corpusFiles("vcard/").map((p) => p.slice("vcard/".length));

  it("has a table entry for every corpus file, and no entry without a file", () => {
    expect(files.filter((f) => !(f in expected))).toEqual([]);
    expect(Object.keys(expected).filter((f) => !files.includes(f))).toEqual([]);
  });

  it.each(files)("%s", async (file) => {
    const want = expected[file] ?? [];
    const got = await contactsOf(`vcard/${file}`);
    expect(got.map((g, i) => project(g, want[i] ?? c(undefined)))).toEqual(want);
    for (const g of got) {
      if (g.nameRank !== NameRank.address) expect(g.nameRank).toBe(g.name ? NameRank.card : NameRank.none);
    }
  });

  it("reads UTF-8 files the same as text and as bytes", () => {
    for (const f of files.filter((f) => f.endsWith(".vcf") && !f.includes("shift_jis"))) {
      expect(parseVCards(corpusText(`vcard/${f}`)), f).toEqual(parseVCards(corpusBytes(`vcard/${f}`)));
    }
  });
});

describe("parseVCards", () => {
  const one = (text: string, region?: string): ContactFacts | undefined => parseVCards(text, region)[0];

  it("prefers FN and builds the name from N when FN is missing", () => {
    expect(one("BEGIN:VCARD\nVERSION:3.0\nFN:Jane Q. Smith\nN:Smith;Jane;;;\nEND:VCARD")?.name).toBe("Jane Q. Smith");
    expect(one("BEGIN:VCARD\nVERSION:3.0\nN:Smith;Jane;Quinn;Dr.;\nEMAIL:J@Acme.com\nEND:VCARD")).toEqual({
      name: "Jane Quinn Smith",
      nameRank: NameRank.card,
      emails: ["j@acme.com"],
      phones: [],
    });
  });

  it("unfolds lines, undoes escapes and reads grouped properties", () => {
    const card = [
      "BEGIN:VCARD",
      "VERSION:3.0",
      "FN:Ana Lima",
      "ORG:Lima\\, Souza & Filhos;Vendas",
      "TITLE:Head of Sales\\, LATAM",
      "item1.EMAIL;type=INTERNET:ana.lima@lima-sou",
      " za.com.br",
      "item1.X-ABLabel:_$!<Work>!$_",
      "item2.TEL:+55 11 3456",
      "\t-7890",
      "END:VCARD",
    ].join("\r\n");
    expect(one(card)).toEqual({
      name: "Ana Lima",
      nameRank: NameRank.card,
      emails: ["ana.lima@lima-souza.com.br"],
      phones: ["+551134567890"],
      company: "Lima, Souza & Filhos",
      title: "Head of Sales, LATAM",
    });
  });

  it("decodes 2.1 quoted-printable in the declared charset, from text and from bytes", () => {
    const card = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=F6rg M=FC=\r\nller\r\nEND:VCARD\r\n";
    expect(one(card)?.name).toBe("Jörg Müller");
    expect(parseVCards(new TextEncoder().encode(card))[0]?.name).toBe("Jörg Müller");
    const utf8 = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;QUOTED-PRINTABLE:Dupont;Ren=C3=A9e\nEND:VCARD";
    expect(one(utf8)?.name).toBe("Renée Dupont");
  });

  it("reads undeclared non-UTF-8 bytes as windows-1252", () => {
    const bytes = Uint8Array.from([..."BEGIN:VCARD\nFN:Ren"].map((ch) => ch.charCodeAt(0)).concat([0xe9], [..."e Roy\nEND:VCARD"].map((ch) => ch.charCodeAt(0))));
    expect(parseVCards(bytes)[0]?.name).toBe("Renée Roy");
  });

  it("normalises phones, assuming the default region only without a country code", () => {
    const card = "BEGIN:VCARD\nFN:Max Weber\nTEL;CELL:030 901820\nTEL:+44 20 7946 0958\nTEL;FAX:030 901821\nEND:VCARD";
    expect(one(card, "DE")?.phones).toEqual(["+4930901820", "+442079460958"]);
    expect(one(card)?.phones).toEqual(["+442079460958"]);
    expect(one("BEGIN:VCARD\nFN:X Y\nTEL:00 44 20 7946 0958\nTEL;VALUE=uri:tel:+1-415-555-0100;ext=7\nEND:VCARD")?.phones).toEqual([
      "+442079460958",
      "+14155550100",
    ]);
  });

  it("names a card with only an address after the address, at address rank", () => {
    expect(one("BEGIN:VCARD\nVERSION:3.0\nEMAIL:carol.diaz@example.org\nEND:VCARD")).toEqual({
      name: "Carol Diaz",
      nameRank: NameRank.address,
      emails: ["carol.diaz@example.org"],
      phones: [],
    });
    expect(one("BEGIN:VCARD\nVERSION:3.0\nEMAIL:cd@example.org\nEND:VCARD")).toEqual({
      nameRank: NameRank.none,
      emails: ["cd@example.org"],
      phones: [],
    });
  });

  it("keeps what a card cut short says, and never throws on junk", () => {
    expect(parseVCards("BEGIN:VCARD\nVERSION:3.0\nFN:Half Card\nEMAIL:half@example.com\nTEL:+1 415 55")).toEqual([
      { name: "Half Card", nameRank: NameRank.card, emails: ["half@example.com"], phones: [] },
    ]);
    const junk = ["", "END:VCARD", ":::", "BEGIN:VCARD\n;;;\n\"\"\"\n=\n=\n", "\u0000\uffff".repeat(1000), "BEGIN:VCARD\n".repeat(100)];
    for (const text of junk) expect(() => parseVCards(text)).not.toThrow();
    expect(parseVCards("BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=\nEND:VCARD")).toEqual([]);
  });

  it("stays bounded on a huge file", () => {
    const many = "BEGIN:VCARD\nFN:Some One\nEMAIL:some.one@example.com\nEND:VCARD\n".repeat(20_000);
    expect(parseVCards(many).length).toBe(5_000);
  });
});
