/** Calendar invitations through the whole pipeline: the attendees become contacts (not
 * the user, Kith, rooms or resources), the meeting an interaction at its start, and the
 * follow-up comes after it ends; an update moves it, a cancellation removes it. */
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import googleIcs from "../fixtures/calendar/google-request.ics?raw";
import googleUpdateIcs from "../fixtures/calendar/google-update.ics?raw";
import outlookIcs from "../fixtures/calendar/outlook-request.ics?raw";
import outlookCancelIcs from "../fixtures/calendar/outlook-cancel.ics?raw";
import weeklyIcs from "../fixtures/calendar/outlook-weekly.ics?raw";
import forwardEml from "../fixtures/calendar/gmail-forward.eml?raw";
import { HOUR, ticks, uniq } from "../support/clock";
import { count, eml, outbox, send, userId } from "../support/mail";

vi.setConfig({ testTimeout: 60_000 });

const KITH = "kith@kith.test";
// The fixtures' invitee is Sam Lee; each test's user takes Sam's place.
const SAM = /sam\.lee@example\.net/gi;

async function user(now: number): Promise<string> {
  const me = `cal-${uniq()}@example.net`;
  await send(eml({ From: `Sam Lee <${me}>`, To: KITH, Subject: "hello", Date: new Date(now).toUTCString() }, "hi"), { now });
  await send(eml({ From: me, To: KITH, Subject: "timezone America/Los_Angeles" }, ""), { now });
  return me;
}

/** The user forwards an invitation to Kith with its .ics attached, as mail clients do. */
function invitation(me: string, ics: string, now: number, subject = "Fwd: Invitation"): string {
  const bytes = new TextEncoder().encode(ics.replace(SAM, me));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  const b64 = btoa(bin);
  const body = [
    "--b1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "For Kith.",
    "--b1",
    'Content-Type: text/calendar; charset=utf-8; method=REQUEST; name="invite.ics"',
    'Content-Disposition: attachment; filename="invite.ics"',
    "Content-Transfer-Encoding: base64",
    "",
    ...(b64.match(/.{1,76}/g) ?? []),
    "--b1--",
  ].join("\n");
  return eml({ From: `Sam Lee <${me}>`, To: KITH, Subject: subject, Date: new Date(now).toUTCString(), "Content-Type": 'multipart/mixed; boundary="b1"' }, body);
}

const emailsOf = async (uid: number) =>
  (await env.DB.prepare("SELECT email FROM contact_emails WHERE user_id = ?1 ORDER BY email").bind(uid).all<{ email: string }>()).results.map((r) => r.email);
const meetingReminders = async (uid: number) =>
  (await env.DB.prepare("SELECT due_at, status FROM reminders WHERE user_id = ?1 AND kind = 'meeting' ORDER BY due_at").bind(uid).all<{ due_at: number; status: string }>()).results;

describe("a calendar invitation", () => {
  it("makes its people contacts, the meeting an interaction at its start, and a follow-up after it ends", async () => {
    const t0 = Date.parse("2026-03-05T17:00:00Z");
    const me = await user(t0);
    const uid = await userId(me);
    const out = await send(invitation(me, googleIcs, t0), { now: t0 });
    expect(out.outcome).toBe("applied");
    // Not the user, not the room (a resource.calendar.google.com address).
    expect(await emailsOf(uid)).toEqual(["lea.fontaine@example.fr", "marcus.oduya@example.org", "priya.raman@example.com"]);
    const start = Date.parse("2026-03-12T17:00:00Z"); // 10:00 in Los Angeles (PDT)
    const end = start + 30 * 60_000;
    const interaction = await env.DB.prepare("SELECT kind, occurred_at, subject FROM interactions WHERE user_id = ?1").bind(uid).first<{ kind: string; occurred_at: number; subject: string }>();
    expect(interaction).toEqual({ kind: "meeting", occurred_at: start, subject: "Priya / Marcus: partnership sync" });
    expect(await count("interaction_contacts", "interaction_id IN (SELECT id FROM interactions WHERE user_id = ?1)", uid)).toBe(3);
    const confirm = (await outbox()).filter((m) => m.to === me).at(-1)!;
    expect(confirm.text).toContain('Saved from the invitation to "Priya / Marcus: partnership sync"');
    expect(confirm.text).toContain("Kith will remind you to follow up after it ends.");
    // No "new connection" follow-ups for the attendees: the meeting's follow-up stands for them.
    expect(await count("reminders", "user_id = ?1 AND kind = 'follow-up'", uid)).toBe(0);
    const [due] = await meetingReminders(uid);
    expect(due!.due_at).toBeGreaterThan(end);
    expect(due!.due_at).toBeLessThanOrEqual(end + 24 * HOUR);

    // The cron: nothing before the meeting ends, then one reminder naming it and its people.
    await ticks(t0, end, 30 * 60_000);
    expect((await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder")).toEqual([]);
    await ticks(end, end + 24 * HOUR, 15 * 60_000);
    const [mail, ...more] = (await outbox()).filter((m) => m.to === me && m.headers["X-Kith-Kind"] === "reminder");
    expect(more).toEqual([]);
    expect(mail!.created_at).toBeGreaterThan(end);
    expect(mail!.text).toContain('Follow up on "Priya / Marcus: partnership sync" with Léa Fontaine, Marcus Oduya and Priya Raman (it ended Thu Mar 12, 10:30 am).');
    expect(mail!.text).toMatch(/Write to them all: mailto:lea\.fontaine%40example\.fr,marcus\.oduya%40example\.org,priya\.raman%40example\.com\?subject=Following%20up%3A%20Priya%20%2F%20Marcus/);
  });

  it("moves with an update and goes with a cancellation; the people stay", async () => {
    const t0 = Date.parse("2026-03-05T17:00:00Z");
    const me = await user(t0);
    const uid = await userId(me);
    await send(invitation(me, googleIcs, t0), { now: t0 });
    // SEQUENCE 1: a day later, at 14:00.
    await send(invitation(me, googleUpdateIcs, t0 + HOUR), { now: t0 + HOUR });
    const moved = Date.parse("2026-03-13T21:00:00Z");
    expect(await env.DB.prepare("SELECT starts_at, sequence FROM meetings WHERE user_id = ?1").bind(uid).first()).toEqual({ starts_at: moved, sequence: 1 });
    expect(await count("interactions", "user_id = ?1", uid)).toBe(1);
    expect(await env.DB.prepare("SELECT occurred_at FROM interactions WHERE user_id = ?1").bind(uid).first()).toEqual({ occurred_at: moved });
    const reminders = await meetingReminders(uid);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.due_at).toBeGreaterThan(moved + 30 * 60_000);
    // The first invitation again (an older SEQUENCE): nothing changes.
    await send(invitation(me, googleIcs, t0 + 2 * HOUR, "Fwd: Invitation (again)"), { now: t0 + 2 * HOUR });
    expect(await env.DB.prepare("SELECT starts_at FROM meetings WHERE user_id = ?1").bind(uid).first()).toEqual({ starts_at: moved });

    // Outlook: a request, then its cancellation (same UID, METHOD:CANCEL).
    await send(invitation(me, outlookIcs, t0 + 3 * HOUR), { now: t0 + 3 * HOUR });
    expect(await count("meetings", "user_id = ?1", uid)).toBe(2);
    const people = await count("contacts", "user_id = ?1", uid);
    await send(invitation(me, outlookCancelIcs, t0 + 4 * HOUR), { now: t0 + 4 * HOUR });
    expect(await count("meetings", "user_id = ?1", uid)).toBe(1);
    expect(await count("interactions", "user_id = ?1", uid)).toBe(1);
    expect(await meetingReminders(uid)).toHaveLength(1);
    expect(await count("contacts", "user_id = ?1", uid)).toBe(people);
    expect((await outbox()).filter((m) => m.to === me).at(-1)!.text).toContain("Removed");
  });

  it("leaves rooms out in Outlook's invitations, read in its Windows zone names", async () => {
    const t0 = Date.parse("2026-07-01T17:00:00Z");
    const me = await user(t0);
    const uid = await userId(me);
    await send(invitation(me, outlookIcs, t0), { now: t0 });
    const row = await env.DB.prepare("SELECT starts_at, ends_at FROM meetings WHERE user_id = ?1").bind(uid).first<{ starts_at: number; ends_at: number }>();
    // 09:00 "Pacific Standard Time" in July is PDT, UTC-7.
    expect(new Date(row!.starts_at).toISOString()).toBe("2026-07-16T16:00:00.000Z");
    const emails = await emailsOf(uid);
    expect(emails.some((e) => /room|projector/i.test(e))).toBe(false);
    expect(emails).not.toContain(me);
  });

  it("sets up a follow-up for the next occurrence only of a recurring meeting", async () => {
    const t0 = Date.parse("2026-03-01T17:00:00Z");
    const me = await user(t0);
    const uid = await userId(me);
    await send(invitation(me, weeklyIcs, t0), { now: t0 });
    const m = await env.DB.prepare("SELECT starts_at, ends_at FROM meetings WHERE user_id = ?1").bind(uid).first<{ starts_at: number; ends_at: number }>();
    expect(m!.starts_at).toBeGreaterThan(t0);
    const reminders = await meetingReminders(uid);
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.due_at).toBeGreaterThan(m!.ends_at);
    expect(reminders[0]!.due_at - m!.ends_at).toBeLessThanOrEqual(24 * HOUR);
  });

  it("reads an invitation inside a forwarded message", async () => {
    const t0 = Date.parse("2026-03-05T17:00:00Z");
    const me = await user(t0);
    const raw = forwardEml.replace(SAM, me).replace(/^From: .*$/m, `From: Sam Lee <${me}>`).replace(/^To: .*$/m, `To: ${KITH}`);
    const out = await send(raw, { now: t0 });
    expect(out.outcome).toBe("applied");
    expect(await count("meetings", "user_id = ?1", await userId(me))).toBe(1);
  });

  it("caps an invitation with thousands of attendees and says so; a broken calendar stores nothing", async () => {
    const t0 = Date.parse("2026-03-05T17:00:00Z");
    const me = await user(t0);
    const uid = await userId(me);
    const crowd = Array.from({ length: 3000 }, (_, i) => `ATTENDEE;CN=Guest ${i}:mailto:guest${i}@crowd.example`).join("\r\n");
    const big = googleIcs.replace(/UID:[^\r\n]+/, "UID:crowd-1@example").replace("ORGANIZER;", `${crowd}\r\nORGANIZER;`);
    await send(invitation(me, big, t0), { now: t0 });
    expect(await count("contacts", "user_id = ?1", uid)).toBeLessThanOrEqual(201);
    expect((await outbox()).filter((m) => m.to === me).at(-1)!.text).toMatch(/The invitation lists [\d,]+ more people than Kith takes from one invitation/);

    const before = await count("contacts", "user_id = ?1", uid);
    const broken = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:no start\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    const out = await send(invitation(me, broken, t0 + HOUR), { now: t0 + HOUR });
    expect(out.outcome).toBe("applied");
    expect(await count("contacts", "user_id = ?1", uid)).toBe(before);
    expect(await count("meetings", "user_id = ?1", uid)).toBe(1);
    expect((await outbox()).filter((m) => m.to === me).at(-1)!.headers["X-Kith-Kind"]).toBe("help");
  });
});
