import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { allow, limitKeys } from "../account/limits";
import { tokenOwner, touchToken, type TokenOwner } from "../account/tokens";
import { ConfigError } from "../config";
import { log } from "../lib/log";
import { MINUTE } from "../lib/time";
import { correct, type EditContext, type Edited, everyStatements, forgetStatements, metStatements, stopStatements } from "../network/edit";
import { exportResponse } from "../network/export/stream";
import { cursorText, peoplePage, type PersonRow, readCursor, searchPage } from "../people/browse";
import { addressesAndPhones, clearFact, type Contact, contactsByIds } from "../people/contacts";
import { timelineOf } from "../people/interactions";
import { MAX_NOTE, notesOf } from "../people/notes";
import { actOnReminder } from "../reminders/act-link";
import { type DueReminder, openReminderIds, openRemindersOf, remindersByIds } from "../reminders/store";
import { userById } from "../users/store";
import type { User } from "../users/user";
import type { WebEnv } from "./deps";

/**
 * The JSON API, /api/v1: personal access tokens (Authorization: Bearer kith_…), read or
 * read-write. One zod schema per shape gives validation, the handler's types and the
 * OpenAPI document (/api/v1/openapi.json) at once. Every error is
 * { "error": { "code", "message" } } from one place: 400 invalid, 401 no valid token,
 * 403 a read token writing, 404 not found (another user's id is not found), 429 rate
 * limited. The same definitions as mail and the dashboard do the work.
 */

interface ApiEnv {
  Bindings: WebEnv["Bindings"];
  Variables: WebEnv["Variables"] & { token: TokenOwner; me: User };
}
type C = Context<ApiEnv>;

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 429,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const problem = (c: C, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  c.json({ error: { code, message } }, status as 400, headers);

export const api = new OpenAPIHono<ApiEnv>({
  defaultHook: (result, c) => {
    if (!result.success) {
      const why = result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
      return problem(c as C, 400, "invalid", why.slice(0, 500));
    }
  },
});

api.onError((err, c) => {
  if (err instanceof ApiError) return problem(c, err.status, err.code, err.message, err.headers);
  // Hono's own (a body that is not JSON, for one).
  if (err instanceof Error && "status" in err && typeof err.status === "number" && err.status >= 400 && err.status < 500) return problem(c, err.status, "invalid", err.message);
  log.error("api", { route: c.req.routePath, error: err });
  if (err instanceof ConfigError) return problem(c, 500, "misconfigured", err.message);
  return problem(c, 500, "internal", "Something went wrong on Kith's side. Please try again.");
});

api.notFound((c) => problem(c, 404, "not_found", "No such route."));

// ---- shapes

const ErrorSchema = z.object({ error: z.object({ code: z.string().openapi({ example: "not_found" }), message: z.string() }) }).openapi("Error");

const ContactSchema = z
  .object({
    id: z.number().int(),
    name: z.string().nullable(),
    emails: z.array(z.string()),
    phones: z.array(z.string()).openapi({ description: "E.164" }),
    company: z.string().nullable(),
    title: z.string().nullable(),
    met_at: z.string().nullable().openapi({ description: "Where you met" }),
    introduced_by: z.number().int().nullable().openapi({ description: "The contact who introduced you" }),
    cadence_days: z.number().int().nullable().openapi({ description: "Their own check-in cadence; null: your default" }),
    checkins_stopped: z.boolean(),
    last_interaction_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Contact");

const ReminderSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(["follow-up", "check-in", "intro-check", "promise", "waiting", "remind", "meeting", "plan", "plan-recap"]),
    status: z.string().openapi({ description: "pending (due), sent (in a mail, not acted on yet), …" }),
    due_at: z.string(),
    contact: z.object({ id: z.number().int(), name: z.string().nullable(), email: z.string().nullable() }).nullable().openapi({ description: "Whom it is about; null for a plan or a reminder about no one" }),
    about: z.string().nullable().openapi({ description: "What was promised, what you asked to be reminded of, the meeting or the event" }),
    other: z.object({ name: z.string().nullable(), email: z.string().nullable() }).nullable().openapi({ description: "An intro check's other person" }),
  })
  .openapi("Reminder");

const NoteSchema = z.object({ text: z.string(), created_at: z.string() }).openapi("Note");

const ContactDetailSchema = ContactSchema.extend({ notes: z.array(NoteSchema), reminders: z.array(ReminderSchema) }).openapi("ContactDetail");

const InteractionSchema = z
  .object({
    id: z.number().int(),
    kind: z.string().openapi({ example: "met" }),
    occurred_at: z.string(),
    subject: z.string().nullable(),
    with: z.string().nullable().openapi({ description: "Who else took part" }),
  })
  .openapi("Interaction");

const Fact = z.string().trim().min(1).max(200);
const ContactPatchSchema = z
  .object({
    name: Fact.optional(),
    title: Fact.nullable().optional(),
    company: Fact.nullable().optional(),
    met_at: Fact.nullable().optional(),
    cadence_days: z.number().int().min(1).max(3660).optional(),
    checkins_stopped: z.literal(true).optional().openapi({ description: "true: no more check-ins (a cadence turns them back on)" }),
    phone: z.string().max(40).optional().openapi({ description: "A phone to add" }),
  })
  .strict()
  .openapi("ContactPatch");

const NewInteractionSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("note"), text: z.string().trim().min(1).max(MAX_NOTE) }),
    z.object({
      kind: z.literal("met"),
      subject: z.string().trim().max(200).optional().openapi({ example: "Coffee" }),
      occurred_at: z.iso.datetime({ offset: true }).optional().openapi({ description: "When; now if left out. Not in the future." }),
    }),
  ])
  .openapi("NewInteraction");

const ActSchema = z
  .object({ action: z.enum(["done", "skip", "snooze"]), days: z.number().int().min(1).max(730).optional().openapi({ description: "For snooze" }) })
  .refine((a) => a.action !== "snooze" || a.days !== undefined, { message: "snooze needs days", path: ["days"] })
  .openapi("ReminderAction");

const Id = z.string().regex(/^\d{1,16}$/).openapi({ param: { name: "id", in: "path" }, example: "3651152337478088" });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { "application/json": { schema } }, description });
const errors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "No valid token"),
  403: json(ErrorSchema, "A read-only token cannot write"),
  404: json(ErrorSchema, "Not found"),
  429: json(ErrorSchema, "Too many requests"),
};

// ---- conversions

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

function contactJson(c: Contact | PersonRow, emails: string[], phones: string[]): z.infer<typeof ContactSchema> {
  return {
    id: c.id,
    name: c.name,
    emails,
    phones,
    company: c.company,
    title: c.title,
    met_at: c.met_at,
    introduced_by: c.introduced_by,
    cadence_days: c.cadence_days,
    checkins_stopped: c.muted_at !== null,
    last_interaction_at: iso(c.last_interaction_at),
    created_at: iso(c.created_at)!,
  };
}

const reminderJson = (r: DueReminder): z.infer<typeof ReminderSchema> => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  due_at: iso(r.due_at)!,
  contact: r.contact_id === null ? null : { id: r.contact_id, name: r.name, email: r.email },
  about: r.promise_what ?? r.what ?? r.meeting_summary ?? r.plan_event,
  other: r.kind === "intro-check" ? { name: r.other_name, email: r.other_email } : null,
});

// ---- the document, then authentication for everything else

api.openAPIRegistry.registerComponent("securitySchemes", "token", { type: "http", scheme: "bearer", description: 'A personal access token ("token" by mail, or Settings on the dashboard)' });

api.doc31("/openapi.json", (c) => ({
  openapi: "3.1.0",
  info: { title: "Kith API", version: "1", description: "Your network in Kith: contacts, their interactions, what is due, and the export." },
  servers: [{ url: `${new URL(c.req.url).origin}/api/v1` }],
  security: [{ token: [] }],
}));

api.use("*", async (c, next) => {
  const { db, config, clock } = c.var.deps;
  const now = clock.now();
  const m = /^Bearer\s+(\S+)$/i.exec(c.req.header("Authorization") ?? "");
  // On the primary, never a replica: a token revoked a moment ago must not still work.
  const token = m ? await tokenOwner(c.env.DB, m[1]!) : null;
  const user = token ? await userById(db, token.userId) : null;
  if (!token || !user) throw new ApiError(401, "unauthorized", "Send a valid token: Authorization: Bearer kith_…", { "WWW-Authenticate": 'Bearer realm="kith"' });
  if (!(await allow(db, limitKeys.api(user.id), config.apiRatePerMinute, MINUTE, now))) {
    const retry = Math.ceil((MINUTE - (now % MINUTE)) / 1000);
    throw new ApiError(429, "rate_limited", `At most ${config.apiRatePerMinute} requests a minute; try again in ${retry} s.`, { "Retry-After": String(retry) });
  }
  if (c.req.method !== "GET" && c.req.method !== "HEAD" && token.scope !== "write") throw new ApiError(403, "read_only", "This token can read but not write.");
  await touchToken(db, token.id, now).run();
  c.set("token", token);
  c.set("me", user);
  await next();
});

const editContext = (c: C): EditContext => ({ db: c.var.deps.db, user: c.var.me, now: c.var.deps.clock.now() });

/** The user's contact with this id, or a 404 (whoever else's it may be). */
async function contactOr404(c: C, id: string): Promise<Contact> {
  const [contact] = await contactsByIds(c.var.deps.db, c.var.me.id, [Number(id)]);
  if (!contact) throw new ApiError(404, "not_found", "No such contact.");
  return contact;
}

async function withReach(db: D1Database, userId: number, contacts: (Contact | PersonRow)[]) {
  const { emails, phones } = await addressesAndPhones(db, userId, contacts.map((x) => x.id));
  return contacts.map((x) => contactJson(x, emails.get(x.id) ?? [], phones.get(x.id) ?? []));
}

/** Run an edit's statements in one batch; its error is a 400. */
async function apply(c: C, e: Edited | { error: string }): Promise<Edited> {
  if ("error" in e) throw new ApiError(400, "invalid", e.error);
  if (e.statements.length > 0) await c.var.deps.db.batch(e.statements);
  return e;
}

// ---- contacts

const listContacts = createRoute({
  method: "get",
  path: "/contacts",
  summary: "Your contacts: most recently in touch first, or the best matches of q",
  request: {
    query: z.object({
      q: z.string().max(200).optional().openapi({ description: "Words of a name, company, title, event, address or note (as `who is`)" }),
      cursor: z.string().max(40).optional().openapi({ description: "next_cursor of the previous page" }),
      limit: z.coerce.number().int().min(1).max(100).default(25),
    }),
  },
  responses: { 200: json(z.object({ contacts: z.array(ContactSchema), next_cursor: z.string().nullable() }).openapi("ContactList"), "A page of contacts"), ...errors },
});

api.openapi(listContacts, async (c) => {
  const { q, cursor, limit } = c.req.valid("query");
  const { db, clock } = c.var.deps;
  const userId = c.var.me.id;
  const now = clock.now();
  if (q && q.trim()) {
    const offset = cursor === undefined ? 0 : /^s\d{1,5}$/.test(cursor) ? Number(cursor.slice(1)) : null;
    if (offset === null) throw new ApiError(400, "invalid", "cursor: not a cursor of this search.");
    const { people, more } = await searchPage(db, userId, q, {}, offset, limit, now);
    return c.json({ contacts: await withReach(db, userId, people), next_cursor: more ? `s${offset + limit}` : null }, 200);
  }
  const after = cursor === undefined ? null : readCursor(cursor);
  if (cursor !== undefined && !after) throw new ApiError(400, "invalid", "cursor: not a cursor of this list.");
  const { people, next } = await peoplePage(db, userId, {}, after, limit, now);
  return c.json({ contacts: await withReach(db, userId, people), next_cursor: next ? cursorText(next) : null }, 200);
});

const getContact = createRoute({
  method: "get",
  path: "/contacts/{id}",
  summary: "One contact, with notes and open reminders",
  request: { params: z.object({ id: Id }) },
  responses: { 200: json(ContactDetailSchema, "The contact"), ...errors },
});

async function detail(c: C, contact: Contact): Promise<z.infer<typeof ContactDetailSchema>> {
  const { db } = c.var.deps;
  const u = c.var.me.id;
  const [[base], notes, reminders] = await Promise.all([withReach(db, u, [contact]), notesOf(db, u, [contact.id]), openRemindersOf(db, u, contact.id).then((ids) => remindersByIds(db, u, ids))]);
  return { ...base!, notes: notes.map((n) => ({ text: n.text, created_at: iso(n.created_at)! })), reminders: reminders.map(reminderJson) };
}

api.openapi(getContact, async (c) => c.json(await detail(c, await contactOr404(c, c.req.valid("param").id)), 200));

const patchContact = createRoute({
  method: "patch",
  path: "/contacts/{id}",
  summary: "Correct facts (a fact set here is never overwritten by later mail), set the cadence, stop check-ins, add a phone",
  request: { params: z.object({ id: Id }), body: { content: { "application/json": { schema: ContactPatchSchema } }, required: true } },
  responses: { 200: json(ContactDetailSchema, "The contact, as it is now"), ...errors },
});

api.openapi(patchContact, async (c) => {
  const contact = await contactOr404(c, c.req.valid("param").id);
  const patch = c.req.valid("json");
  const ctx = editContext(c);
  const out: Edited = { statements: [], lines: [] };
  const add = (e: Edited | { error: string }) => {
    if ("error" in e) throw new ApiError(400, "invalid", e.error);
    out.statements.push(...e.statements);
  };
  if (patch.name !== undefined) add(correct(ctx, contact, { fact: "name", value: patch.name }));
  for (const fact of ["title", "company", "met_at"] as const) {
    const v = patch[fact];
    if (v === null) out.statements.push(clearFact(ctx.db, ctx.user.id, contact.id, fact, ctx.now));
    else if (v !== undefined) add(correct(ctx, contact, { fact, value: v }));
  }
  if (patch.phone !== undefined) add(correct(ctx, contact, { fact: "phone", value: patch.phone }));
  if (patch.checkins_stopped && patch.cadence_days !== undefined) throw new ApiError(400, "invalid", "Set a cadence or stop check-ins, not both.");
  if (patch.cadence_days !== undefined) add(everyStatements(ctx, contact, patch.cadence_days));
  if (patch.checkins_stopped) add(stopStatements(ctx, contact));
  await apply(c, out);
  return c.json(await detail(c, await contactOr404(c, String(contact.id))), 200);
});

const forgetContact = createRoute({
  method: "delete",
  path: "/contacts/{id}",
  summary: "Forget a contact: erase them, and block their addresses from coming back",
  request: { params: z.object({ id: Id }) },
  responses: { 200: json(z.object({ forgotten: z.literal(true), message: z.string() }), "Forgotten"), ...errors },
});

api.openapi(forgetContact, async (c) => {
  const contact = await contactOr404(c, c.req.valid("param").id);
  const e = await apply(c, await forgetStatements(editContext(c), contact));
  return c.json({ forgotten: true as const, message: e.lines.join(" ") }, 200);
});

// ---- interactions

const listInteractions = createRoute({
  method: "get",
  path: "/contacts/{id}/interactions",
  summary: "A contact's interactions, newest first (the last 100)",
  request: { params: z.object({ id: Id }) },
  responses: { 200: json(z.object({ interactions: z.array(InteractionSchema) }), "Their timeline"), ...errors },
});

api.openapi(listInteractions, async (c) => {
  const contact = await contactOr404(c, c.req.valid("param").id);
  const rows = await timelineOf(c.var.deps.db, c.var.me.id, contact.id, 100);
  return c.json({ interactions: rows.map((i) => ({ id: i.id, kind: i.kind, occurred_at: iso(i.occurred_at)!, subject: i.subject, with: i.others })) }, 200);
});

const addInteraction = createRoute({
  method: "post",
  path: "/contacts/{id}/interactions",
  summary: 'Keep a note about them, or log that you met them ("met for coffee")',
  request: { params: z.object({ id: Id }), body: { content: { "application/json": { schema: NewInteractionSchema } }, required: true } },
  responses: { 201: json(z.object({ message: z.string() }), "Kept"), ...errors },
});

api.openapi(addInteraction, async (c) => {
  const contact = await contactOr404(c, c.req.valid("param").id);
  const body = c.req.valid("json");
  const ctx = editContext(c);
  let e: Edited | { error: string };
  if (body.kind === "note") e = correct(ctx, contact, { fact: "note", value: body.text });
  else {
    const at = body.occurred_at ? Date.parse(body.occurred_at) : ctx.now;
    if (at > ctx.now + MINUTE) throw new ApiError(400, "invalid", "occurred_at: not in the future.");
    e = metStatements(ctx, contact, body.subject || null, at);
  }
  return c.json({ message: (await apply(c, e)).lines.join(" ") }, 201);
});

// ---- reminders

const listReminders = createRoute({
  method: "get",
  path: "/reminders",
  summary: "What is due: pending reminders due now, and those sent and not yet acted on",
  responses: { 200: json(z.object({ reminders: z.array(ReminderSchema) }), "Open reminders"), ...errors },
});

api.openapi(listReminders, async (c) => {
  const { db, clock } = c.var.deps;
  const rows = await remindersByIds(db, c.var.me.id, await openReminderIds(db, c.var.me.id, clock.now(), 50));
  return c.json({ reminders: rows.map(reminderJson) }, 200);
});

const actReminder = createRoute({
  method: "post",
  path: "/reminders/{id}",
  summary: "Act on a reminder: done, skip, or snooze for some days (as by mail)",
  request: { params: z.object({ id: Id }), body: { content: { "application/json": { schema: ActSchema } }, required: true } },
  responses: { 200: json(z.object({ message: z.string() }), "What Kith did"), ...errors },
});

api.openapi(actReminder, async (c) => {
  const body = c.req.valid("json");
  const what = body.action === "snooze" ? { kind: "snooze" as const, days: body.days! } : { kind: body.action };
  const said = await actOnReminder(c.var.deps, c.var.deps.clock.now(), c.var.me, Number(c.req.valid("param").id), what);
  if (said === null) throw new ApiError(404, "not_found", "No such reminder.");
  return c.json({ message: said }, 200);
});

// ---- export

const exportRoute = createRoute({
  method: "get",
  path: "/export",
  summary: "Everything Kith holds for you (json), or your contacts as vCard 4.0 or CSV (Google Contacts), streamed",
  request: { query: z.object({ format: z.enum(["json", "vcf", "csv"]).default("json") }) },
  responses: {
    200: {
      description: "The file",
      content: { "application/json": { schema: z.object({}).passthrough() }, "text/vcard": { schema: z.string() }, "text/csv": { schema: z.string() } },
    },
    ...errors,
  },
});

api.openapi(exportRoute, (c) => {
  return exportResponse(c.var.deps.db, c.var.me.id, c.req.valid("query").format, c.var.deps.clock.now()) as never;
});
