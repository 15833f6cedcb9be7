/** The people of an invitation: its organizer and attendees, without rooms and resources. */
import { cleanName } from "../../people/names";
import { normaliseEmail } from "../cards/fields";
import { all, type Comp, type Prop } from "./lines";

export interface MeetingPerson {
  email: string;
  name?: string;
}

const MAX_ATTENDEES = 200;
const NOT_PEOPLE = new Set(["ROOM", "RESOURCE", "GROUP"]);
// Google's rooms and shared calendars are invited (and organise) by address.
export const CALENDARS = /@(?:resource|group|group\.v)\.calendar\.google\.com$/;
const ROOMISH = /\b(?:room|rooms|conf|conference|boardroom|resource)\b/i;

/** iCloud writes a relay address (…@imip.me.com) as the URI and the person's own in EMAIL. */
export function person(prop: Prop): MeetingPerson | undefined {
  const email = normaliseEmail(prop.params.get("EMAIL") ?? "") ?? normaliseEmail(prop.value);
  if (!email) return undefined;
  const name = cleanName(prop.params.get("CN"), email);
  return name ? { email, name } : { email };
}

/** Rooms are CUTYPE=ROOM or RESOURCE, or Exchange's ROLE=NON-PARTICIPANT; some clients
 * leave CUTYPE=UNKNOWN and only the name says "Room". */
function isPerson(prop: Prop, email: string): boolean {
  const cutype = prop.params.get("CUTYPE")?.toUpperCase() ?? "INDIVIDUAL";
  if (NOT_PEOPLE.has(cutype) || CALENDARS.test(email)) return false;
  if (prop.params.get("ROLE")?.toUpperCase() === "NON-PARTICIPANT") return false;
  return !(cutype === "UNKNOWN" && ROOMISH.test(`${prop.params.get("CN") ?? ""} ${email.split("@")[0]}`));
}

export function attendees(comp: Comp, organizer: string | undefined): { kept: MeetingPerson[]; dropped: number } {
  const kept = new Map<string, MeetingPerson>();
  const seen = new Set<string>();
  for (const prop of all(comp, "ATTENDEE")) {
    const p = person(prop);
    if (!p || p.email === organizer || !isPerson(prop, p.email)) continue;
    const known = kept.get(p.email);
    if (known && !known.name && p.name) known.name = p.name;
    if (seen.has(p.email)) continue;
    seen.add(p.email);
    if (kept.size < MAX_ATTENDEES) kept.set(p.email, p);
  }
  return { kept: [...kept.values()], dropped: seen.size - kept.size };
}
