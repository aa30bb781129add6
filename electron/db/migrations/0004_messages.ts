export default /* sql */ `
CREATE TABLE media (
  id         TEXT PRIMARY KEY,                 -- sha256 of the content; the file is media/<id>.<ext>
  kind       TEXT NOT NULL CHECK (kind IN ('image', 'audio', 'voice', 'video', 'document', 'sticker')),
  mime       TEXT NOT NULL,
  ext        TEXT NOT NULL,
  file_name  TEXT NOT NULL,
  size       INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- Campaigns copy the body and media they send, so editing a template never changes what a campaign sent.
CREATE TABLE templates (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  body       TEXT NOT NULL,
  media_id   TEXT REFERENCES media (id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE test_sends (
  id         INTEGER PRIMARY KEY,
  number_id  TEXT NOT NULL,
  phone      TEXT NOT NULL,
  text       TEXT NOT NULL,
  media_id   TEXT,
  message_id TEXT,
  status     TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'delivered', 'read', 'failed')),
  error      TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX test_sends_message ON test_sends (message_id);
`;
