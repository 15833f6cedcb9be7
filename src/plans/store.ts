/** SQL for plans ("plan PyCon on May 14: meet two people working on payments"). The only
 * module that writes the table. Days are local dates, YYYY-MM-DD, in the user's zone. */

export interface PlanRow {
  id: number;
  event: string;
  first_day: string;
  last_day: string;
  goal: string | null;
  created_at: number;
}

/** The same event on the same first day is one plan: a second "plan" replaces its goal
 * and last day, and answers with the id of the plan kept. */
export function upsertPlan(
  db: D1Database,
  p: { id: number; userId: number; event: string; eventKey: string; firstDay: string; lastDay: string; goal: string | null; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO plans (id, user_id, event, event_key, first_day, last_day, goal, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT (user_id, event_key, first_day) DO UPDATE SET event = excluded.event, last_day = excluded.last_day, goal = excluded.goal`,
    )
    .bind(p.id, p.userId, p.event, p.eventKey, p.firstDay, p.lastDay, p.goal, p.now);
}

export async function planOn(db: D1Database, userId: number, eventKey: string, firstDay: string): Promise<PlanRow | null> {
  return db
    .prepare("SELECT id, event, first_day, last_day, goal, created_at FROM plans WHERE user_id = ?1 AND event_key = ?2 AND first_day = ?3")
    .bind(userId, eventKey, firstDay)
    .first<PlanRow>();
}

/** Plans not over by `today`, soonest first. */
export async function upcomingPlans(db: D1Database, userId: number, today: string, limit = 20): Promise<PlanRow[]> {
  const { results } = await db
    .prepare("SELECT id, event, first_day, last_day, goal, created_at FROM plans WHERE user_id = ?1 AND last_day >= ?2 ORDER BY first_day LIMIT ?3")
    .bind(userId, today, limit)
    .all<PlanRow>();
  return results;
}

/** The upcoming plans of one event, for "plan off". */
export async function plansFor(db: D1Database, userId: number, eventKey: string, today: string): Promise<PlanRow[]> {
  const { results } = await db
    .prepare("SELECT id, event, first_day, last_day, goal, created_at FROM plans WHERE user_id = ?1 AND event_key = ?2 AND last_day >= ?3 ORDER BY first_day")
    .bind(userId, eventKey, today)
    .all<PlanRow>();
  return results;
}

export function deletePlans(db: D1Database, userId: number, ids: number[]): D1PreparedStatement {
  return db.prepare("DELETE FROM plans WHERE user_id = ?1 AND id IN (SELECT value FROM json_each(?2))").bind(userId, JSON.stringify(ids));
}

export function deleteAllPlans(db: D1Database, userId: number): D1PreparedStatement {
  return db.prepare("DELETE FROM plans WHERE user_id = ?1").bind(userId);
}

export async function allPlans(db: D1Database, userId: number): Promise<PlanRow[]> {
  const { results } = await db.prepare("SELECT id, event, first_day, last_day, goal, created_at FROM plans WHERE user_id = ?1 ORDER BY first_day").bind(userId).all<PlanRow>();
  return results;
}
