/**
 * Words of forwarded mail that the inline reader (inline.ts) looks for before it
 * does any dearer work: subject prefixes ("Fwd:", "Re:"), a line that says "forwarded",
 * and the words of the separator lines email-forward-parser splits at. Also the header
 * labels of forwarded blocks, and the CJK labels and separators the library does not
 * know, which the reader writes in English for it.
 */

// Subject prefixes: forward in en, de (WG), fr (TR), es/pt (RV, ENC), it (I), nordic
// (VS, VB, VL), pl (PD), tr (İLT), ru, and Outlook's zh-CN, zh-TW, ko and ja; reply in en,
// de (AW), nordic (SV), nl, pl, tr, es, it, zh-CN, zh-TW, ko.
const FORWARD_PREFIXES = new Set(["fwd", "fw", "wg", "tr", "rv", "enc", "i", "vs", "vb", "vl", "pd", "videresend", "i̇lt", "ilt", "пересл", "转发", "轉寄", "전달", "転送"]);
const REPLY_PREFIXES = new Set(["re", "aw", "sv", "antw", "odp", "ynt", "res", "rif", "ref", "回复", "答复", "回覆", "회신", "답장"]);
// No two runs of spaces side by side: "\s*(?:\[\d+\])?\s*" split a long run every way
// before failing, seconds for a subject folded over 60 KB of spaces.
const PREFIX = /^\s*(?:\[\s*)?([^\s:：[\]]{1,12})\s*(?:\[\d+\]\s*)?[:：]\s*/;

/** What a subject's prefixes say ("Re: Fwd: x" replies to a forward), and the rest. */
export function subjectPrefixes(subject: string): { forward: boolean; reply: boolean; rest: string } {
  let rest = subject;
  let forward = false;
  let reply = false;
  for (let i = 0; i < 8; i++) {
    const m = PREFIX.exec(rest);
    const token = m?.[1]?.toLowerCase() ?? "";
    if (FORWARD_PREFIXES.has(token)) forward = true;
    else if (REPLY_PREFIXES.has(token)) reply = true;
    else break;
    rest = rest.slice(m![0].length);
  }
  return { forward, reply, rest: rest.replace(/\]\s*$/, "").trim() };
}

// A line that says "forwarded", in the languages of the library's separators and of
// CJK_SEPARATOR's (each of whose words holds one of these).
export const FORWARD_WORD =
  /forwarded|weitergeleitet|transféré|réexpédié|transmis|reenviado|inoltrat|doorgestuurd|videresend|vidarebefordra|przekazan|encaminhad|переадрес|пересыла|перенаправ|přeposlan|továbbított|iletil|välitetty|edelleenlähetetty|proslijeđen|redirecționat|preposlan|転送|转发的|转发邮件|轉寄的|轉寄郵件|전달된[ \u00A0]메/i;

/**
 * Whether the inline reader's `prepare` may turn `head` (the part of a text it reads)
 * into text that holds a FORWARD_WORD. Preparing cuts, wraps and reshapes whitespace,
 * none of which can join letters into a word (the words hold no whitespace but
 * Korean's one space, taken as a space or the NBSP that preparing turns into one); its
 * CJK separator lines become Gmail's "Forwarded message", but they held a FORWARD_WORD
 * already. Only dropping a BOM or a "<mailto:…>" link can, so text with either is
 * prepared and asked.
 */
export function mayTellForward(head: string): boolean {
  return FORWARD_WORD.test(head) || /\uFEFF|<mailto:/i.test(head);
}

/**
 * Text that each of the library's separator lines (its `separator` regexes, matched
 * case-sensitively) holds: Apple Mail's "Begin forwarded message:" in 22 languages,
 * Gmail's "Forwarded message", Outlook's 32 underscores, Outlook 2019's "On … "X" <x>
 * wrote:" by its verb, and the dashes ("---" at least) of every other client's line.
 * test/inbound/forwarded.test.ts checks it against the library's own list.
 */
export const SEPARATOR_WORD = new RegExp(
  [
    "---",
    "_{32}",
    "Forwarded message",
    // Outlook 2019, "On … wrote:" with a quoted name and an address
    "napsal\\(a\\)|skrev|schrieb|wrote|escribió|a écrit|kirjoitti|ezt írta|ha scritto|geschreven|napisał|escreveu|написал|napísal|tarihinde şunu yazdı",
    // Apple Mail
    "Begin forwarded message|Začátek přeposílané zprávy|Start på videresendt besked|Anfang der weitergeleiteten Nachricht",
    "Inicio del mensaje reenviado|Välitetty viesti alkaa|Début du message réexpédié|Début du message transféré",
    "Započni proslijeđenu poruku|Továbbított levél kezdete|Inizio messaggio inoltrato|Begin doorgestuurd bericht",
    "Videresendt melding|Początek przekazywanej wiadomości|Início da mensagem reencaminhada|Início da mensagem encaminhada",
    "Începe mesajul redirecționat|Начало переадресованного сообщения|Začiatok preposlanej správy|Vidarebefordrat mejl",
    "İleti başlangıcı|Початок листа, що пересилається",
  ].join("|"),
);

// The fields of a forwarded header block, as bits: a run of header lines is the set of
// fields it holds.
export const FROM = 1;
export const DATE = 2;
export const TO = 4;
export const SUBJECT = 8;
export const CC = 16;

/**
 * Header labels of forwarded blocks in Japanese, Chinese (simplified and traditional)
 * and Korean, as Gmail, Outlook, Apple Mail, Thunderbird and the Chinese webmails write
 * them ("差出人:", "发件人：", "寄件日期:", "보낸 사람:"). The library knows none of them
 * but HubSpot's Japanese ones, so the inline reader writes a block that uses them with
 * English labels before it hands the block over.
 */
export const CJK_LABELS = {
  from: ["差出人", "送信元", "发件人", "寄件者", "보낸사람", "보낸 사람"],
  date: ["送信日時", "日付", "发送时间", "日期", "寄件日期", "날짜", "보낸 날짜"],
  to: ["宛先", "送信先", "收件人", "收件者", "받는사람", "받는 사람"],
  cc: ["抄送", "副本", "참조"],
  subject: ["件名", "主题", "主旨", "제목"],
} as const;

// Words of CJK separator lines: Gmail's localized "Forwarded message", Thunderbird's
// "Forwarded Message", Apple Mail's "Begin forwarded message" (zh-CN "开始转发的邮件：").
const CJK_SEPARATOR_WORDS = "転送されたメッセージ|転送メッセージ|转发的邮件|转发邮件|转发的消息|轉寄的郵件|轉寄郵件|轉寄的訊息|전달된 메일|전달된 메시지";
/** A CJK separator line: the words between dashes, or closed by a colon. */
export const CJK_SEPARATOR = new RegExp(`^[>\\s]*(?:-{2,}\\s*(?:${CJK_SEPARATOR_WORDS})\\s*-{2,}|\\S{0,4}(?:${CJK_SEPARATOR_WORDS})\\s*[:：])\\s*$`);

/**
 * Header labels as clients write them, by field: in the languages the library knows,
 * and the CJK ones it does not, with the English label the inline reader writes a CJK
 * one as.
 */
export const HEADER_LABELS: readonly (readonly [field: number, labels: readonly string[], english: string])[] = [
  [FROM, ["from", "von", "de", "van", "da", "od", "fra", "från", "от", "від", "lähettäjä", "feladó", "kimden", "expeditorul", "šalje", "mittente", "nadawca", "отправитель", "gönderen", "de la", "saatja", ...CJK_LABELS.from], "From"],
  [DATE, ["date", "sent", "datum", "gesendet", "envoyé", "enviado", "fecha", "data", "dato", "sendt", "skickat", "verzonden", "inviato", "дата", "отправлено", "wysłano", "päivämäärä", "päiväys", "lähetetty", "dátum", "tarih", "gönderildi", "odesláno", "odoslané", "elküldve", "trimis", "dată", "надіслано", ...CJK_LABELS.date], "Date"],
  [TO, ["to", "an", "à", "a", "para", "aan", "til", "till", "do", "komu", "кому", "címzett", "kime", "pour", "vastaanottaja", "prima", "pre", "către", "destinatarul", "adresat", ...CJK_LABELS.to], "To"],
  [SUBJECT, ["subject", "betreff", "objet", "asunto", "oggetto", "onderwerp", "assunto", "emne", "ämne", "temat", "předmět", "predmet", "тема", "aihe", "tárgy", "konu", "sujet", "naslov", "subiectul", "subiect", ...CJK_LABELS.subject], "Subject"],
  [CC, ["cc", "kopie", "kopio", "kopi", "kopia", "копия", "копія", "dw", "bilgi", "másolat", "kópia", "copie à", ...CJK_LABELS.cc], "Cc"],
];
const CJK_LABEL_SET: ReadonlySet<string> = new Set(Object.values(CJK_LABELS).flat());
export const isCjkLabel = (label: string): boolean => CJK_LABEL_SET.has(label);
