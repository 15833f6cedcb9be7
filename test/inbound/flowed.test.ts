/** format=flowed text (RFC 3676) as the parse step unfolds it: a quoted line never swallows
 * the reply typed under it. */
import { describe, expect, it } from "vitest";
import { decodeFlowed } from "../../src/inbound/mime/flowed";
import { parseMail, type Email } from "../../src/inbound/mime/parse";
import { typedReply } from "../../src/inbound/reply/typed";
import { corpusBytes } from "../support/corpus";
import { eml } from "../support/mail";

async function parsed(raw: string | Uint8Array): Promise<Email> {
  const result = await parseMail(typeof raw === "string" ? new TextEncoder().encode(raw) : raw);
  if (!result.ok) throw new Error(`expected a parse, got: ${result.reason}`);
  return result.email;
}

describe("Thunderbird's bottom-posted reply (corpus replies/talon_thunderbird.eml)", () => {
  it("keeps the quoted '> Hi ' and the typed 'Hello' on lines of their own", async () => {
    const email = await parsed(corpusBytes("replies/talon_thunderbird.eml"));
    expect(email.text).toBe("On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi \nHello\n");
    expect(typedReply(email.text ?? "", email.html)).toBe("Hello");
  });
});

describe("decodeFlowed", () => {
  it("joins a flowed paragraph and keeps fixed lines as they are", () => {
    expect(decodeFlowed("one two \nthree\nfour\n", false)).toBe("one two three\nfour\n");
    expect(decodeFlowed("a \r\nb \r\nc\r\n\r\nd", false)).toBe("a b c\n\nd");
  });

  it("never joins a quoted line with an unquoted one, either way round", () => {
    expect(decodeFlowed("> Hi \nHello", false)).toBe("> Hi \nHello");
    expect(decodeFlowed("Hello \n> Hi", false)).toBe("Hello \n> Hi");
    expect(decodeFlowed(">> deep \n> shallow \n> still", false)).toBe(">> deep \n> shallow still");
  });

  it("joins quoted lines of one depth without the quote marks of the continuations", () => {
    expect(decodeFlowed("> The quick brown \n> fox jumps\n>> over \n>>the dog", false)).toBe("> The quick brown fox jumps\n>> over the dog");
  });

  it("deletes the space that ends a flowed line with DelSp=yes, and only then", () => {
    expect(decodeFlowed("Kith re \nminds you  \nweekly.", true)).toBe("Kith reminds you weekly.");
    expect(decodeFlowed("Kith re \nminds you  \nweekly.", false)).toBe("Kith re minds you  weekly.");
    expect(decodeFlowed("> quo \n> ted", true)).toBe("> quoted");
  });

  it("removes one stuffed space, after the quote marks too", () => {
    expect(decodeFlowed(" From here\n  two spaces\n >not a quote", false)).toBe("From here\n two spaces\n>not a quote");
    expect(decodeFlowed("a \n From b", false)).toBe("a From b");
    expect(decodeFlowed(">  indented", false)).toBe(">  indented");
  });

  it("keeps the signature separator '-- ' a line of its own", () => {
    expect(decodeFlowed("Thanks \n-- \nAlex \nExample", false)).toBe("Thanks \n-- \nAlex Example");
    expect(decodeFlowed("Thanks\n-- \nAlex", true)).toBe("Thanks\n-- \nAlex");
    expect(decodeFlowed("> Bye\n> -- \n> Ann", false)).toBe("> Bye\n> -- \n> Ann");
    expect(typedReply(decodeFlowed("snooze \n3 days\n-- \nAlex", false))).toBe("snooze 3 days");
  });

  it("takes a paragraph thousands of lines long in one pass", () => {
    const text = "word \n".repeat(50_000) + "end";
    const started = performance.now();
    expect(decodeFlowed(text, true)).toBe("word".repeat(50_000) + "end");
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("parseMail on format=flowed parts", () => {
  // The parser alone ran the quote's last line, the blank line and the reply into one line.
  const reply = "> Kith: 3 people to catch \n> up with\n> 1. Ada Lovelace \n\n1 done \nand 2 skip";

  it("reads a flowed text/plain mail with DelSp=yes and quoted-printable", async () => {
    const email = await parsed(
      eml({ From: "a@example.com", "Content-Type": "text/plain; charset=utf-8; format=flowed; delsp=yes", "Content-Transfer-Encoding": "quoted-printable" }, "> Caf=C3=A9 at nine?=20\nSee you th=\nere =20\nthen.\n"),
    );
    expect(email.text).toBe("> Café at nine? \nSee you there then.\n");
  });

  it("reflows the text part of a multipart/alternative and leaves the rest alone", async () => {
    const body = [
      "--outer",
      "Content-Type: multipart/alternative; boundary=\"inner\"",
      "",
      "--inner",
      "Content-Type: text/plain; charset=\"UTF-8\"; format=flowed",
      "",
      reply,
      "--inner",
      "Content-Type: text/html; charset=UTF-8",
      "",
      "<p>1 done and 2 skip</p>",
      "--inner--",
      "--outer",
      "Content-Type: text/plain; charset=UTF-8",
      "",
      "fixed \nlines",
      "--outer--",
      "",
    ].join("\n");
    const email = await parsed(eml({ From: "a@example.com", "Content-Type": "multipart/mixed; boundary=outer" }, body));
    expect(email.text).toBe("> Kith: 3 people to catch up with\n> 1. Ada Lovelace \n\n1 done and 2 skip\n\nfixed \nlines\n");
  });

  it("leaves a flowed text/plain attachment out of the text", async () => {
    const body = ["--b", "Content-Type: text/plain; charset=UTF-8", "", "see attached", "--b", "Content-Type: text/plain; format=flowed", "Content-Disposition: attachment; filename=\"notes.txt\"", "", "a \nb", "--b--", ""].join("\n");
    const email = await parsed(eml({ From: "a@example.com", "Content-Type": "multipart/mixed; boundary=b" }, body));
    expect(email.text).toBe("see attached\n");
    expect(email.attachments.map((a) => a.filename)).toEqual(["notes.txt"]);
  });
});

describe("parseMail on many flowed parts", () => {
  it("reflows the first ones and stays quick on the rest", async () => {
    const part = (i: number) => `--b\nContent-Type: text/plain; format=flowed\n\n> q${i} \nr${i}\n`;
    const body = Array.from({ length: 5000 }, (_, i) => part(i)).join("") + "--b--\n";
    const started = performance.now();
    const email = await parsed(eml({ From: "a@example.com", "Content-Type": "multipart/mixed; boundary=b" }, body));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(email.text).toMatch(/^> q0 \nr0\n\n> q1 \nr1\n/);
  });
});
