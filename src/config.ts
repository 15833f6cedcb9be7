import { z } from "zod";

/** Runtime configuration, validated once per event so a misconfiguration is a clear error. */
export interface Config {
  env: "production" | "development" | "test";
  assistant: string;
  assistantName: string;
  publicUrl: string;
  allowedUsers: string[];
  senderAuth: "strict" | "confirm" | "off";
  trustedAuthservIds: string[];
  /** Whether the receiver's Authentication-Results may make a pass (it stamps every mail). */
  trustReceiverStamp: boolean;
  /** DNS over HTTPS (JSON API) for the DKIM keys and DMARC records Kith checks itself. */
  dohUrl: string;
  transport: "resend" | "outbox";
  maxMessageBytes: number;
  linkSecret: string;
  resendApiKey?: string;
  resendBaseUrl?: string;
  /** Resend's webhook signing secret (whsec_…); unset, POST /webhooks/resend answers 503. */
  resendWebhookSecret?: string;
  /** How long a held (unauthenticated) mail waits for the user's yes. */
  holdMs: number;
  /** More users with due reminders than this in one tick go through the queue. */
  queueThreshold: number;
  /** Whether BCC'd mail gets a confirmation reply (notes and forwards always do). */
  confirmBcc: boolean;
  /** API requests one user may make in a minute, all their tokens together. */
  apiRatePerMinute: number;
  /** Mails one From address may send Kith in an hour; more are refused. */
  mailPerHour: number;
  /** Verify, alias-confirm and sign-in mails Kith sends one address in an hour. */
  answersPerHour: number;
  /** Mail to addresses that have not authenticated, all of them together, an hour. */
  unprovenPerHour: number;
}

const list = (s: string) =>
  s.split(/[\s,]+/).map((x) => x.trim().toLowerCase()).filter(Boolean);

const EnvSchema = z
  .object({
    KITH_ENV: z.enum(["production", "development", "test"]).default("production"),
    ASSISTANT_ADDRESS: z.email({ message: "ASSISTANT_ADDRESS must be an email address" }),
    ASSISTANT_NAME: z.string().default("Kith"),
    PUBLIC_URL: z.url({ message: "PUBLIC_URL must be an absolute URL" }),
    ALLOWED_USERS: z.string().default(""),
    SENDER_AUTH: z.enum(["strict", "confirm", "off"]).default("confirm"),
    TRUSTED_AUTHSERV_IDS: z.string().default("mx.cloudflare.net"),
    TRUST_RECEIVER_STAMP: z.enum(["on", "off"]).default("off"),
    DOH_URL: z.url({ message: "DOH_URL must be the URL of a DNS-over-HTTPS JSON resolver" }).default("https://cloudflare-dns.com/dns-query"),
    MAIL_TRANSPORT: z.enum(["resend", "outbox"]).default("resend"),
    MAX_MESSAGE_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
    LINK_SECRET: z.string().min(32, { message: "LINK_SECRET must be a secret of 32 characters or more" }),
    RESEND_API_KEY: z.string().optional(),
    RESEND_BASE_URL: z.url().optional(),
    RESEND_WEBHOOK_SECRET: z
      .string()
      .refine((s) => /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(s) && s.length % 4 === 2, {
        message: "RESEND_WEBHOOK_SECRET must be the whsec_… signing secret of the Resend webhook",
      })
      .optional(),
    HOLD_HOURS: z.coerce.number().positive().default(72),
    QUEUE_THRESHOLD: z.coerce.number().int().nonnegative().default(50),
    CONFIRM_BCC: z.enum(["on", "off"]).default("off"),
    API_RATE_PER_MINUTE: z.coerce.number().int().positive().default(120),
    MAIL_PER_HOUR: z.coerce.number().int().positive().default(120),
    ANSWERS_PER_HOUR: z.coerce.number().int().positive().default(10),
    UNPROVEN_PER_HOUR: z.coerce.number().int().positive().default(1000),
  })
  .superRefine((e, ctx) => {
    if (e.SENDER_AUTH === "off" && e.KITH_ENV === "production") {
      ctx.addIssue({ code: "custom", message: "SENDER_AUTH=off is for local development only", path: ["SENDER_AUTH"] });
    }
    if (e.MAIL_TRANSPORT === "resend" && !e.RESEND_API_KEY) {
      ctx.addIssue({ code: "custom", message: "MAIL_TRANSPORT=resend needs the RESEND_API_KEY secret", path: ["RESEND_API_KEY"] });
    }
  });

export class ConfigError extends Error {
  override name = "ConfigError";
}

const cache = new WeakMap<object, Config>();

export function loadConfig(env: object): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new ConfigError(`Kith is misconfigured: ${why}`);
  }
  const e = parsed.data;
  const config: Config = {
    env: e.KITH_ENV,
    assistant: e.ASSISTANT_ADDRESS.toLowerCase(),
    assistantName: e.ASSISTANT_NAME,
    publicUrl: e.PUBLIC_URL.replace(/\/+$/, ""),
    allowedUsers: list(e.ALLOWED_USERS),
    senderAuth: e.SENDER_AUTH,
    trustedAuthservIds: list(e.TRUSTED_AUTHSERV_IDS),
    trustReceiverStamp: e.TRUST_RECEIVER_STAMP === "on",
    dohUrl: e.DOH_URL,
    transport: e.MAIL_TRANSPORT,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    linkSecret: e.LINK_SECRET,
    resendApiKey: e.RESEND_API_KEY,
    resendBaseUrl: e.RESEND_BASE_URL,
    resendWebhookSecret: e.RESEND_WEBHOOK_SECRET,
    holdMs: e.HOLD_HOURS * 3600_000,
    queueThreshold: e.QUEUE_THRESHOLD,
    confirmBcc: e.CONFIRM_BCC === "on",
    apiRatePerMinute: e.API_RATE_PER_MINUTE,
    mailPerHour: e.MAIL_PER_HOUR,
    answersPerHour: e.ANSWERS_PER_HOUR,
    unprovenPerHour: e.UNPROVEN_PER_HOUR,
  };
  cache.set(env, config);
  return config;
}

/** ALLOWED_USERS holds addresses, `@domain` entries, or `*`. */
export function isAllowed(config: Config, address: string): boolean {
  const a = address.toLowerCase();
  const domain = a.slice(a.lastIndexOf("@"));
  return config.allowedUsers.some((rule) => rule === "*" || rule === a || rule === domain);
}
