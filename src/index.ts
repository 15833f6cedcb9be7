import { loadConfig } from "./config";
import { type Deps, intake } from "./inbound/intake";
import { mailerFor } from "./mail-out/transport";
import { consumeJobs } from "./reminders/consume";
import type { ReminderJob } from "./reminders/jobs";
import { tick } from "./cron/tick";
import { app } from "./web/app";

/** The core's dependencies, with one clock: a tick's mail is sent "at" its scheduledTime. */
function deps(env: Env, now: number): Deps {
  const config = loadConfig(env);
  return { db: env.DB, config, mailer: mailerFor(env, config, () => now), queue: env.REMINDER_QUEUE as Queue<ReminderJob> | undefined };
}

export default {
  fetch: app.fetch,

  async email(message, env) {
    const now = Date.now();
    const raw = await new Response(message.raw).arrayBuffer();
    const result = await intake(deps(env, now), now, { from: message.from, to: message.to, raw });
    console.log(JSON.stringify({ inbound: result.outcome, ...("reason" in result ? { reason: result.reason } : {}) }));
    if (result.outcome === "rejected") message.setReject(result.reason);
  },

  async scheduled(controller, env) {
    const now = controller.scheduledTime;
    const result = await tick(deps(env, now), now);
    console.log(JSON.stringify({ tick: now, ...result }));
  },

  async queue(batch, env) {
    await consumeJobs(batch, (now) => deps(env, now));
  },
} satisfies ExportedHandler<Env>;
