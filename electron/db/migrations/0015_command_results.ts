export default /* sql */ `
-- What a command that changed data answered, by the request id its caller sent: the same id again (a retry after
-- a lost answer, a click repeated because the screen said it failed) gets this answer instead of doing it twice.
-- Kept a day; a restore never brings these back (they belong to this computer's callers).
CREATE TABLE command_results (
  request_id  TEXT PRIMARY KEY,
  command     TEXT NOT NULL,
  input_hash  TEXT NOT NULL,
  result      TEXT NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX command_results_at ON command_results (at);

-- A campaign restored from a backup that was running or paused comes back paused, and sends nothing until the user
-- confirms (the backup cannot know what went out after it was taken). Holds the backup's time.
ALTER TABLE campaigns ADD COLUMN restored_hold_at INTEGER;
`;
