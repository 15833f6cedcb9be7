-- Weekly summary, pause/unsubscribe, and deliverability (Resend webhooks).

-- Weekly summary: ISO weekday (1 = Monday) and local hour (NULL: the delivery hour).
ALTER TABLE users ADD COLUMN summary_day INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN summary_hour INTEGER;
-- When the next summary is due (NULL: off or not yet scheduled), and the local ISO week
-- ("2026-W48") of the last one sent: never two summaries for one week.
ALTER TABLE users ADD COLUMN next_summary_at INTEGER;
ALTER TABLE users ADD COLUMN last_summary_week TEXT;
CREATE INDEX users_next_summary ON users(next_summary_at) WHERE next_summary_at IS NOT NULL;
-- Users from before this migration: due at once, so the next tick schedules their slot.
UPDATE users SET next_summary_at = 0 WHERE next_summary_at IS NULL;

-- Pauses, per kind of mail: NULL = not paused; a time = paused until then (a far
-- future time for "until resumed"). List-Unsubscribe and "pause"/"resume" set them.
ALTER TABLE users ADD COLUMN reminders_paused_until INTEGER;
ALTER TABLE users ADD COLUMN summary_paused_until INTEGER;

-- Addresses Kith must not mail again: a hard bounce or a complaint reported by Resend.
CREATE TABLE suppressions (
  email      TEXT PRIMARY KEY,                 -- lower-cased
  reason     TEXT NOT NULL,                    -- bounced | complained
  detail     TEXT,
  event_id   TEXT,                             -- the svix-id of the webhook that said so
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Every Resend webhook applied, by svix-id: a redelivered webhook changes nothing.
CREATE TABLE webhook_events (
  id          TEXT PRIMARY KEY,
  type        TEXT NOT NULL,
  email_id    TEXT,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;

-- When a send began (wall clock): a claim left by a crashed send is released by this,
-- not by the mail's age, so an old mail being retried is not taken over mid-send.
ALTER TABLE outbound_messages ADD COLUMN sending_at INTEGER;
CREATE INDEX outbound_sending ON outbound_messages(sending_at) WHERE status = 'sending';
-- A user's failed mail, for the notice in their next reminder (not everyone's).
CREATE INDEX outbound_failed ON outbound_messages(user_id, created_at) WHERE status = 'failed';

-- Webhooks name the mail by Resend's id.
CREATE INDEX outbound_provider ON outbound_messages(provider_id) WHERE provider_id IS NOT NULL;

-- Scale-out: users whose due reminders were handed to the queue, so that the next
-- tick does not enqueue them again while the consumer works (at-least-once delivery
-- and claims make a second job harmless, this only saves the work).
CREATE TABLE reminder_jobs (
  user_id     INTEGER PRIMARY KEY,
  enqueued_at INTEGER NOT NULL
);
