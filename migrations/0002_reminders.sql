-- The reminder loop: user preferences, per-contact cadence and mute, the reminder
-- lifecycle (pending -> claimed -> sent -> done | skipped | snoozed | stopped), the
-- numbered items of each reminder mail, and notes added by reply.

ALTER TABLE users ADD COLUMN time_zone TEXT;                        -- IANA; NULL: guess from tz_offset_min
ALTER TABLE users ADD COLUMN deliver_hour INTEGER NOT NULL DEFAULT 9;
ALTER TABLE users ADD COLUMN quiet_start INTEGER NOT NULL DEFAULT 21;
ALTER TABLE users ADD COLUMN quiet_end INTEGER NOT NULL DEFAULT 8;
ALTER TABLE users ADD COLUMN cadence_days INTEGER NOT NULL DEFAULT 90;
ALTER TABLE users ADD COLUMN item_cap INTEGER NOT NULL DEFAULT 5;

ALTER TABLE contacts ADD COLUMN cadence_days INTEGER;               -- NULL: the user's default
ALTER TABLE contacts ADD COLUMN muted_at INTEGER;                   -- "stop": no more check-ins

ALTER TABLE reminders ADD COLUMN introduction_id INTEGER;           -- intro-check: the intro it asks about
ALTER TABLE reminders ADD COLUMN claim_id INTEGER;                  -- the outbound mail that carries it
ALTER TABLE reminders ADD COLUMN claimed_at INTEGER;
ALTER TABLE reminders ADD COLUMN sent_at INTEGER;
ALTER TABLE reminders ADD COLUMN acted_at INTEGER;

-- A tick reads only what is due: (status, due_at) first, user_id to group without
-- touching the table. Replaces the narrower index from 0001.
DROP INDEX reminders_due;
CREATE INDEX reminders_due ON reminders(status, due_at, user_id);
DROP INDEX reminders_user;
CREATE INDEX reminders_user ON reminders(user_id, status, due_at);
CREATE INDEX reminders_claim ON reminders(claim_id);
-- At most one pending check-in per contact: logging an interaction moves it.
CREATE UNIQUE INDEX reminders_one_checkin ON reminders(contact_id, kind) WHERE status = 'pending' AND kind = 'check-in';
-- A contact's open follow-up, found when the user writes to them.
CREATE INDEX reminders_contact ON reminders(contact_id, status);

-- Item N of reminder mail M, so that "2 done" in a reply finds its reminder.
CREATE TABLE reminder_items (
  outbound_id INTEGER NOT NULL,
  item_no     INTEGER NOT NULL,
  reminder_id INTEGER NOT NULL,
  PRIMARY KEY (outbound_id, item_no)
) WITHOUT ROWID;

CREATE TABLE contact_notes (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  text       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX contact_notes_contact ON contact_notes(contact_id, created_at);

-- "No more than two reminder mails a day": counted per user from the outbound log.
CREATE INDEX outbound_user_kind ON outbound_messages(user_id, kind, created_at);

-- The tick expires held mail; without this it would scan every held mail ever kept.
CREATE INDEX held_messages_expiry ON held_messages(expires_at) WHERE status = 'held';
