import { z } from "zod";
import { answer, command, commandWords, type Plan, type RunContext } from "../core/commands";
import { signToken } from "../lib/sign";
import { notice } from "../mail-out/compose";
import { addressesOf, addressOwner, dropStalePending, insertPendingAlias, removeAlias } from "../users/store";
import { ALIAS_TTL_MS, aliasConfirmMail } from "./confirm";

/** "alias", "unalias", "aliases": a user's other addresses. */

const ADDRESS = /^<?([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+?)>?[.!]?$/;
const Address = z.string().max(320);

/** "alias you@work.com" (or "add address …"): the address, or null when the rest is no address. */
function addressAfter(line: string, verbs: RegExp): string | null {
  const m = verbs.exec(commandWords(line));
  const a = m ? ADDRESS.exec(m[1]!.trim()) : null;
  return a ? a[1]!.toLowerCase() : null;
}

const tell = (ctx: RunContext, subject: string, body: string) => answer(ctx, "confirmation", notice(subject, body));
const only = (ctx: RunContext, subject: string, body: string): Plan => ({ kind: "command", statements: [], mail: [tell(ctx, subject, body)] });

export const aliases = command({
  schema: z.object({ name: z.literal("aliases") }),
  where: ["mail"],
  read: (line) => (/^(aliases|my addresses)[.!]?$/.test(commandWords(line)) ? { name: "aliases" as const } : null),
  help: [{ usage: "aliases", says: "list your addresses" }],
  async run(_, ctx) {
    const mine = await addressesOf(ctx.deps.db, ctx.user.id);
    const lines = mine.map((a) => `  * ${a.email}${a.email === ctx.user.email ? " (primary)" : a.status === "pending" ? " (waiting for confirmation)" : ""}`);
    return only(ctx, "Kith: your addresses", `Mail from these addresses is yours:\n\n${lines.join("\n")}`);
  },
});

export const alias = command({
  schema: z.object({ name: z.literal("alias"), address: Address }),
  where: ["mail"],
  read(line) {
    const address = addressAfter(line, /^(?:alias|add address)\s+(.+)$/);
    return address ? { name: "alias" as const, address } : null;
  },
  help: [{ usage: "alias you@work.com", says: "add another address of yours; Kith confirms it by mail" }],
  async run(cmd, ctx) {
    const { db, config } = ctx.deps;
    const address = cmd.address.toLowerCase();
    if (address === config.assistant) return only(ctx, "Kith: address not added", "That is Kith's own address.");
    const owner = await addressOwner(db, address);
    if (owner?.user_id === ctx.user.id && owner.status === "confirmed") return only(ctx, "Kith: already yours", `${address} is already one of your addresses.`);
    if (owner && owner.user_id !== ctx.user.id && !(owner.status === "pending" && owner.created_at < ctx.now - ALIAS_TTL_MS)) {
      return only(ctx, "Kith: address not added", `${address} belongs to another Kith account, so it cannot be added to yours.`);
    }
    const token = await signToken(config.linkSecret, { a: "alias", u: ctx.user.id, r: `alias:${address}`, x: Math.floor((ctx.now + ALIAS_TTL_MS) / 1000) });
    const confirm = aliasConfirmMail(ctx.user.email, address, `${config.publicUrl}/a/${token}`);
    return {
      kind: "command",
      statements: owner?.user_id === ctx.user.id ? [] : [dropStalePending(db, address, ctx.now - ALIAS_TTL_MS), insertPendingAlias(db, ctx.user.id, address, ctx.now)],
      mail: [
        { kind: "alias-confirm", userId: ctx.user.id, to: address, ref: `alias:${address}`, ...confirm },
        tell(ctx, "Kith: confirm your address", `Kith sent a confirmation to ${address}. Reply "yes" to it from that address (or use its link) and mail from there becomes yours.`),
      ],
    };
  },
});

export const unalias = command({
  schema: z.object({ name: z.literal("unalias"), address: Address }),
  where: ["mail"],
  read(line) {
    const address = addressAfter(line, /^(?:unalias|remove alias|remove address)\s+(.+)$/);
    return address ? { name: "unalias" as const, address } : null;
  },
  help: [{ usage: "unalias you@work.com", says: "remove that address again" }],
  async run(cmd, ctx) {
    const address = cmd.address.toLowerCase();
    if (address === ctx.user.email) return only(ctx, "Kith: address not removed", `${address} is your primary address; it stays.`);
    const mine = await addressesOf(ctx.deps.db, ctx.user.id);
    if (!mine.some((a) => a.email === address)) return only(ctx, "Kith: address not found", `${address} is not one of your addresses.`);
    return { kind: "command", statements: [removeAlias(ctx.deps.db, ctx.user.id, address)], mail: [tell(ctx, "Kith: address removed", `Mail from ${address} is no longer treated as yours.`)] };
  },
});
