-- Mail to addresses that have not authenticated (a verify, an alias confirmation, a
-- sign-in link), all of them together, in the last hour: UNPROVEN_PER_HOUR. A forger
-- writing "from" many different addresses would otherwise have Kith answer each of them
-- up to ANSWERS_PER_HOUR times an hour, without bound in all.
CREATE INDEX outbound_unproven_time ON outbound_messages(created_at)
  WHERE kind IN ('verify', 'alias-confirm', 'login');
