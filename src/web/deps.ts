import { createMiddleware } from "hono/factory";
import { clockAt, type Deps } from "../core/deps";
import { depsFor } from "../core/wiring";
import { exportAttacher } from "../network/export/index";

/** The web's environment: the bindings, and the core's dependencies for this request. */
export interface WebEnv {
  Bindings: Env;
  Variables: { deps: Deps };
}

/** One clock per request: every rule runs at the instant it arrived. */
export const withDeps = createMiddleware<WebEnv>(async (c, next) => {
  c.set("deps", depsFor(c.env, clockAt(Date.now()), exportAttacher));
  await next();
});
