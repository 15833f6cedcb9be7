import { parseReplyCommands } from "./src/reminders/reply-commands.ts";
const opts = { now: Date.parse("2026-03-02T10:00:00Z"), timeZone: "Europe/Berlin", itemCount: 3 };
const cases: Record<string, string> = {
  spacesDone: "done 1" + "  2".repeat(150) + " x",
  spaces: "done" + " ".repeat(490) + "x",
  commas: "1" + ", 1".repeat(160) + " x",
  noteCommas: "note " + "a, ".repeat(20000),
  noteLines: ("note " + "a, ".repeat(1300) + "\n").repeat(200),
  snoozes: "snooze tomorrow, ".repeat(29),
  snoozeLines: "snooze next tuesday 9am\n".repeat(49),
  ranges: "1-3 " .repeat(120) + "done",
  fillers: "please ".repeat(70) + "x",
  tail: "done" + " ,".repeat(240) + "x",
};
for (const [k, v] of Object.entries(cases)) {
  const t0 = performance.now(); const r = parseReplyCommands(v, opts);
  console.log(k, v.length, (performance.now() - t0).toFixed(1) + "ms", r.ok ? `ok ${r.commands.length}` : r.reason.slice(0, 60));
}
