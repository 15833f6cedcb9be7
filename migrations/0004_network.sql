-- Your network, reachable: look up, correct, merge, forget, export.

-- A name as duplicate detection compares it: lower case, accents and punctuation gone
-- (written by the Worker, which knows Unicode; rows from before get a plain lower()).
ALTER TABLE contacts ADD COLUMN name_key TEXT;
UPDATE contacts SET name_key = lower(name) WHERE name IS NOT NULL;
CREATE INDEX contacts_user_name_key ON contacts(user_id, name_key) WHERE name_key IS NOT NULL;
-- The same phone under another address is probably the same person.
CREATE INDEX contact_phones_phone ON contact_phones(phone);
-- "introduced by Dev": whom Dev introduced, without reading every contact.
CREATE INDEX contacts_introduced_by ON contacts(introduced_by) WHERE introduced_by IS NOT NULL;
CREATE INDEX introductions_introducer ON introductions(introducer_id) WHERE introducer_id IS NOT NULL;

-- Full-text search over a user's people: rowid is the contact's id, `owner` is 'u' and
-- the user's id (every query ANDs it, so a search reads one user's postings only).
-- Accents and case fold; prefixes of 2 and 3 letters are indexed for partial names.
CREATE VIRTUAL TABLE contact_search USING fts5(
  owner, name, work, met, emails, notes,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
-- Erasure is real: a deleted row's terms leave the index at once, not at a later merge.
INSERT INTO contact_search (contact_search, rank) VALUES ('secure-delete', 1);

-- What a contact's search row holds, from the tables.
CREATE VIEW contact_search_source AS
SELECT c.id, 'u' || c.user_id AS owner, c.name, trim(coalesce(c.company, '') || ' ' || coalesce(c.title, '')) AS work, c.met_at AS met,
  (SELECT group_concat(e.email, ' ') FROM contact_emails e WHERE e.contact_id = c.id) AS emails,
  (SELECT group_concat(n.text, ' ') FROM contact_notes n WHERE n.contact_id = c.id) AS notes
FROM contacts c;

-- The search row follows its contact, whichever code writes: these triggers are its
-- only writers. Each one rewrites the contact's row from the view.
CREATE TRIGGER contact_search_insert AFTER INSERT ON contacts BEGIN
  INSERT INTO contact_search (rowid, owner, name, work, met, emails, notes)
  VALUES (new.id, 'u' || new.user_id, new.name, trim(coalesce(new.company, '') || ' ' || coalesce(new.title, '')), new.met_at, NULL, NULL);
END;

CREATE TRIGGER contact_search_update AFTER UPDATE OF name, company, title, met_at ON contacts
WHEN old.name IS NOT new.name OR old.company IS NOT new.company OR old.title IS NOT new.title OR old.met_at IS NOT new.met_at BEGIN
  DELETE FROM contact_search WHERE rowid = new.id;
  INSERT INTO contact_search (rowid, owner, name, work, met, emails, notes) SELECT * FROM contact_search_source WHERE id = new.id;
END;

CREATE TRIGGER contact_search_delete AFTER DELETE ON contacts BEGIN
  DELETE FROM contact_search WHERE rowid = old.id;
END;

CREATE TRIGGER contact_search_email_insert AFTER INSERT ON contact_emails BEGIN
  DELETE FROM contact_search WHERE rowid = new.contact_id;
  INSERT INTO contact_search (rowid, owner, name, work, met, emails, notes) SELECT * FROM contact_search_source WHERE id = new.contact_id;
END;

-- A merge moves addresses: both contacts' rows change (the old one is usually deleted next).
CREATE TRIGGER contact_search_email_update AFTER UPDATE OF contact_id ON contact_emails BEGIN
  DELETE FROM contact_search WHERE rowid IN (old.contact_id, new.contact_id);
  INSERT INTO contact_search (rowid, owner, name, work, met, emails, notes) SELECT * FROM contact_search_source WHERE id IN (old.contact_id, new.contact_id);
END;

CREATE TRIGGER contact_search_email_delete AFTER DELETE ON contact_emails BEGIN
  DELETE FROM contact_search WHERE rowid = old.contact_id;
  INSERT INTO contact_search (rowid, owner, name, work, met, emails, notes) SELECT * FROM contact_search_source WHERE id = old.contact_id;
END;

CREATE TRIGGER contact_search_note_insert AFTER INSERT ON contact_notes BEGIN
  DELETE FROM contact_search WHERE rowid = new.contact_id;
  INSERT INTO contact_search (rowid, owner, name, work, met, emails, notes) SELECT * FROM contact_search_source WHERE id = new.contact_id;
END;

CREATE TRIGGER contact_search_note_update AFTER UPDATE OF contact_id, text ON contact_notes BEGIN
  DELETE FROM contact_search WHERE rowid IN (old.contact_id, new.contact_id);
  INSERT INTO contact_search (rowid, owner, name, work, met, emails, notes) SELECT * FROM contact_search_source WHERE id IN (old.contact_id, new.contact_id);
END;

CREATE TRIGGER contact_search_note_delete AFTER DELETE ON contact_notes BEGIN
  DELETE FROM contact_search WHERE rowid = old.contact_id;
  INSERT INTO contact_search (rowid, owner, name, work, met, emails, notes) SELECT * FROM contact_search_source WHERE id = old.contact_id;
END;

-- Contacts that existed before this migration.
INSERT INTO contact_search (rowid, owner, name, work, met, emails, notes) SELECT * FROM contact_search_source;

-- "forget <address>": the address stays blocked for that user, so later mail never
-- brings the person back; "unforget" deletes the row.
CREATE TABLE forgotten_addresses (
  user_id    INTEGER NOT NULL,
  email      TEXT NOT NULL,                    -- lower-cased
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, email)
) WITHOUT ROWID;

-- People listed by number in a mail, so that a reply ("2 note …", "merge 1 2") finds
-- them: a lookup's results (other_id NULL), or a confirmation's "may be the same
-- person" (contact_id the newcomer, other_id the one already known).
CREATE TABLE listed_contacts (
  outbound_id INTEGER NOT NULL,
  item_no     INTEGER NOT NULL,
  user_id     INTEGER NOT NULL,
  contact_id  INTEGER NOT NULL,
  other_id    INTEGER,
  PRIMARY KEY (outbound_id, item_no)
) WITHOUT ROWID;
CREATE INDEX listed_contacts_contact ON listed_contacts(contact_id);
CREATE INDEX listed_contacts_other ON listed_contacts(other_id) WHERE other_id IS NOT NULL;

-- Probable duplicates found at capture (same name or phone, another address): offered,
-- never merged silently. status: open | dismissed (a merge deletes the row).
CREATE TABLE duplicate_suggestions (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,                 -- the newcomer
  other_id   INTEGER NOT NULL,                 -- the person already known
  reason     TEXT NOT NULL,                    -- name | phone
  status     TEXT NOT NULL DEFAULT 'open',
  created_at INTEGER NOT NULL,
  UNIQUE (contact_id, other_id)
);
CREATE INDEX duplicate_suggestions_user ON duplicate_suggestions(user_id, status);
CREATE INDEX duplicate_suggestions_other ON duplicate_suggestions(other_id);

-- The local outbox's attachments (MAIL_TRANSPORT=outbox only), base64 in parts of at
-- most 1 MB so that an export of thousands of people fits local D1's row size.
CREATE TABLE outbox_attachments (
  outbox_id    INTEGER NOT NULL,
  n            INTEGER NOT NULL,               -- the attachment's place in the mail
  part         INTEGER NOT NULL,
  filename     TEXT NOT NULL,
  content_type TEXT NOT NULL,
  content      TEXT NOT NULL,                  -- base64
  PRIMARY KEY (outbox_id, n, part)
) WITHOUT ROWID;
