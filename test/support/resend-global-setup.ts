/** vitest globalSetup (runs in Node, once per run): the loopback Resend API and DoH
 * resolver every test shares. */

import type { TestProject } from "vitest/node";
import { startDohServer } from "./doh-server";
import { startResendServer } from "./resend-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the loopback Resend API; vitest.config.ts binds it as RESEND_BASE_URL. */
    resendBaseUrl: string;
    /** URL of the loopback DNS-over-HTTPS resolver; vitest.config.ts binds it as DOH_URL. */
    dohUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startResendServer();
  project.provide("resendBaseUrl", server.url);
  const doh = await startDohServer();
  project.provide("dohUrl", doh.url);
  return async () => {
    await server.close();
    await doh.close();
  };
}
