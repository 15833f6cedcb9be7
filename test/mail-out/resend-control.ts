/** Workers-side client for the loopback Resend API's control endpoints (test/support/resend-server.ts). */

import { env } from "cloudflare:test";
import { z } from "zod";
import type { DeliveredEmail, FailureSpec, RecordedRequest } from "../support/resend-server";

/** The loopback server's URL, bound by vitest.config.ts from what globalSetup provides. */
export const resendBaseUrl: string = z.object({ RESEND_BASE_URL: z.url() }).parse(env).RESEND_BASE_URL;

/** A fresh account on the shared server: requests made with this key are this test's alone. */
export function newApiKey(): string {
  return `re_test_${crypto.randomUUID().replaceAll("-", "")}`;
}

export async function receivedRequests(apiKey: string): Promise<RecordedRequest[]> {
  const res = await fetch(`${resendBaseUrl}/__requests?key=${encodeURIComponent(apiKey)}`);
  return res.json<RecordedRequest[]>();
}

export async function deliveredEmails(apiKey: string): Promise<DeliveredEmail[]> {
  const res = await fetch(`${resendBaseUrl}/__emails?key=${encodeURIComponent(apiKey)}`);
  return res.json<DeliveredEmail[]>();
}

/** The next `times` API requests made with `key` fail with `status`. */
export async function failNext(spec: FailureSpec): Promise<void> {
  const res = await fetch(`${resendBaseUrl}/__fail`, { method: "POST", body: JSON.stringify(spec) });
  if (!res.ok) throw new Error(`__fail: ${res.status} ${await res.text()}`);
}
