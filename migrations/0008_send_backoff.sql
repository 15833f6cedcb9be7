-- A send that may pass on retry waits before the next try: a minute, then 5, 15, 60 and
-- 180 minutes, or longer when Resend said so (Retry-After). flushOutbound skips it
-- until then. NULL: try at the next tick (never tried, or a send left in flight).
ALTER TABLE outbound_messages ADD COLUMN next_attempt_at INTEGER;
