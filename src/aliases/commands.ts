import type { Deps } from "../inbound/intake";
import { signToken } from "../lib/sign";
import * as compose from "../mail-out/compose";
import type { Outgoing } from "../mail-out/outbound";
import { addressesOf, addressOwner, confirmAlias, dropStalePending, insertPendingAlias, removeAlias, type User } from "../users/store";

/** "alias", "unalias", "aliases": a user's other addresses. An alias counts only once
 * its own mailbox confirms it, so nobody can claim an address they do not read. */

type AliasCommand = { name: "aliases" } | { name: "alias"; address: string } | { name: "unalias"; address: string };

/** How long a requested alias holds its address before its mailbox confirms it. */
export const ALIAS_TTL_MS = 7 * 86400_000;

export async function aliasCommand(
  deps: Deps,
  now: number,
  user: User,
  cmd: AliasCommand,
): Promise<{ statements: D1PreparedStatement[]; mail: Outgoing[] }> {
  const { db, config } = deps;
  const tell = (subject: string, body: string): Outgoing => ({ kind: "confirmation", userId: user.id, to: user.email, ...compose.notice(subject, body) });
  const mine = await addressesOf(db, user.id);
  if (cmd.name === "aliases") {
    const lines = mine.map((a) => `  * ${a.email}${a.email === user.email ? " (primary)" : a.status === "pending" ? " (waiting for confirmation)" : ""}`);
    return { statements: [], mail: [tell("Kith: your addresses", `Mail from these addresses is yours:\n\n${lines.join("\n")}`)] };
  }
  const address = cmd.address.toLowerCase();
  if (cmd.name === "unalias") {
    if (address === user.email) return { statements: [], mail: [tell("Kith: address not removed", `${address} is your primary address; it stays.`)] };
    if (!mine.some((a) => a.email === address)) return { statements: [], mail: [tell("Kith: address not found", `${address} is not one of your addresses.`)] };
    return { statements: [removeAlias(db, user.id, address)], mail: [tell("Kith: address removed", `Mail from ${address} is no longer treated as yours.`)] };
  }
  if (address === config.assistant) return { statements: [], mail: [tell("Kith: address not added", "That is Kith's own address.")] };
  const owner = await addressOwner(db, address);
  if (owner?.user_id === user.id && owner.status === "confirmed") {
    return { statements: [], mail: [tell("Kith: already yours", `${address} is already one of your addresses.`)] };
  }
  if (owner && owner.user_id !== user.id && !(owner.status === "pending" && owner.created_at < now - ALIAS_TTL_MS)) {
    return { statements: [], mail: [tell("Kith: address not added", `${address} belongs to another Kith account, so it cannot be added to yours.`)] };
  }
  const token = await signToken(config.linkSecret, { a: "alias", u: user.id, r: `alias:${address}`, x: Math.floor((now + ALIAS_TTL_MS) / 1000) });
  const confirm = compose.aliasConfirm(user.email, address, `${config.publicUrl}/a/${token}`);
  return {
    statements: owner?.user_id === user.id ? [] : [dropStalePending(db, address, now - ALIAS_TTL_MS), insertPendingAlias(db, user.id, address, now)],
    mail: [
      { kind: "alias-confirm", userId: user.id, to: address, ref: `alias:${address}`, ...confirm },
      tell("Kith: confirm your address", `Kith sent a confirmation to ${address}. Reply "yes" to it from that address (or use its link) and mail from there becomes yours.`),
    ],
  };
}

/** The alias's own mailbox said yes (reply or link). */
export async function confirmAliasNow(deps: Deps, now: number, userId: number, address: string): Promise<boolean> {
  const r = await confirmAlias(deps.db, userId, address, now).run();
  return r.meta.changes > 0;
}
