export default /* sql */ `
-- Messages sent from the user's own systems (the automation API) go through the same outbox as campaigns: each is
-- a campaign of kind 'api' with one send, never listed with the user's campaigns.
ALTER TABLE campaigns ADD COLUMN kind TEXT NOT NULL DEFAULT 'campaign' CHECK (kind IN ('campaign', 'api'));
CREATE INDEX campaigns_kind ON campaigns (kind, created_at);

-- The idempotency keys: written in the same transaction as the send they made, so the same key after a crash
-- finds its first result. \`fingerprint\`: a hash of the request, to refuse the same key with another request.
CREATE TABLE api_messages (
  id          INTEGER PRIMARY KEY,
  idem_key    TEXT NOT NULL UNIQUE,
  fingerprint TEXT NOT NULL,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  send_id     INTEGER NOT NULL,
  key_id      INTEGER,
  created_at  INTEGER NOT NULL,
  notified    TEXT                                  -- the last state told to the webhooks (and the UI)
) STRICT;
CREATE INDEX api_messages_send ON api_messages (send_id);
CREATE INDEX api_messages_campaign ON api_messages (campaign_id);

-- Attachments fetched from https links, by link: the same link is fetched once (the file itself is kept by hash).
CREATE TABLE media_links (
  url        TEXT PRIMARY KEY,
  media_id   TEXT NOT NULL REFERENCES media (id),
  fetched_at INTEGER NOT NULL
) STRICT;

-- Keys for automation, apart from the UI's per-run token: only a hash of each is kept.
CREATE TABLE api_keys (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  scope        TEXT NOT NULL CHECK (scope IN ('send', 'all')),
  prefix       TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
) STRICT;

-- Every request made with an API key, without its secrets (no key, no body): what, when, and how it ended.
CREATE TABLE api_log (
  id      INTEGER PRIMARY KEY,
  at      INTEGER NOT NULL,
  key_id  INTEGER,
  command TEXT NOT NULL,
  status  INTEGER NOT NULL,
  code    TEXT,
  ms      REAL NOT NULL
) STRICT;

-- Webhooks out: the user's URLs, each with the secret its deliveries are signed with and the events it wants.
CREATE TABLE webhooks (
  id         INTEGER PRIMARY KEY,
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  events     TEXT NOT NULL,                         -- JSON array of event types
  active     INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
) STRICT;

-- The durable queue: an event is written here before anything tries to deliver it, so a restart loses none.
CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  webhook_id      INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event           TEXT NOT NULL,
  body            TEXT NOT NULL,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  delivered_at    INTEGER
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);

CREATE TABLE webhook_attempts (
  id          INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  at          INTEGER NOT NULL,
  status      INTEGER,                              -- the HTTP status, NULL when no answer came
  error       TEXT,
  ms          REAL NOT NULL
) STRICT;
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);

-- How far the events read from the app's own tables (replies, opt-outs, finished campaigns) have been queued.
CREATE TABLE webhook_cursors (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
`;
