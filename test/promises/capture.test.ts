/** Promises through the whole pipeline: made in mail the user wrote (Kith in Bcc) or
 * in a forward, back in a reminder on the day (theirs the day after), in lookups and
 * the weekly summary, closed by reply or by a later mail that shows it kept, and gone
 * with the person when they are forgotten. */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { DAY, HOUR, ticks, uniq } from "../support/clock";
import { count, eml, outbox, send, userId } from "../support/mail";
import type { OutboxEntry } from "../../src/mail-out/outbox";

vi.setConfig({ testTimeout: 60_000 });

const KITH = "kith@kith.test";
// Thursday Dec 3 2026, 15:00 in Berlin.
const T0 = Date.parse("2026-12-03T14:00:00Z");

async function berliner(): Promise<string> {
  const me = `pr-${uniq()}@example.com`;
  await send(eml({ From: `Ann Lee <${me}>`, To: KITH, Subject: "hello", Date: new Date(T0 - HOUR).toUTCString() }, "hi"), { now: T0 - HOUR });
  await send(eml({ From: me, To: KITH, Subject: "timezone Europe/Berlin" }, ""), { now: T0 - HOUR });
  return me;
}

/** Mail the user wrote to `to`, with Kith in Bcc. */
function wrote(me: string, to: string, subject: string, body: string, now: number, attachment = false) {
  const headers = { From: `Ann Lee <${me}>`, To: to, Bcc: KITH, Subject: subject, Date: new Date(now).toUTCString() };
  if (!attachment) return send(eml(headers, body), { now });
  const mixed = ["--b", "Content-Type: text/plain; charset=utf-8", "", body, "--b", 'Content-Type: application/pdf; name="deck.pdf"', 'Content-Disposition: attachment; filename="deck.pdf"', "Content-Transfer-Encoding: base64", "", "JVBERi0xLjQK", "--b--"].join("\n");
  return send(eml({ ...headers, "Content-Type": 'multipart/mixed; boundary="b"' }, mixed), { now });
}

const kinds = (me: string, kind: string) => outbox().then((all) => all.filter((m) => m.to === me && m.headers["X-Kith-Kind"] === kind));
const promises = (uid: number) =>
  env.DB.prepare("SELECT direction, what, status, due_at FROM promises WHERE user_id = ?1 ORDER BY created_at").bind(uid).all<{ direction: string; what: string; status: string; due_at: number }>().then((r) => r.results);

describe("a promise in mail you wrote", () => {
  it("comes back on its day by name and by what, and closes by reply", async () => {
    const me = await berliner();
    const uid = await userId(me);
    await wrote(me, "Jane Smith <jane@acme.com>", "Great meeting you", "Hi Jane,\n\nGreat meeting you at PyCon. I'll send you the deck by Friday.\n\nBest,\nAnn", T0);
    expect(await promises(uid)).toEqual([{ direction: "mine", what: "the deck", status: "open", due_at: Date.parse("2026-12-04T08:00:00Z") }]);
    // Friday at the delivery hour (09:00 Berlin).
    await ticks(T0, Date.parse("2026-12-04T12:00:00Z"), 15 * 60_000);
    const mail = (await kinds(me, "reminder")).find((m) => m.text.includes("You promised"))!;
    expect(new Date(mail.created_at).toISOString()).toBe("2026-12-04T08:00:00.000Z");
    expect(mail.subject).toBe("Kith: your promise to Jane Smith");
    expect(mail.text).toContain("You promised Jane Smith: the deck, due Fri Dec 4.");
    expect(mail.text).toContain(`In your words: "I'll send you the deck by Friday."`);
    expect(mail.text).toContain("Write to them: mailto:jane%40acme.com?subject=The%20deck%2C%20as%20promised");
    expect(mail.html).toContain("You promised Jane Smith: the deck, due Fri Dec 4.");
    const reply = (typed: string, now: number, to: OutboxEntry) =>
      send(eml({ From: me, To: to.headers["Reply-To"]!, Subject: `Re: ${to.subject}`, "In-Reply-To": to.headers["Message-ID"]!, Date: new Date(now).toUTCString() }, typed), { now });
    await reply("done", Date.parse("2026-12-04T09:00:00Z"), mail);
    expect((await promises(uid))[0]!.status).toBe("kept");
  });

  it("is kept by a later mail to them that carries it, and never reminded of", async () => {
    const me = await berliner();
    const uid = await userId(me);
    await wrote(me, "jane@acme.com", "Thanks", "Thanks Jane! Happy to send over the slides next week.", T0);
    expect((await promises(uid)).map((p) => p.what)).toEqual(["the slides"]);
    const open = () => env.DB.prepare("SELECT open_promises AS n FROM contacts WHERE user_id = ?1").bind(uid).first<{ n: number }>();
    expect(await open()).toEqual({ n: 1 });
    await wrote(me, "jane@acme.com", "Slides", "Hi Jane, here are the slides I mentioned.", T0 + DAY, true);
    expect((await promises(uid))[0]!.status).toBe("kept");
    expect(await open()).toEqual({ n: 0 });
    expect(await count("reminders", "user_id = ?1 AND kind = 'promise' AND status = 'done'", uid)).toBe(1);
    await ticks(T0 + DAY, T0 + 12 * DAY, HOUR);
    expect((await kinds(me, "reminder")).filter((m) => m.text.includes("You promised"))).toEqual([]);
  });

  it("never comes from quoted history or a signature", async () => {
    const me = await berliner();
    const uid = await userId(me);
    const body = ["Sounds good, talk soon.", "", "-- ", "Ann Lee | I'll get back to you within 24 hours", "", "On Wed, Dec 2, 2026 at 10:00 AM Jane <jane@acme.com> wrote:", "> I'll send you the contract by Friday.", "> I will introduce you to Priya next week."].join("\n");
    await wrote(me, "jane@acme.com", "Re: Contract", body, T0);
    expect(await promises(uid)).toEqual([]);
  });

  it("never comes from a thread quoted under a header in another language, or an Outlook block", async () => {
    const me = await berliner();
    const uid = await userId(me);
    const quoted = (header: string[]) => ["Danke, passt!", "", ...header, "", "I'll send you the contract by Friday."].join("\n");
    await wrote(me, "jane@acme.com", "AW: Contract", quoted(["-----Ursprüngliche Nachricht-----", "Von: Jane <jane@acme.com>", "Gesendet: Mittwoch, 2. Dezember 2026 10:00", "An: Ann Lee", "Betreff: Contract"]), T0);
    await wrote(me, "jane@acme.com", "Re: Contract", quoted(["ср, 2 дек. 2026 г. в 10:00, Jane <jane@acme.com>:"]), T0 + 1000);
    await wrote(me, "jane@acme.com", "RE: Contract", quoted(["From: Jane <jane@acme.com>", "Sent: Wednesday, December 2, 2026 10:00 AM", "To: Ann Lee", "Subject: Contract"]), T0 + 2000);
    expect(await promises(uid)).toEqual([]);
    // What the user typed still counts.
    await wrote(me, "jane@acme.com", "AW: Contract", ["I'll send you the signed copy by Monday.", "", "-----Ursprüngliche Nachricht-----", "Von: Jane <jane@acme.com>"].join("\n"), T0 + 3000);
    expect((await promises(uid)).map((p) => p.what)).toEqual(["the signed copy"]);
  });
});

describe("a promise in a forwarded mail", () => {
  it("is something you wait for: a nudge the day after it falls due", async () => {
    const me = await berliner();
    const uid = await userId(me);
    const forward = [
      "---------- Forwarded message ---------",
      "From: Raj Mehta <raj@lendco.io>",
      "Date: Thu, Dec 3, 2026 at 2:10 PM",
      "Subject: Term sheet",
      `To: Ann Lee <${me}>`,
      "",
      "Hi Ann, thanks for the call. Priya and I will send the draft terms by Monday.",
    ].join("\n");
    await send(eml({ From: me, To: KITH, Subject: "Fwd: Term sheet", Date: new Date(T0).toUTCString() }, forward), { now: T0 });
    expect(await promises(uid)).toEqual([{ direction: "theirs", what: "the draft terms", status: "open", due_at: Date.parse("2026-12-07T08:00:00Z") }]);
    const confirm = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(confirm.text).toContain("Raj Mehta promised you: the draft terms, by Mon Dec 7.");
    // Nothing on Monday; on Tuesday morning, a nudge.
    await ticks(T0, Date.parse("2026-12-08T12:00:00Z"), 30 * 60_000);
    const waiting = (await kinds(me, "reminder")).filter((m) => m.text.includes("promised you the draft terms"));
    expect(waiting).toHaveLength(1);
    expect(new Date(waiting[0]!.created_at).toISOString()).toBe("2026-12-08T08:00:00.000Z");
    expect(waiting[0]!.text).toContain("Raj Mehta promised you the draft terms, due Mon Dec 7. Nothing yet: a nudge?");
    expect(waiting[0]!.text).toContain("Nudge them: mailto:raj%40lendco.io?subject=Checking%20in%20on%20the%20draft%20terms");
  });
});

describe("promises and the rest of Kith", () => {
  it("show in a lookup and the weekly summary, and go when the person is forgotten", async () => {
    const me = await berliner();
    const uid = await userId(me);
    await wrote(me, "Jane Smith <jane@acme.com>", "Intro", "Jane, I will introduce you to Priya next week.", T0);
    await send(eml({ From: me, To: KITH, Subject: "who is jane" }, ""), { now: T0 + HOUR });
    const lookup = (await kinds(me, "lookup")).at(-1)!;
    expect(lookup.text).toContain("You promised: an intro to Priya (due Dec 7)");
    await send(eml({ From: me, To: KITH, Subject: "summary" }, ""), { now: T0 + 2 * HOUR });
    const summary = (await kinds(me, "weekly-summary")).at(-1)!;
    expect(summary.text).toContain("PROMISES\n  This week: 1 made.");
    expect(summary.text).toContain("You promised Jane Smith: an intro to Priya, due Mon Dec 7.");
    await send(eml({ From: me, To: KITH, Subject: "forget jane@acme.com" }, ""), { now: T0 + 3 * HOUR });
    expect(await count("promises", "user_id = ?1", uid)).toBe(0);
    expect(await count("reminders", "user_id = ?1 AND kind = 'promise'", uid)).toBe(0);
  });
});
