/**
 * "pause" and "resume" as typed (subject or first line of a mail to Kith, or a reply to
 * a reminder): which kinds of mail, and for how long. The time phrase is kept as typed
 * and read when the command is applied, in the user's zone, with the snooze grammar
 * (lib/when.ts `readWhen`): "pause for 2 weeks", "pause until March".
 */
import { parseSpan } from "../lib/spans";
import { ALL_KINDS, type PauseKind } from "../users/pause";

export type PauseCommand =
  /** `until` null: until resumed. */
  | { name: "pause"; kinds: PauseKind[]; until: string | null }
  | { name: "resume"; kinds: PauseKind[] };

const KINDS: [RegExp, PauseKind[]][] = [
  [/^(?:(?:the |my |all )?reminders?|(?:the )?check-?ins|(?:the )?follow-?ups)\b\s*/, ["reminders"]],
  [/^(?:(?:the |my )?(?:weekly )?(?:summary|summaries|digests?))\b\s*/, ["summary"]],
  [/^(?:all (?:mail|e-?mails?)|all|everything|(?:the )?(?:mails?|e-?mails?)|kith)\b\s*/, ALL_KINDS],
];
// Said instead of a date: no end.
const OPEN_ENDED = /^(?:(?:until|till|til) (?:resumed|i resume|further notice|i say so|i'?m back)|indefinitely|forever|for now|for good)$/;

/** A pause or resume command, or null when the line is something else (a note that
 * starts with "Pause", say): a time must follow "until"/"for", or be a plain span. */
export function parsePauseCommand(line: string): PauseCommand | null {
  // "pause" and "resume" both read each line: its normal form is kept for the second.
  if (line !== pauseLine) {
    pauseWords = line
      .slice(0, 200)
      .trim()
      .toLowerCase()
      .replace(/\s+/g, " ")
      .replace(/[\s.!]+$/, "")
      .replace(/^(?:please )/, "");
    pauseLine = line;
  }
  const t = pauseWords;
  if (/^(?:unsubscribe|unsubscribe me|stop all mail|stop all e-?mails?)$/.test(t)) return { name: "pause", kinds: ALL_KINDS, until: null };
  const m = /^(pause|resume|unpause)(?: (.*))?$/.exec(t);
  if (!m) return null;
  let rest = m[2] ?? "";
  let kinds = ALL_KINDS;
  for (const [re, k] of KINDS) {
    const hit = re.exec(rest);
    if (hit) {
      kinds = k;
      rest = rest.slice(hit[0].length);
      break;
    }
  }
  if (m[1] !== "pause") return rest === "" ? { name: "resume", kinds } : null;
  if (rest === "" || OPEN_ENDED.test(rest)) return { name: "pause", kinds, until: null };
  if (/^(?:until|till|til|for) \S/.test(rest) || parseSpan(rest)) return { name: "pause", kinds, until: rest };
  return null;
}

let pauseLine: string | undefined;
let pauseWords = "";
