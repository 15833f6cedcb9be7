-- Fewer writes per reminder mail (issue 11 §7). D1 bills a write for a row and for each
-- index entry it inserts (removing one is free), so a reminder mail paid for every item
-- it deferred (its due time moved in two indexes), for each item's row in reminder_items
-- and for the due index of every reminder it touched.

-- Each user's next look: when a delivery should next read their reminders. Triggers
-- bring it forward whenever a pending reminder is due earlier (so no caller can forget
-- to); a delivery sets it to the next time anything of theirs needs a look (src/users/
-- store.ts, lookAgain), which is how an item waits for the next slot without its row
-- changing. The tick finds who is due here, one index entry per user, instead of in an
-- index over every pending reminder.
--
-- The deploy window (this migration applied, the old code still running for seconds):
-- the old code's statements that name what is gone (reminders_due, reminder_items) fail,
-- each failing its whole batch, and the next tick, on the new code, does that work.

-- Claims a tick of the code before 0009 may have left while 0009 was applied (a deploy
-- window of seconds; nothing else releases them), released as 0009 released its own.
UPDATE OR IGNORE reminders SET status = 'pending', claim_id = NULL, claimed_at = NULL WHERE status = 'claimed';
UPDATE reminders SET status = 'skipped' WHERE status = 'claimed';

-- The look itself, from what is pending now.
ALTER TABLE users ADD COLUMN remind_at INTEGER;
UPDATE users SET remind_at = (SELECT min(due_at) FROM reminders WHERE user_id = users.id AND status = 'pending');
CREATE INDEX users_remind_at ON users(remind_at) WHERE remind_at IS NOT NULL;

CREATE TRIGGER reminders_look_insert AFTER INSERT ON reminders WHEN NEW.status = 'pending'
BEGIN
  UPDATE users SET remind_at = NEW.due_at WHERE id = NEW.user_id AND (remind_at IS NULL OR remind_at > NEW.due_at);
END;

-- Only a reminder that becomes pending or moves earlier can need an earlier look.
CREATE TRIGGER reminders_look_update AFTER UPDATE OF due_at, status ON reminders
  WHEN NEW.status = 'pending' AND (OLD.status IS NOT 'pending' OR NEW.due_at < OLD.due_at)
BEGIN
  UPDATE users SET remind_at = NEW.due_at WHERE id = NEW.user_id AND (remind_at IS NULL OR remind_at > NEW.due_at);
END;

-- A pause set, changed or lifted: look at once (0: before any tick), and the delivery
-- works out anew what waits and until when.
CREATE TRIGGER users_pause_look AFTER UPDATE OF reminders_paused_until ON users
  WHEN NEW.reminders_paused_until IS NOT OLD.reminders_paused_until AND NEW.remind_at IS NOT NULL
BEGIN
  UPDATE users SET remind_at = 0 WHERE id = NEW.id;
END;

DROP INDEX reminders_due;

-- The numbered items of a reminder mail or summary: the reminder ids, in order, as a JSON
-- array on the mail's row, written with it, instead of a row each.
ALTER TABLE outbound_messages ADD COLUMN items TEXT;
-- (An item forgotten since leaves a null in its place, so the others keep their numbers.)
UPDATE outbound_messages SET items = (
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < (SELECT max(item_no) FROM reminder_items WHERE outbound_id = outbound_messages.id))
  SELECT json_group_array((SELECT reminder_id FROM reminder_items WHERE outbound_id = outbound_messages.id AND item_no = n.i)) FROM n
) WHERE id IN (SELECT outbound_id FROM reminder_items);
DROP TABLE reminder_items;
