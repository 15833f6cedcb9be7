/// <reference types="node" />
/**
 * End to end: the local server a user starts with `npm start`, driven over HTTP only, as
 * DESIGN.md "Local mode" promises. One server for the file (starting one takes seconds);
 * the steps of a user's first session run in order, each building on the one before.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalServer, root, startLocalServer } from "./local-server";

interface OutboxMail {
  id: number | string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  created_at: number | string;
  attachments: { filename: string; contentType: string; content: string }[];
}

const ASSISTANT = "kith@example.com"; // wrangler.toml's ASSISTANT_ADDRESS, which npm start keeps
const TICK_MS = 1_000;
const example = (name: string) => join(root, "examples", name);

let server: LocalServer;
let startedAt: number;

beforeAll(async () => {
  startedAt = Date.now();
  // KITH_TICKER is left unset (the user's default); only the interval is shortened.
  server = await startLocalServer({ KITH_TICK_MS: String(TICK_MS) });
}, 75_000);

afterAll(async () => {
  if (!server) return;
  const left = await server.stop();
  expect(left, "processes of npm start still running after stop").toEqual([]);
}, 30_000);

async function post(raw: Uint8Array | string, from: string, to = ASSISTANT): Promise<{ status: number; body: string }> {
  const url = `${server.base}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const res = await fetch(url, { method: "POST", body: raw, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.text() };
}

async function outbox(): Promise<OutboxMail[]> {
  const res = await fetch(`${server.base}/dev/outbox`, { signal: AbortSignal.timeout(10_000) });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  return (await res.json()) as OutboxMail[];
}

const kind = (m: OutboxMail) => m.headers["X-Kith-Kind"];
/** Mail the scheduled handler may send on its own (the ticker keeps firing meanwhile). */
const scheduledKinds = new Set(["reminder", "weekly-summary"]);
const answers = (mails: OutboxMail[]) => mails.filter((m) => !scheduledKinds.has(kind(m) ?? ""));

/** `npm run send -- ...args --port N`, as a user types it. */
function send(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "npm",
      ["run", "send", "--", ...args, "--port", String(server.port)],
      { cwd: root, timeout: 20_000, env: { ...process.env, NO_COLOR: "1" } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** send.mjs output, one entry per file: its outcome line and the mails listed under it. */
function byFile(stdout: string): Map<string, { outcome: string; mails: string[] }> {
  const files = new Map<string, { outcome: string; mails: string[] }>();
  let current: { outcome: string; mails: string[] } | undefined;
  for (const line of stdout.split("\n")) {
    const head = /^(\S+\.eml): (.*)$/.exec(line);
    if (head) files.set(head[1]!, (current = { outcome: head[2]!, mails: [] }));
    else if (current && /^\s+-> /.test(line)) current.mails.push(line.trim());
  }
  return files;
}

describe.sequential("local mode (npm start)", () => {
  it("serves /health, and /dev/outbox in development mode, empty on a fresh state directory", async () => {
    expect((await fetch(`${server.base}/health`)).status).toBe(200);
    expect(await outbox()).toEqual([]);
  });

  it("signs a new user up: the email endpoint answers 200 and a welcome lands in the outbox", async () => {
    const res = await post(readFileSync(example("01-hello.eml")), "ann@example.com");
    expect(res).toMatchObject({ status: 200 });

    const mails = await outbox();
    expect(mails).toHaveLength(1);
    const welcome = mails[0]!;
    expect(welcome).toEqual(
      expect.objectContaining({
        id: expect.anything(),
        to: expect.stringContaining("ann@example.com"),
        from: expect.stringContaining(ASSISTANT),
        subject: expect.any(String),
        text: expect.any(String),
        headers: expect.any(Object),
        created_at: expect.anything(),
      }),
    );
    expect("html" in welcome).toBe(true);
    expect(welcome.html === null || typeof welcome.html === "string").toBe(true);
    expect(kind(welcome)).toBe("welcome");
    expect(welcome.headers["Message-ID"]).toMatch(/^<[^<>\s]+@[^<>\s]+>$/);
    expect(Number.isNaN(new Date(welcome.created_at).getTime())).toBe(false);
  });

  it("npm run send posts the other examples and prints each outcome with the mail Kith sent back", async () => {
    const before = await outbox();
    const files = ["02-intro-bcc.eml", "03-forward.eml", "04-card-note.eml", "05-vcard.eml", "06-help.eml"];
    const run = await send(...files.map((f) => `examples/${f}`));
    expect(run.code, run.stdout + run.stderr).toBe(0);

    const printed = byFile(run.stdout);
    for (const f of files) expect(printed.get(`examples/${f}`)?.outcome, run.stdout).toBe("accepted");
    for (const f of ["03-forward.eml", "04-card-note.eml", "05-vcard.eml"]) {
      expect(printed.get(`examples/${f}`)?.mails, run.stdout).toEqual([expect.stringMatching(/^-> confirmation to ann@example\.com: /)]);
    }
    expect(printed.get("examples/06-help.eml")?.mails, run.stdout).toEqual([expect.stringMatching(/^-> help to ann@example\.com: /)]);

    const added = answers((await outbox()).slice(before.length));
    expect(added.filter((m) => kind(m) === "confirmation")).toHaveLength(3);
    expect(added.filter((m) => kind(m) === "help")).toHaveLength(1);
    for (const m of added) expect(m.headers["Message-ID"]).toMatch(/^<[^<>\s]+@[^<>\s]+>$/);
  });

  it("looks someone up, and exports: /dev/outbox carries the export's files, base64", async () => {
    const run = await send("examples/07-who-is.eml", "examples/08-export.eml");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const mails = await outbox();
    const lookup = mails.find((m) => kind(m) === "lookup");
    expect(lookup?.text).toContain("Jane Smith, CTO at Acme Corp");
    const exported = mails.find((m) => kind(m) === "export");
    expect(exported?.attachments.map((a) => a.filename)).toEqual(["kith-contacts.vcf", "kith-contacts.csv", "kith-export.json"]);
    const vcf = Buffer.from(exported!.attachments[0]!.content, "base64").toString("utf8");
    expect(vcf).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);
    expect(vcf).toContain("FN:Jane Smith");
    for (const m of mails) expect(Array.isArray(m.attachments)).toBe(true);
  });

  it("lists the outbox oldest first, every mail with an X-Kith-Kind", async () => {
    const mails = await outbox();
    expect(mails.length).toBeGreaterThanOrEqual(5);
    const times = mails.map((m) => new Date(m.created_at).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const m of mails) expect(kind(m)).toMatch(/^[a-z-]+$/);
  });

  it("redelivering the same mails changes nothing", async () => {
    const before = answers(await outbox());
    expect((await post(readFileSync(example("03-forward.eml")), "ann@example.com")).status).toBe(200);
    const run = await send("examples/01-hello.eml", "examples/04-card-note.eml", "examples/06-help.eml");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    for (const [, printed] of byFile(run.stdout)) expect(printed).toEqual({ outcome: "accepted", mails: [] });
    expect(answers(await outbox())).toEqual(before);
  });

  it("reports a rejected mail with the reason the Worker gave setReject, and stores nothing", async () => {
    const before = await outbox();
    // A From header that holds no address (an empty group), so there is nobody to answer.
    const raw = [
      "From: undisclosed-recipients:;",
      `To: ${ASSISTANT}`,
      "Subject: who am I",
      `Message-ID: <e2e-nofrom-${Date.now()}@example.com>`,
      "",
      "Jane Smith, jane@acme.com",
      "",
    ].join("\r\n");
    const res = await post(raw, "ann@example.com");
    expect(res.status).toBe(400);
    // wrangler's answer to setReject(reason); the wording of the reason is Kith's to choose.
    const reason = /^Worker rejected email with the following reason: (.+)$/s.exec(res.body.trim())?.[1];
    expect(reason, res.body).toMatch(/\w+ \w+/);

    const file = join(server.stateDir, "no-from.eml");
    writeFileSync(file, raw.replace("<e2e-nofrom-", "<e2e-nofrom-again-"));
    const run = await send(file);
    expect(run.code).not.toBe(0);
    expect(byFile(run.stdout).get(file)).toEqual({ outcome: `rejected: ${reason}`, mails: [] });

    expect(answers(await outbox())).toEqual(answers(before));
  });

  it("rejects a mail over the size limit with a reason a person understands", async () => {
    const before = await outbox();
    const head = `From: Ann Example <ann@example.com>\r\nTo: ${ASSISTANT}\r\nSubject: big\r\nMessage-ID: <e2e-big@example.com>\r\n\r\n`;
    const body = `${"x".repeat(998)}\r\n`.repeat(11 * 1024); // about 11 MiB; the limit is 10 MiB
    const res = await post(head + body, "ann@example.com");
    expect(res.status).toBe(400);
    expect(res.body).toMatch(/^Worker rejected email with the following reason: \w+ \w+/);
    expect(answers(await outbox())).toEqual(answers(before));
  });

  it("npm run send says a mail the local endpoint refuses was not delivered, and exits nonzero", async () => {
    // wrangler's endpoint refuses a message without a Message-ID before Kith sees it.
    const file = join(server.stateDir, "no-message-id.eml");
    writeFileSync(file, `From: Ann Example <ann@example.com>\r\nTo: ${ASSISTANT}\r\nSubject: hi\r\n\r\nhello\r\n`);
    const run = await send(file);
    expect(run.code).not.toBe(0);
    expect(byFile(run.stdout).get(file)?.outcome, run.stdout).toMatch(/^not delivered \(HTTP 4\d\d\): /);
  });

  it("runs the ticker by default: the start script says so and the scheduled handler ticks", async () => {
    await server.waitFor(/kith: ticker on\b/, 10_000);
    // The Worker logs each tick as a JSON line: {"level":"info","event":"tick","at":<ms>,…}.
    const tick = await server.waitFor(/^\{"level":"info","event":"tick","at":(\d+)/m, 5 * TICK_MS + 5_000);
    const at = Number(tick[1]);
    expect(at).toBeGreaterThanOrEqual(startedAt);
    expect(at).toBeLessThanOrEqual(Date.now());
  });

  it("travels in time: /cdn-cgi/handler/scheduled?time= runs the cron logic as of that instant", async () => {
    const later = Date.now() + 3 * 24 * 3600_000;
    const res = await fetch(`${server.base}/cdn-cgi/handler/scheduled?time=${later}`, { signal: AbortSignal.timeout(15_000) });
    expect(res.status).toBe(200);
    await server.waitFor(new RegExp(`^\\{"level":"info","event":"tick","at":${later}\\b`, "m"), 5_000);
  });
});
