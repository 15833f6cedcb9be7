import { describe, expect, it } from "vitest";
import { htmlToText } from "../../src/lib/html-text";
import { header, headers, parseMail, plainText, type Email, type ParseResult } from "../../src/inbound/mime/parse";
import { corpusBytes, corpusFiles } from "../support/corpus";

const enc = new TextEncoder();

function parsed(result: ParseResult): Email {
  if (!result.ok) throw new Error(`expected a parse, got: ${result.reason}`);
  return result.email;
}

type Check = (email: Email) => void;

/** Every file in corpus/malformed/, with what a person reading the mail would expect.
 * `null` means only "parses, does not throw, finishes in time". A new corpus file fails
 * the coverage test below until it gets a row here. */
const MALFORMED: Record<string, Check | null> = {
  "cpython_invalid_date_hour27.eml": (e) => {
    expect(e.subject).toBe("VIARGA|CIALIS|LEVITRA");
    expect(e.date).toBe("Tue, 06 Jun 2017 27:39:33 +0600"); // kept raw, not a wrong date
  },
  "erp_pathological_regex_dos.txt": (e) => {
    // no header block: the whole text is the body, first line included
    expect(plainText(e)).toMatch(/^I think you're onto something\./);
    expect(e.headers).toEqual([]);
  },
  "mailparser_empty_rfc822_dup_close.eml": (e) => expect(e.subject).toBe("Fwd: fotos"),
  "mailparser_html_callstack_bomb.eml": (e) => {
    // the whole 570 KB soup sits inside <title>, which is not body text
    expect(e.html?.length).toBeGreaterThan(500_000);
    expect(plainText(e)).toBe("");
    expect(htmlToText((e.html ?? "").replace(/<\/?title>/gi, "")).length).toBeGreaterThan(100_000);
  },
  "mailparser_root_is_base64_image.eml": (e) => {
    expect(e.attachments.map((a) => a.mimeType)).toEqual(["image/png"]);
    expect(plainText(e)).toBe("");
  },
  "mikel_at_in_unquoted_display_name.eml": null,
  "mikel_bad_encoded_word_none_charset.eml": (e) => {
    expect(e.subject).toBe("TEST");
    expect(plainText(e).trim()).toBe("TEST");
  },
  "mikel_charset_ks_c_5601_1987.eml": (e) => expect(plainText(e)).toMatch(/[\uac00-\ud7a3]/), // Hangul
  "mikel_cte_with_semicolon.eml": (e) => expect(plainText(e)).not.toMatch(/=\r?\n/), // QP decoded
  "mikel_double_at_message_id_euc_kr.eml": (e) => expect(e.subject).toBe("NOTE: 한국말로 하는 것"),
  "mikel_duplicate_content_type.eml": null,
  "mikel_empty_header_values_sig_only.eml": (e) => expect(e.from).toEqual({ name: "Jørn Støylen", address: "jorn@prikkprikkprikk.no" }),
  "mikel_enron_spam_big5_empty_cte.eml": null,
  "mikel_mojibake_headers_binary_cte.eml": null,
  "mikel_reply_to_8bit_empty_addr.eml": (e) => expect(e.from?.address).toBe("no-reply@crm.el-example.org"),
  "mikel_rfc6532_raw_utf8_headers.eml": (e) => {
    expect(e.from).toEqual({ name: "Jöhn Doe", address: "jdöe@mächine.example" });
    expect(e.subject).toBe("Säying Hello");
  },
  "mikel_to_header_leading_comma_empty_subject.eml": null,
  "mikel_to_header_trailing_comma.eml": null,
  "mikel_undisclosed_recipients_group.eml": null,
  "mikel_unquoted_illegal_boundary.eml": (e) => expect(e.text).toBeTruthy(),
  "mikel_windows1252_b_display_name.eml": (e) => {
    // raw 8-bit Latin-1 in an unencoded Subject, read as such rather than as U+FFFD
    expect(e.subject).toBe("Formação FrenetikPolis: Mega Campanha Final Verão | Cursos de Setembro");
    expect(e.from).toEqual({ name: "Formação Frenetikpolis", address: "info@formacaofrenetik.info" });
  },
  "mime4j_base64_rfc822_nested.msg": (e) => {
    expect(e.inner?.subject).toBeTruthy();
    expect(plainText(e).length).toBeGreaterThan(0);
  },
  "mime4j_boundary_prefix_clash.msg": (e) => expect(e.attachments.map((a) => a.mimeType)).toEqual(["application/pdf"]),
  "mime4j_boundary_text_in_body.msg": null,
  "mime4j_boundary_transport_padding.msg": null,
  "mime4j_header_no_blank_line.msg": (e) => expect(e.subject).toBe("this is a subject"),
  "mime4j_header_separator_is_space.msg": (e) => expect(e.subject).toBe("Simple Subject"),
  "mime4j_long_headers.msg": (e) => expect(headers(e, "Received").length).toBe(93),
  "mime4j_missing_boundary.msg": null,
  "mime4j_missing_inner_boundary.msg": null,
  "mime4j_no_headers_at_all.msg": (e) =>
    expect(plainText(e)).toMatch(/^This is a simple message not having headers\.\nThe whole text/),
  "mime4j_very_long_boundary.msg": null,
  "mimekit_content_type_missing_subtype.eml": null,
  "mimekit_empty_nested_multipart.eml": null,
  "mimekit_huge_to_header_encoded_words.eml": (e) => {
    expect(e.from?.address).toBe("test@test.com");
    expect(e.subject).toBe("Message Subject");
  },
  "mimetools_double_semicolon_ctype.msg": null,
  "mimetools_evil_filenames.msg": null,
  "mimetools_infinite_base64_message.msg": (e) => expect(plainText(e)).toContain("Return-Path: <owner-cacomp-l@linf.unb.br>"),
  "php_truncated_exchange_dsn_gb2312.eml": null,
  "php_x_mac_cyrillic_charset.eml": (e) => expect(plainText(e)).toMatch(/^ACADEMIC NEWSLETTER #11 \| March 2019\n/),
  "postalmime_mime_torture.eml": (e) => expect(e.subject).toBe("Ryan Finnie's MIME Torture Test v1.0"),
  "tb_attachment_before_body_multipart.eml": (e) => expect(e.attachments.map((a) => a.mimeType)).toEqual(["application/pdf"]),
  "tb_duplicate_from_sender_date_subject.eml": (e) => {
    // the first of each duplicate wins, consistently across the helpers
    expect(headers(e, "From").length).toBe(2);
    expect(e.from?.address).toBe(/<?([^<>\s]+@[^<>\s]+)>?/.exec(header(e, "from") ?? "")?.[1]);
  },
  "zbateson_eudora_8bit_in_encoded_word.eml": (e) => {
    // raw Latin-1 bytes inside =?iso-8859-1?Q?...?= words, decoded by the word's charset
    expect(e.subject).toBe("Die Hasen und die Frösche");
    expect(e.to?.[0]?.name).toBe("Jürgen Schmürgen");
  },
  "zbateson_invalid_charset.eml": (e) => {
    expect(e.subject).toBe("Test invalid charset");
    expect(e.to?.[0]).toEqual({ name: "Jürgen Schmürgen", address: "schmuergen@example.com" });
    expect(plainText(e).length).toBeGreaterThan(100);
  },
  "zbateson_multipart_star_ctype.eml": null,
};

describe("parseMail on corpus/malformed", () => {
  it("has an expectation for every file", () => {
    expect(corpusFiles("malformed/").map((p) => p.slice("malformed/".length))).toEqual(Object.keys(MALFORMED).sort());
  });

  for (const [file, check] of Object.entries(MALFORMED)) {
    it(file, async () => {
      const email = parsed(await parseMail(corpusBytes(`malformed/${file}`)));
      expect(typeof plainText(email)).toBe("string");
      check?.(email);
    });
  }
});

describe("parseMail refusals", () => {
  it("refuses an empty message", async () => {
    expect(await parseMail(new Uint8Array(0))).toEqual({ ok: false, reason: "Kith could not read this message: it is empty." });
    expect((await parseMail(enc.encode("\r\n \r\n"))).ok).toBe(false);
  });

  it("refuses MIME nested deeper than 32 levels, quickly", async () => {
    let mail = "From: a@example.com\r\nSubject: deep\r\n";
    for (let d = 0; d < 200; d++) mail += `Content-Type: multipart/mixed; boundary="b${d}"\r\n\r\n--b${d}\r\n`;
    mail += "Content-Type: text/plain\r\n\r\nbottom\r\n";
    const result = await parseMail(enc.encode(mail));
    expect(result).toEqual({ ok: false, reason: "Kith could not read this message: its MIME structure is nested too deeply." });
  });

  it("refuses more than 256 KB of headers", async () => {
    const hop = "Received: from relay.example.net by mx.example.com; Tue, 1 Jan 2030 00:00:00 +0000\r\n";
    const mail = `From: a@example.com\r\n${hop.repeat(4000)}\r\nbody\r\n`;
    const result = await parseMail(new Uint8Array(enc.encode(mail)).buffer); // the ArrayBuffer form
    expect(result).toEqual({ ok: false, reason: "Kith could not read this message: its headers are too large." });
  });

  it("keeps message/rfc822 nesting to 3 levels and flags the rest", async () => {
    let mail = "Subject: level 9\r\n\r\nbottom\r\n";
    for (let d = 8; d >= 0; d--) mail = `Subject: level ${d}\r\nContent-Type: message/rfc822\r\n\r\n${mail}`;
    const email = parsed(await parseMail(enc.encode(mail)));
    expect(email.attachments.some((a) => a.rfc822DepthExceeded)).toBe(true);
    expect(email.inner?.inner?.inner?.subject).toBe("level 3");
    expect(email.inner?.inner?.inner?.inner).toBeUndefined();
  });
});

describe("header helpers", () => {
  const mail = "From: A <a@example.com>\r\nX-Tag: one\r\nx-tag: two\r\nSubject: =?utf-8?q?caf=C3=A9?=\r\n\r\nhi\r\n";

  it("reads first and all values, case-insensitively", async () => {
    const email = parsed(await parseMail(enc.encode(mail)));
    expect(header(email, "X-TAG")).toBe("one");
    expect(headers(email, "x-Tag")).toEqual(["one", "two"]);
    expect(header(email, "subject")).toBe("=?utf-8?q?caf=C3=A9?="); // raw; email.subject is decoded
    expect(email.subject).toBe("café");
    expect(header(email, "cc")).toBeUndefined();
    expect(headers(email, "cc")).toEqual([]);
  });
});

describe("plainText", () => {
  it("prefers the text part, with \\n line ends", async () => {
    const mail = [
      "Content-Type: multipart/alternative; boundary=x", "", "--x", "Content-Type: text/plain", "",
      "line one", "line two", "--x", "Content-Type: text/html", "", "<p>other</p>", "--x--", "",
    ].join("\r\n");
    expect(plainText(parsed(await parseMail(enc.encode(mail))))).toBe("line one\nline two\n");
  });

  it("renders HTML when there is no text part", async () => {
    const html = "<html><head><title>T</title><style>p{color:red}</style></head><body>" +
      "<div>Hi&nbsp;Ana,</div><div><br></div><div>Meet <b>Bo</b> &amp; Cy &#8212; caf&eacute; &#x1F600;</div>" +
      "<script>alert('x<y')</script><p>Bo&lt;bo@example.com&gt;<br>+1 555</p><!-- hidden --></body></html>";
    const mail = `Content-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`;
    expect(plainText(parsed(await parseMail(enc.encode(mail))))).toBe(
      "Hi Ana,\n\nMeet Bo & Cy \u2014 café \u{1F600}\n\nBo<bo@example.com>\n+1 555",
    );
  });

  it("renders Outlook-style paragraphs and tables", () => {
    const html = '<p class=MsoNormal>Dear Ana,<o:p></o:p></p><p class=MsoNormal>&nbsp;</p>' +
      "<p class=MsoNormal>Thanks</p><table><tr><td>Name</td><td>Bo</td></tr><tr><td>Tel</td><td>1</td></tr></table>";
    expect(htmlToText(html)).toBe("Dear Ana,\n\nThanks\n\nName Bo\nTel 1");
  });

  it("keeps a literal < and survives broken markup", () => {
    expect(htmlToText("a < b and 1<2 <b>bold")).toBe("a < b and 1<2 bold");
    expect(htmlToText("ok <a href='x")).toBe("ok");
    expect(htmlToText("ok <!-- never closed")).toBe("ok");
    expect(htmlToText("<script>never closed")).toBe("never closed");
  });

  it("stays linear on hostile markup", () => {
    const bombs = ["<".repeat(300_000), "<a ".repeat(200_000), "<!--".repeat(200_000) + "x",
      "<script>".repeat(100_000), "&#".repeat(300_000), " <b> ".repeat(200_000)];
    for (const bomb of bombs) expect(typeof htmlToText(bomb)).toBe("string");
  });
});
