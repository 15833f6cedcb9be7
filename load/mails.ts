/** The mail of a load run: users, the people they know, and their mail in the shapes
 * the corpus holds (BCC intros, Cc'd mail with a promise, Gmail, Outlook, Apple Mail and
 * Thunderbird inline forwards, a message/rfc822 forward, card notes, a vCard, commands,
 * replies to Kith's reminders). Each person has one name and one address everywhere, so
 * a second record of someone in the database is a duplicate, never a second person. */

export const ASSISTANT = "kith@example.com"; // wrangler.toml's ASSISTANT_ADDRESS

export interface Person {
  name: string;
  email: string;
  company: string;
}

export interface User extends Person {
  /** The UTC offset of their Date headers, "+0100". */
  zone: string;
  /** The people their mail names: small, so that concurrent mails name the same person. */
  circle: Person[];
}

export interface Mail {
  user: User;
  messageId: string;
  raw: string;
  /** What it is, for the report. */
  shape: string;
  /** Addresses the mail makes (or keeps) contacts of the user. */
  people: string[];
}

const FIRST = ["Ada", "Bo", "Chiara", "Dev", "Emeka", "Fatima", "Goran", "Hana", "Ines", "Jonas", "Keiko", "Luis", "Mara", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zofia"];
const LAST = ["Abara", "Berg", "Costa", "Dubois", "Eriksen", "Fischer", "Gupta", "Haddad", "Ito", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quispe", "Rossi", "Sato", "Tanaka"];
const COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell", "Cyberdyne"];
const EVENTS = ["PyCon", "Web Summit", "RustConf", "the founders dinner", "KubeCon", "the Acme offsite", "JSConf", "re:Invent"];
const ZONES = ["+0100", "-0500", "+0000", "+0530", "-0800", "+0900", "+0200"];

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** `users` users, each with a circle of `circle` people drawn from one shared pool. */
export function makeUsers(rand: () => number, users: number, circle = 12, tag = "load"): User[] {
  const pool: Person[] = [];
  for (const last of LAST) {
    for (const first of FIRST) {
      const company = COMPANIES[pool.length % COMPANIES.length]!;
      pool.push({ name: `${first} ${last}`, email: `${first}.${last}@${company}.example`.toLowerCase(), company });
    }
  }
  return Array.from({ length: users }, (_, i) => {
    const people = new Set<Person>();
    while (people.size < circle) people.add(pick(rand, pool));
    return {
      name: `User ${i + 1}`,
      email: `${tag}.user${i + 1}@users.example`,
      company: "",
      zone: ZONES[i % ZONES.length]!,
      circle: [...people],
    };
  });
}

const who = (p: Person) => `${p.name} <${p.email}>`;

/** A Message-ID unique to the run, the user and what the mail is. */
const idFor = (u: User, tag: string, what: string) => `<${tag}.${what}.${u.email.split("@")[0]}@${u.email.split("@")[1]}>`;

function dateHeader(at: number, zone: string): string {
  const sign = zone.startsWith("-") ? -1 : 1;
  const minutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const local = new Date(at + minutes * 60_000);
  const d = local.toUTCString().replace(" GMT", "");
  return `${d} ${zone}`;
}

/** A raw message with CRLF line ends. */
function eml(headers: Record<string, string | undefined>, body: string): string {
  const h: Record<string, string | undefined> = { "MIME-Version": "1.0", "Content-Type": "text/plain; charset=utf-8", ...headers };
  const lines = Object.entries(h).flatMap(([k, v]) => (v === undefined ? [] : [`${k}: ${v}`]));
  return `${lines.join("\r\n")}\r\n\r\n${body.replace(/\r?\n/g, "\r\n")}\r\n`;
}

interface Shape {
  name: string;
  make(u: User, c: Person[], base: Record<string, string>, now: number): { raw: string; people: Person[] };
}

const DAY = 86_400_000;

/** Each shape takes up to three people of the user's circle (c[0..2]). */
const SHAPES: Shape[] = [
  {
    name: "bcc-intro",
    make: (u, [a, b], h) => ({
      people: [a!, b!],
      raw: eml(
        { ...h, To: `${who(a!)}, ${who(b!)}`, Bcc: ASSISTANT, Subject: `Intro: ${a!.name.split(" ")[0]} <> ${b!.name.split(" ")[0]}` },
        `${a!.name.split(" ")[0]}, meet ${b!.name.split(" ")[0]}. ${b!.name.split(" ")[0]} runs partnerships at ${b!.company}; ${a!.name.split(" ")[0]} is hiring at ${a!.company}. You two should talk.\n\n${u.name}`,
      ),
    }),
  },
  {
    name: "bcc-promise",
    make: (u, [a], h) => ({
      people: [a!],
      raw: eml({ ...h, To: who(a!), Bcc: ASSISTANT, Subject: "Good to see you" }, `Hi ${a!.name.split(" ")[0]},\n\nGreat catching up today. I'll send you the deck by Friday.\n\n${u.name}`),
    }),
  },
  {
    name: "cc",
    make: (u, [a, b], h) => ({
      people: [a!, b!],
      raw: eml({ ...h, To: who(a!), Cc: `${who(b!)}, ${ASSISTANT}`, Subject: "Thanks for the coffee" }, `Thanks both, that was useful. Talk soon.\n\n${u.name}`),
    }),
  },
  {
    name: "fwd-gmail",
    make: (u, [a, b], h, now) => ({
      people: [a!, b!],
      raw: eml(
        { ...h, To: ASSISTANT, Subject: `Fwd: Great meeting you at ${EVENTS[0]}` },
        `FYI\n\n---------- Forwarded message ---------\nFrom: ${who(a!)}\nDate: ${new Date(now - 2 * DAY).toUTCString()}\nSubject: Great meeting you\nTo: ${who(u)}\nCc: ${who(b!)}\n\nHi,\n\nGreat meeting you. Looping in ${b!.name.split(" ")[0]}, who runs partnerships.\n\n${a!.name.split(" ")[0]}`,
      ),
    }),
  },
  {
    name: "fwd-outlook",
    make: (u, [a, b], h, now) => ({
      people: [a!, b!],
      raw: eml(
        { ...h, To: ASSISTANT, Subject: "FW: Next steps" },
        `See below.\n\nFrom: ${who(a!)}\nDate: ${new Date(now - 3 * DAY).toUTCString()}\nTo: ${u.email} <${u.email}>\nCc: ${who(b!)}\nSubject: Next steps\n\nWe will send the draft terms by Friday.\n\n${a!.name}`,
      ),
    }),
  },
  {
    name: "fwd-apple",
    make: (u, [a, b], h, now) => ({
      people: [a!, b!],
      raw: eml(
        { ...h, To: ASSISTANT, Subject: "Fwd: Integer consequat" },
        `\n\nBegin forwarded message:\n\nFrom: ${who(a!)}\nSubject: Integer consequat\nDate: ${new Date(now - DAY).toUTCString()}\nTo: ${u.email}\nCc: ${who(b!)}\n\nAenean quis diam urna. Maecenas eleifend vulputate ligula ac consequat.\n`,
      ),
    }),
  },
  {
    name: "fwd-thunderbird",
    make: (u, [a], h, now) => ({
      people: [a!],
      raw: eml(
        { ...h, To: ASSISTANT, Subject: "Fwd: Intro call" },
        `\n\n-------- Forwarded Message --------\nSubject: \tIntro call\nDate: \t${new Date(now - DAY).toUTCString()}\nFrom: \t${who(a!)}\nTo: \t${u.email}\n\n\n\nThanks for the call. Let's meet again next month.\n`,
      ),
    }),
  },
  {
    name: "fwd-attached",
    make: (u, [a], h, now) => {
      const inner = eml({ From: who(a!), To: who(u), Subject: "Proposal", Date: new Date(now - 4 * DAY).toUTCString(), "Message-ID": `<inner-${h["Message-ID"]!.slice(1)}` }, "Here is the proposal we discussed.");
      return {
        people: [a!],
        raw: eml(
          { ...h, To: ASSISTANT, Subject: "Fwd: Proposal", "Content-Type": 'multipart/mixed; boundary="fwd-b"' },
          `--fwd-b\nContent-Type: text/plain; charset=utf-8\n\nForwarding this one.\n\n--fwd-b\nContent-Type: message/rfc822; name="Proposal.eml"\nContent-Disposition: attachment; filename="Proposal.eml"\n\n${inner}\n--fwd-b--`,
        ),
      };
    },
  },
  {
    name: "card-note",
    make: (_u, [a, b], h) => ({
      people: [a!, b!],
      raw: eml(
        { ...h, To: ASSISTANT, Subject: `Met at ${EVENTS[1]}` },
        `${a!.name}\nCTO, ${a!.company}\n${a!.email}\n\nName: ${b!.name}\nCompany: ${b!.company}\nTitle: Staff Engineer\nEmail: ${b!.email}`,
      ),
    }),
  },
  {
    name: "vcard",
    make: (_u, [a], h) => {
      const [first, last] = a!.name.split(" ");
      const card = `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${a!.name}\r\nN:${last};${first};;;\r\nORG:${a!.company}\r\nTITLE:Founder\r\nEMAIL;TYPE=INTERNET:${a!.email}\r\nEND:VCARD\r\n`;
      return {
        people: [a!],
        raw: eml(
          { ...h, To: ASSISTANT, Subject: "A card from the dinner", "Content-Type": 'multipart/mixed; boundary="vc-b"' },
          `--vc-b\nContent-Type: text/plain; charset=utf-8\n\nTheir card.\n\n--vc-b\nContent-Type: text/vcard; charset=utf-8; name="${a!.name}.vcf"\nContent-Disposition: attachment; filename="${a!.name}.vcf"\nContent-Transfer-Encoding: base64\n\n${btoa(card)}\n--vc-b--`,
        ),
      };
    },
  },
  {
    name: "who-is",
    make: (_u, [a], h) => ({ people: [], raw: eml({ ...h, To: ASSISTANT, Subject: `who is ${a!.name.split(" ")[0]}` }, "") }),
  },
  {
    name: "find",
    make: (_u, [a], h) => ({ people: [], raw: eml({ ...h, To: ASSISTANT, Subject: `find ${a!.company}` }, "") }),
  },
];

/** A user's `n`-th mail of the run, its shape and people chosen by `rand`. */
export function userMail(rand: () => number, u: User, n: number, now: number, tag: string): Mail {
  const shape = pick(rand, SHAPES);
  const messageId = idFor(u, tag, `${n}-${shape.name}`);
  const people = [...u.circle].sort(() => rand() - 0.5).slice(0, 3);
  const made = shape.make(u, people, { From: who(u), Date: dateHeader(now, u.zone), "Message-ID": messageId }, now);
  return { user: u, messageId, raw: made.raw, shape: shape.name, people: made.people.map((p) => p.email) };
}

/** The first mail of a user: the sign-up. */
export function hello(u: User, now: number, tag: string): Mail {
  const messageId = idFor(u, tag, "hello");
  return { user: u, messageId, shape: "sign-up", people: [], raw: eml({ From: who(u), To: ASSISTANT, Subject: "Hello Kith", Date: dateHeader(now, u.zone), "Message-ID": messageId }, "Hi! Signing up.") };
}

/** A one-line command ("login", "token"). */
export function command(u: User, words: string, now: number, tag: string): Mail {
  const messageId = idFor(u, tag, words.replace(/\W+/g, "-"));
  return { user: u, messageId, shape: words, people: [], raw: eml({ From: who(u), To: ASSISTANT, Subject: words, Date: dateHeader(now, u.zone), "Message-ID": messageId }, "") };
}

const REPLIES = ["done", "snooze 3 days", "1 done", "every 2 months"];

/** A reply typed above the quoted reminder, threaded to it. */
export function reminderReply(rand: () => number, u: User, reminder: { messageId: string; subject: string; text: string }, now: number, tag: string): Mail {
  const words = pick(rand, REPLIES);
  const messageId = idFor(u, tag, `re-${words.replace(/\W+/g, "-")}`);
  const quoted = reminder.text
    .split(/\r?\n/)
    .slice(0, 12)
    .map((l) => `> ${l}`)
    .join("\n");
  const raw = eml(
    { From: who(u), To: ASSISTANT, Subject: `Re: ${reminder.subject}`, Date: dateHeader(now, u.zone), "Message-ID": messageId, "In-Reply-To": reminder.messageId, References: reminder.messageId },
    `${words}\n\nOn ${new Date(now - 3_600_000).toUTCString()}, Kith <${ASSISTANT}> wrote:\n${quoted}`,
  );
  return { user: u, messageId, shape: `reply "${words}"`, people: [], raw };
}
