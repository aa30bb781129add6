export default /* sql */ `
-- Meta's limits are per business portfolio since 2025-10-07 (#36): the portfolio a Cloud number's account belongs
-- to, so numbers sharing one limit are shown together.
ALTER TABLE cloud_numbers ADD COLUMN portfolio_id TEXT;
ALTER TABLE cloud_numbers ADD COLUMN portfolio_name TEXT;

-- Business-scoped user ids (BSUID): who wrote to a Cloud number by their id, with the phone when Meta gave it
-- (its contact book), so a later webhook without a phone still finds the same contact.
CREATE TABLE cloud_users (
  bsuid      TEXT PRIMARY KEY,
  phone      TEXT,
  username   TEXT,
  name       TEXT,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX cloud_users_phone ON cloud_users (phone) WHERE phone IS NOT NULL;

-- Who asked for no more promotions (Meta's "Stop promotions" quick reply): marketing is never sent to them again;
-- an answer to what they write, or a utility message, still is.
CREATE TABLE marketing_opt_outs (
  phone      TEXT PRIMARY KEY,
  source     TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
`;
