import { type CommandValues, isReadError, type ReadContext } from "../core/commands";
import { COMMANDS } from "./index";

/** Reading commands with the list: the first command that reads a line wins. */

export type Said = { command: CommandValues } | { error: string } | null;

/** The first command sent `where` that reads one of `lines`, tried in order. An error
 * answers too: the line was meant as that command. */
export function readCommand(lines: (string | undefined)[], ctx: ReadContext): Said {
  const candidates = COMMANDS.filter((c) => c.where.includes(ctx.where));
  for (const line of lines) {
    if (!line || line.trim() === "") continue;
    for (const c of candidates) {
      const read = c.read(line, ctx);
      if (read === null) continue;
      return isReadError(read) ? { error: read.error } : { command: read };
    }
  }
  return null;
}

/** One line of a mail to Kith, read as a command, as a test asks. */
export function readMailLine(line: string, now = Date.now()): CommandValues | { error: string } | null {
  const said = readCommand([line], { where: "mail", now, user: null, typed: line });
  return said === null ? null : "error" in said ? said : said.command;
}

/** The first line someone typed that is not blank. */
export function firstLine(text: string): string | undefined {
  return text.split(/\r?\n/).find((l) => l.trim() !== "");
}
