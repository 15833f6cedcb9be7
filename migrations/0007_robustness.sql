-- The local outbox (MAIL_TRANSPORT=outbox) finds a retried send by its Message-ID: an
-- index on the same expression the lookups use, so a send no longer reads the whole outbox.
CREATE INDEX outbox_message_id ON outbox(json_extract(headers, '$."Message-ID"'));

-- The tick's watermark: the last tick that handed every user due by then to the queue.
-- While those users' leases hold, a tick looks only at reminders due after it, instead
-- of re-reading every due-but-leased reminder. One row, name 'enqueued'.
CREATE TABLE tick_marks (
  name TEXT PRIMARY KEY,
  at   INTEGER NOT NULL
) WITHOUT ROWID;

-- How many open promises a contact has, kept by these triggers alone: a captured mail
-- looks for promises to keep, and a reminder mail for promises to mention, only where
-- there are some (most people have none), instead of one more read per person.
ALTER TABLE contacts ADD COLUMN open_promises INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER promises_open_insert AFTER INSERT ON promises WHEN new.status = 'open' BEGIN
  UPDATE contacts SET open_promises = open_promises + 1 WHERE id = new.contact_id;
END;

CREATE TRIGGER promises_open_update AFTER UPDATE OF status, contact_id ON promises
WHEN (old.status = 'open' OR new.status = 'open') AND (old.status IS NOT new.status OR old.contact_id IS NOT new.contact_id) BEGIN
  UPDATE contacts SET open_promises = open_promises - 1 WHERE id = old.contact_id AND old.status = 'open';
  UPDATE contacts SET open_promises = open_promises + 1 WHERE id = new.contact_id AND new.status = 'open';
END;

CREATE TRIGGER promises_open_delete AFTER DELETE ON promises WHEN old.status = 'open' BEGIN
  UPDATE contacts SET open_promises = open_promises - 1 WHERE id = old.contact_id;
END;
