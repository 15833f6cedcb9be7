import { shortDate, type Zone } from "../../lib/zone";

/** Dates as the dashboard writes them: in the user's zone, the year when not this one. */
export const day = (t: number | null, zone: Zone, now: number) => (t === null ? "never" : shortDate(t, zone, now));

export const KIND: Record<string, string> = { bcc: "You wrote", intro: "Intro", forward: "Forwarded", note: "Note", "follow-up": "Followed up", met: "Met", meeting: "Meeting" };
export const REMINDER: Record<string, string> = {
  "follow-up": "Follow up",
  "check-in": "Check in",
  "intro-check": "Did they connect?",
  promise: "You promised",
  waiting: "Promised you",
  remind: "Reminder",
  meeting: "After a meeting",
  plan: "Plan",
  "plan-recap": "Whom did you meet?",
};

/** What a reminder is about beyond its person: the promise, your words, the meeting, the event. */
export const about = (r: { promise_what: string | null; what: string | null; meeting_summary: string | null; plan_event: string | null }) =>
  r.promise_what ?? r.what ?? r.meeting_summary ?? r.plan_event;
