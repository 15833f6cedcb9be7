import { z } from "zod";
import { answer, command, commandWords, type RunContext } from "../core/commands";
import type { Outgoing } from "../mail-out/outbound";
import { SIGNOFF } from "../mail-out/compose";
import type { User } from "../users/user";
import type { Config } from "../config";
import { LOGIN_TTL, newLoginLink } from "./login";
import { newToken, type Scope } from "./tokens";

/** "login": a one-time sign-in link for the dashboard. "token": a personal API token,
 * shown once. The web's address form sends the same login mail. */

export async function loginMail(db: D1Database, config: Config, user: User, now: number): Promise<{ mail: Outgoing; statement: D1PreparedStatement }> {
  const { token, statement } = await newLoginLink(db, user.id, now);
  const link = `${config.publicUrl}/app/login/${token}`;
  const minutes = Math.round(LOGIN_TTL / 60_000);
  return {
    statement,
    mail: {
      kind: "login",
      userId: user.id,
      to: user.email,
      subject: "Kith: your sign-in link",
      text: `Open this link to sign in to Kith on the web (it works once, for ${minutes} minutes):

  ${link}

If you did not ask for it, ignore this mail: nobody can sign in without the link.
${SIGNOFF}`,
    },
  };
}

export const login = command({
  schema: z.object({ name: z.literal("login") }),
  where: ["mail"],
  read: (line) => (/^(?:login|log in|sign in|signin|sign me in)[.!]?$/.test(commandWords(line)) ? { name: "login" as const } : null),
  help: [{ usage: "login", says: "a link that signs you in to Kith on the web (once, for 15 minutes)" }],
  async run(_, ctx) {
    const { mail, statement } = await loginMail(ctx.deps.db, ctx.deps.config, ctx.user, ctx.now);
    return { kind: "command", statements: [statement], mail: [mail] };
  },
});

async function tokenMail(ctx: RunContext, scope: Scope) {
  const name = `by mail, ${new Date(ctx.now).toISOString().slice(0, 10)}`;
  const { token, statement } = await newToken(ctx.deps.db, ctx.user.id, name, scope, ctx.now);
  return {
    kind: "command" as const,
    statements: [statement],
    mail: [
      answer(ctx, "api-token", {
        subject: "Kith: your API token",
        text: `Your new personal API token (${scope === "read" ? "read only" : "read and write"}):

  ${token}

Kith shows it this once and keeps only a fingerprint of it. Send it as
"Authorization: Bearer <token>" to ${ctx.deps.config.publicUrl}/api/v1 (the API is
described at ${ctx.deps.config.publicUrl}/api/v1/openapi.json). Revoke it on the
dashboard's settings page, or ask for a new one with "token".
${SIGNOFF}`,
      }),
    ],
  };
}

export const token = command({
  schema: z.object({ name: z.literal("token"), scope: z.enum(["read", "write"]) }),
  where: ["mail"],
  read(line) {
    const m = /^(?:token|api token|new token)(?: (read|read only|read-only|write|read write|read-write))?[.!]?$/.exec(commandWords(line));
    if (!m) return null;
    return { name: "token" as const, scope: m[1] && m[1].startsWith("read") && !m[1].includes("write") ? ("read" as const) : ("write" as const) };
  },
  help: [{ usage: "token", says: 'a new personal API token, shown once ("token read" for a read-only one)' }],
  run: (cmd, ctx) => tokenMail(ctx, cmd.scope),
});
