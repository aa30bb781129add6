export default /* sql */ `
-- Numbers on WhatsApp's official Cloud API sit beside linked phones: the numbers table takes a third kind (SQLite
-- cannot change a CHECK, so the table is made again with the same rows).
CREATE TABLE numbers_new (
  id                TEXT PRIMARY KEY,
  label             TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('real', 'demo', 'cloud')),
  phone             TEXT,
  wa_name           TEXT,
  state             TEXT NOT NULL DEFAULT 'stopped',
  state_error       TEXT,
  state_detail      TEXT,
  linked_at         INTEGER,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  removed_at        INTEGER,
  unanswered_budget INTEGER
) STRICT;
INSERT INTO numbers_new (id, label, kind, phone, wa_name, state, state_error, state_detail, linked_at, created_at, updated_at, removed_at, unanswered_budget)
  SELECT id, label, kind, phone, wa_name, state, state_error, state_detail, linked_at, created_at, updated_at, removed_at, unanswered_budget FROM numbers;
DROP TABLE numbers;
ALTER TABLE numbers_new RENAME TO numbers;
CREATE INDEX numbers_active ON numbers (removed_at, created_at);

-- A Cloud number's account: the ids Meta gave it and what the last check said. The token and the app secret are
-- never here (a backup must not carry them): they live in the data folder's secret store.
CREATE TABLE cloud_numbers (
  number_id       TEXT PRIMARY KEY,
  phone_number_id TEXT NOT NULL UNIQUE,
  waba_id         TEXT NOT NULL,
  verify_token    TEXT NOT NULL,
  display_phone   TEXT,
  verified_name   TEXT,
  quality_rating  TEXT,
  limit_tier      TEXT,
  relay_url       TEXT,
  relay_cursor    TEXT,
  app_id          TEXT,                           -- the Meta app's id, for uploading a template's sample header
  checked_at      INTEGER
) STRICT;

-- The account's message templates as Meta last listed them (approved, pending, rejected …).
CREATE TABLE wa_templates (
  id          INTEGER PRIMARY KEY,
  waba_id     TEXT NOT NULL,
  meta_id     TEXT,
  name        TEXT NOT NULL,
  language    TEXT NOT NULL,
  status      TEXT NOT NULL,
  category    TEXT NOT NULL,
  body        TEXT NOT NULL,
  params      INTEGER NOT NULL,
  header      TEXT NOT NULL DEFAULT 'none',
  components  TEXT NOT NULL,
  synced_at   INTEGER NOT NULL,
  UNIQUE (waba_id, name, language)
) STRICT;

-- A Cloud send's parameters for its template, per contact (JSON array of strings), fixed at launch like its text.
ALTER TABLE sends ADD COLUMN params TEXT;

-- Every status Meta sent for a Cloud message, by message id: the driver's memory for receipts after a restart and
-- for "was it sent?" after a crash (each send carries its own id as biz_opaque_callback_data).
CREATE TABLE cloud_statuses (
  message_id  TEXT NOT NULL,
  number_id   TEXT NOT NULL,
  status      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  recipient   TEXT NOT NULL,
  callback    TEXT,
  error_code  INTEGER,
  category    TEXT,
  PRIMARY KEY (message_id, status)
) STRICT;
CREATE INDEX cloud_statuses_callback ON cloud_statuses (number_id, callback);

-- Messages contacts wrote to a Cloud number, kept for the catch-up after a restart.
CREATE TABLE cloud_incoming (
  message_id  TEXT PRIMARY KEY,
  number_id   TEXT NOT NULL,
  sender      TEXT NOT NULL,
  body        TEXT NOT NULL,
  type        TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX cloud_incoming_at ON cloud_incoming (number_id, at);

-- Media uploaded to Meta once per number and file, reused by every send (Meta keeps an upload 30 days).
CREATE TABLE cloud_media (
  number_id   TEXT NOT NULL,
  media_id    TEXT NOT NULL,
  graph_id    TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  PRIMARY KEY (number_id, media_id)
) STRICT;
`;
