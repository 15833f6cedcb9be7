/** CPU cost of the pipeline against bare postal-mime, in Node: workerd's clock stands
 * still while code runs, so it cannot time a parse. */
import PostalMime from "postal-mime";
import { classify } from "../src/inbound/classify";
import { flatten } from "../src/inbound/mime/addresses";
import { automatedReason } from "../src/inbound/mime/guard";
import { parseMail } from "../src/inbound/mime/parse";
import { sha256Hex } from "../src/lib/ids";
import { UTC } from "../src/lib/zone";
import type { Mail } from "./mails";

const ASSISTANT = "kith@kith.test";

/** Everything intake() computes before and besides its D1 calls: parse with limits,
 * the machine-mail guard, the sender, the fallback Message-ID, and classification with
 * the context a signed-up user gets (own addresses excluded, BCC replies off). Returns
 * the time spent in parseMail alone, to tell parsing from the steps after it. */
export async function pipelineCpu(mail: Mail, now: number): Promise<number> {
  const start = performance.now();
  const parsed = await parseMail(mail.raw);
  const parseMs = performance.now() - start;
  if (!parsed.ok) return parseMs;
  const email = parsed.email;
  if (automatedReason(email, mail.from)) return parseMs;
  const sender = flatten(email.from ? [email.from] : undefined)[0]?.email?.toLowerCase();
  if (!sender || sender === ASSISTANT) return parseMs;
  if (!email.messageId?.trim()) await sha256Hex(mail.raw);
  const userName = email.from && !email.from.group ? email.from.name || null : null;
  classify({ email, own: new Set([ASSISTANT, sender]), userName, now, confirmBcc: false, zone: UTC });
  return parseMs;
}

/** The baseline: what any Worker that reads mail pays. */
async function bareParse(mail: Mail): Promise<void> {
  try {
    await PostalMime.parse(mail.raw);
  } catch {
    // malformed input may throw; the time until it does is still the cost
  }
}

export interface Dist {
  p50: number;
  p99: number;
}

export interface CpuResult {
  messages: number;
  rounds: number;
  base: Dist;
  pipe: Dist;
  /** parseMail alone (inside the pipeline runs). */
  parse: Dist;
  /** Median over messages of (pipeline median / baseline median) for that message. */
  pairedRatio: number;
  /** Messages where the pipeline adds the most time over the baseline, in ms (medians). */
  heaviest: { name: string; base: number; pipe: number }[];
  seconds: number;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

async function timed<T>(run: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const out = await run();
  return [performance.now() - t, out];
}

/** Baseline and pipeline run interleaved, per message, in alternating order, so that
 * both see the same machine load; every message is timed once per round. */
export async function runCpu(mails: Mail[], rounds: number, warmup: number): Promise<CpuResult> {
  const start = performance.now();
  const now = Date.now();
  const base = mails.map((): number[] => []);
  const pipe = mails.map((): number[] => []);
  const parse = mails.map((): number[] => []);
  for (let r = -warmup; r < rounds; r++) {
    for (const [i, mail] of mails.entries()) {
      const baseFirst = (r + i) % 2 === 0;
      const bare = async () => (await timed(() => bareParse(mail)))[0];
      let baseMs = baseFirst ? await bare() : 0;
      const [pipeMs, parseMs] = await timed(() => pipelineCpu(mail, now));
      if (!baseFirst) baseMs = await bare();
      if (r < 0) continue;
      base[i]!.push(baseMs);
      pipe[i]!.push(pipeMs);
      parse[i]!.push(parseMs);
    }
  }
  const dist = (xs: number[][]): Dist => {
    const all = xs.flat().sort((a, b) => a - b);
    return { p50: percentile(all, 50), p99: percentile(all, 99) };
  };
  const medians = mails.map((m, i) => ({ name: m.name, base: median(base[i]!), pipe: median(pipe[i]!) }));
  return {
    messages: mails.length,
    rounds,
    base: dist(base),
    pipe: dist(pipe),
    parse: dist(parse),
    pairedRatio: median(medians.map((m) => m.pipe / m.base)),
    heaviest: [...medians].sort((a, b) => b.pipe - b.base - (a.pipe - a.base)).slice(0, 3),
    seconds: (performance.now() - start) / 1000,
  };
}
