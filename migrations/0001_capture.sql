-- Kith core schema: users, the people they know, and what happened between them.
-- Times are epoch milliseconds (UTC). IDs are random 52-bit integers chosen by the
-- Worker so that one inbound mail can be written in a single db.batch().
--
-- No FOREIGN KEY clauses: D1 enforces them, and every check is a row read on the
-- per-mail hot path (two per participant link). Integrity comes from writing a
-- mail's rows in one batch with ids chosen together; the corpus test checks that no
-- orphan rows exist. Columns named <table>_id / *_id point at that table's id.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE,          -- primary address, lower-cased
  name          TEXT,
  status        TEXT NOT NULL DEFAULT 'active', -- active | paused
  tz_offset_min INTEGER,                       -- inferred from the Date of their mail
  created_at    INTEGER NOT NULL
);

-- Every address that identifies a user: the primary one and confirmed aliases.
-- Pending aliases wait here until the owner of the address confirms them.
CREATE TABLE user_addresses (
  email        TEXT PRIMARY KEY,               -- lower-cased
  user_id      INTEGER NOT NULL,
  status       TEXT NOT NULL,                  -- confirmed | pending
  created_at   INTEGER NOT NULL,
  confirmed_at INTEGER
) WITHOUT ROWID;
CREATE INDEX user_addresses_user ON user_addresses(user_id);

CREATE TABLE contacts (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL,
  name        TEXT,
  name_rank   INTEGER NOT NULL DEFAULT 0,      -- 0 none, 1 from address, 2 display name, 3 card
  company     TEXT,
  title       TEXT,
  met_at      TEXT,                            -- the event, e.g. "PyCon"
  source      TEXT NOT NULL,                   -- bcc | intro | forward | note | vcard | csv
  introduced_by INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  last_interaction_at INTEGER
);
CREATE INDEX contacts_user ON contacts(user_id, created_at);
-- Name-only people (a forward whose client wrote no address) are matched by name.
CREATE INDEX contacts_user_name ON contacts(user_id, name COLLATE NOCASE);

CREATE TABLE contact_emails (
  contact_id INTEGER NOT NULL,
  user_id    INTEGER NOT NULL,
  email      TEXT NOT NULL,                    -- lower-cased
  PRIMARY KEY (user_id, email)
) WITHOUT ROWID;
CREATE INDEX contact_emails_contact ON contact_emails(contact_id);

CREATE TABLE contact_phones (
  contact_id INTEGER NOT NULL,
  phone      TEXT NOT NULL,                    -- E.164
  PRIMARY KEY (contact_id, phone)
) WITHOUT ROWID;

CREATE TABLE interactions (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL,
  kind        TEXT NOT NULL,                   -- bcc | intro | forward | note
  occurred_at INTEGER NOT NULL,
  subject     TEXT,
  summary     TEXT,                            -- first lines of the mail, for the user's memory
  inbound_id  INTEGER,
  created_at  INTEGER NOT NULL
);
CREATE INDEX interactions_user ON interactions(user_id, occurred_at);

CREATE TABLE interaction_contacts (
  interaction_id INTEGER NOT NULL,
  contact_id     INTEGER NOT NULL,
  role           TEXT NOT NULL,                -- from | to | cc | introduced | introducer | subject
  PRIMARY KEY (interaction_id, contact_id, role)
) WITHOUT ROWID;
CREATE INDEX interaction_contacts_contact ON interaction_contacts(contact_id);

-- Who introduced whom. A NULL introducer is the user; a NULL side is the user too
-- (someone introduced the user to a contact).
CREATE TABLE introductions (
  id             INTEGER PRIMARY KEY,
  user_id        INTEGER NOT NULL,
  interaction_id INTEGER NOT NULL,
  introducer_id  INTEGER,
  contact_a_id   INTEGER NOT NULL,
  contact_b_id   INTEGER,
  created_at     INTEGER NOT NULL
);
CREATE INDEX introductions_user ON introductions(user_id, created_at);

CREATE TABLE reminders (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL,
  contact_id  INTEGER,
  kind        TEXT NOT NULL,                   -- follow-up | check-in | intro-check
  due_at      INTEGER NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending', -- pending | claimed | sent | done | skipped
  created_at  INTEGER NOT NULL
);
CREATE INDEX reminders_due ON reminders(status, due_at);
CREATE INDEX reminders_user ON reminders(user_id, status);

-- One row per inbound mail that reached a user: the idempotency key is
-- (user_id, message_id); a redelivery hits the UNIQUE constraint and changes nothing.
CREATE TABLE inbound_messages (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL,
  message_id  TEXT NOT NULL,
  kind        TEXT NOT NULL,                   -- bcc | intro | forward | note | command | reply
  outcome     TEXT NOT NULL,                   -- applied | held | ignored
  subject     TEXT,
  received_at INTEGER NOT NULL,
  UNIQUE (user_id, message_id)
);

-- Mail that failed sender authentication under SENDER_AUTH=confirm: the extracted
-- intent (never the raw mail) waits for the user's yes, or expires.
CREATE TABLE held_messages (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER,    -- NULL while the sender is not yet a user
  address     TEXT NOT NULL,                   -- the From address, lower-cased
  message_id  TEXT NOT NULL,
  intent      TEXT NOT NULL,                   -- JSON, validated again when applied
  status      TEXT NOT NULL DEFAULT 'held',    -- held | applied | expired
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  UNIQUE (address, message_id)
);

-- Every mail Kith sends, with the Message-ID that replies thread back to.
-- `payload` keeps the composed mail until it is sent so that a failed send is retried.
CREATE TABLE outbound_messages (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER,
  message_id  TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,
  to_address  TEXT NOT NULL,
  subject     TEXT NOT NULL,
  ref         TEXT,                            -- what it is about: held:<id>, alias:<email>
  payload     TEXT,
  status      TEXT NOT NULL DEFAULT 'queued',  -- queued | sent | failed
  attempts    INTEGER NOT NULL DEFAULT 0,
  provider_id TEXT,
  error       TEXT,
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER
);
CREATE INDEX outbound_queued ON outbound_messages(status, created_at);

-- The local transport (MAIL_TRANSPORT=outbox): mail "delivered" here, shown at /dev/outbox.
CREATE TABLE outbox (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  to_address TEXT NOT NULL,
  from_address TEXT NOT NULL,
  subject    TEXT NOT NULL,
  text       TEXT NOT NULL,
  html       TEXT,
  headers    TEXT NOT NULL,                    -- JSON: name -> value
  created_at INTEGER NOT NULL
);
