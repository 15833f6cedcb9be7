import { attendeesOf } from "../meetings/store";
import { openPromisesOf, type PromiseRow } from "../promises/store";
import type { Zone } from "../lib/zone";
import type { ViewContext } from "./item-view";
import type { DueReminder } from "./store";

/** What the items of one mail say beyond their rows: the open promises of their people
 * and the people of their meetings (at most two indexed reads, whatever the number of items; none when no item's person
 * has an open promise and no item is a meeting). */
export async function viewContext(db: D1Database, userId: number, items: DueReminder[], now: number, zone: Zone, cadenceDays: number): Promise<ViewContext> {
  // Only people with open promises (contacts.open_promises): most have none, and then
  // nothing more is read.
  const contacts = [...new Set(items.flatMap((r) => (r.contact_id === null || !r.open_promises ? [] : [r.contact_id])))];
  const meetings = [...new Set(items.flatMap((r) => (r.meeting_id === null ? [] : [r.meeting_id])))];
  const [promises, attendees] = await Promise.all([openPromisesOf(db, userId, contacts), attendeesOf(db, userId, meetings)]);
  const byContact = new Map<number, PromiseRow[]>();
  for (const p of promises) byContact.set(p.contact_id, [...(byContact.get(p.contact_id) ?? []), p]);
  return { now, zone, cadenceDays, promises: byContact, attendees };
}
