-- The web dashboard and the JSON API: sign-in links, sessions, personal access tokens,
-- and the counters that rate-limit them. Every secret is kept as its SHA-256 only.

-- A one-time sign-in link ("login" by mail, or the address form on /app): valid
-- 15 minutes, used once.
CREATE TABLE login_links (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) WITHOUT ROWID;
CREATE INDEX login_links_user ON login_links(user_id);
CREATE INDEX login_links_expiry ON login_links(expires_at);  -- the tick's pruning

-- A signed-in browser: its cookie holds a random token. 30 days, sliding (renewed at
-- most once a day, so that a page view is not a write).
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);  -- the tick's pruning

-- Personal access tokens for the API: shown once. scope: read | write.
CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL,
  name       TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  scope      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  used_at    INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Fixed-window counters: `key` names what is limited (addresses and clients hashed),
-- `window` the window's start. The tick drops windows older than a day.
CREATE TABLE rate_limits (
  key     TEXT NOT NULL,
  window  INTEGER NOT NULL,
  count   INTEGER NOT NULL,
  PRIMARY KEY (key, window)
) WITHOUT ROWID;
CREATE INDEX rate_limits_window ON rate_limits(window);

-- The people page: a user's people, most recently in touch first, a page at a time
-- (a cursor on this order reads a page, never every person).
CREATE INDEX contacts_user_recent ON contacts(user_id, ifnull(last_interaction_at, 0) DESC, id DESC);
CREATE INDEX contacts_user_muted ON contacts(user_id) WHERE muted_at IS NOT NULL;
