/** SQL for users and the addresses that identify them. */

export interface User {
  id: number;
  email: string;
  name: string | null;
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

const USER_COLS =
  "u.id, u.email, u.name, u.status, u.tz_offset_min, u.time_zone, u.deliver_hour, u.quiet_start, u.quiet_end, u.cadence_days, u.item_cap, " +
  "u.summary_day, u.summary_hour, u.next_summary_at, u.last_summary_week, u.reminders_paused_until, u.summary_paused_until, u.created_at";

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

/** The user a confirmed address belongs to (their primary address or an alias). */
export async function userByAddress(db: D1Database, address: string): Promise<User | null> {
  return db
    .prepare(
      `SELECT ${USER_COLS}
       FROM user_addresses a JOIN users u ON u.id = a.user_id
       WHERE a.email = ?1 AND a.status = 'confirmed'`,
    )
    .bind(address.toLowerCase())
    .first<User>();
}

export async function userById(db: D1Database, id: number): Promise<User | null> {
  return db
    .prepare(`SELECT ${USER_COLS} FROM users u WHERE u.id = ?1`)
    .bind(id)
    .first<User>();
}

export interface UserAddress {
  email: string;
  status: "confirmed" | "pending";
}

/** Every address of the user, pending ones too: none of them may become a contact. */
export async function addressesOf(db: D1Database, userId: number): Promise<UserAddress[]> {
  const { results } = await db
    .prepare("SELECT email, status FROM user_addresses WHERE user_id = ?1 ORDER BY created_at")
    .bind(userId)
    .all<UserAddress>();
  return results;
}

/** Who holds an address, whatever its status. */
export async function addressOwner(db: D1Database, address: string): Promise<{ user_id: number; status: string; created_at: number } | null> {
  return db
    .prepare("SELECT user_id, status, created_at FROM user_addresses WHERE email = ?1")
    .bind(address.toLowerCase())
    .first<{ user_id: number; status: string; created_at: number }>();
}

/** A pending alias nobody confirmed in time: it no longer holds the address. */
export function dropStalePending(db: D1Database, address: string, before: number): D1PreparedStatement {
  return db
    .prepare("DELETE FROM user_addresses WHERE email = ?1 AND status = 'pending' AND created_at < ?2")
    .bind(address.toLowerCase(), before);
}

export function insertUser(db: D1Database, id: number, email: string, name: string | null, now: number): D1PreparedStatement[] {
  const address = email.toLowerCase();
  return [
    db.prepare("INSERT INTO users (id, email, name, created_at) VALUES (?1, ?2, ?3, ?4)").bind(id, address, name, now),
    db
      .prepare("INSERT INTO user_addresses (email, user_id, status, created_at, confirmed_at) VALUES (?1, ?2, 'confirmed', ?3, ?3)")
      .bind(address, id, now),
  ];
}

export function insertPendingAlias(db: D1Database, userId: number, address: string, now: number): D1PreparedStatement {
  return db
    .prepare("INSERT INTO user_addresses (email, user_id, status, created_at) VALUES (?1, ?2, 'pending', ?3)")
    .bind(address.toLowerCase(), userId, now);
}

/** Only the pending alias of this very user becomes confirmed. */
export function confirmAlias(db: D1Database, userId: number, address: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE user_addresses SET status = 'confirmed', confirmed_at = ?3
       WHERE email = ?2 AND user_id = ?1 AND status = 'pending'`,
    )
    .bind(userId, address.toLowerCase(), now);
}

export function removeAlias(db: D1Database, userId: number, address: string): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM user_addresses WHERE email = ?2 AND user_id = ?1
       AND email <> (SELECT email FROM users WHERE id = ?1)`,
    )
    .bind(userId, address.toLowerCase());
}

/** Remember the UTC offset of the user's mail: the timezone guess until they set one. */
export function setTzOffset(db: D1Database, userId: number, offsetMin: number): D1PreparedStatement {
  return db.prepare("UPDATE users SET tz_offset_min = ?2 WHERE id = ?1").bind(userId, offsetMin);
}
