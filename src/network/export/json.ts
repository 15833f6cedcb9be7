import type { Contact } from "../../people/contacts";
import type { Role } from "../../people/capture";
import type { InteractionRow } from "../../people/interactions";
import type { IntroductionLine } from "../../people/introductions";
import { allMeetings } from "../../meetings/store";
import { allPlans } from "../../plans/store";
import { allPromises } from "../../promises/store";
import type { ReminderRow } from "../../reminders/store";
import type { UserAddress } from "../../users/store";
import type { User } from "../../users/user";
import type { ExportPerson } from "./person";

/** The parts of kith-export.json, written alike by the export mail (index.ts) and the
 * streamed download (stream.ts): one shape, whichever way it is taken away. Version 3:
 * each interaction carries its participants; promises, meetings and plans follow the
 * reminders. */

export const EXPORT_VERSION = 3;

/** The three files, by format: the export mail's attachments and the downloads. */
export type ExportFormat = "vcf" | "csv" | "json";
export const EXPORT_FILES: Record<ExportFormat, { filename: string; contentType: string }> = {
  vcf: { filename: "kith-contacts.vcf", contentType: "text/vcard; charset=utf-8" },
  csv: { filename: "kith-contacts.csv", contentType: "text/csv; charset=utf-8" },
  json: { filename: "kith-export.json", contentType: "application/json; charset=utf-8" },
};

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** Everything before "people": the version, when, and the user with their settings. */
export function headJson(user: User, addresses: UserAddress[], now: number) {
  return {
    version: EXPORT_VERSION,
    exported_at: iso(now),
    user: {
      email: user.email,
      name: user.name,
      addresses: addresses.map((a) => ({ email: a.email, status: a.status })),
      settings: {
        time_zone: user.time_zone,
        utc_offset_minutes_guessed: user.tz_offset_min,
        deliver_hour: user.deliver_hour,
        quiet_hours: { start: user.quiet_start, end: user.quiet_end },
        cadence_days: user.cadence_days,
        items_per_mail: user.item_cap,
        summary: { day: user.summary_day, hour: user.summary_hour },
        reminders_paused_until: iso(user.reminders_paused_until),
        summary_paused_until: iso(user.summary_paused_until),
      },
      created_at: iso(user.created_at),
    },
  };
}

export function personJson(p: ExportPerson, c: Contact) {
  return {
    id: p.id,
    name: p.name,
    company: p.company,
    title: p.title,
    met_at: p.metAt,
    emails: p.emails,
    phones: p.phones,
    introduced_by: c.introduced_by,
    cadence_days: c.cadence_days,
    checkins_stopped_at: iso(c.muted_at),
    last_interaction_at: iso(c.last_interaction_at),
    created_at: iso(c.created_at),
    notes: p.notes.map((n) => ({ text: n.text, created_at: iso(n.createdAt) })),
  };
}

export function interactionJson(i: InteractionRow, participants: { contact_id: number; role: Role }[]) {
  return { ...i, occurred_at: iso(i.occurred_at), participants: participants.map((p) => ({ contact_id: p.contact_id, role: p.role })) };
}

export const introductionJson = (n: IntroductionLine) => ({ id: n.id, introducer: n.introducer_id, a: n.contact_a_id, b: n.contact_b_id, created_at: iso(n.created_at) });

export const reminderJson = (r: ReminderRow) => ({ ...r, due_at: iso(r.due_at), created_at: iso(r.created_at) });

/** Promises both ways, meetings from invitations, and plans for events. */
export async function followUpsJson(db: D1Database, userId: number) {
  const [promises, meetings, plans] = await Promise.all([allPromises(db, userId), allMeetings(db, userId), allPlans(db, userId)]);
  return {
    promises: promises.map((p) => ({ ...p, due_at: iso(p.due_at), created_at: iso(p.created_at), closed_at: iso(p.closed_at) })),
    meetings: meetings.map((m) => ({ ...m, starts_at: iso(m.starts_at), ends_at: iso(m.ends_at) })),
    plans: plans.map((p) => ({ ...p, created_at: iso(p.created_at) })),
  };
}

/** Participants by interaction. */
export function byInteraction<T extends { interaction_id: number }>(rows: T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const list = m.get(r.interaction_id);
    if (list) list.push(r);
    else m.set(r.interaction_id, [r]);
  }
  return m;
}
