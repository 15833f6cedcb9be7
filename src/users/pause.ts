/** Pausing a user's mail. users.reminders_paused_until and users.summary_paused_until
 * hold NULL (not paused) or the time the pause ends; "until resumed" is this one far
 * future time, so that every reader compares a number and none needs a special case. */

/** 9999-12-31T00:00:00Z, in epoch ms like every other time in D1. */
export const PAUSED_UNTIL_RESUMED = Date.UTC(9999, 11, 31);

/** Pause every kind of mail to the user whose primary address this is (no-op for any
 * other address): a spam complaint means "stop", and only the user can undo it. */
export function pauseAllMail(db: D1Database, primaryAddress: string): D1PreparedStatement {
  return db
    .prepare("UPDATE users SET reminders_paused_until = ?2, summary_paused_until = ?2 WHERE email = ?1")
    .bind(primaryAddress.toLowerCase(), PAUSED_UNTIL_RESUMED);
}
