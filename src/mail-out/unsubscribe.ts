import type { Config } from "../config";
import type { PauseKind } from "../users/pause";
import { sameText, shortMac } from "../lib/sign";

/** List-Unsubscribe (RFC 2369) with one-click (RFC 8058) on every reminder and weekly
 * summary: an https link that a POST acts on, and a mailto address for clients that
 * only send mail.
 *
 * One token serves both: `<k><user id in base 36>.<mac>`, k = "r" (reminders) or "s"
 * (summary), lower-case base 36 only, so that it survives mail systems that fold the
 * case of local parts, and short (kith+u + at most 34 characters, far below the 64 of
 * RFC 5321). The MAC binds it to one user and one kind of mail. It does not expire:
 * RFC 8058 expects the link to keep working for as long as the mail sits in an inbox,
 * and all it can do is stop mail, which the user undoes with "resume". Rotating
 * LINK_SECRET revokes every token at once. */

export interface UnsubscribeTarget {
  userId: number;
  kind: PauseKind;
}

const CODE: Record<PauseKind, string> = { reminders: "r", summary: "s" };
const MAC_BYTES = 10;
const TOKEN = /^([rs])([0-9a-z]{1,12})\.([0-9a-z]{20})$/;

const mac = (config: Config, code: string, id36: string): Promise<string> => shortMac(config.linkSecret, `unsub:${code}:${id36}`, MAC_BYTES);

export async function unsubscribeToken(config: Config, userId: number, kind: PauseKind): Promise<string> {
  const id36 = userId.toString(36);
  return `${CODE[kind]}${id36}.${await mac(config, CODE[kind], id36)}`;
}

/** The user and kind a token names, or null when it is not one Kith signed. */
export async function readUnsubscribeToken(config: Config, token: string): Promise<UnsubscribeTarget | null> {
  const m = TOKEN.exec(token.trim().toLowerCase());
  if (!m) return null;
  const code = m[1]!;
  const id36 = m[2]!;
  if (!sameText(await mac(config, code, id36), m[3]!)) return null;
  return { userId: parseInt(id36, 36), kind: code === "r" ? "reminders" : "summary" };
}

function split(config: Config): [string, string] {
  const at = config.assistant.lastIndexOf("@");
  return [config.assistant.slice(0, at), config.assistant.slice(at + 1)];
}

/** The token in kith+u<token>@domain, List-Unsubscribe's mailto; unchecked (that is
 * readUnsubscribeToken's job). */
export function tokenFromAddress(config: Config, address: string): string | null {
  const [local, domain] = split(config);
  const a = address.trim().replace(/^<|>$/g, "").toLowerCase();
  const prefix = `${local}+u`;
  if (!a.startsWith(prefix) || !a.endsWith(`@${domain}`)) return null;
  return a.slice(prefix.length, a.length - domain.length - 1) || null;
}

/** The two headers, in the shapes RFC 2369 and RFC 8058 give: https first (the one
 * that one-click clients POST to), then mailto. */
export async function unsubscribeHeaders(config: Config, userId: number, kind: PauseKind): Promise<Record<string, string>> {
  const token = await unsubscribeToken(config, userId, kind);
  const [local, domain] = split(config);
  return {
    "List-Unsubscribe": `<${config.publicUrl}/u/${token}>, <mailto:${local}+u${token}@${domain}?subject=unsubscribe>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}
