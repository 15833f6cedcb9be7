/**
 * Resend's checks on what POST /emails and POST /emails/batch receive (required fields,
 * address format and count, field types), with its error names and messages, for the
 * loopback server in resend-server.ts.
 */

/** An API error the server answers with Resend's JSON error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

const ADDRESS_FORMAT = "The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.";

/** Resend's checks on one email object; `at` prefixes field names inside a batch. */
export function validateEmail(email: unknown, at: string): Record<string, unknown> {
  if (!isRecord(email)) throw new HttpError(422, "validation_error", `${at}: the email must be an object.`);
  for (const field of ["from", "to", "subject"]) {
    if (email[field] === undefined || email[field] === null || email[field] === "") {
      throw new HttpError(422, "missing_required_field", `Missing \`${at}${field}\` field.`);
    }
  }
  if (email.html === undefined && email.text === undefined && email.template === undefined) {
    throw new HttpError(422, "missing_required_field", `Missing \`${at}html\` or \`${at}text\` field.`);
  }
  if (typeof email.subject !== "string") throw new HttpError(422, "validation_error", `Invalid \`${at}subject\` field.`);
  checkAddresses(email.from, `${at}from`, 1);
  checkAddresses(email.to, `${at}to`, 50);
  for (const field of ["cc", "bcc", "reply_to"]) {
    if (email[field] !== undefined) checkAddresses(email[field], `${at}${field}`, 50);
  }
  for (const field of ["text", "html"]) {
    if (email[field] !== undefined && typeof email[field] !== "string") {
      throw new HttpError(422, "validation_error", `Invalid \`${at}${field}\` field.`);
    }
  }
  const headers = email.headers;
  if (headers !== undefined && (!isRecord(headers) || !Object.values(headers).every((v) => typeof v === "string"))) {
    throw new HttpError(422, "validation_error", `Invalid \`${at}headers\` field: values must be strings.`);
  }
  return email;
}

function checkAddresses(value: unknown, field: string, max: number): void {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > max) throw new HttpError(422, "validation_error", `Too many addresses in \`${field}\` (max ${max}).`);
  for (const address of list) {
    if (typeof address !== "string" || !isAddress(address)) {
      throw new HttpError(422, "validation_error", `Invalid \`${field}\` field. ${ADDRESS_FORMAT}`);
    }
  }
}

/** `email@example.com` or `Name <email@example.com>`. */
function isAddress(s: string): boolean {
  const named = /^[^<>]*<([^<>]+)>\s*$/.exec(s);
  const address = (named ? named[1] : s)?.trim() ?? "";
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
