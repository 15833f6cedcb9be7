import { loadConfig } from "./config";
import { type Deps, intake } from "./inbound/intake";
import { mailerFor } from "./mail-out/transport";
import { tick } from "./reminders/tick";
import { app } from "./web/app";

function deps(env: Env): Deps {
  const config = loadConfig(env);
  return { db: env.DB, config, mailer: mailerFor(env, config, () => Date.now()) };
}

export default {
  fetch: app.fetch,

  async email(message, env) {
    const raw = await new Response(message.raw).arrayBuffer();
    const result = await intake(deps(env), Date.now(), { from: message.from, raw });
    console.log(JSON.stringify({ inbound: result.outcome, ...("reason" in result ? { reason: result.reason } : {}) }));
    if (result.outcome === "rejected") message.setReject(result.reason);
  },

  async scheduled(controller, env) {
    const result = await tick(deps(env), controller.scheduledTime);
    console.log(JSON.stringify({ tick: controller.scheduledTime, ...result }));
  },
} satisfies ExportedHandler<Env>;
