import type { Deps } from "../core/deps";
import { type Outgoing, prepareOutbound, sendAll } from "../mail-out/outbound";

/** Statements and the mail they cause, in one batch, then sent: as a mail's intake does. */
export async function commit(deps: Deps, statements: D1PreparedStatement[], mail: Outgoing[] = []): Promise<void> {
  await (await commitLater(deps, statements, mail)).sent;
}

/** The same batch now; the sending as a promise, for waitUntil (a mail that does not
 * leave is retried by the tick). */
export async function commitLater(deps: Deps, statements: D1PreparedStatement[], mail: Outgoing[] = []): Promise<{ sent: Promise<void> }> {
  const now = deps.clock.now();
  const out = mail.map((m) => prepareOutbound(deps.db, deps.config, m, now));
  const all = [...statements, ...out.map((o) => o.statement)];
  if (all.length > 0) await deps.db.batch(all);
  return { sent: sendAll(deps.db, deps.mailer, out.map((o) => o.id), now, deps.clock.wall(), deps.attach) };
}
