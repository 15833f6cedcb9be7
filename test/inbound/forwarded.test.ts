import EmailForwardParser from "email-forward-parser";
import PostalMime, { type Email, type PostalMimeOptions } from "postal-mime";
import { describe, expect, it } from "vitest";
import { parseForwardDate } from "../../src/inbound/forward/date";
import { SEPARATOR_WORD } from "../../src/inbound/forward/words";
import { extractForward, parseForwardedBody } from "../../src/inbound/forward/extract";
import type { ForwardedMessage, Person } from "../../src/inbound/types";
import { corpusBytes, corpusFiles, corpusText } from "../support/corpus";

interface Expected {
  /** The original sender, read by eye: their address, or `{ name }` when the client
   * wrote no address. */
  from: string | Person;
  /** ISO instant of the forwarded block's date. */
  date?: string;
  subject?: string;
  to?: Person[];
  cc?: Person[];
}

const john = "john.doe@acme.com";
const bessie: Person = { email: "bessie.berry@acme.com" };
const usualCc: Person[] = [
  { name: "Walter Sheltan", email: "walter.sheltan@acme.com" },
  { name: "Nicholas", email: "nicholas@globex.corp" },
];

/** Every file in corpus/forwarded/. A new corpus file fails the coverage test until it
 * gets a row here. */
const EXPECTED: Record<string, Expected> = {
  "fp_apple_mail_en.txt": { from: john, date: "2021-10-25T08:17:21.000Z", to: [bessie], cc: usualCc },
  // The forwarded mail is John's; the "From: Bessie … Sent:" block under it is the
  // reply he quoted, written by Bessie, who received John's mail and forwarded it.
  "fp_apple_mail_fr_bom_nested.txt": { from: john, date: "2022-08-17T07:06:24.000Z", subject: "Integer consequat non purus" },
  "fp_apple_mail_ru.txt": { from: john, date: "2021-10-26T11:25:08.000Z", subject: "Integer consequat non purus", to: [bessie], cc: usualCc },
  "fp_gmail_en.txt": { from: john, date: "2021-10-27T09:31:00.000Z", subject: "Integer consequat non purus", to: [bessie], cc: usualCc },
  "fp_gmail_en_mixed_addr.txt": {
    from: john,
    to: [{ name: "Bessie Berry", email: "bessie.berry@acme.com" }, { email: "suzanne@globex.corp" }],
    cc: [{ email: "walter.sheltan@acme.com" }, { name: "Nicholas", email: "nicholas@globex.corp" }],
  },
  "fp_gmail_fr.txt": { from: john, date: "2021-10-27T09:31:00.000Z" },
  // Three forwards deep; the innermost (2021, "Forwarded Message" with capitals) is John's.
  "fp_gmail_nested_forwards.txt": { from: john, date: "2021-10-27T09:31:00.000Z", subject: "TR: ***URGENT*** 2028/22/kb Integer consequat non purus" },
  "fp_hubspot.txt": { from: john, date: "2022-09-19T21:55:44.000Z" },
  "fp_ionos.txt": { from: john, date: "2023-02-10T21:52:00.000Z", to: [bessie], cc: [] },
  "fp_mailmate.txt": { from: john, date: "2021-10-27T09:31:00.000Z" },
  "fp_missive.txt": { from: john, date: "2022-07-19T15:09:00.000Z" },
  "fp_original_message_names_only.txt": { from: { name: "John Doe" }, date: "2022-07-23T07:53:00.000Z", to: [{ name: "Bessie Berry" }] },
  "fp_outlook2013_crlf.txt": { from: john, date: "2021-10-25T11:17:00.000Z", cc: usualCc },
  "fp_outlook2019_on_wrote_indented.txt": { from: john, date: "2021-10-28T12:46:00.000Z" },
  "fp_outlook_new_de.txt": { from: john, date: "2021-10-28T12:46:00.000Z", subject: "Integer consequat non purus", to: [bessie], cc: usualCc },
  "fp_outlook_new_en.txt": { from: john, date: "2021-10-28T12:46:00.000Z" },
  "fp_outlook_web.txt": { from: john, date: "2021-10-27T15:14:00.000Z", to: [bessie], cc: usualCc },
  "fp_outlook_web_comma_names.txt": {
    from: john,
    to: [{ name: "Bessie, Berry", email: "bessie.berry@acme.com" }, { email: "suzanne@globex.corp" }],
    cc: [{ name: "Walter, Sheltan", email: "walter.sheltan@acme.com" }, { name: "Nicholas, Landers", email: "nicholas@globex.corp" }],
  },
  // Eleven messages deep; the thread began with Thibault's "TR:" to Office. Margaux's
  // address is the one shown, not the differing mailto: link glued to it.
  "fp_outlook_web_long_chain.txt": {
    from: "thibault@acme.com",
    date: "2023-02-21T16:49:00.000Z",
    subject: "TR: ***URGENT*** 2028/22/kb Integer consequat non purus",
    to: [{ name: "Office", email: "office@acme.com" }],
    cc: [{ name: "Margaux", email: "margaux@acme.com" }],
  },
  // "John Doe<mailto:…> <…<mailto:…>> on behalf of ticketing@…": the author is John.
  "fp_outlook_web_on_behalf_mailto.txt": { from: john, to: [bessie, { email: "suzanne@globex.corp" }], cc: usualCc },
  "fp_thunderbird_en.txt": { from: john, date: "2021-11-03T14:51:30.000Z", subject: "Integer consequat non purus", to: [bessie], cc: usualCc },
  "fp_yahoo_oneline_headers.txt": { from: john, date: "2021-11-02T08:26:50.000Z", subject: "Integer consequat non purus", to: [bessie], cc: usualCc },
  "mikel_applemail_fwd_as_attachment.eml": { from: "xxxx@xxxx.com", date: "2005-05-10T17:26:39.000Z", subject: "Another PDF" },
  "mikel_gmail2005_fwd_smime.eml": { from: "xxxxxxxx@xxx.com", date: "2005-05-08T13:17:00.000Z", subject: "Signed email causes file attachments" },
  "mikel_gmail2005_inline_fwd.eml": { from: "xxxxxxxx@xxx.com", to: [{ email: "xxxxxxx@xxxxxxxxxx.com" }] },
  // user2 sends user1's "Fwd:" of user0's message; "user0" is a bare local name.
  "mime4j_re_fwd_nested_rfc822.msg": { from: { name: "user0" }, date: "2000-06-06T03:20:11.000Z", subject: "hello world", to: [{ name: "user1" }] },
  "mimekit_outlook_embedded_rfc822.eml": { from: "mimekit@example.com", subject: "embedded message" },
  "sisimai_applemail_fwd_attachment_not_bounce.eml": { from: "dummy@example.com", date: "2018-11-08T22:38:16.000Z", subject: "original" },
  // Daniel forwarded his own message to himself: it is still the original.
  "zimbra_fwd_attachment_alt.eml": { from: "dhaswell@zedcore.com", subject: "Test 6" },
  "zimbra_fwd_attachment_html.eml": { from: "example@example.com", date: "2017-03-06T14:54:01.000Z", subject: "Test 5", to: [{ email: "example@example.co.uk" }] },
};

// Both ways a caller may parse: nested messages inlined into `text` (postal-mime's
// default) or all kept as attachments.
const PARSINGS: [string, PostalMimeOptions][] = [
  ["default", { attachmentEncoding: "arraybuffer" }],
  ["rfc822 as attachments", { attachmentEncoding: "arraybuffer", forceRfc822Attachments: true }],
];

function check(found: ForwardedMessage | null, want: Expected): void {
  expect(found).not.toBeNull();
  const m = found!;
  if (typeof want.from === "string") expect(m.from.email).toBe(want.from);
  else expect(m.from).toEqual(want.from);
  if (want.date !== undefined) expect(m.date === undefined ? undefined : new Date(m.date).toISOString()).toBe(want.date);
  if (want.subject !== undefined) expect(m.subject).toBe(want.subject);
  if (want.to !== undefined) expect(m.to).toEqual(want.to);
  if (want.cc !== undefined) expect(m.cc).toEqual(want.cc);
  expect(m.body.length).toBeGreaterThan(0);
}

const mail = (raw: string | Uint8Array, options: PostalMimeOptions = PARSINGS[0]![1]): Promise<Email> => PostalMime.parse(raw, options);

describe("corpus/forwarded", () => {
  it("has a row for every file, and a file for every row", () => {
    const files = corpusFiles("forwarded/").map((p) => p.slice("forwarded/".length));
    expect(files.length).toBeGreaterThanOrEqual(30);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  for (const [file, want] of Object.entries(EXPECTED)) {
    if (file.startsWith("fp_")) {
      it(file, () => check(parseForwardedBody(corpusText(`forwarded/${file}`)), want));
    } else {
      for (const [how, options] of PARSINGS) {
        it(`${file} (${how})`, async () => check(extractForward(await mail(corpusBytes(`forwarded/${file}`), options)), want));
      }
    }
  }

  it("reads the sender's encoded name from an attached message", async () => {
    const email = await mail(corpusBytes("forwarded/sisimai_applemail_fwd_attachment_not_bounce.eml"), PARSINGS[1]![1]);
    expect(extractForward(email)?.from).toEqual({ name: "André Brás", email: "dummy@example.com" });
  });

  it("keeps the original body, not the forwarder's note", () => {
    const m = parseForwardedBody(corpusText("forwarded/fp_outlook_web_on_behalf_mailto.txt"));
    expect(m?.body).toMatch(/^Aenean quis diam urna/);
    expect(m?.body).not.toContain("Praesent suscipit egestas");
  });
});

describe("parseForwardedBody", () => {
  it("returns null for text that forwards nothing", () => {
    expect(parseForwardedBody("")).toBeNull();
    expect(parseForwardedBody("Hi Carol,\n\nGreat to meet you at the conference. From: the whole team, thanks!\n\nBest,\nDan")).toBeNull();
    expect(parseForwardedBody("Lunch on Friday?\n\nOn Mon, Jan 5, 2026 at 10:12 AM Carol Diaz <carol@example.com> wrote:\n> Sure!")).toBeNull();
  });

  it("does not take a quoted reply thread for a forward when the subject says reply", () => {
    const replies = corpusFiles("replies/").filter((p) => p.endsWith(".txt"));
    expect(replies.length).toBeGreaterThan(10);
    for (const path of replies) expect(parseForwardedBody(corpusText(path), "Re: Integer consequat non purus"), path).toBeNull();
    // …while a separator that says "forwarded" still counts under "Re:".
    expect(parseForwardedBody(corpusText("forwarded/fp_gmail_en.txt"), "Re: Fwd: x")?.from.email).toBe(john);
  });

  it("cleans mailto: addresses, lower-cases them, keeps names as written", () => {
    const m = parseForwardedBody(
      "FYI\n\n-----Original Message-----\nFrom: Diaz, Carol [mailto:Carol.Diaz@Example.COM]\nSent: Monday, January 5, 2026 10:12 AM\n" +
        "To: Dan Fox <mailto:DAN@fox.example>\nSubject: Coffee\n\nGood to meet you.",
    );
    expect(m?.from).toEqual({ name: "Diaz, Carol", email: "carol.diaz@example.com" });
    expect(m?.to).toEqual([{ name: "Dan Fox", email: "dan@fox.example" }]);
    expect(m?.subject).toBe("Coffee");
    expect(m?.date).toBe(Date.UTC(2026, 0, 5, 10, 12));
    expect(m?.body).toBe("Good to meet you.");
  });

  it("lets a forward subject vouch for a bare From: line, and supplies the subject", () => {
    const text = "see below\n\nFrom: Carol Diaz <carol@example.com>\n\nLovely to meet you!";
    expect(parseForwardedBody(text)).toBeNull();
    const m = parseForwardedBody(text, "Fwd: Great meeting");
    expect(m?.from).toEqual({ name: "Carol Diaz", email: "carol@example.com" });
    expect(m?.subject).toBe("Great meeting");
    expect(parseForwardedBody(corpusText("forwarded/fp_outlook2019_on_wrote_indented.txt"), "FW: Integer consequat non purus")?.subject).toBe(
      "Integer consequat non purus",
    );
  });

  it("keeps whole recipients when a long To: line is cut for safety", () => {
    const to = Array.from({ length: 12 }, (_, i) => `Person Number${i} <person.number${i}@example.com>`).join("; ");
    const m = parseForwardedBody(`________________________________\nFrom: Carol Diaz <carol@example.com>\nSent: Wednesday, October 27, 2021 15:14\nTo: ${to}\nSubject: Hi\n\nBody`);
    expect(m?.from.email).toBe("carol@example.com");
    expect(m?.to.length).toBeGreaterThan(3);
    for (const p of m?.to ?? []) expect(p.email).toMatch(/^person\.number\d+@example\.com$/);
    expect(m?.subject).toBe("Hi");
  });

  it("takes an Outlook forward whose body holds a Gmail forward as two levels", () => {
    const text =
      "From: Dan Fox <dan@fox.example>\nSent: Tuesday, January 6, 2026 9:00 AM\nTo: Me <me@example.com>\nSubject: FW: intro\n\nsee below\n\n" +
      corpusText("forwarded/fp_gmail_en.txt");
    expect(parseForwardedBody(text)?.from.email).toBe(john);
  });
});

describe("extractForward", () => {
  it("returns null for a mail that forwards nothing", async () => {
    const email = await mail("From: Dan <dan@example.com>\r\nTo: kith@kith.test\r\nSubject: hello\r\n\r\nJust saying hi.\r\n");
    expect(extractForward(email)).toBeNull();
  });

  it("does not take a delivery, read or abuse report for a forward", async () => {
    const reports = ["postalmime_fastmail_postfix_bounce.eml", "mimekit_mdn_read_receipt.eml", "sisimai_arf_feedback_report.eml", "sisimai_bounce_office365_ndr.eml"];
    for (const file of reports) expect(extractForward(await mail(corpusBytes(`auto/${file}`))), file).toBeNull();
  });

  it("does not take a reply that quotes its thread for a forward", async () => {
    const replies = corpusFiles("replies/talon_").filter((p) => p.endsWith(".eml"));
    let checked = 0;
    for (const path of replies) {
      const email = await mail(corpusBytes(path));
      if (!/^re:/i.test(email.subject ?? "")) continue;
      expect(extractForward(email), path).toBeNull();
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it("reads an inline forward from the HTML when there is no text part", async () => {
    const html =
      '<div dir="ltr">Met her today<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>' +
      'From: <strong class="gmail_sendername" dir="auto">Carol Diaz</strong> <span dir="auto">&lt;<a href="mailto:Carol@Example.com">Carol@Example.com</a>&gt;</span><br>' +
      "Date: Mon, Jan 5, 2026 at 10:12 AM<br>Subject: Hello<br>To: &lt;<a href=\"mailto:me@example.com\">me@example.com</a>&gt;<br></div><br><br>" +
      "<div dir=\"ltr\">Lovely to meet you.</div></div></div>";
    const email = await mail(`From: me@example.com\r\nTo: kith@kith.test\r\nSubject: Fwd: Hello\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`);
    expect(email.text).toBeUndefined();
    const m = extractForward(email);
    expect(m?.from).toEqual({ name: "Carol Diaz", email: "carol@example.com" });
    expect(m?.date).toBe(Date.UTC(2026, 0, 5, 10, 12));
    expect(m?.body).toContain("Lovely to meet you.");
  });

  it("skips the forwarder's own message at the bottom of a thread", async () => {
    const body =
      "FYI\n\n---------- Forwarded message ---------\nFrom: Carol Diaz <carol@example.com>\nDate: Tue, Jan 6, 2026 at 9:00 AM\nSubject: Re: Hello\nTo: Bessie <bessie@example.com>, Dan <dan@example.com>\n\nYes!\n\n" +
      "On Mon, Jan 5, 2026 at 10:12 AM Bessie wrote:\n---------- Forwarded message ---------\nFrom: Bessie <bessie@example.com>\nDate: Mon, Jan 5, 2026 at 10:12 AM\nSubject: Hello\nTo: Carol Diaz <carol@example.com>\n\nCoffee?\n";
    const email = await mail(`From: Bessie <Bessie@example.com>\r\nTo: kith@kith.test\r\nSubject: Fwd: Re: Hello\r\n\r\n${body}`);
    expect(extractForward(email)?.from.email).toBe("carol@example.com");
  });
});

// Cheap checks that let the reader skip the library's dear scans must never skip a forward.
describe("pre-checks", () => {
  it("knows a word of every separator line the library splits at", () => {
    const parser = (new EmailForwardParser() as unknown as { parser: { regexes: { separator: RegExp[] } } }).parser;
    const separators = parser.regexes.separator;
    expect(separators.length).toBeGreaterThan(70);
    const words = SEPARATOR_WORD.source.split("|");
    for (const r of separators) expect(words.some((w) => r.source.includes(w)) || /-\{(?:[3-9]|\d\d)/.test(r.source), r.source).toBe(true);
  });

  it("reads forwards with separators of other clients and languages", () => {
    // A lone From: line: only the separator makes this a forward.
    const header = "From: Carol Diaz <carol@example.com>\n\nHello";
    expect(parseForwardedBody(`FYI\n\nxx\n${header}`)).toBeNull();
    const separators = [
      "Début du message réexpédié :",
      "Začátek přeposílané zprávy:",
      "--- Treść przekazanej wiadomości ---",
      "-------- Перенаправленное сообщение --------",
      "---------- Original Message ----------",
      "________________________________",
      "Forwarded message:",
    ];
    for (const separator of separators) expect(parseForwardedBody(`FYI\n\n${separator}\n${header}`)?.from.email, separator).toBe("carol@example.com");
    const outlook2019 = 'FYI\n\nCarol Diaz <carol@example.com> kirjoitti 5.1.2026 klo 10.12:\n\nHello';
    expect(parseForwardedBody(outlook2019)?.from.email).toBe("carol@example.com");
  });

  it("still reads a forward under Re: when a BOM splits the word that says forwarded", () => {
    const text = corpusText("forwarded/fp_gmail_en.txt").replace("Forwarded", "Forw\uFEFFarded");
    expect(text).toContain("\uFEFF");
    expect(parseForwardedBody(text, "Re: x")?.from.email).toBe(john);
  });
});

describe("parseForwardDate", () => {
  it.each([
    ["Mon, Jan 5, 2026 at 10:12 AM", Date.UTC(2026, 0, 5, 10, 12)],
    ["Montag, 5. Januar 2026 10:12", Date.UTC(2026, 0, 5, 10, 12)],
    ["5 janv. 2026 à 10:12", Date.UTC(2026, 0, 5, 10, 12)],
    ["mer. 27 oct. 2021 à 09:31", Date.UTC(2021, 9, 27, 9, 31)],
    ["Wed, 3 Nov 2021 15:51:30 +0100", Date.UTC(2021, 10, 3, 14, 51, 30)],
    ["26 октября 2021 г. в 14:25:08 GMT+3", Date.UTC(2021, 9, 26, 11, 25, 8)],
  ])("reads %s", (text, at) => expect(parseForwardDate(text)).toBe(at));

  it.each(["", "tomorrow", "next Monday at 10", "sometime in 2026", "1/5/26 10:12", "Dear Carol, 2026 was great"])("declines %j", (text) => {
    expect(parseForwardDate(text)).toBeUndefined();
  });
});

describe("hostile input", () => {
  const big = (unit: string, size = 1024 * 1024) => unit.repeat(Math.ceil(size / unit.length));
  const gmailBlock = (i: number) =>
    `---------- Forwarded message ---------\nFrom: P${i} <p${i}@example.com>\nDate: Mon, Jan 5, 2026 at 10:12 AM\nSubject: s\nTo: <q@example.com>\n\nhi\n`;

  it("finishes on regex-DoS shapes and huge text without throwing", { timeout: 30_000 }, () => {
    const shapes = [
      big("From: "),
      big("From: \n"),
      big("From: a\nSent: b\nTo: c\n"),
      big(" "),
      big("\n"),
      big('On , "" <> wrote'),
      big("időpontban ( "),
      big("používateľ (<>)"),
      `---------- Forwarded message ---------\n${big(" To :  x  <")}`,
      big("________________________________\n"),
      big("a@b<mailto:"),
      corpusText("malformed/erp_pathological_regex_dos.txt"),
    ];
    for (const text of shapes) {
      for (const subject of [undefined, "Fwd: x"]) expect(() => parseForwardedBody(text, subject)).not.toThrow();
    }
  });

  it("stops at a bounded depth in a forward of a forward of …", () => {
    const flat = Array.from({ length: 3000 }, (_, i) => gmailBlock(i)).join("");
    expect(parseForwardedBody(flat)?.from.email).toMatch(/^p\d+@example\.com$/);
    const quoted = Array.from({ length: 400 }, (_, i) => gmailBlock(i).replace(/^/gm, "> ".repeat(i))).join("");
    expect(parseForwardedBody(quoted)?.from.email).toMatch(/^p\d+@example\.com$/);
  });

  it("stops at a bounded depth in attached messages nested 60 deep", async () => {
    let raw = "From: p60@example.com\r\nSubject: bottom\r\n\r\nbottom\r\n";
    for (let i = 59; i >= 0; i--) {
      raw =
        `From: p${i}@example.com\r\nSubject: Fwd\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n` +
        `--b${i}\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n${raw}\r\n--b${i}--\r\n`;
    }
    for (const [, options] of PARSINGS) {
      const m = extractForward(await mail(raw, options));
      expect(m?.from.email).toMatch(/^p\d+@example\.com$/);
    }
  });

  it("never throws on the malformed corpus", async () => {
    for (const path of corpusFiles("malformed/")) {
      let email: Email;
      try {
        email = await mail(corpusBytes(path));
      } catch {
        continue; // postal-mime refused it; nothing reaches extractForward
      }
      expect(() => extractForward(email), path).not.toThrow();
    }
  });
});
