export default /* sql */ `
CREATE TABLE campaigns (
  id                 INTEGER PRIMARY KEY,
  name               TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')),
  body               TEXT NOT NULL,                 -- the message as this campaign sends it (a copy, never the template)
  media_id           TEXT REFERENCES media (id),
  template_id        INTEGER,
  seed               INTEGER NOT NULL,              -- variations: each contact's text is reproducible
  settings           TEXT NOT NULL,                 -- JSON: pace, window, time zone, start
  pause_reason       TEXT,
  pause_detail       TEXT,
  needs_confirmation INTEGER NOT NULL DEFAULT 0,    -- an automatic brake: resuming asks for a conscious yes
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  started_at         INTEGER,
  finished_at        INTEGER
) STRICT;

CREATE TABLE campaign_lists (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  list_id     INTEGER NOT NULL,
  exclude     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, list_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE campaign_numbers (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  number_id   TEXT NOT NULL,
  lost        INTEGER NOT NULL DEFAULT 0,           -- logged out, banned or in conflict: no longer sends here
  PRIMARY KEY (campaign_id, number_id)
) STRICT, WITHOUT ROWID;

-- The durable outbox: one row per (campaign, contact), created at launch with its text rendered.
-- 'sending' is committed before the driver is called; a crash leaves it there for recovery to reconcile.
CREATE TABLE sends (
  id              INTEGER PRIMARY KEY,
  campaign_id     INTEGER NOT NULL REFERENCES campaigns (id),
  contact_id      INTEGER NOT NULL,
  phone           TEXT NOT NULL,
  name            TEXT,
  number_id       TEXT,                             -- assigned number (NULL: any number of the campaign)
  text            TEXT NOT NULL,
  media_id        TEXT,
  state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped', 'in_doubt')),
  reason          TEXT,
  chat_id         TEXT,
  message_id      TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  sending_at      INTEGER,
  sent_at         INTEGER,
  delivered_at    INTEGER,
  read_at         INTEGER,
  updated_at      INTEGER NOT NULL,
  UNIQUE (campaign_id, contact_id)
) STRICT;
CREATE INDEX sends_queue ON sends (campaign_id, state, number_id);
CREATE INDEX sends_message ON sends (message_id);
CREATE INDEX sends_number_time ON sends (number_id, sending_at);
CREATE INDEX sends_phone ON sends (phone, sent_at);

-- Every message contacts send back (the replies inbox), with opt-outs flagged.
CREATE TABLE incoming (
  id          INTEGER PRIMARY KEY,
  number_id   TEXT NOT NULL,
  chat_id     TEXT NOT NULL,
  phone       TEXT,
  contact_id  INTEGER,
  campaign_id INTEGER,
  message_id  TEXT NOT NULL UNIQUE,
  body        TEXT NOT NULL,
  type        TEXT NOT NULL,
  opt_out     INTEGER NOT NULL DEFAULT 0,
  handled     INTEGER NOT NULL DEFAULT 0,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX incoming_at ON incoming (at);
CREATE INDEX incoming_campaign ON incoming (campaign_id, at);
`;
