/** What a user typed in a reply, read from real replies of many clients and languages
 * (../shared/corpus/replies): every file has a row saying, by eye, what its sender typed. */
import { describe, expect, it } from "vitest";
import { parseMail } from "../../src/inbound/mime/parse";
import { typedReply } from "../../src/inbound/reply/typed";
import { parseReplyCommands } from "../../src/reminders/commands";
import { corpusBytes, corpusFiles, corpusText } from "../support/corpus";

/** The typed text exactly, or its first line and the start of its last for long ones. */
type Typed = string | { first: string; last: string };

const LOREM: Typed = {
  first: "Fusce bibendum, quam hendrerit sagittis tempor, dui turpis tempus erat, pharetra sodales ante sem sit amet metus.",
  last: "et mollis ligula rutrum quis. Fusce sed odio id arcu varius aliquet nec nec nibh.",
};
const THATS_TRUE = "That's true!\n\nRegards,\n\ne.";

const TYPED: Record<string, Typed> = {
  "crisp_danish_mobile.txt": LOREM,
  "crisp_gmail_header_wrapped.txt": LOREM,
  "crisp_gmail_no.txt": LOREM,
  "crisp_gmail_ru.txt": LOREM,
  "crisp_hungarian.txt": "Thank you!",
  "crisp_outlook_de.txt": LOREM,
  "crisp_outlook_from_wrapped.txt": LOREM,
  "crisp_outlook_ios.txt": LOREM, // "Get Outlook for iOS" is the client's, not the user's
  "crisp_reply_header_linebreak.txt": { first: "This is the latest reply.", last: "Stranger" },
  "crisp_zoho.txt": "What is the best way to clear a Riak bucket of all key, values after\nrunning a test?",
  "erp_gmail_on_wrote_date_slash.txt": "Oh thanks.\n\nHaving the function would be great.\n\n-Abhishek Kona",
  "erp_greedy_on.txt": { first: "On your remote host you can run:", last: "fails, the tunnel is not working." },
  // Nothing above the quote: the unquoted lines between the '>' blocks are the reply.
  "erp_interleaved_inline_reply.txt": "I will reply under this one\n\nand under this.",
  "erp_outlook_star_headers.txt": "Outlook with a reply",
  "erp_outlook_underscore_sep.txt": "Outlook with a reply directly above line",
  "fwdparser_apple_reply_above_quote.txt": THATS_TRUE,
  "fwdparser_new_outlook_reply.txt": THATS_TRUE,
  "fwdparser_thunderbird_reply.txt": THATS_TRUE,
  "fwdparser_yahoo_reply.txt": THATS_TRUE,
  "mpr_apple_sv.txt": "Hej Person A,\n\nUrsäkta mitt sena svar!\n\nKan inte se att det står något om vilket företag det gäller?\n\nMvh,\nPerson B",
  // The banner goes; the corporate disclaimer under the sign-off is below no quote, so it stays.
  "mpr_external_caution_banner.txt": { first: "Hi lads's Team,", last: "lads's monitors email communications" },
  "mpr_gmail_de_multiline.txt": "Am heutigen Tage",
  "mpr_gmail_ja.txt": "田中様\n\nお世話になっております。織田です。\n\nそれでは 11:00 にお待ちしております。\n\n\n以上、よろしくお願いいたします",
  "mpr_gmail_qp_artifacts.txt": { first: "Thank you, Sonya Johnson.", last: "Christopher Edwards" },
  // The later messages of the thread are unquoted, under their own "On … wrote:".
  "mpr_ios_thread_unquoted.txt": "No problem. I’ll just start a new order.",
  // Opens with an Outlook header block: the whole body is a quoted message, nothing typed.
  "mpr_outlook_pl.txt": "",
  "talon_android.eml": "Hello",
  "talon_aol.eml": "Hello",
  "talon_apple_mail.eml": "Hello",
  "talon_apple_mail_2.eml": "Hello",
  "talon_comcast_zimbra.eml": "Hello",
  "talon_gmail.eml": "Hello",
  "talon_hotmail.eml": "Hello",
  "talon_iphone.eml": "Hello",
  // The text part says "Hello", the HTML part something else: the text part is read.
  "talon_outlook.eml": "Hello",
  "talon_outlook2007_body.html": "Hi. I am fine.\n\nThanks,\n\nAlex",
  "talon_outlook2010_body.html": "Hi. I am fine.\n\nThanks,\n\nAlex",
  "talon_sparrow.eml": "Hello",
  // Bottom-posted "> Hi \nHello" in format=flowed: the quoted line ends in a space, but a
  // change of quote depth ends its paragraph (RFC 3676 4.5), so "Hello" stays a line of its own.
  "talon_thunderbird.eml": "Hello",
  "talon_thunderbird_body.html": "Hi. I am fine.\n\nThanks,\nAlex",
  "talon_yahoo.eml": "Hello",
  "wd_windows10_mail.txt": "Great thanks Bort, going for a test now.\nBraxton",
  "wd_zimbra_fr.txt": "Bonjour Test,\n\nText paragraph 1\n\n\nLe paragraphe qui pose problème.\n\nText paragraph 2\n\nMichael Scott",
};

const files = corpusFiles("replies/");

/** The parts of a corpus file as the inbound pipeline sees them. */
async function bodyOf(path: string): Promise<{ text: string; html?: string }> {
  if (path.endsWith(".eml")) {
    const parsed = await parseMail(corpusBytes(path));
    if (!parsed.ok) throw new Error(parsed.reason);
    return { text: parsed.email.text ?? "", html: parsed.email.html };
  }
  if (path.endsWith(".html")) return { text: "", html: corpusText(path) };
  return { text: corpusText(path) };
}

function expectTyped(actual: string, want: Typed): void {
  if (typeof want === "string") return void expect(actual).toBe(want);
  const lines = actual.split("\n");
  expect(lines[0]).toBe(want.first);
  expect(lines[lines.length - 1]!.startsWith(want.last), `last line: ${lines[lines.length - 1]}`).toBe(true);
}

describe("typedReply on the corpus", () => {
  it("has a row for every reply in the corpus, and no row for a file that is gone", () => {
    expect(files.length).toBe(43);
    expect(files.map((p) => p.slice("replies/".length))).toEqual(Object.keys(TYPED).sort());
  });

  it.each(files)("%s", async (path) => {
    const { text, html } = await bodyOf(path);
    const typed = typedReply(text, html);
    expectTyped(typed, TYPED[path.slice("replies/".length)]!);
    // Nothing quoted or client-made leaks through.
    expect(typed).not.toMatch(/^>|wrote:|^From:|Original Message|Sent from my|^Get Outlook/m);
  });

  it("reads Thunderbird's bottom-posted reply from the raw text part", () => {
    const raw = corpusText("replies/talon_thunderbird.eml");
    const body = raw.slice(raw.indexOf("\n\n") + 2);
    expect(typedReply(body)).toBe("Hello");
  });
});

// A reply to a Kith reminder, typed where each corpus sender typed theirs.
const COMMAND = "1 done, 3 snooze 2 weeks\n\nThanks,\nAlex";
const ONE_DONE = { items: [1], action: { kind: "done" } };

/** The source with its typed lines swapped for COMMAND. */
function swapTyped(source: string, want: Typed): string {
  const lines = source.replace(/\r\n?/g, "\n").replace(/[\u200b\ufeff]/g, "").split("\n");
  const first = typeof want === "string" ? want.split("\n")[0]! : want.first;
  const last = typeof want === "string" ? want.split("\n").at(-1)! : want.last;
  const a = lines.findIndex((l) => l.trimEnd() === first);
  const b = lines.findIndex((l, i) => i >= a && l.trimEnd().startsWith(last));
  expect(a >= 0 && b >= a, `typed lines of ${first}`).toBe(true);
  return [...lines.slice(0, a), COMMAND, ...lines.slice(b + 1)].join("\n");
}

describe("a command typed above the quote, in every corpus reply", () => {
  const now = Date.parse("2026-03-02T15:30:00Z");
  const topPosted = files.filter((p) => {
    const want = TYPED[p.slice("replies/".length)]!;
    return want !== "" && !p.includes("interleaved") && !p.endsWith(".html");
  });

  it.each(topPosted)("%s", async (path) => {
    const { text, html } = await bodyOf(path);
    const typed = typedReply(swapTyped(text, TYPED[path.slice("replies/".length)]!), html);
    expect(typed).toBe(COMMAND);
    const read = parseReplyCommands(typed, { now, timeZone: "Europe/Berlin", itemCount: 3 });
    expect(read).toEqual({ ok: true, commands: [ONE_DONE, { items: [3], action: { kind: "snooze", until: Date.parse("2026-03-16T08:00:00Z") } }] });
  });

  it.each(files.filter((p) => p.endsWith(".html")))("%s (HTML only)", (path) => {
    const html = corpusText(path).replace("Hi. I am fine.", "1 done");
    const read = parseReplyCommands(typedReply("", html), { now, timeZone: "Europe/Berlin", itemCount: 3 });
    expect(read).toEqual({ ok: true, commands: [ONE_DONE] });
  });
});

describe("typedReply on replies to Kith", () => {
  const quoted = "> Kith: 3 people to catch up with\n> 1. Ada Lovelace\n> 2. Alan Turing\n";

  it("stops at a Gmail header wrapped right under the command, address digits and all", () => {
    const text = `1 done\nOn Mon, Mar 2, 2026 at 9:00 AM Kith <\nkith+r-1234567@kith.example> wrote:\n\n${quoted}`;
    expect(typedReply(text)).toBe("1 done");
  });

  it("keeps typed lines that merely end in 'wrote:' or start with 'On'", () => {
    const text = `note On Friday she wrote:\nsee attached\n\nOn 2 Mar 2026, at 09:00, Kith <kith@kith.example> wrote:\n${quoted}`;
    expect(typedReply(text)).toBe("note On Friday she wrote:\nsee attached");
  });

  it.each([
    ["Von meinem iPhone gesendet"],
    ["Sent from Yahoo Mail on Android"],
    ["Get Outlook for Android<https://aka.ms/AAb9ysg>"],
    ["Envoyé de mon iPhone"],
    ["-- \nAlex Example\n+1 555 0100"],
  ])("drops the signature %j", (signature) => {
    expect(typedReply(`snooze 3 days\n\n${signature}\n\n${quoted}`)).toBe("snooze 3 days");
  });

  it("stops at Outlook's separators and header blocks", () => {
    expect(typedReply("skip\n-----Original Message-----\nFrom: Kith\nSent: Monday\n\n1. Ada")).toBe("skip");
    expect(typedReply("skip\r\n\r\nVon: Kith <kith@kith.example>\r\nGesendet: Montag, 2. März 2026 09:00\r\nAn: ich@example.com\r\nBetreff: Kith\r\n")).toBe("skip");
    expect(typedReply("skip\n________________________________\nDe : Kith <kith@kith.example>\nEnvoyé : lundi 2 mars 2026 09:00\nÀ : moi@example.com\nObjet : Kith\n")).toBe("skip");
  });

  it("drops caution banners above the reply", () => {
    expect(typedReply(`[EXTERNAL]\n\n2 done\n\n${quoted}`)).toBe("2 done");
    const banner = "CAUTION: This email originated from outside of the organization. Do not click links or\nopen attachments unless you recognize the sender.";
    expect(typedReply(`${banner}\n\n2 done\n\n${quoted}`)).toBe("2 done");
    expect(typedReply(`You don't often get email from kith@kith.example. Learn why this is important\n2 done\n${quoted}`)).toBe("2 done");
  });

  it("reads an HTML-only reply above Gmail's or Apple's quote container", () => {
    const gmail = `<style>.gmail_quote{margin:0}</style><div dir="ltr">1 done<br>2 skip</div><br><div class="gmail_quote"><div class="gmail_attr">On Mon, Mar 2, 2026 at 9:00 AM Kith &lt;kith@kith.example&gt; wrote:<br></div><blockquote class="gmail_quote">1. Ada</blockquote></div>`;
    expect(typedReply("", gmail)).toBe("1 done\n2 skip");
    expect(typedReply("  \n", "<div>stop</div><div><br><blockquote type=\"cite\">On 2 Mar 2026, at 09:00, Kith wrote:<br>1. Ada</blockquote></div>")).toBe("stop");
  });

  it("reads an empty reply as nothing typed", () => {
    expect(typedReply("")).toBe("");
    expect(typedReply("", "")).toBe("");
    expect(typedReply(`\n\n${quoted}`)).toBe("");
  });
});

describe("typedReply on hostile input", () => {
  // The shapes that make backtracking reply parsers cubic; each must finish at once.
  it.each([
    [" on at", " on at".repeat(20_000)],
    ["dates", "On 1 Jan 2020 12:00 ".repeat(6_000)],
    ["angle brackets", `${"<a@".repeat(30_000)}>:`],
    ["short lines", "On 1:00 x\n".repeat(20_000)],
    ["labels", "From: x\nTo: y\n".repeat(10_000)],
    ["banner", `CAUTION ${"outside ".repeat(20_000)}`],
  ])("%s", (_name, text) => {
    expect(typeof typedReply(text)).toBe("string");
  });

  it("reads no further than 64 KB", () => {
    const text = `${"a".repeat(70_000)}\nlast line`;
    expect(typedReply(text)).not.toContain("last line");
  });

  it("survives the corpus's regex-DoS and HTML call-stack bombs", async () => {
    expect(typedReply(corpusText("malformed/erp_pathological_regex_dos.txt")).length).toBeGreaterThan(0);
    const bomb = await parseMail(corpusBytes("malformed/mailparser_html_callstack_bomb.eml"));
    if (!bomb.ok) throw new Error(bomb.reason);
    expect(typeof typedReply("", bomb.email.html ?? "")).toBe("string");
  });
});
