/** The calendar texts a mail carries: the invitation part Google, Outlook and Apple put
 * beside the text and HTML, attached .ics files, and those inside a forwarded message. */
import PostalMime from "postal-mime";
import type { Attachment, Email, PostalMimeOptions } from "postal-mime";
import { textOf } from "../../lib/text";

const CALENDAR_TYPES = new Set(["text/calendar", "application/ics", "text/x-vcalendar"]);
const MAX_PARTS = 10;
// A forward of a forward of a forward, as the mail parser itself allows (mime/parse.ts).
const MAX_FORWARD_DEPTH = 3;
// Limits for parsing a forwarded copy, as mime/parse.ts sets them for the whole mail.
const LIMITS = {
  maxNestingDepth: 32,
  maxHeadersSize: 256 * 1024,
  attachmentEncoding: "arraybuffer",
} satisfies PostalMimeOptions;

/**
 * Every distinct calendar text in a parsed mail, in mail order. Google sends one
 * invitation twice (the text/calendar alternative and invite.ics): it is returned once.
 * postal-mime inlines a forwarded message shown in the body and lists its parts among
 * the mail's own; one attached as a file (message/rfc822) is parsed here to look inside.
 */
export async function calendarParts(email: Email): Promise<string[]> {
  const found = new Set<string>();
  await collect(email, 0, found);
  return [...found];
}

async function collect(email: Email, depth: number, found: Set<string>): Promise<void> {
  for (const attachment of email.attachments) {
    if (found.size >= MAX_PARTS) return;
    const type = attachment.mimeType.toLowerCase();
    if (type === "message/rfc822") {
      if (depth < MAX_FORWARD_DEPTH) await collectForwarded(attachment, depth, found);
    } else if (CALENDAR_TYPES.has(type) || /\.ics$/i.test(attachment.filename ?? "")) {
      const text = decode(attachment).replace(/\r\n?/g, "\n").trim();
      if (text) found.add(text);
    }
  }
}

async function collectForwarded(attachment: Attachment, depth: number, found: Set<string>): Promise<void> {
  try {
    const remaining = MAX_FORWARD_DEPTH - depth - 1;
    const inner = await PostalMime.parse(bytesOf(attachment), { ...LIMITS, maxRfc822NestingDepth: remaining });
    await collect(inner, depth + 1, found);
  } catch {
    // an unreadable forwarded copy: the mail's own parts still count
  }
}

/**
 * The part as text. postal-mime has already decoded text/calendar and application/ics
 * from their charset parameter into UTF-8; any other type (an .ics sent as
 * application/octet-stream) comes as raw bytes with no charset, read as lib/text.ts
 * reads such bytes (a byte order mark, else UTF-8 when valid, else Outlook's
 * windows-1252).
 */
function decode(attachment: Attachment): string {
  if (typeof attachment.content === "string" && attachment.encoding !== "base64") return attachment.content;
  return textOf(bytesOf(attachment));
}

function bytesOf(attachment: Attachment): Uint8Array {
  const { content } = attachment;
  if (content instanceof Uint8Array) return content;
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  if (attachment.encoding === "base64") {
    try {
      return Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
    } catch {
      return new Uint8Array();
    }
  }
  return new TextEncoder().encode(content);
}
