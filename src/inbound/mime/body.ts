/** The part of a mail's body the user typed: everything above the first quote marker. */
export function topOfBody(text: string): string {
  const out: string[] = [];
  const head = text.slice(0, 20_000);
  // Line by line up to the marker (lines end in "\n" or "\r\n"), not split whole: the
  // quoted thread below it can be most of the text.
  for (let at = 0; at <= head.length; ) {
    const nl = head.indexOf("\n", at);
    const end = nl < 0 ? head.length : nl;
    const line = head.slice(at, nl > at && head[nl - 1] === "\r" ? nl - 1 : end);
    at = end + 1;
    const t = line.trim();
    if (t.startsWith(">")) break;
    if (/^(-{2,}\s*(Original Message|Forwarded message)|_{10,}|On .{1,200} wrote:$|Le .{1,200} a écrit ?:$|Am .{1,200} schrieb .{1,200}:$)/i.test(t)) break;
    if (t === "--" || t === "-- ") break;
    out.push(line);
  }
  return out.join("\n").trim();
}
