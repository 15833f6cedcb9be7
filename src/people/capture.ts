import { z } from "zod";

/** What one inbound mail says happened: validated with zod before it reaches D1, and
 * again when a held mail is applied later. */

// Lengths are cut, not refused: one over-long field (a 600-character subject) must not
// cost the user the whole mail, now or when a held mail is confirmed later.
const Email = z.string().max(320).transform((s) => s.toLowerCase());
const Text = (max: number) => z.string().transform((s) => s.trim().slice(0, max) || undefined);
const cut = <T extends z.ZodType>(item: T, max: number) => z.array(item).transform((a) => a.slice(0, max));

export const Role = z.enum(["from", "to", "cc", "introduced", "introducer", "subject"]);
export type Role = z.infer<typeof Role>;

export const CapturePerson = z.object({
  role: Role,
  name: Text(200).optional(),
  nameRank: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  emails: cut(Email, 20),
  phones: cut(z.string().regex(/^\+[1-9]\d{4,14}$/), 20),
  company: Text(200).optional(),
  title: Text(200).optional(),
  metAt: Text(200).optional(),
});
export type CapturePerson = z.infer<typeof CapturePerson>;

export const Capture = z.object({
  kind: z.enum(["bcc", "intro", "forward", "note", "import", "meeting"]),
  occurredAt: z.number().int().nonnegative(),
  subject: Text(500).optional(),
  summary: Text(1000).optional(),
  people: cut(CapturePerson, 2000),
  /** Commitments in the mail: the user's to a person (mine), or a person's to the user
   * (theirs); `person` is an index into people. */
  promises: cut(
    z.object({ direction: z.enum(["mine", "theirs"]), person: z.number().int().nonnegative(), what: z.string().trim().min(1).max(200), said: z.string().transform((s) => s.trim().slice(0, 300)), dueAt: z.number().int() }),
    5,
  ).optional(),
  /** What the user wrote (at most 8,000 characters) and whether it carried files: a later
   * mail to someone that shows a promise to them kept. */
  wrote: z.object({ text: z.string().transform((s) => s.slice(0, 8000)), attachment: z.boolean() }).optional(),
  /** A calendar invitation's meeting (kind "meeting"), by its UID. */
  meeting: z
    .object({
      uid: z.string().min(1).max(500),
      sequence: z.number().int(),
      cancelled: z.boolean(),
      start: z.number().int(),
      end: z.number().int(),
      /** People the invitation listed beyond what Kith takes. */
      dropped: z.number().int().nonnegative(),
    })
    .optional(),
  /** Indices into people; null means the user. */
  intro: z
    .object({ introducer: z.number().int().nullable(), a: z.number().int(), b: z.number().int().nullable() })
    .optional(),
});
export type Capture = z.infer<typeof Capture>;
