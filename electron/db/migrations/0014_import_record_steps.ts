export default /* sql */ `
-- An import's refused rows are copied into import_rejects a few thousand at a time, each step its own transaction
-- (a million-row file may refuse hundreds of thousands: copied at once they would hold the app still for seconds).
-- Its record in imports is written first, and stays out of the user's sight while this names it; a stop meanwhile
-- resumes the copy after the last row copied.
ALTER TABLE import_runs ADD COLUMN import_id INTEGER REFERENCES imports (id) ON DELETE CASCADE;
`;
