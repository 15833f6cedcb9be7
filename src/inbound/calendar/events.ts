/** One VEVENT as read: its UID, start and RECURRENCE-ID, with the calendar it came from. */
import { type Comp, first } from "./lines";
import { readWhen, type When, type Zones } from "./times";

export interface VEvent {
  comp: Comp;
  uid: string;
  method: string;
  start: When;
  recurrenceId?: number;
  ctx: Context;
}

export interface Context extends Zones {
  now: number;
  /** Rule checks and occurrences left, shared by every series in the file. */
  budget: { steps: number; occurrences: number };
}

export function readEvent(comp: Comp, method: string, ctx: Context): VEvent | undefined {
  const dtstart = first(comp, "DTSTART");
  const start = dtstart && readWhen(dtstart.value, dtstart.params, ctx);
  if (!start) return undefined;
  const uid = first(comp, "UID")?.value.trim().slice(0, 500) ?? "";
  const rid = first(comp, "RECURRENCE-ID");
  const recurrenceId = rid && readWhen(rid.value, rid.params, ctx)?.at;
  return { comp, uid, method, start, ctx, ...(recurrenceId !== undefined ? { recurrenceId } : {}) };
}
