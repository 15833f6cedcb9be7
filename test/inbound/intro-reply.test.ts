/** The commonest intro follow-up: the user answers someone's intro with Kith in Bcc
 * ("Thanks Raj, moving you to bcc!"); the introducer is only in the quoted intro. */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { uniq } from "../support/clock";
import { eml, send, signUp, userId } from "../support/mail";

const KITH = "kith@kith.test";

async function user(): Promise<string> {
  const me = `ir-${uniq()}@example.com`;
  await signUp(me, "Ann Lee");
  return me;
}

const reply = (me: string, body: string, to = "Sam Okafor <sam@robots.example>") =>
  send(eml({ From: `Ann Lee <${me}>`, To: to, Bcc: KITH, Subject: "Re: Intro: Ann <> Sam", Date: new Date().toUTCString() }, body));

const contact = (uid: number, email: string) =>
  env.DB.prepare("SELECT c.id, c.name, c.introduced_by FROM contacts c JOIN contact_emails e ON e.contact_id = c.id WHERE c.user_id = ?1 AND e.email = ?2")
    .bind(uid, email)
    .first<{ id: number; name: string; introduced_by: number | null }>();

describe("a reply to someone's intro, Kith in Bcc", () => {
  it("records the person as introduced by the quoted introducer", async () => {
    const me = await user();
    const out = await reply(
      me,
      [
        "Thanks Raj, moving you to bcc!",
        "",
        "Sam, great to meet you. Are you free for a call on Thursday?",
        "",
        "Ann",
        "",
        "On Mon, Dec 7, 2026 at 10:02 AM Raj Mehta <raj@lendco.example>",
        "wrote:",
        "> Ann, meet Sam. Sam runs warehouse robotics at Robots Inc.",
        "> Sam, meet Ann, who is looking at automation for her plants.",
      ].join("\n"),
    );
    expect(out.outcome).toBe("applied");
    const uid = await userId(me);
    const raj = await contact(uid, "raj@lendco.example");
    const sam = await contact(uid, "sam@robots.example");
    expect(raj?.name).toBe("Raj Mehta");
    expect(sam?.introduced_by).toBe(raj!.id);
    const intro = await env.DB.prepare("SELECT introducer_id, contact_a_id, contact_b_id FROM introductions WHERE user_id = ?1").bind(uid).first();
    expect(intro).toEqual({ introducer_id: raj!.id, contact_a_id: sam!.id, contact_b_id: null });
    // The user wrote to Sam: no "new connection" follow-up for someone just answered.
    expect((await env.DB.prepare("SELECT count(*) AS n FROM reminders WHERE user_id = ?1 AND kind = 'follow-up'").bind(uid).first<{ n: number }>())!.n).toBe(0);
  });

  it("takes no introducer from a quote that is no intro, or that the user wrote", async () => {
    const me = await user();
    const uid = await userId(me);
    await reply(me, ["Sounds good.", "", "On Mon, Dec 7, 2026 at 10:02 AM Raj Mehta <raj@lendco.example> wrote:", "> Sam, can you send the report?"].join("\n"));
    expect((await contact(uid, "sam@robots.example"))?.introduced_by).toBeNull();
    expect(await contact(uid, "raj@lendco.example")).toBeNull();
    await reply(me, ["Following up.", "", `On Mon, Dec 7, 2026 at 10:02 AM Ann Lee <${me}> wrote:`, "> Sam, meet Raj. Raj, meet Sam."].join("\n"), "Sam Okafor <sam@robots.example>");
    expect((await contact(uid, "sam@robots.example"))?.introduced_by).toBeNull();
  });
});
