import { type Clock, clockAt } from "./core/deps";
import { depsFor as depsWith } from "./core/wiring";
import { exportAttacher } from "./network/export/index";
import { tick } from "./cron/tick";
import { intake } from "./inbound/intake";
import { log } from "./lib/log";
import { consumeJobs } from "./cron/consume";
import { app } from "./web/app";

/** Wiring only: each door reads its event and calls the core with one clock (a tick's
 * mail is sent "at" its scheduledTime). */

const depsFor = (env: Env, clock: Clock) => depsWith(env, clock, exportAttacher);

export default {
  fetch: app.fetch,

  async email(message, env) {
    const raw = await new Response(message.raw).arrayBuffer();
    const result = await intake(depsFor(env, clockAt(Date.now())), { from: message.from, to: message.to, raw });
    log.info("inbound", { outcome: result.outcome, ...("reason" in result ? { reason: result.reason } : {}) });
    if (result.outcome === "rejected") message.setReject(result.reason);
  },

  async scheduled(controller, env) {
    const result = await tick(depsFor(env, clockAt(controller.scheduledTime)));
    log.info("tick", { at: controller.scheduledTime, ...result });
  },

  async queue(batch, env) {
    await consumeJobs(batch, (now) => depsFor(env, clockAt(now)));
  },
} satisfies ExportedHandler<Env>;
