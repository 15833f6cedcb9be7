declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    LINK_SECRET: string;
    /** Optional in production (unset: /webhooks/resend answers 503); bound in tests. */
    RESEND_WEBHOOK_SECRET?: string;
  }
}

declare module "virtual:corpus" {
  /** Path relative to the corpus folder (e.g. "forwarded/fp_gmail_en.txt") to base64 bytes. */
  const files: Record<string, string>;
  export default files;
}
