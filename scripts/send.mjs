#!/usr/bin/env node
// npm run send -- file.eml [more.eml ...] [--from you@example.com] [--to kith@example.com] [--port 8787]
// Posts a raw message to the local email endpoint, prints the outcome and any mail
// Kith sent in answer.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: "string" }, to: { type: "string" }, port: { type: "string" } },
});
if (positionals.length === 0) {
  console.error("usage: npm run send -- file.eml [more.eml ...] [--from you@example.com] [--to kith@example.com] [--port 8787]");
  process.exit(2);
}
const base = `http://127.0.0.1:${values.port ?? process.env.PORT ?? 8787}`;
const outbox = async () => (await fetch(`${base}/dev/outbox`)).json();

let failed = false;
for (const file of positionals) {
  const raw = readFileSync(file);
  const head = raw.subarray(0, 64 * 1024).toString("latin1").split(/\r?\n\r?\n/)[0] ?? "";
  const header = (name) => new RegExp(`^${name}:\\s*(.*(?:\\r?\\n[ \\t].*)*)`, "im").exec(head)?.[1] ?? "";
  const address = (v) => /<([^<>\s]+@[^<>\s]+)>/.exec(v)?.[1] ?? /[^\s<>"]+@[^\s<>"]+/.exec(v)?.[0];
  const from = values.from ?? address(header("From")) ?? "you@example.com";
  const to = values.to ?? "kith@example.com";
  let before;
  try {
    before = (await outbox()).length;
  } catch {
    console.error(`kith: nothing answers on ${base}; start it with npm start`);
    process.exit(1);
  }
  const res = await fetch(`${base}/cdn-cgi/handler/email?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, {
    method: "POST",
    body: raw,
  });
  const text = (await res.text()).trim();
  // wrangler answers a setReject() with 400 and this prefix; any other failure (the local
  // endpoint refusing the message, the handler throwing) is not Kith's rejection.
  const rejection = /^Worker rejected email with the following reason:\s*/.exec(text);
  failed ||= !res.ok;
  const outcome = res.ok
    ? "accepted"
    : rejection
      ? `rejected: ${text.slice(rejection[0].length)}`
      : `not delivered (HTTP ${res.status}): ${text.split("\n", 1)[0]}`;
  console.log(`${file}: ${outcome}`);
  const mails = (await outbox()).slice(before);
  for (const m of mails) console.log(`  -> ${m.headers["X-Kith-Kind"]} to ${m.to}: ${m.subject}`);
}
process.exit(failed ? 1 : 0);
