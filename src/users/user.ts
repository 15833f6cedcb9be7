/** A user as the code reads their row of `users` (src/users/store.ts selects it). */

export interface User {
  id: number;
  email: string;
  name: string | null;
  /** Always "active" today (0001's comment also names "paused"; pauses are the
   * *_paused_until columns instead). Anything else gets no weekly summary. */
  status: string;
  tz_offset_min: number | null;
  time_zone: string | null;
  deliver_hour: number;
  quiet_start: number;
  quiet_end: number;
  cadence_days: number;
  item_cap: number;
  summary_day: number;
  summary_hour: number | null;
  next_summary_at: number | null;
  last_summary_week: string | null;
  reminders_paused_until: number | null;
  summary_paused_until: number | null;
  created_at: number;
}

/** A new user's row before it is stored: the schema's defaults. */
export function newUser(id: number, email: string, name: string | null, now: number): User {
  return {
    id,
    email: email.toLowerCase(),
    name,
    status: "active",
    tz_offset_min: null,
    time_zone: null,
    deliver_hour: 9,
    quiet_start: 21,
    quiet_end: 8,
    cadence_days: 90,
    item_cap: 5,
    summary_day: 1,
    summary_hour: null,
    next_summary_at: null,
    last_summary_week: null,
    reminders_paused_until: null,
    summary_paused_until: null,
    created_at: now,
  };
}
