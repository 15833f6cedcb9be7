import { describe, expect, it } from "vitest";
import { cleanName, nameFromAddress } from "../../src/people/names";

describe("cleanName", () => {
  const cases: [raw: string | undefined, email: string | undefined, expected: string | undefined][] = [
    ["Carol Diaz", undefined, "Carol Diaz"],
    ["Diaz, Carol", undefined, "Carol Diaz"],
    ["Diaz, Carol M.", undefined, "Carol M. Diaz"],
    ["van der Berg, Jan", undefined, "Jan van der Berg"],
    ["García López, María", undefined, "María García López"],
    ['"Carol Diaz"', undefined, "Carol Diaz"],
    ["'Carol Diaz'", undefined, "Carol Diaz"],
    ['\\"Carol Diaz\\"', undefined, "Carol Diaz"],
    ["“Carol Diaz”", undefined, "Carol Diaz"],
    ['"Diaz, Carol"', undefined, "Carol Diaz"],
    ['"Carol Diaz', undefined, "Carol Diaz"],
    ["  Carol \t  Diaz\u00a0 ", undefined, "Carol Diaz"],
    ["Carol\u200b Diaz", undefined, "Carol Diaz"],
    ["O'Neil", undefined, "O'Neil"],
    ["carol.diaz@x.com", undefined, undefined],
    ["carol.diaz@x.com", "carol.diaz@x.com", undefined],
    ["'carol.diaz@x.com'", "carol.diaz@x.com", undefined],
    ["CAROL.DIAZ@X.COM", "carol.diaz@x.com", undefined],
    ["carol.diaz", "carol.diaz@x.com", undefined],
    ["cdiaz", "cdiaz@x.com", undefined],
    ["Carol", "carol@x.com", "Carol"],
    ["Carol Diaz <carol@x.com>", undefined, "Carol Diaz"],
    ["=?UTF-8?Q?Ren=C3=A9e_Dupont?=", undefined, "Renée Dupont"],
    ["=?iso-8859-1?q?J=F6rg_M=FCller?=", undefined, "Jörg Müller"],
    ["=?UTF-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?=", undefined, "Иван Петров"],
    ["CAROL DIAZ", undefined, "Carol Diaz"],
    ["carol diaz", undefined, "Carol Diaz"],
    ["RONALD MCDONALD", undefined, "Ronald McDonald"],
    ["ronald mcdonald", undefined, "Ronald McDonald"],
    ["JAN VAN DER BERG", undefined, "Jan van der Berg"],
    ["jan van der berg", undefined, "Jan van der Berg"],
    ["van der Berg", undefined, "van der Berg"],
    ["Jan van der Berg", undefined, "Jan van der Berg"],
    ["SEAN O'BRIEN", undefined, "Sean O'Brien"],
    ["mary-jane watson", undefined, "Mary-Jane Watson"],
    ["JOHN DOE III", undefined, "John Doe III"],
    ["McDonald", undefined, "McDonald"],
    ["DeShawn Jones", undefined, "DeShawn Jones"],
    ["ИВАН ПЕТРОВ", undefined, "Иван Петров"],
    ["安藤 ロイド", undefined, "安藤 ロイド"],
    ["محمد علي", undefined, "محمد علي"],
    ["Δημήτρης Παπαδόπουλος", undefined, "Δημήτρης Παπαδόπουλος"],
    ["Carol Diaz (via Google Docs)", undefined, "Carol Diaz"],
    ["Carol Diaz (via Google Sheets)", "comments-noreply@docs.google.com", "Carol Diaz"],
    ["Carol Diaz via LinkedIn", undefined, "Carol Diaz"],
    ['"Carol Diaz (via Google Drive)"', undefined, "Carol Diaz"],
    ["Octavia Butler", undefined, "Octavia Butler"],
    ["Smith, Jr.", undefined, "Smith, Jr."],
    ["Acme, Inc.", undefined, "Acme, Inc."],
    ["Mr. John Q. Public, Esq.", undefined, "Mr. John Q. Public, Esq."],
    ["Mr. John Richter, James Doe Sr.", undefined, "Mr. John Richter, James Doe Sr."],
    ["IBM", undefined, "IBM"],
    ["", undefined, undefined],
    ['""', undefined, undefined],
    ["   ", undefined, undefined],
    ["---", undefined, undefined],
    [undefined, "carol@x.com", undefined],
  ];
  it.each(cases)("%j (%s) → %j", (raw, email, expected) => {
    expect(cleanName(raw, email)).toBe(expected);
  });
});

describe("nameFromAddress", () => {
  const cases: [email: string, expected: string | undefined][] = [
    ["carol.diaz@x.com", "Carol Diaz"],
    ["Carol.Diaz@X.com", "Carol Diaz"],
    ["carol_diaz@x.com", "Carol Diaz"],
    ["carol-diaz@x.com", "Carol Diaz"],
    ["anne-marie.roy@x.com", "Anne-Marie Roy"],
    ["carol.diaz+news@x.com", "Carol Diaz"],
    ["carol.diaz84@x.com", "Carol Diaz"],
    ["ronald.mcdonald@x.com", "Ronald McDonald"],
    ["jan.van.der.berg@x.nl", "Jan van der Berg"],
    ["cdiaz@x.com", undefined],
    ["carol@x.com", undefined],
    ["c.diaz@x.com", undefined],
    ["no-reply@x.com", undefined],
    ["info.sales@x.com", undefined],
    ["mailer-daemon@x.com", undefined],
    ["user0@x.com", undefined],
    ["a.b.c.d.e@x.com", undefined],
    ["x1.y2@x.com", undefined],
    ["not-an-address", undefined],
  ];
  it.each(cases)("%s → %j", (email, expected) => {
    expect(nameFromAddress(email)).toBe(expected);
  });
});
