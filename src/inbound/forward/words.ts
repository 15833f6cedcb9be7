/**
 * Words of forwarded mail that the inline reader (inline.ts) looks for before it
 * does any dearer work: subject prefixes ("Fwd:", "Re:"), a line that says "forwarded",
 * and the words of the separator lines email-forward-parser splits at.
 */

// Subject prefixes: forward in en, de (WG), fr (TR), es/pt (RV, ENC), it (I), nordic
// (VS, VB, VL), pl (PD), tr (İLT), ru; reply in en, de (AW), nordic (SV), nl, pl, tr, es,
// it, zh.
const FORWARD_PREFIXES = new Set(["fwd", "fw", "wg", "tr", "rv", "enc", "i", "vs", "vb", "vl", "pd", "videresend", "i̇lt", "ilt", "пересл"]);
const REPLY_PREFIXES = new Set(["re", "aw", "sv", "antw", "odp", "ynt", "res", "rif", "ref", "回复", "答复"]);
const PREFIX = /^\s*\[?\s*([^\s:：[\]]{1,12})\s*(?:\[\d+\])?\s*[:：]\s*/;

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

// A line that says "forwarded", in the languages of the library's separators.
export const FORWARD_WORD =
  /forwarded|weitergeleitet|transféré|réexpédié|transmis|reenviado|inoltrat|doorgestuurd|videresend|vidarebefordra|przekazan|encaminhad|переадрес|пересыла|перенаправ|přeposlan|továbbított|iletil|välitetty|edelleenlähetetty|proslijeđen|redirecționat|preposlan|転送/i;

/**
 * Whether the inline reader's `prepare` may turn `head` (the part of a text it reads)
 * into text that holds a FORWARD_WORD. Preparing cuts, wraps and reshapes whitespace,
 * none of which can join letters into a word (the words hold no whitespace); only
 * dropping a BOM or a "<mailto:…>" link can, so text with either is prepared and asked.
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
