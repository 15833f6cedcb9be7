import { DAY } from "../lib/time";
import { promiseWeek } from "../promises/store";
import { type DueReminder, remindersByIds } from "../reminders/store";
import type { User } from "../users/user";

/** What a weekly summary says, read from D1 for one user and one week. Every query names
 * the user and reads through an index on (user_id, time) or (user_id, status); the
 * losing-touch ranking reads the user's pending check-ins (one per contact), once a week.
 * Read-only: a report over several tables, written by their owners. */

/** Each list shows this many; the rest are counted. */
const LIST = 5;
/** Open follow-ups older than this are not listed again and again. */
const OPEN_FOLLOW_UP_DAYS = 14;

export interface NewContact {
  name: string | null;
  email: string | null;
  company: string | null;
  met_at: string | null;
  source: string;
  introducer: string | null;
}

export interface IntroMade {
  a: string;
  b: string;
  created_at: number;
  connected: boolean;
  /** The intro check still open (pending, or asked and unanswered): a numbered item. */
  open: DueReminder | null;
}

export interface LosingTouch {
  reminder: DueReminder;
  cadence: number;
}

export interface Week {
  since: number;
  until: number;
  newContacts: NewContact[];
  newCount: number;
  imported: number;
  interactions: number;
  topPeople: { name: string; n: number }[];
  followUpsDone: number;
  openFollowUps: DueReminder[];
  openFollowUpCount: number;
  intros: IntroMade[];
  upcoming: DueReminder[];
  upcomingCount: number;
  losingTouch: LosingTouch[];
  /** Promises both ways: made and kept this week, open past due. */
  promises: { made: number; kept: number; overdue: number };
  /** Promise reminders open, due by the end of next week (yours and theirs). */
  openPromises: DueReminder[];
  /** Open suggestions that two people are one (src/people/duplicates.ts). */
  maybeSame: { newcomer: string; newcomerAddress: string | null; known: string; knownAddress: string | null }[];
}

const EMAIL_OF = (alias: string) => `(SELECT email FROM contact_emails WHERE contact_id = ${alias}.id LIMIT 1)`;

/** The week before `until` (`since` is the same local time seven days earlier). */
export async function gatherWeek(db: D1Database, user: User, since: number, until: number): Promise<Week> {
  const [fresh, counts, interactions, top, followUps, intros, upcoming, losing, same, promised] = await db.batch([
    db
      .prepare(
        `SELECT c.name, ${EMAIL_OF("c")} AS email, c.company, c.met_at, c.source,
           COALESCE(i.name, ${EMAIL_OF("i")}) AS introducer
         FROM contacts c LEFT JOIN contacts i ON i.id = c.introduced_by AND i.user_id = c.user_id
         WHERE c.user_id = ?1 AND c.created_at > ?2 AND c.created_at <= ?3
         ORDER BY c.source = 'import', c.created_at LIMIT ${LIST * 2}`,
      )
      .bind(user.id, since, until),
    db
      .prepare("SELECT count(*) AS n, COALESCE(sum(source = 'import'), 0) AS imported FROM contacts WHERE user_id = ?1 AND created_at > ?2 AND created_at <= ?3")
      .bind(user.id, since, until),
    db.prepare("SELECT count(*) AS n FROM interactions WHERE user_id = ?1 AND occurred_at > ?2 AND occurred_at <= ?3").bind(user.id, since, until),
    db
      .prepare(
        `SELECT COALESCE(c.name, ${EMAIL_OF("c")}) AS name, count(DISTINCT i.id) AS n
         FROM interactions i JOIN interaction_contacts ic ON ic.interaction_id = i.id
         JOIN contacts c ON c.id = ic.contact_id AND c.user_id = i.user_id
         WHERE i.user_id = ?1 AND i.occurred_at > ?2 AND i.occurred_at <= ?3
         GROUP BY c.id ORDER BY n DESC, max(i.occurred_at) DESC LIMIT 3`,
      )
      .bind(user.id, since, until),
    db
      .prepare(
        `SELECT id, status, acted_at, created_at FROM reminders
         WHERE user_id = ?1 AND kind = 'follow-up' AND (
           (status = 'done' AND acted_at > ?2 AND acted_at <= ?3)
           OR (status IN ('pending', 'sent') AND created_at > ?4))
         ORDER BY created_at`,
      )
      .bind(user.id, since, until, until - OPEN_FOLLOW_UP_DAYS * DAY),
    // Intros the user made this week, and older ones that connected this week.
    db
      .prepare(
        `SELECT n.created_at, COALESCE(a.name, ${EMAIL_OF("a")}, 'someone') AS a, COALESCE(b.name, ${EMAIL_OF("b")}, 'someone') AS b,
           (SELECT count(*) FROM reminders r WHERE r.contact_id = n.contact_a_id AND r.introduction_id = n.id AND r.status = 'done') AS connected,
           (SELECT r.id FROM reminders r WHERE r.contact_id = n.contact_a_id AND r.introduction_id = n.id AND r.status IN ('pending', 'sent')
             ORDER BY r.created_at DESC LIMIT 1) AS open_id
         FROM introductions n JOIN contacts a ON a.id = n.contact_a_id JOIN contacts b ON b.id = n.contact_b_id
         WHERE n.user_id = ?1 AND n.introducer_id IS NULL AND (
           (n.created_at > ?2 AND n.created_at <= ?3)
           OR n.id IN (SELECT introduction_id FROM reminders WHERE user_id = ?1 AND status = 'done' AND kind = 'intro-check' AND acted_at > ?2))
         ORDER BY n.created_at LIMIT ${LIST * 2}`,
      )
      .bind(user.id, since, until),
    db
      .prepare(
        `SELECT id FROM reminders WHERE user_id = ?1 AND status = 'pending' AND due_at > ?2 AND due_at <= ?3 AND kind = 'check-in'
         ORDER BY due_at`,
      )
      .bind(user.id, until, until + 7 * DAY),
    // Most overdue first: time since the last interaction (or since Kith learned of the
    // person) over their cadence; only those past their cadence or past their check-in.
    db
      .prepare(
        `SELECT r.id, COALESCE(c.cadence_days, ?3) AS cadence,
           (?2 - COALESCE(c.last_interaction_at, c.created_at)) * 1.0 / (COALESCE(c.cadence_days, ?3) * ${DAY}) AS late
         FROM reminders r JOIN contacts c ON c.id = r.contact_id AND c.user_id = r.user_id
         WHERE r.user_id = ?1 AND r.status = 'pending' AND r.kind = 'check-in' AND c.muted_at IS NULL
           AND (late >= 1 OR r.due_at <= ?2)
         ORDER BY late DESC LIMIT ${LIST * 2}`,
      )
      .bind(user.id, until, user.cadence_days),
    db
      .prepare(
        `SELECT COALESCE(a.name, ${EMAIL_OF("a")}, 'someone') AS newcomer, ${EMAIL_OF("a")} AS newcomerAddress,
           COALESCE(b.name, ${EMAIL_OF("b")}, 'someone') AS known, ${EMAIL_OF("b")} AS knownAddress
         FROM duplicate_suggestions s JOIN contacts a ON a.id = s.contact_id AND a.user_id = s.user_id
         JOIN contacts b ON b.id = s.other_id AND b.user_id = s.user_id
         WHERE s.user_id = ?1 AND s.status = 'open' ORDER BY s.created_at DESC LIMIT ${LIST}`,
      )
      .bind(user.id),
    db
      .prepare(
        `SELECT id FROM reminders WHERE user_id = ?1 AND status IN ('pending', 'sent') AND due_at <= ?2 AND kind IN ('promise', 'waiting')
         ORDER BY due_at LIMIT ${LIST}`,
      )
      .bind(user.id, until + 7 * DAY),
  ]);
  const promiseCounts = await promiseWeek(db, user.id, since, until);

  const followUpRows = rows<{ id: number; status: string; acted_at: number | null; created_at: number }>(followUps);
  const open = followUpRows.filter((r) => r.status !== "done");
  const introRows = rows<{ created_at: number; a: string; b: string; connected: number; open_id: number | null }>(intros);
  const upcomingIds = rows<{ id: number }>(upcoming).map((r) => r.id);
  const losingRows = rows<{ id: number; cadence: number }>(losing).filter((r) => !upcomingIds.slice(0, LIST).includes(r.id));

  const promiseIds = rows<{ id: number }>(promised).map((r) => r.id);
  const wanted = [
    ...promiseIds,
    ...open.slice(0, LIST).map((r) => r.id),
    ...introRows.flatMap((r) => (r.open_id === null ? [] : [r.open_id])),
    ...upcomingIds.slice(0, LIST),
    ...losingRows.slice(0, LIST).map((r) => r.id),
  ];
  const detail = new Map((await remindersByIds(db, user.id, wanted)).map((r) => [r.id, r]));
  const pick = (ids: number[]) => ids.map((id) => detail.get(id)).filter((r): r is DueReminder => r !== undefined);
  const count = rows<{ n: number; imported: number }>(counts)[0];

  return {
    since,
    until,
    newContacts: rows<NewContact>(fresh).slice(0, LIST),
    newCount: count?.n ?? 0,
    imported: count?.imported ?? 0,
    interactions: rows<{ n: number }>(interactions)[0]?.n ?? 0,
    topPeople: rows<{ name: string | null; n: number }>(top).flatMap((r) => (r.name ? [{ name: r.name, n: r.n }] : [])),
    followUpsDone: followUpRows.length - open.length,
    openFollowUps: pick(open.slice(0, LIST).map((r) => r.id)),
    openFollowUpCount: open.length,
    intros: introRows.slice(0, LIST).map((r) => ({
      a: r.a,
      b: r.b,
      created_at: r.created_at,
      connected: r.connected > 0,
      open: r.connected > 0 || r.open_id === null ? null : (detail.get(r.open_id) ?? null),
    })),
    upcoming: pick(upcomingIds.slice(0, LIST)),
    upcomingCount: upcomingIds.length,
    maybeSame: rows<Week["maybeSame"][number]>(same),
    promises: promiseCounts,
    openPromises: pick(promiseIds),
    losingTouch: losingRows.slice(0, LIST).flatMap((r) => {
      const reminder = detail.get(r.id);
      return reminder ? [{ reminder, cadence: r.cadence }] : [];
    }),
  };
}

/** A batch result's rows, typed as its statement selects them (what `.all<T>()` does). */
function rows<T>(r: D1Result | undefined): T[] {
  return (r?.results ?? []) as T[];
}
