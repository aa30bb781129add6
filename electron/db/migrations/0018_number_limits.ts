export default /* sql */ `
-- What WhatsApp states about each number's limits on reaching people who never wrote to it (#32): the new-chat cap
-- (level, used of total, when its cycle ends) and the reach-out timelock (active, end, enforcement), as last read
-- from WhatsApp Web. No row, or NULL parts: WhatsApp did not say, and the app's own estimate applies.
CREATE TABLE number_limits (
  number_id            TEXT PRIMARY KEY REFERENCES numbers(id) ON DELETE CASCADE,
  cap_level            TEXT CHECK (cap_level IN ('none', 'first_warning', 'second_warning', 'capped')),
  cap_total            INTEGER,
  cap_used             INTEGER,
  cap_cycle_end        INTEGER,
  timelock_active      INTEGER,
  timelock_end         INTEGER,
  timelock_enforcement TEXT,
  read_at              INTEGER NOT NULL,
  -- The last time a limit held the number (from when the app saw it, to when it saw it end; NULL: still holds):
  -- messages sent then that stay at one tick are the limit's, not people blocking (the brake leaves them out).
  limited_since        INTEGER,
  limited_until        INTEGER
);
`;
