/** Every real-world mail in ../shared/corpus through the whole pipeline: no crash, no
 * hang, machine mail ignored, and the database consistent afterwards. */
import { describe, expect, it } from "vitest";
import { corpusBytes, corpusFiles, corpusText } from "../support/corpus";
import { count, eml, send } from "../support/mail";
import { orphans } from "../support/orphans";

const mails = corpusFiles("").filter((p) => /\.(eml|msg)$/.test(p) || p.startsWith("malformed/"));
/** Body-only files (forwarded and reply bodies) arrive wrapped in a mail from a user. */
const bodies = corpusFiles("").filter((p) => /\.(txt|html)$/.test(p) && !p.startsWith("malformed/"));
/** The calendar fixtures (test/fixtures/calendar), as each client mails them, and as a
 * user forwards them to Kith (From the user, the client's machine headers gone). */
const invitations = Object.entries(import.meta.glob<string>("../fixtures/calendar/*.eml", { query: "?raw", import: "default", eager: true })).map(
  ([path, raw]) => [path.replace(/^.*\//, ""), raw] as const,
);
const asForwarded = (raw: string) =>
  raw
    .replace(/^From: .*$/m, "From: Corpus User <corpus.user@example.com>")
    .replace(/^To: .*$/m, "To: kith@kith.test")
    .replace(/^(?:Auto-Submitted|Sender|Reply-To|Return-Path|Message-ID): .*\r?\n/gim, "");

function wrapped(path: string): string {
  const body = corpusText(path);
  const html = path.endsWith(".html");
  return eml(
    {
      From: "Corpus User <corpus.user@example.com>",
      To: "kith@kith.test",
      Subject: path.startsWith("forwarded/") ? "Fwd: from the corpus" : "Re: from the corpus",
      "Content-Type": html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8",
    },
    body,
  );
}

describe("the corpus through the pipeline", () => {
  it.each(mails)("%s", async (path) => {
    const out = await send(corpusBytes(path));
    if (!path.startsWith("auto/") && !path.startsWith("malformed/")) expect(out.outcome).not.toBe("ignored");
    expect(["applied", "ignored", "rejected", "duplicate", "held"]).toContain(out.outcome);
    if (out.outcome === "rejected" || out.outcome === "ignored") expect(out.reason.length).toBeGreaterThan(10);
    if (path.startsWith("auto/") && !path.includes("not_bounce")) expect(out.outcome).toBe("ignored");
    // Delivered again: nothing new.
    if (out.outcome === "applied") {
      const before = await count("interactions");
      expect((await send(corpusBytes(path))).outcome).toBe("duplicate");
      expect(await count("interactions")).toBe(before);
    }
  });

  it.each(bodies)("%s (wrapped in a mail)", async (path) => {
    const out = await send(wrapped(path));
    expect(["applied"]).toContain(out.outcome);
  });

  it.each(invitations)("calendar/%s", async (_, raw) => {
    // As the client sent it (to an invitee, from the organizer): machine mail or a stranger's.
    expect(["ignored", "rejected", "applied", "held"]).toContain((await send(raw)).outcome);
    const out = await send(asForwarded(raw));
    expect(out.outcome).toBe("applied");
  });

  it("leaves no half-stored mail behind", async () => {
    for (const path of mails) await send(corpusBytes(path));
    for (const path of bodies) await send(wrapped(path));
    for (const [, raw] of invitations) await send(asForwarded(raw));
    expect(await orphans()).toEqual([]);
    expect(await count("inbound_messages")).toBeGreaterThan(20);
    expect(await count("meetings")).toBeGreaterThan(3);
  });
});
