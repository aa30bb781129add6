export default /* sql */ `
CREATE TABLE contacts (
  id            INTEGER PRIMARY KEY,
  phone         TEXT NOT NULL UNIQUE,          -- E.164, Mexican mobiles without the old 1
  name          TEXT,
  fields        TEXT NOT NULL DEFAULT '{}',    -- custom fields from imports: {"Ciudad": "CDMX"}
  wa_status     TEXT NOT NULL DEFAULT 'unknown' CHECK (wa_status IN ('unknown', 'on_whatsapp', 'not_on_whatsapp')),
  wa_checked_at INTEGER,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE lists (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE list_members (
  list_id    INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  added_at   INTEGER NOT NULL,
  PRIMARY KEY (list_id, contact_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX list_members_contact ON list_members (contact_id);

-- Keyed by phone, not contact: deleting or re-importing a contact never clears an opt-out.
CREATE TABLE opt_outs (
  phone      TEXT PRIMARY KEY,
  source     TEXT NOT NULL CHECK (source IN ('manual', 'reply')),
  detail     TEXT,
  created_at INTEGER NOT NULL
) STRICT;

-- Who opted out or undid it, and when.
CREATE TABLE opt_out_log (
  id     INTEGER PRIMARY KEY,
  phone  TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('opt_out', 'undo')),
  source TEXT NOT NULL,
  actor  TEXT,
  at     INTEGER NOT NULL
) STRICT;
CREATE INDEX opt_out_log_phone ON opt_out_log (phone, at);

-- Every custom field name ever imported, for the message editor's field menu.
CREATE TABLE contact_fields (
  name       TEXT PRIMARY KEY COLLATE NOCASE,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  file_name   TEXT NOT NULL,
  list_id     INTEGER REFERENCES lists (id) ON DELETE SET NULL,
  headers     TEXT NOT NULL,                   -- JSON array: the file's column titles
  total_rows  INTEGER NOT NULL,
  imported    INTEGER NOT NULL,
  updated     INTEGER NOT NULL,
  duplicates  INTEGER NOT NULL,
  rejected    INTEGER NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE import_rejects (
  import_id  INTEGER NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  row_number INTEGER NOT NULL,
  reason     TEXT NOT NULL,                    -- a phone reason code, or 'duplicate'
  duplicate_of INTEGER,                        -- for duplicates: the row it repeats
  cells      TEXT NOT NULL,                    -- JSON array of the row as it was
  PRIMARY KEY (import_id, row_number)
) STRICT, WITHOUT ROWID;
`;
