import type { Config } from "../config";
import { sameText, shortMac } from "../lib/sign";
import { DAY } from "../lib/time";

/** The one-click Done and Snooze links of numbered reminder items, whichever mail lists
 * them (a reminder mail, the weekly summary). Short, so that no link in a mail's text
 * runs past 100 characters: `/r/<token>`, the token `<action><reminder>.<user>.<expiry>
 * .<mac>` in lower-case base 36 (the expiry in days since the epoch), the MAC 10 bytes
 * of HMAC-SHA256 over the rest: one user, one reminder, one action, until LINK_TTL. */

export const LINK_TTL = 45 * DAY;

export type LinkAction = "done" | "snooze";

export interface ItemLinks {
  done: string;
  snooze: string;
}

const CODE: Record<LinkAction, string> = { done: "d", snooze: "s" };
const TOKEN = /^([ds])([0-9a-z]{1,12})\.([0-9a-z]{1,12})\.([0-9a-z]{1,6})\.([0-9a-z]{20})$/;

const mac = (config: Config, body: string) => shortMac(config.linkSecret, `item:${body}`, 10);

export async function itemToken(config: Config, action: LinkAction, userId: number, reminderId: number, now: number): Promise<string> {
  const body = `${CODE[action]}${reminderId.toString(36)}.${userId.toString(36)}.${Math.floor((now + LINK_TTL) / DAY).toString(36)}`;
  return `${body}.${await mac(config, body)}`;
}

export async function itemLinks(config: Config, userId: number, reminderIds: number[], now: number): Promise<ItemLinks[]> {
  const link = async (a: LinkAction, id: number) => `${config.publicUrl}/r/${await itemToken(config, a, userId, id, now)}`;
  return Promise.all(reminderIds.map(async (id) => ({ done: await link("done", id), snooze: await link("snooze", id) })));
}

export type ItemTarget = { ok: true; action: LinkAction; userId: number; reminderId: number } | { ok: false; reason: string };

/** What a token names, once its MAC and expiry are checked. */
export async function readItemToken(config: Config, token: string, now: number): Promise<ItemTarget> {
  const m = TOKEN.exec(token.trim().toLowerCase());
  if (!m) return { ok: false, reason: "This link is not valid." };
  const body = token.trim().toLowerCase().slice(0, -21);
  if (!sameText(await mac(config, body), m[5]!)) return { ok: false, reason: "This link is not valid." };
  if (parseInt(m[4]!, 36) * DAY < now) return { ok: false, reason: "This link has expired." };
  return { ok: true, action: m[1] === "d" ? "done" : "snooze", reminderId: parseInt(m[2]!, 36), userId: parseInt(m[3]!, 36) };
}
