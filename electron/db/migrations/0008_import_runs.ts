export default /* sql */ `
-- An import between its start and its record in imports: while 'reading' nothing of it is in the user's data (its
-- rows are staged in a file of their own); once 'saving' its contacts are merged a batch at a time, each batch
-- committed with the cursor below, so after a crash the next start resumes exactly where it stopped.
CREATE TABLE import_runs (
  id          INTEGER PRIMARY KEY,
  file_name   TEXT NOT NULL,
  request     TEXT NOT NULL,                   -- JSON: the file's columns and their mapping (ImportRequest)
  phase       TEXT NOT NULL CHECK (phase IN ('reading', 'saving')),
  counts      TEXT,                            -- JSON ImportCounts, once read
  list_id     INTEGER REFERENCES lists (id) ON DELETE SET NULL,
  merge_key   TEXT CHECK (merge_key IN ('id', 'phone')),
  cursor      TEXT,                            -- JSON: the key of the last merged staging row
  merged      INTEGER NOT NULL DEFAULT 0,
  updated     INTEGER NOT NULL DEFAULT 0,
  started_at  INTEGER NOT NULL
) STRICT;

-- Lines of a UTF-8 file that were Windows-1252 and were read as such (lists pasted together from two exports).
ALTER TABLE imports ADD COLUMN repaired_lines INTEGER NOT NULL DEFAULT 0;

-- What the user is told about an import a crash or a close interrupted: finished at the next start ('resumed'),
-- dropped whole because it stopped while reading ('discarded'), or — only if its staging file was lost — kept as
-- far as it was saved ('incomplete', with the counts so far).
CREATE TABLE import_notices (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL CHECK (kind IN ('resumed', 'discarded', 'incomplete')),
  saved       INTEGER,                         -- for 'incomplete': contacts saved of
  total       INTEGER,                         -- the valid rows read
  file_name   TEXT NOT NULL,
  import_id   INTEGER REFERENCES imports (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  seen_at     INTEGER
) STRICT;
`;
