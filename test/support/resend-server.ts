/// <reference types="node" />
/**
 * A Resend-compatible API on loopback, run in Node by the vitest globalSetup, so tests drive
 * the real `resend` SDK over real HTTP. It does what Resend's API does for POST /emails and
 * POST /emails/batch (auth, required fields, address format, idempotency keys, error
 * bodies) and records everything it receives.
 *
 * Test files run in parallel against this one server, so all state belongs to an account:
 * the API key (Bearer token). A test that uses its own key sees only its own requests,
 * which is also how Resend scopes idempotency keys.
 *
 * Control endpoints, for tests (no auth):
 *   GET  /__requests?key=K  every request received with key K: { method, path, headers, body }
 *   GET  /__emails?key=K    what would have been sent: { id, body } per accepted email
 *   POST /__fail            { key, status, times?, name?, message?, raw? }: the next `times`
 *                           (default 1) API requests with key K answer `status`, with Resend's
 *                           JSON error body, or with `raw` as a text/html body if given,
 *                           or (`reset: true`) drop the connection without answering;
 *                           more in FailureSpec (only for one recipient or idempotency key,
 *                           a Retry-After, no answer at all, a failure after delivering)
 *   POST /__reset           { key }: forget account K
 */

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpError, isRecord, validateEmail } from "./resend-validation";

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased names, as Node reports them. */
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: unknown;
}

export interface DeliveredEmail {
  id: string;
  /** The email object exactly as the API received it (snake_case fields). */
  body: Record<string, unknown>;
}

export interface FailureSpec {
  key: string;
  status: number;
  times?: number;
  name?: string;
  message?: string;
  raw?: string;
  /** Drop the connection without an answer (a reset mid-request). */
  reset?: boolean;
  /** Never answer (a hung Resend): the client's timeout is all that ends the request. */
  hang?: boolean;
  /** The Retry-After header of the answer, in seconds (a 429 gets "1" without it). */
  retryAfter?: string;
  /** Deliver the mail (and keep its idempotency key) first, then fail as above: the
   * mail went out but its answer was lost. */
  afterDelivery?: boolean;
  /** Only requests for this recipient (any mail of a batch), or with this idempotency
   * key, fail; others pass. */
  to?: string;
  idempotencyKey?: string;
}

interface Account {
  requests: RecordedRequest[];
  emails: DeliveredEmail[];
  /** Idempotency key (per endpoint) to the request it answered and the answer. */
  idempotency: Map<string, { fingerprint: string; response: unknown }>;
  failures: FailureSpec[];
}

interface ApiError {
  status: number;
  name: string;
  message: string;
}

const DEFAULT_ERRORS: Record<number, { name: string; message: string }> = {
  400: { name: "validation_error", message: "We found an error with one or more fields in the request." },
  401: { name: "missing_api_key", message: "Missing API key in the authorization header." },
  403: { name: "invalid_api_key", message: "API key is invalid." },
  409: { name: "invalid_idempotent_request", message: "Same idempotency key used with a different request payload." },
  422: { name: "validation_error", message: "We found an error with one or more fields in the request." },
  429: { name: "rate_limit_exceeded", message: "Too many requests. Please limit the number of requests per second." },
  500: { name: "internal_server_error", message: "An unexpected error occurred." },
  503: { name: "service_unavailable", message: "The service is temporarily unavailable." },
};

export interface ResendServer {
  url: string;
  close(): Promise<void>;
}

export async function startResendServer(): Promise<ResendServer> {
  const accounts = new Map<string, Account>();
  const account = (key: string): Account => {
    let a = accounts.get(key);
    if (!a) {
      a = { requests: [], emails: [], idempotency: new Map(), failures: [] };
      accounts.set(key, a);
    }
    return a;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      sendJson(res, 500, { statusCode: 500, name: "internal_server_error", message: String(err) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const raw = await readBody(req);
    if (url.pathname.startsWith("/__")) return control(url, req.method ?? "GET", raw, res);

    const key = bearer(req.headers.authorization);
    const acc = account(key ?? "");
    acc.requests.push({
      method: req.method ?? "",
      path: url.pathname + url.search,
      headers: flatHeaders(req),
      body: parseJson(raw) ?? raw,
    });

    const failure = acc.failures.find((f) => matches(f, req, raw));
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) acc.failures.splice(acc.failures.indexOf(failure), 1);
      if (failure.afterDelivery) {
        try {
          api(acc, req, raw, url.pathname === "/emails/batch" ? "batch" : "single");
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
        }
      }
      if (failure.hang) return;
      if (failure.reset) {
        req.socket.destroy();
        return;
      }
      if (failure.retryAfter !== undefined || failure.status === 429) res.setHeader("retry-after", failure.retryAfter ?? "1");
      if (failure.raw !== undefined) {
        res.writeHead(failure.status, { "content-type": "text/html" }).end(failure.raw);
        return;
      }
      const fallback = DEFAULT_ERRORS[failure.status] ?? { name: "application_error", message: "Injected failure." };
      return sendError(res, {
        status: failure.status,
        name: failure.name ?? fallback.name,
        message: failure.message ?? fallback.message,
      });
    }

    try {
      const route = `${req.method} ${url.pathname}`;
      if (route === "POST /emails") return sendJson(res, 200, api(acc, req, raw, "single"));
      if (route === "POST /emails/batch") return sendJson(res, 200, api(acc, req, raw, "batch"));
      if (url.pathname === "/emails" || url.pathname === "/emails/batch") {
        throw new HttpError(405, "method_not_allowed", "Method is not allowed for the requested path.");
      }
      throw new HttpError(404, "not_found", "The requested endpoint does not exist.");
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, { status: err.status, name: err.errorName, message: err.message });
      throw err;
    }
  }

  /** Auth, idempotency and validation, in Resend's order; returns the success body. */
  function api(acc: Account, req: IncomingMessage, raw: string, kind: "single" | "batch"): unknown {
    const auth = req.headers.authorization;
    if (!auth) throw new HttpError(401, "missing_api_key", "Missing API key in the authorization header.");
    const key = bearer(auth);
    if (!key || !key.startsWith("re_")) throw new HttpError(403, "invalid_api_key", "API key is invalid.");

    const idemKey = header(req, "idempotency-key");
    if (idemKey !== undefined && (idemKey.length < 1 || idemKey.length > 256)) {
      throw new HttpError(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    const body = parseJson(raw);
    if (body === undefined) throw new HttpError(400, "validation_error", "Invalid JSON body.");

    const slot = idemKey === undefined ? undefined : `${kind}:${idemKey}`;
    const fingerprint = canonical(body);
    const previous = slot === undefined ? undefined : acc.idempotency.get(slot);
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        throw new HttpError(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload.");
      }
      return previous.response;
    }

    let response: unknown;
    if (kind === "single") {
      response = { id: deliver(acc, validateEmail(body, "")) };
    } else {
      if (!Array.isArray(body)) throw new HttpError(422, "validation_error", "The request body must be an array of emails.");
      if (body.length < 1 || body.length > 100) {
        throw new HttpError(422, "validation_error", "A batch must contain between 1 and 100 emails.");
      }
      const permissive = header(req, "x-batch-validation") === "permissive";
      const valid: Array<Record<string, unknown>> = [];
      const errors: Array<{ index: number; message: string }> = [];
      body.forEach((email: unknown, index: number) => {
        try {
          const checked = validateEmail(email, `[${index}].`);
          for (const unsupported of ["attachments", "scheduled_at"]) {
            if (checked[unsupported] !== undefined) {
              throw new HttpError(422, "validation_error", `\`${unsupported}\` is not supported in batch emails.`);
            }
          }
          valid.push(checked);
        } catch (err) {
          if (!(err instanceof HttpError) || !permissive) throw err;
          errors.push({ index, message: err.message });
        }
      });
      const data = valid.map((email) => ({ id: deliver(acc, email) }));
      response = permissive ? { data, errors } : { data };
    }
    if (slot !== undefined) acc.idempotency.set(slot, { fingerprint, response });
    return response;
  }

  function control(url: URL, method: string, raw: string, res: ServerResponse): void {
    const route = `${method} ${url.pathname}`;
    const key = url.searchParams.get("key") ?? "";
    if (route === "GET /__requests") return sendJson(res, 200, accounts.get(key)?.requests ?? []);
    if (route === "GET /__emails") return sendJson(res, 200, accounts.get(key)?.emails ?? []);
    const body = parseJson(raw);
    if (route === "POST /__fail" && isFailureSpec(body)) {
      account(body.key).failures.push({ ...body });
      return sendJson(res, 200, { ok: true });
    }
    if (route === "POST /__reset" && isRecord(body) && typeof body.key === "string") {
      accounts.delete(body.key);
      return sendJson(res, 200, { ok: true });
    }
    sendJson(res, 400, { error: `unknown control request ${route}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function deliver(acc: Account, email: Record<string, unknown>): string {
  const id = randomUUID();
  acc.emails.push({ id, body: email });
  return id;
}

/** Whether a scripted failure is for this request (its recipient, its idempotency key). */
function matches(f: FailureSpec, req: IncomingMessage, raw: string): boolean {
  if (f.idempotencyKey !== undefined && header(req, "idempotency-key") !== f.idempotencyKey) return false;
  if (f.to === undefined) return true;
  const body = parseJson(raw);
  const to = (Array.isArray(body) ? body : [body]).flatMap((m: unknown) => (isRecord(m) ? [m.to] : [])).flat();
  return to.some((a) => typeof a === "string" && a.toLowerCase().includes(f.to!.toLowerCase()));
}

function isFailureSpec(v: unknown): v is FailureSpec {
  return isRecord(v) && typeof v.key === "string" && typeof v.status === "number";
}

function bearer(auth: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/.exec(auth ?? "");
  return m?.[1];
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function parseJson(raw: string): unknown {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** JSON with sorted keys: two requests are "the same" whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isRecord(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendError(res: ServerResponse, e: ApiError): void {
  sendJson(res, e.status, { statusCode: e.status, message: e.message, name: e.name });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}
