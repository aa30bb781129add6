export default /* sql */ `
CREATE TABLE numbers (
  id           TEXT PRIMARY KEY,
  label        TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('real', 'demo')),
  phone        TEXT,
  wa_name      TEXT,
  state        TEXT NOT NULL DEFAULT 'stopped',
  state_error  TEXT,
  state_detail TEXT,
  linked_at    INTEGER,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  removed_at   INTEGER
) STRICT;
CREATE INDEX numbers_active ON numbers (removed_at, created_at);
`;
