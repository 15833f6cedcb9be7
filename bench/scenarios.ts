/** Representative mails from one user, for the D1 figures. Contacts "Person N"
 * <personN@example.org> exist (see the seed in d1.ts); the other people are new. */
import { eml } from "./mails";

export interface Scenario {
  name: string;
  messageId: string;
  raw: Uint8Array;
}

const KITH = "kith@kith.test";
const old = (i: number) => `Person ${i} <person${i}@example.org>`;
const NEW = ["Bob Stone <bob@beta.io>", '"Diaz, Carol" <carol@acme.com>', "Dev Patel <dev@gamma.ai>", "Erin Wu <erin@gamma.ai>", "Femi Ade <femi@delta.ng>"];

const VCARD = ["BEGIN:VCARD", "VERSION:3.0", "FN:Grace Lee", "N:Lee;Grace;;;", "ORG:Orbit Labs", "TITLE:Founder", "EMAIL;TYPE=INTERNET:grace@orbitlabs.io", "TEL;TYPE=CELL:+44 7911 123456", "END:VCARD", ""].join("\r\n");

export function scenarios(me: string, now: number): { signup: Uint8Array; list: Scenario[] } {
  const date = new Date(now).toUTCString().replace("GMT", "+0000");
  let n = 0;
  const mail = (name: string, headers: Record<string, string>, body: string): Scenario => {
    const messageId = `<bench-${++n}-${now}@example.com>`;
    return { name, messageId, raw: eml({ From: `Ann Example <${me}>`, Date: date, "Message-ID": messageId, ...headers }, body) };
  };
  const bcc1 = mail("BCC, 1 recipient (known)", { To: old(17), Bcc: KITH, Subject: "Lunch next week?" }, "Good to see you yesterday. Lunch next week?\n\nAnn");
  const list = [
    bcc1,
    mail("BCC, 3 recipients (2 known, 1 new)", { To: `${old(101)}, ${old(2002)}`, Cc: NEW[0]!, Bcc: KITH, Subject: "Notes from today" }, "Thanks all, notes attached below.\n\nAnn"),
    mail(
      "BCC, 10 recipients (5 known, 5 new)",
      { To: [1000, 3000, 5000, 7000, 9000].map(old).join(", "), Cc: NEW.join(", "), Bcc: KITH, Subject: "Advisory board kickoff" },
      "Welcome, everyone. Agenda for Thursday below.\n\nAnn",
    ),
    mail(
      "intro (1 known, 1 new)",
      { To: `${old(333)}, ${NEW[1]!}`, Bcc: KITH, Subject: "Intro: Person 333 <> Carol" },
      "Person, meet Carol. Carol leads design at Acme and is hiring.\n\nAnn",
    ),
    mail(
      "forward (1 known, 1 new)",
      { To: KITH, Subject: "Fwd: Great meeting you" },
      `FYI\n\n---------- Forwarded message ---------\nFrom: ${old(444)}\nDate: Wed, Nov 25, 2026 at 6:42 PM\nSubject: Great meeting you\nTo: Ann Example <${me}>\nCc: ${NEW[3]!}\n\nHi Ann,\n\nGreat meeting you. Looping in Erin, who runs partnerships.\n`,
    ),
    mail(
      "forward, names only",
      { To: KITH, Subject: "FW: Catch up" },
      "Worth remembering.\n\n-----Original Message-----\nFrom: Person 555\nSent: Tuesday, November 24, 2026 3:00 PM\nTo: Ann Example\nSubject: Catch up\n\nShall we catch up in December?\n",
    ),
    mail(
      "card note (1 known, 1 new)",
      { To: KITH, Subject: "Met at PyCon" },
      "Jane Smith\nCTO, Acme Corp\njane@acme.com\n+1 415 555 0100\n\nName: Person 666\nCompany: Nimbus\nEmail: person666@example.org\n",
    ),
    mail(
      "vCard attachment (new)",
      { To: KITH, Subject: "Grace from the founders dinner", "Content-Type": 'multipart/mixed; boundary="b1"' },
      [
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Her card.",
        "--b1",
        'Content-Type: text/vcard; charset=utf-8; name="Grace Lee.vcf"',
        'Content-Disposition: attachment; filename="Grace Lee.vcf"',
        "Content-Transfer-Encoding: base64",
        "",
        Buffer.from(VCARD).toString("base64").replace(/.{76}/g, "$&\n"),
        "--b1--",
        "",
      ].join("\n"),
    ),
    { ...bcc1, name: "redelivery of the 1-recipient BCC" },
  ];
  const signup = eml({ From: `Ann Example <${me}>`, To: KITH, Subject: "hello", Date: date, "Message-ID": `<bench-signup-${now}@example.com>` }, "Hi Kith");
  return { signup, list };
}
