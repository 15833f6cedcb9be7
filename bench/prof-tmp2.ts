import { classify } from "../src/inbound/classify";
import { flatten } from "../src/inbound/mime/addresses";
import { automatedReason } from "../src/inbound/mime/guard";
import { parseMail } from "../src/inbound/mime/parse";
import { UTC } from "../src/lib/zone";
import { corpus } from "./mails";
const mails = corpus().filter((m) => !/pathological|huge|bomb/.test(m.name) && m.name.startsWith(process.env.ONLY ?? ""));
const now = Date.now();
const parsed = [];
for (const m of mails) { const p = await parseMail(m.raw); if (p.ok && !automatedReason(p.email, m.from)) parsed.push(p.email); }
const t = performance.now();
for (let i = 0; i < 200; i++) for (const email of parsed) {
  const sender = flatten(email.from ? [email.from] : undefined)[0]?.email?.toLowerCase() ?? "x@y";
  classify({ email, own: new Set(["kith@kith.test", sender]), userName: null, now, confirmBcc: false, zone: UTC });
}
console.log("ms", performance.now() - t, parsed.length);
