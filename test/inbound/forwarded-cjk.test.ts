/** Forwards from Gmail and Outlook in Japanese, Chinese (simplified and traditional) and
 * Korean, as those clients write them, through the whole pipeline: the original sender,
 * recipients and date. Also that CJK text which forwards nothing stays a plain mail. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parseForwardDate } from "../../src/inbound/forward/date";
import { parseForwardedBody } from "../../src/inbound/forward/extract";
import { CJK_SEPARATOR, FORWARD_WORD } from "../../src/inbound/forward/words";
import type { Person } from "../../src/inbound/types";
import { uniq } from "../support/clock";
import { contactsOf, eml, send, signUp, userId } from "../support/mail";

const KITH = "kith@kith.test";

type Encoding = "base64" | "quoted-printable";

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text.replace(/\r?\n/g, "\r\n"));

function base64(text: string): string {
  let binary = "";
  for (const b of utf8(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/.{76}/g, "$&\r\n");
}

/** Quoted-printable as Outlook writes it: every non-ASCII byte escaped, soft breaks at 76
 * (inside a character's bytes, too). */
function quotedPrintable(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const bytes = utf8(line);
      let out = "";
      let width = 0;
      bytes.forEach((b, i) => {
        const plain = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && i < bytes.length - 1);
        const piece = plain ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
        if (width + piece.length > 75) [out, width] = [`${out}=\r\n`, 0];
        out += piece;
        width += piece.length;
      });
      return out;
    })
    .join("\r\n");
}

/** An RFC 2047 encoded word, as both clients write a non-ASCII subject or name. */
function encodedWord(text: string): string {
  let binary = "";
  for (const b of utf8(text)) binary += String.fromCharCode(b);
  return `=?UTF-8?B?${btoa(binary)}?=`;
}

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A multipart/alternative body: the text, and the same lines as HTML (both clients send both). */
function alternative(boundary: string, text: string, encoding: Encoding): string {
  const encode = encoding === "base64" ? base64 : quotedPrintable;
  const html = `<div dir="ltr">${text.split("\n").map(escapeHtml).join("<br>\n")}</div>`;
  return [
    `--${boundary}`,
    'Content-Type: text/plain; charset="UTF-8"',
    `Content-Transfer-Encoding: ${encoding}`,
    "",
    encode(text),
    `--${boundary}`,
    'Content-Type: text/html; charset="UTF-8"',
    `Content-Transfer-Encoding: ${encoding}`,
    "",
    encode(html),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

interface Case {
  locale: string;
  client: "Gmail" | "Outlook";
  /** The forwarding mail's subject, as the client prefixes it. */
  subject: string;
  /** The text the client writes, for a user at `me`. */
  body: (me: string) => string;
  encoding: Encoding;
  from: Person;
  to: Person[];
  cc: Person[];
  /** ISO instant of the forwarded block's date (zone-less, so read as UTC). */
  date: string;
  /** The original's subject. */
  original: string;
}

/** A user's mail to Kith as the client sends it. */
function forwardMail(c: Case, me: string): string {
  const boundary = c.client === "Gmail" ? `000000000000${uniq()}0614c0ef` : `_000_TYCP286MB${uniq()}_`;
  const headers: Record<string, string> =
    c.client === "Gmail"
      ? {
          "MIME-Version": "1.0",
          Date: "Fri, 13 Mar 2026 09:30:00 +0900",
          "Message-ID": `<CAF${uniq()}${uniq()}@mail.gmail.com>`,
          Subject: encodedWord(c.subject),
          From: `${encodedWord("佐藤花子")} <${me}>`,
          To: KITH,
          "Content-Type": `multipart/alternative; boundary="${boundary}"`,
        }
      : {
          From: `${encodedWord("佐藤 花子")} <${me}>`,
          To: `"${KITH}" <${KITH}>`,
          Subject: encodedWord(c.subject),
          "Thread-Topic": encodedWord(c.original),
          "Thread-Index": "AQHbkX2Yc3Jp0m9kQ0u2lHq2bE6hHw==",
          Date: "Fri, 13 Mar 2026 00:30:00 +0000",
          "Message-ID": `<TYCP286MB${uniq()}@TYCP286MB2345.JPNP286.PROD.OUTLOOK.COM>`,
          "Accept-Language": `${c.locale}, en-US`,
          "Content-Language": c.locale,
          "X-MS-Has-Attach": "",
          "Content-Type": `multipart/alternative; boundary="${boundary}"`,
          "MIME-Version": "1.0",
        };
  return eml(headers, alternative(boundary, c.body(me), c.encoding));
}

const at = (iso: string): number => Date.parse(iso);

const CASES: Case[] = [
  {
    locale: "ja-JP",
    client: "Gmail",
    subject: "Fwd: 来週の打ち合わせについて",
    encoding: "base64",
    body: (me) =>
      [
        "ご参考まで。",
        "",
        "---------- Forwarded message ---------",
        "差出人: 山田太郎 <taro.yamada@example.co.jp>",
        "Date: 2026年3月12日(木) 10:05",
        "Subject: 来週の打ち合わせについて",
        `To: 佐藤花子 <${me}>, 田中美咲 <misaki.tanaka@example.jp>`,
        "Cc: 鈴木一郎 <ichiro.suzuki@example.co.jp>",
        "",
        "",
        "佐藤様",
        "",
        "来週の打ち合わせは木曜日の午後でいかがでしょうか。",
        "資料は金曜日までにお送りします。",
        "",
        "山田",
      ].join("\n"),
    from: { name: "山田太郎", email: "taro.yamada@example.co.jp" },
    to: [{ name: "田中美咲", email: "misaki.tanaka@example.jp" }],
    cc: [{ name: "鈴木一郎", email: "ichiro.suzuki@example.co.jp" }],
    date: "2026-03-12T10:05:00.000Z",
    original: "来週の打ち合わせについて",
  },
  {
    locale: "ja-JP",
    client: "Outlook",
    subject: "FW: 来週の打ち合わせについて",
    encoding: "quoted-printable",
    body: (me) =>
      [
        "共有します。",
        "",
        "________________________________",
        "差出人: 山田 太郎 <taro.yamada@example.co.jp>",
        "送信日時: 2026年3月12日 10:05",
        `宛先: 佐藤 花子 <${me}>; 田中 美咲 <misaki.tanaka@example.jp>`,
        "CC: 鈴木 一郎 <ichiro.suzuki@example.co.jp>",
        "件名: 来週の打ち合わせについて",
        "",
        "佐藤様",
        "",
        "来週の打ち合わせは木曜日の午後でいかがでしょうか。",
      ].join("\n"),
    from: { name: "山田 太郎", email: "taro.yamada@example.co.jp" },
    to: [{ name: "田中 美咲", email: "misaki.tanaka@example.jp" }],
    cc: [{ name: "鈴木 一郎", email: "ichiro.suzuki@example.co.jp" }],
    date: "2026-03-12T10:05:00.000Z",
    original: "来週の打ち合わせについて",
  },
  {
    locale: "zh-CN",
    client: "Gmail",
    subject: "Fwd: 下周的会议",
    encoding: "base64",
    body: (me) =>
      [
        "供参考。",
        "",
        "---------- Forwarded message ---------",
        "发件人： 王伟 <wang.wei@example.cn>",
        "Date: 2026年3月12日周四 下午3:40",
        "Subject: 下周的会议",
        `To: <${me}>, 李娜 <li.na@example.cn>`,
        "Cc: 张敏 <zhang.min@example.cn>",
        "",
        "",
        "你好，",
        "",
        "下周的会议改到周四下午，请确认。",
      ].join("\n"),
    from: { name: "王伟", email: "wang.wei@example.cn" },
    to: [{ name: "李娜", email: "li.na@example.cn" }],
    cc: [{ name: "张敏", email: "zhang.min@example.cn" }],
    date: "2026-03-12T15:40:00.000Z",
    original: "下周的会议",
  },
  {
    // Outlook for Windows: no separator line above the block.
    locale: "zh-CN",
    client: "Outlook",
    subject: "转发: 下周的会议",
    encoding: "base64",
    body: (me) =>
      [
        "请看下面的邮件。",
        "",
        "发件人: 王伟 <wang.wei@example.cn>",
        "发送时间: 2026年3月12日 星期四 15:40",
        `收件人: 李娜 <li.na@example.cn>; 佐藤 花子 <${me}>`,
        "抄送: 张敏 <zhang.min@example.cn>",
        "主题: 下周的会议",
        "",
        "你好，",
        "",
        "下周的会议改到周四下午，请确认。",
      ].join("\n"),
    from: { name: "王伟", email: "wang.wei@example.cn" },
    to: [{ name: "李娜", email: "li.na@example.cn" }],
    cc: [{ name: "张敏", email: "zhang.min@example.cn" }],
    date: "2026-03-12T15:40:00.000Z",
    original: "下周的会议",
  },
  {
    locale: "zh-TW",
    client: "Gmail",
    subject: "Fwd: 下週的會議",
    encoding: "base64",
    body: (me) =>
      [
        "提供參考。",
        "",
        "---------- Forwarded message ---------",
        "寄件者： 陳志明 <chen.zhiming@example.com.tw>",
        "Date: 2026年3月12日 週四 上午9:15",
        "Subject: 下週的會議",
        `To: 林美玲 <lin.meiling@example.com.tw>, <${me}>`,
        "Cc: 黃建國 <huang.jianguo@example.com.tw>",
        "",
        "",
        "您好，",
        "",
        "下週的會議改到星期四上午，請確認。",
      ].join("\n"),
    from: { name: "陳志明", email: "chen.zhiming@example.com.tw" },
    to: [{ name: "林美玲", email: "lin.meiling@example.com.tw" }],
    cc: [{ name: "黃建國", email: "huang.jianguo@example.com.tw" }],
    date: "2026-03-12T09:15:00.000Z",
    original: "下週的會議",
  },
  {
    locale: "zh-TW",
    client: "Outlook",
    subject: "轉寄: 下週的會議",
    encoding: "quoted-printable",
    body: (me) =>
      [
        "請參考以下郵件。",
        "",
        "________________________________",
        "寄件者: 陳志明 <chen.zhiming@example.com.tw>",
        "寄件日期: 2026年3月12日 星期四 上午 09:15",
        `收件者: 林美玲 <lin.meiling@example.com.tw>; 佐藤 花子 <${me}>`,
        "副本: 黃建國 <huang.jianguo@example.com.tw>",
        "主旨: 下週的會議",
        "",
        "您好，",
        "",
        "下週的會議改到星期四上午，請確認。",
      ].join("\n"),
    from: { name: "陳志明", email: "chen.zhiming@example.com.tw" },
    to: [{ name: "林美玲", email: "lin.meiling@example.com.tw" }],
    cc: [{ name: "黃建國", email: "huang.jianguo@example.com.tw" }],
    date: "2026-03-12T09:15:00.000Z",
    original: "下週的會議",
  },
  {
    locale: "ko-KR",
    client: "Gmail",
    subject: "Fwd: 다음 주 회의",
    encoding: "base64",
    body: (me) =>
      [
        "참고하세요.",
        "",
        "---------- Forwarded message ---------",
        "보낸사람: 김민수 <minsu.kim@example.co.kr>",
        "Date: 2026년 3월 12일 (목) 오후 2:30",
        "Subject: 다음 주 회의",
        `To: <${me}>, 이지은 <jieun.lee@example.co.kr>`,
        "Cc: 박서준 <seojun.park@example.co.kr>",
        "",
        "",
        "안녕하세요,",
        "",
        "다음 주 회의를 목요일 오후로 옮기려고 합니다.",
      ].join("\n"),
    from: { name: "김민수", email: "minsu.kim@example.co.kr" },
    to: [{ name: "이지은", email: "jieun.lee@example.co.kr" }],
    cc: [{ name: "박서준", email: "seojun.park@example.co.kr" }],
    date: "2026-03-12T14:30:00.000Z",
    original: "다음 주 회의",
  },
  {
    locale: "ko-KR",
    client: "Outlook",
    subject: "전달: 다음 주 회의",
    encoding: "quoted-printable",
    body: (me) =>
      [
        "확인 부탁드립니다.",
        "",
        "________________________________",
        "보낸 사람: 김민수 <minsu.kim@example.co.kr>",
        "보낸 날짜: 2026년 3월 12일 목요일 오후 2:30",
        `받는 사람: 이지은 <jieun.lee@example.co.kr>; 사토 하나코 <${me}>`,
        "참조: 박서준 <seojun.park@example.co.kr>",
        "제목: 다음 주 회의",
        "",
        "안녕하세요,",
        "",
        "다음 주 회의를 목요일 오후로 옮기려고 합니다.",
      ].join("\n"),
    from: { name: "김민수", email: "minsu.kim@example.co.kr" },
    to: [{ name: "이지은", email: "jieun.lee@example.co.kr" }],
    cc: [{ name: "박서준", email: "seojun.park@example.co.kr" }],
    date: "2026-03-12T14:30:00.000Z",
    original: "다음 주 회의",
  },
];

/** Each contact of the user's interactions, by address: its name and role. */
async function rolesOf(me: string) {
  const { results } = await env.DB.prepare(
    `SELECT e.email, c.name, ic.role, i.kind, i.occurred_at, i.subject FROM interactions i
       JOIN interaction_contacts ic ON ic.interaction_id = i.id
       JOIN contacts c ON c.id = ic.contact_id
       JOIN contact_emails e ON e.contact_id = c.id
     WHERE i.user_id = ?1 ORDER BY e.email`,
  )
    .bind(await userId(me))
    .all<{ email: string; name: string | null; role: string; kind: string; occurred_at: number; subject: string | null }>();
  return results;
}

describe("CJK forwards through the pipeline", () => {
  it.each(CASES.map((c) => [`${c.client} (${c.locale})`, c] as const))("%s: the original sender, recipients and date", async (_, c) => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me, "Sato Hanako");
    const out = await send(forwardMail(c, me), { from: me });
    expect(out).toMatchObject({ outcome: "applied", kind: "forward" });
    const want = [
      { email: c.from.email, name: c.from.name, role: "from" },
      ...c.to.map((p) => ({ email: p.email, name: p.name, role: "to" })),
      ...c.cc.map((p) => ({ email: p.email, name: p.name, role: "cc" })),
    ].sort((a, b) => (a.email! < b.email! ? -1 : 1));
    const rows = await rolesOf(me);
    expect(rows.map(({ email, name, role }) => ({ email, name, role }))).toEqual(want);
    for (const row of rows) {
      expect(row).toMatchObject({ kind: "forward", occurred_at: at(c.date), subject: c.original });
    }
    const contacts = await contactsOf(me);
    expect(contacts.map((x) => x.emails).sort()).toEqual(want.map((w) => w.email));
    for (const x of contacts) expect(x.last_interaction_at).toBe(at(c.date));
  });
});

describe("CJK forwards as other clients and locales write them", () => {
  const sender = { name: "山田太郎", email: "taro@example.jp" };
  // Gmail's localized separators and labels (all of them, with full-width colons), Apple
  // Mail's and Thunderbird's blocks.
  const blocks: [string, string, string][] = [
    ["Gmail ja, localized", "---------- 転送されたメッセージ ---------\n差出人： 山田太郎 <taro@example.jp>\n送信日時： 2026年3月12日(木) 10:05\n件名： 打ち合わせ\n宛先： <me@example.com>\nCc： 鈴木 <suzuki@example.jp>", "2026-03-12T10:05:00.000Z"],
    ["Gmail zh-CN, localized", "---------- 转发的邮件 ---------\n发件人：山田太郎 <taro@example.jp>\n发送时间：2026年3月12日 周四 上午10:05\n主题：会议\n收件人：<me@example.com>\n抄送：铃木 <suzuki@example.jp>", "2026-03-12T10:05:00.000Z"],
    ["Gmail zh-TW, localized", "---------- 轉寄的郵件 ---------\n寄件者：山田太郎 <taro@example.jp>\n寄件日期：2026年3月12日 週四 下午10:05\n主旨：會議\n收件者：<me@example.com>\n副本：鈴木 <suzuki@example.jp>", "2026-03-12T22:05:00.000Z"],
    ["Gmail ko, localized", "---------- 전달된 메일 ---------\n보낸사람: 山田太郎 <taro@example.jp>\n날짜: 2026년 3월 12일 (목) 오전 10:05\n제목: 회의\n받는사람: <me@example.com>\n참조: 스즈키 <suzuki@example.jp>", "2026-03-12T10:05:00.000Z"],
    ["Apple Mail ja", "転送されたメッセージ:\n\n差出人: 山田太郎 <taro@example.jp>\n件名: 打ち合わせ\n日付: 2026年3月12日 10:05:00 JST\n宛先: me@example.com\nCc: 鈴木 <suzuki@example.jp>", "2026-03-12T01:05:00.000Z"],
    ["Thunderbird zh-CN", "-------- 转发的消息 --------\n主题: 会议\n日期: 2026年3月12日 10:05\n发件人: 山田太郎 <taro@example.jp>\n收件人: me@example.com\n抄送: 铃木 <suzuki@example.jp>", "2026-03-12T10:05:00.000Z"],
    ["Outlook ko, no separator, quoted", "> 보낸 사람: 山田太郎 <taro@example.jp>\n> 보낸 날짜: 2026년 3월 12일 목요일 오전 10:05\n> 받는 사람: me@example.com\n> 참조: 스즈키 <suzuki@example.jp>\n> 제목: 회의", "2026-03-12T10:05:00.000Z"],
  ];

  it.each(blocks)("%s", (_, block, date) => {
    const m = parseForwardedBody(`FYI\n\n${block}\n\n本文です。\n`);
    expect(m?.from).toEqual(sender);
    expect(m?.to).toEqual([{ email: "me@example.com" }]);
    expect(m?.cc.map((p) => p.email)).toEqual(["suzuki@example.jp"]);
    expect(m?.date === undefined ? undefined : new Date(m.date).toISOString()).toBe(date);
    expect(m?.body).toBe("本文です。");
  });

  it("reads the innermost of nested CJK forwards", () => {
    const inner = "---------- Forwarded message ---------\n发件人： 王伟 <wang.wei@example.cn>\nDate: 2026年3月10日周二 上午9:00\nSubject: 会议\nTo: <li.na@example.cn>\n\n\n原文。\n";
    const outer = `看一下。\n\n发件人: 李娜 <li.na@example.cn>\n发送时间: 2026年3月11日 星期三 10:00\n收件人: 佐藤 <me@example.com>\n主题: 转发: 会议\n\n请看。\n\n${inner}`;
    const m = parseForwardedBody(outer);
    expect(m?.from).toEqual({ name: "王伟", email: "wang.wei@example.cn" });
    expect(m?.date).toBe(Date.UTC(2026, 2, 10, 9, 0));
  });

  it("knows a word that says forwarded on each CJK separator", () => {
    const separators = [
      "---------- 転送されたメッセージ ---------",
      "-------- 転送メッセージ --------",
      "---------- 转发的邮件 ---------",
      "-------- 转发的消息 --------",
      "开始转发的邮件：",
      "---------- 轉寄的郵件 ---------",
      "-------- 轉寄的訊息 --------",
      "---------- 전달된 메일 ---------",
      "-------- 전달된 메시지 --------",
      "転送されたメッセージ:",
    ];
    for (const line of separators) {
      expect(CJK_SEPARATOR.test(line), line).toBe(true);
      expect(FORWARD_WORD.test(line), line).toBe(true);
    }
  });
});

describe("CJK text that forwards nothing", () => {
  const texts = [
    // A letter whose lines are labelled like a header, but no run of them is one.
    "宛先: 友人へ\n\n本文: 今日は助けてくれてありがとう。\n\n結び: また明日。\n\n差出人: 私",
    // A meeting notice: a subject, a time and a place, no sender.
    "主题：周会\n时间：2026年3月12日 周四 上午10:00\n地点：三楼会议室\n\n请准时参加。",
    "제목: 다음 주 회의\n날짜: 2026년 3월 12일 (목) 오전 10:05\n장소: 3층 회의실\n\n참석 부탁드립니다.",
    "お世話になっております。差出人の件名は「見積もり」で、送信日時は2026年3月12日です。\nよろしくお願いいたします。",
  ];

  it.each(texts)("reads no forward in %j", (text) => {
    expect(parseForwardedBody(text)).toBeNull();
    expect(parseForwardedBody(text, "打ち合わせ")).toBeNull();
  });

  it("leaves the words of a CJK letter's body as they were written", () => {
    const m = parseForwardedBody(`---------- Forwarded message ---------\n差出人: 山田太郎 <taro@example.jp>\nDate: 2026年3月12日(木) 10:05\nSubject: 手紙\nTo: <me@example.com>\n\n\n${texts[0]}`);
    expect(m?.body).toBe(texts[0]);
  });

  it("does not take a CJK reply that quotes its thread for a forward", () => {
    const quoted = "好的，周四见。\n\n发件人: 王伟 <wang.wei@example.cn>\n发送时间: 2026年3月12日 星期四 15:40\n收件人: 李娜 <li.na@example.cn>\n主题: 下周的会议\n\n下周的会议改到周四下午。";
    expect(parseForwardedBody(quoted, "答复: 下周的会议")).toBeNull();
    expect(parseForwardedBody(quoted, "回复：下周的会议")).toBeNull();
    expect(parseForwardedBody(quoted.replace(/发件人/, "보낸 사람"), "회신: 다음 주 회의")).toBeNull();
    // …while the same block under a forward prefix is one.
    expect(parseForwardedBody(quoted, "转发: 下周的会议")?.from.email).toBe("wang.wei@example.cn");
  });

  it("keeps a plain CJK mail to Kith a plain mail", async () => {
    const me = `u-${uniq()}@example.com`;
    await signUp(me, "Sato Hanako");
    for (const [i, text] of texts.entries()) {
      const subject = ["メモ", "周会", "회의", "ご連絡"][i]!;
      const out = await send(eml({ From: me, To: KITH, Subject: encodedWord(subject), "Content-Type": 'text/plain; charset="UTF-8"', "Content-Transfer-Encoding": "base64" }, base64(text)), { from: me });
      expect(out.outcome, text).toBe("applied");
      expect(out.outcome === "applied" && out.kind, text).not.toMatch(/forward|intro/);
    }
    expect(await rolesOf(me)).toEqual([]);
  });
});

describe("hostile CJK input", () => {
  const big = (unit: string, size = 1024 * 1024) => unit.repeat(Math.ceil(size / unit.length));

  it("finishes on CJK header and separator floods without throwing", { timeout: 30_000 }, () => {
    const shapes = [
      big("差出人: \n"),
      big("差出人：a\n送信日時：b\n宛先：c\n"),
      big("보낸 사람: <a@b.kr>\n보낸 날짜: 2026년 3월 12일\n\n"),
      big("---------- 転送されたメッセージ ---------\n"),
      big("转发的邮件：\n发件人："),
      `---------- 转发的邮件 ---------\n发件人：${big("　")}`,
    ];
    for (const text of shapes) {
      for (const subject of [undefined, "Fwd: x", "答复: x"]) expect(() => parseForwardedBody(text, subject)).not.toThrow();
    }
    expect(parseForwardDate(`2026年3月12日${big("(木)", 4096)}10:05`)).toBe(Date.UTC(2026, 2, 12, 12, 0));
  });
});

describe("parseForwardDate in CJK", () => {
  it.each([
    ["2026年3月12日(木) 10:05", Date.UTC(2026, 2, 12, 10, 5)],
    ["2026年3月12日 木曜日 10:05", Date.UTC(2026, 2, 12, 10, 5)],
    ["2026年3月12日 午後3:05", Date.UTC(2026, 2, 12, 15, 5)],
    ["2026年3月12日 10時05分", Date.UTC(2026, 2, 12, 10, 5)],
    ["2026年3月12日周四 上午10:05", Date.UTC(2026, 2, 12, 10, 5)],
    ["2026年3月12日 周四 下午12:30", Date.UTC(2026, 2, 12, 12, 30)],
    ["2026年3月12日 星期四 上午 12:10", Date.UTC(2026, 2, 12, 0, 10)],
    ["2026年3月12日 週四 中午12:30", Date.UTC(2026, 2, 12, 12, 30)],
    ["2026년 3월 12일 (목) 오전 10:05", Date.UTC(2026, 2, 12, 10, 5)],
    ["2026년 3월 12일 목요일 오후 2:30:15", Date.UTC(2026, 2, 12, 14, 30, 15)],
    ["2026年3月12日 10:05 +0900", Date.UTC(2026, 2, 12, 1, 5)],
    ["2026년 3월 12일 10:05 KST", Date.UTC(2026, 2, 12, 1, 5)],
    ["2026年3月12日", Date.UTC(2026, 2, 12, 12, 0)],
  ])("reads %s", (text, want) => expect(parseForwardDate(text)).toBe(want));

  it.each(["2026年2月30日 10:05", "2026年13月1日", "2026年3月12日 25:00", "2026年3月12日 午後13:05", "3月12日(木) 10:05"])("declines %j", (text) => {
    expect(parseForwardDate(text)).toBeUndefined();
  });
});
