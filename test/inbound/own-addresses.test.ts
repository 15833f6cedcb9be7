/** Every address that reaches the Worker is Kith, never a contact, whatever the To header
 * says: ASSISTANT_ADDRESS, the envelope recipient (another route to the Worker), and
 * their +subaddresses. */
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { intake } from "../../src/inbound/intake";
import { uniq } from "../support/clock";
import { deps, eml, signUp, userId } from "../support/mail";

it("never takes an address the mail reached Kith by for a contact", async () => {
  const me = `own-${uniq()}@example.com`;
  await signUp(me, "Ann Lee");
  const route = "hello@kith-route.test";
  const raw = eml(
    { From: me, To: `Kith <${route}>, "Kith again" <hello+notes@kith-route.test>, kith+x@kith.test`, Cc: "Jane Smith <jane@acme.com>", Subject: "Catching up", Date: new Date().toUTCString() },
    "Hi Jane, good to see you.",
  );
  const out = await intake(deps(), { from: me, to: route, raw: new TextEncoder().encode(raw) });
  expect(out.outcome).toBe("applied");
  const emails = (await env.DB.prepare("SELECT email FROM contact_emails WHERE user_id = ?1").bind(await userId(me)).all<{ email: string }>()).results.map((r) => r.email);
  expect(emails).toEqual(["jane@acme.com"]);
});
