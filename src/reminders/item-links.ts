import type { Config } from "../config";
import { signToken } from "../lib/sign";
import type { ItemLinks } from "./compose";

/** The one-click Done and Snooze links of numbered reminder items, whichever mail lists
 * them (a reminder mail, the weekly summary). Each is signed for one user and one
 * reminder, and expires after LINK_TTL. */

export const LINK_TTL = 45 * 86400_000;

export async function itemLinks(config: Config, userId: number, reminderIds: number[], now: number): Promise<ItemLinks[]> {
  const x = Math.floor((now + LINK_TTL) / 1000);
  const link = async (a: "done" | "snooze", id: number) => `${config.publicUrl}/a/${await signToken(config.linkSecret, { a, u: userId, r: `rem:${id}`, x })}`;
  return Promise.all(reminderIds.map(async (id) => ({ done: await link("done", id), snooze: await link("snooze", id) })));
}
