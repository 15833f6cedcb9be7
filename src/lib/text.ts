/**
 * Bytes whose charset nobody said, or said wrong, as text: attachments (postal-mime hands
 * on an attachment's bytes but not its charset parameter) and vCard values. Contact
 * exports come in whatever the exporting program writes: Outlook and Excel's "CSV" in the
 * Windows code page (windows-1252 in the West), Excel's "Unicode Text" as UTF-16 LE with
 * a byte order mark, Excel's "CSV UTF-8" and Google with a UTF-8 one, LinkedIn as plain
 * UTF-8; Outlook's .ics files in windows-1252. The marks and the bytes themselves decide.
 */

const BOMS: [number[], string][] = [
  [[0xef, 0xbb, 0xbf], "utf-8"],
  [[0xff, 0xfe], "utf-16le"],
  [[0xfe, 0xff], "utf-16be"],
];

// Enough of the file to tell UTF-16 from bytes that merely hold a NUL or two.
const SNIFF = 4096;

/**
 * The text of the bytes. A byte order mark decides (and is dropped); else the part's
 * charset parameter when this runtime knows it; else UTF-16 when every other byte is NUL
 * (the ASCII half of UTF-16 without a mark is valid UTF-8, so this is asked first); else
 * UTF-8 when the bytes are valid UTF-8; else windows-1252.
 */
export function textOf(content: ArrayBuffer | Uint8Array | string, charset?: string): string {
  if (typeof content === "string") return content.replace(/^\ufeff/, "");
  const bytes = content instanceof Uint8Array ? content : new Uint8Array(content);
  for (const [bom, label] of BOMS) {
    if (bom.every((b, i) => bytes[i] === b)) return new TextDecoder(label).decode(bytes.subarray(bom.length));
  }
  const declared = charset ? declaredText(bytes, charset) : undefined;
  if (declared !== undefined) return declared;
  const utf16 = utf16Order(bytes);
  if (utf16) return new TextDecoder(utf16).decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** The bytes in the declared charset; undefined when the declaration tells nothing. */
function declaredText(bytes: Uint8Array, charset: string): string | undefined {
  const label = charset.trim().replace(/^"(.*)"$/, "$1");
  // US-ASCII says nothing about bytes above 0x7F (clients label files they did not read
  // that way), and a UTF-8 label on bytes that are not UTF-8 is wrong: guess instead.
  if (/^(?:us-?)?ascii$/i.test(label)) return undefined;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
    if (decoder.encoding === "utf-8") decoder = new TextDecoder(label, { fatal: true, ignoreBOM: false });
  } catch {
    return undefined; // a charset this runtime does not know
  }
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** "utf-16le" or "utf-16be" when a quarter or more of the leading byte pairs have a NUL
 * on one side and next to none on the other (the ASCII of a CSV in UTF-16). */
function utf16Order(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length, SNIFF) & ~1;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (pairs === 0) return undefined;
  if (odd >= pairs / 4 && even <= odd / 10) return "utf-16le";
  if (even >= pairs / 4 && odd <= even / 10) return "utf-16be";
  return undefined;
}
