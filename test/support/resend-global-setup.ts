/** vitest globalSetup (runs in Node, once per run): the loopback Resend API every test shares. */

import type { TestProject } from "vitest/node";
import { startResendServer } from "./resend-server";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the loopback Resend API; vitest.config.ts binds it as RESEND_BASE_URL. */
    resendBaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startResendServer();
  project.provide("resendBaseUrl", server.url);
  return () => server.close();
}
