import { type Composed, SIGNOFF } from "../mail-out/compose";
import { DAY } from "../lib/time";
import { confirmAlias } from "../users/store";

/** An alias counts only once its own mailbox says yes (a reply, or the link), so nobody
 * can claim an address they do not read. */

/** How long a requested alias holds its address before its mailbox confirms it. */
export const ALIAS_TTL_MS = 7 * DAY;

/** The alias's own mailbox said yes. False when there was nothing to confirm. */
export async function confirmAliasNow(db: D1Database, userId: number, address: string, now: number): Promise<boolean> {
  const r = await confirmAlias(db, userId, address, now).run();
  return r.meta.changes > 0;
}

export function aliasConfirmMail(owner: string, alias: string, link: string): Composed {
  return {
    subject: `Kith: confirm ${alias} as your address`,
    text: `${owner} asked Kith to treat mail from ${alias} as theirs.

If that is you, reply "yes" to this mail from ${alias}, or open:
  ${link}

If not, ignore this mail; nothing changes.
${SIGNOFF}`,
  };
}
