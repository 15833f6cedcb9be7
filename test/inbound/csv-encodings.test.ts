/** Contact exports in the encodings Outlook, Excel and Google write them, from the bytes
 * to the contacts stored. */
import { describe, expect, it } from "vitest";
import { textOf as csvText } from "../../src/lib/text";
import { uniq } from "../support/clock";
import { contactsOf, eml, send, signUp } from "../support/mail";

const KITH = "kith@kith.test";

// `?raw` would read the fixtures as UTF-8, ruining the very bytes under test, and workerd
// cannot read the disk; `?url&inline` makes vite inline each file as a base64 data: URL.
const files = import.meta.glob<string>("../fixtures/csv/*.{csv,txt}", { query: "?url&inline", import: "default", eager: true });

function fixture(name: string): Uint8Array {
  const url = files[`../fixtures/csv/${name}`];
  if (url === undefined) throw new Error(`no fixture ${name}`);
  return Uint8Array.from(atob(url.slice(url.indexOf(",") + 1)), (c) => c.charCodeAt(0));
}

const bytes = (...b: number[]) => new Uint8Array(b);
const utf8 = (s: string) => new Uint8Array(new TextEncoder().encode(s));
const utf16le = (s: string) => new Uint8Array(Uint16Array.from(s, (c) => c.charCodeAt(0)).buffer);
const utf16be = (s: string) => bytes(...[...s].flatMap((c) => [c.charCodeAt(0) >> 8, c.charCodeAt(0) & 0xff]));
const concat = (...parts: Uint8Array[]) => bytes(...parts.flatMap((p) => [...p]));
const LINE = "First Name,Last Name,E-mail Address\r\nZoë,Åkesson,zoe@example.se\r\n";

describe("csvText", () => {
  it("has the decoders it relies on inside workerd", () => {
    expect(new TextDecoder("windows-1252").decode(bytes(0x80, 0x92, 0xeb))).toBe("€’ë");
    expect(new TextDecoder("utf-16le").decode(bytes(0xeb, 0x00, 0x59, 0x01))).toBe("ëř");
    expect(new TextDecoder("utf-16be").decode(bytes(0x00, 0xeb, 0x01, 0x59))).toBe("ëř");
  });

  it("lets a byte order mark decide, and drops it", () => {
    expect(csvText(concat(bytes(0xef, 0xbb, 0xbf), utf8(LINE)))).toBe(LINE);
    expect(csvText(concat(bytes(0xff, 0xfe), utf16le(LINE)))).toBe(LINE);
    expect(csvText(concat(bytes(0xfe, 0xff), utf16be(LINE)))).toBe(LINE);
    // A mark outweighs the part's charset parameter.
    expect(csvText(concat(bytes(0xef, 0xbb, 0xbf), utf8(LINE)), "windows-1252")).toBe(LINE);
    expect(csvText(concat(bytes(0xff, 0xfe), utf16le(LINE)).buffer, "utf-8")).toBe(LINE);
  });

  it("reads the charset parameter when the runtime knows it", () => {
    expect(csvText(bytes(0x5a, 0x6f, 0xeb, 0x2c, 0x92), "windows-1252")).toBe("Zoë,’");
    expect(csvText(bytes(0x5a, 0x6f, 0xeb), '"ISO-8859-1"')).toBe("Zoë");
    expect(csvText(utf16le(LINE), "UTF-16LE")).toBe(LINE);
    expect(csvText(bytes(0xe0, 0xdb), "koi8-r")).toBe("Юш");
  });

  it("guesses when the charset says nothing or is wrong", () => {
    // Unknown to the runtime; US-ASCII, which says nothing of bytes above 0x7F.
    expect(csvText(utf8(LINE), "x-mac-unknown")).toBe(LINE);
    expect(csvText(utf8(LINE), "us-ascii")).toBe(LINE);
    // Declared UTF-8, but not UTF-8 at all.
    expect(csvText(bytes(0x5a, 0x6f, 0xeb), "utf-8")).toBe("Zoë");
  });

  it("takes valid UTF-8 as UTF-8, anything else as windows-1252", () => {
    expect(csvText(utf8(LINE))).toBe(LINE);
    expect(csvText(utf8(LINE).buffer)).toBe(LINE);
    expect(csvText(bytes(0x4a, 0x6f, 0x73, 0xe9, 0x20, 0x50, 0x65, 0xf1, 0x61, 0x2c, 0x80, 0x93, 0x94))).toBe("José Peña,€“”");
    // A view into a larger buffer is read from its own offset.
    expect(csvText(concat(bytes(0xff, 0xfe), utf8("Zoë")).subarray(2))).toBe("Zoë");
  });

  it("knows UTF-16 without a mark by its NULs", () => {
    expect(csvText(utf16le(LINE))).toBe(LINE);
    expect(csvText(utf16be(LINE))).toBe(LINE);
    // All ASCII, so valid UTF-8 too: the NULs are asked about first.
    expect(csvText(utf16le("Name\tE-mail\r\nAnn Lee\tann@example.com\r\n"))).toBe("Name\tE-mail\r\nAnn Lee\tann@example.com\r\n");
    // A stray NUL does not make UTF-8 into UTF-16.
    expect(csvText(utf8("Name,Email\r\nZoë,zoe@example.se\0\r\n"))).toBe("Name,Email\r\nZoë,zoe@example.se\0\r\n");
  });

  it("passes a string through but for a leading U+FEFF", () => {
    expect(csvText(`\ufeff${LINE}`)).toBe(LINE);
    expect(csvText("a,\ufeffb")).toBe("a,\ufeffb");
    expect(csvText(new Uint8Array())).toBe("");
  });
});

/** A mail to Kith with `file` attached as the client types it. */
function mailWith(me: string, file: Uint8Array, part: string[]): string {
  const b64 = btoa(String.fromCharCode(...file)).replace(/.{76}/g, "$&\n");
  const body = ["--b", "Content-Type: text/plain; charset=utf-8", "", "My contacts, attached.", "--b", ...part, "Content-Transfer-Encoding: base64", "", b64, "--b--", ""];
  return eml({ From: `Ann Example <${me}>`, To: KITH, Subject: "contacts", "Content-Type": 'multipart/mixed; boundary="b"' }, body.join("\n"));
}

async function imported(mail: (me: string) => string) {
  const me = `ann-${uniq()}@example.com`;
  await signUp(me);
  const out = await send(mail(me));
  expect(out.outcome).toBe("applied");
  return (await contactsOf(me)).map((c) => ({ name: c.name, emails: c.emails?.split(",").sort(), company: c.company, title: c.title }));
}

const zoe = { name: "Zoë Åkesson", emails: ["zoe.akesson@nordiskljus.example"], company: "Nordisk Ljus AB", title: "Produktchef" };
const francois = {
  name: "François Müller",
  emails: ["f.muller@mullerfils.example", "francois.muller@gmail.example"],
  company: "Müller & Fils SàRL",
  title: "Directeur général",
};
const antonin = { name: "Antonín Dvořák", emails: ["antonin.dvorak@dvorak-novak.example"], company: "Dvořák, Novák a spol." };

describe("a contact export mailed to Kith", () => {
  it("reads Outlook's Export to CSV, in windows-1252", async () => {
    // Outlook names the export Contacts.CSV and sends .csv as Excel's type.
    const part = ['Content-Type: application/vnd.ms-excel; name="Contacts.CSV"', 'Content-Disposition: attachment; filename="Contacts.CSV"'];
    expect(await imported((me) => mailWith(me, fixture("outlook-export.csv"), part))).toEqual([
      { ...francois },
      { name: "José Peña", emails: ["jose.pena@atelierpena.example"], company: "L’Atelier Peña", title: "Fundador" },
      { ...zoe },
    ]);
  });

  it("reads Excel's Unicode Text, UTF-16 LE and tab-separated", async () => {
    // Excel saves it as .txt, and Kith reads attachments named .csv or typed text/csv:
    // this is the file renamed before it was sent.
    const part = ['Content-Type: application/vnd.ms-excel; name="Contacts.csv"', 'Content-Disposition: attachment; filename="Contacts.csv"'];
    expect(await imported((me) => mailWith(me, fixture("excel-unicode-text.txt"), part))).toEqual([
      { ...antonin, title: "Jednatel" },
      { ...francois },
      { name: "José Peña", emails: ["jose.pena@atelierpena.example"], company: "L’Atelier Peña", title: "Fundador" },
      { ...zoe },
    ]);
  });

  it("reads a Google Contacts export, UTF-8 with a BOM", async () => {
    // Gmail states the charset; postal-mime does not pass it on, and the BOM decides.
    const part = ['Content-Type: text/csv; charset="UTF-8"; name="contacts.csv"', 'Content-Disposition: attachment; filename="contacts.csv"', "X-Attachment-Id: f_m1a2b3c40"];
    expect(await imported((me) => mailWith(me, fixture("google-contacts.csv"), part))).toEqual([
      { ...antonin, title: null },
      { ...francois },
      { name: "José Peña", emails: ["jose.pena@atelierpena.example"], company: null, title: null },
      { ...zoe },
    ]);
  });
});
