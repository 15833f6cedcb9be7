/** The one logger: a JSON line per event, which Workers Logs indexes by field. Tests set
 * the level to "silent" (test/support/quiet.ts) so that a green run prints its summary
 * only; a failing test still shows its own assertion. */

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

let threshold: LogLevel = "info";

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

function write(level: Exclude<LogLevel, "silent">, event: string, fields: Record<string, unknown>): void {
  if (RANK[level] < RANK[threshold]) return;
  const line = JSON.stringify({ level, event, ...fields }, (_, v: unknown) => (v instanceof Error ? `${v.name}: ${v.message}` : v));
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

export const log = {
  debug: (event: string, fields: Record<string, unknown> = {}) => write("debug", event, fields),
  info: (event: string, fields: Record<string, unknown> = {}) => write("info", event, fields),
  warn: (event: string, fields: Record<string, unknown> = {}) => write("warn", event, fields),
  error: (event: string, fields: Record<string, unknown> = {}) => write("error", event, fields),
};
