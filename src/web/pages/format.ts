import { shortDate, type Zone } from "../../lib/zone";

/** Dates as the dashboard writes them: in the user's zone, the year when not this one. */
export const day = (t: number | null, zone: Zone, now: number) => (t === null ? "never" : shortDate(t, zone, now));

export const KIND: Record<string, string> = { bcc: "You wrote", intro: "Intro", forward: "Forwarded", note: "Note", "follow-up": "Followed up", met: "Met" };
export const REMINDER: Record<string, string> = { "follow-up": "Follow up", "check-in": "Check in", "intro-check": "Did they connect?" };
