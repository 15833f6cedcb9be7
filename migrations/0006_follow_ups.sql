-- Follow-ups that help: promises both ways, reminders the user asks for, meetings from
-- calendar invitations, and plans for events. Each of them comes back as a reminder
-- (reminders.kind), so the reminder loop, its claims and its reply commands serve all.

-- What a reminder is about, beyond its contact: the promise, meeting or plan, or the
-- user's own words ("remind me to call Bob"). contact_id is NULL for a reminder about
-- no one in particular (a plan, a "remind me" that names nobody).
ALTER TABLE reminders ADD COLUMN promise_id INTEGER;
ALTER TABLE reminders ADD COLUMN meeting_id INTEGER;
ALTER TABLE reminders ADD COLUMN plan_id INTEGER;
ALTER TABLE reminders ADD COLUMN what TEXT;
CREATE INDEX reminders_promise ON reminders(promise_id) WHERE promise_id IS NOT NULL;
CREATE INDEX reminders_meeting ON reminders(meeting_id) WHERE meeting_id IS NOT NULL;
CREATE INDEX reminders_plan ON reminders(plan_id) WHERE plan_id IS NOT NULL;

-- A commitment read from mail. direction: mine (the user promised the contact, in mail
-- the user wrote) | theirs (the contact promised the user, in a forwarded mail).
-- status: open | kept | dropped.
CREATE TABLE promises (
  id             INTEGER PRIMARY KEY,
  user_id        INTEGER NOT NULL,
  contact_id     INTEGER NOT NULL,
  direction      TEXT NOT NULL,
  what           TEXT NOT NULL,
  said           TEXT NOT NULL,                -- the sentence it came from
  due_at         INTEGER NOT NULL,
  status         TEXT NOT NULL DEFAULT 'open',
  interaction_id INTEGER,
  created_at     INTEGER NOT NULL,
  closed_at      INTEGER
);
CREATE INDEX promises_contact ON promises(contact_id, status);
CREATE INDEX promises_user ON promises(user_id, created_at);

-- A meeting from a calendar invitation, by its UID: an update (a higher SEQUENCE) moves
-- it, a cancellation removes it. The meeting is an interaction at its start.
CREATE TABLE meetings (
  id             INTEGER PRIMARY KEY,
  user_id        INTEGER NOT NULL,
  uid            TEXT NOT NULL,
  sequence       INTEGER NOT NULL,
  summary        TEXT,
  starts_at      INTEGER NOT NULL,
  ends_at        INTEGER NOT NULL,
  interaction_id INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  UNIQUE (user_id, uid)
);
CREATE INDEX meetings_interaction ON meetings(interaction_id);

-- "plan PyCon on May 14: meet two people working on payments". Days are local dates
-- (YYYY-MM-DD) in the user's zone.
CREATE TABLE plans (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  event      TEXT NOT NULL,
  event_key  TEXT NOT NULL,                    -- lower-cased, for "plan off pycon"
  first_day  TEXT NOT NULL,
  last_day   TEXT NOT NULL,
  goal       TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (user_id, event_key, first_day)
);
CREATE INDEX plans_user ON plans(user_id, first_day);
