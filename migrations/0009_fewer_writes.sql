-- A reminder mail is recorded, with every change it makes, in one batch whose first
-- statement is the claim (reminders go from pending straight to sent), so the claimed
-- state, its claim index and its stale-claim sweep are gone. Claims left by a tick that
-- was running during the upgrade go back to pending (or, where the contact has a new
-- pending check-in meanwhile, are skipped: at most one is allowed).
UPDATE OR IGNORE reminders SET status = 'pending', claim_id = NULL, claimed_at = NULL WHERE status = 'claimed';
UPDATE reminders SET status = 'skipped' WHERE status = 'claimed';
DROP INDEX reminders_claim;

-- Only queued mail is looked up by time (flushOutbound): a mail recorded as sending,
-- then sent, never touches this index, and a status change of any other mail no longer
-- moves an index entry.
DROP INDEX outbound_queued;
CREATE INDEX outbound_queued ON outbound_messages(created_at) WHERE status = 'queued';

-- A reminder's status changes at least twice (pending, sent, then what the user did):
-- an index on (contact_id, status) moved an entry each time. A contact's reminders are a
-- few rows, so the index on the contact alone finds them as fast.
DROP INDEX reminders_contact;
CREATE INDEX reminders_contact ON reminders(contact_id);

-- How often Kith wrote to an address that has not shown it is who it says (a verify,
-- an alias confirmation, a sign-in link) in the last hour: ANSWERS_PER_HOUR.
CREATE INDEX outbound_unproven ON outbound_messages(to_address, created_at)
  WHERE kind IN ('verify', 'alias-confirm', 'login');
