export default /* sql */ `
-- Tags on contacts (#35): set by hand, by import, from a conversation or a report, or by the app on an event
-- ('auto' names which kind, per campaign for replies and reads: "Respondió · Expo").
CREATE TABLE tags (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
  auto        TEXT CHECK (auto IN ('replied', 'read', 'opted_out', 'opted_in')),
  campaign_id INTEGER,
  created_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX tags_auto ON tags (auto, COALESCE(campaign_id, 0)) WHERE auto IS NOT NULL;

CREATE TABLE contact_tags (
  tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  source     TEXT NOT NULL,
  added_at   INTEGER NOT NULL,
  PRIMARY KEY (tag_id, contact_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_tags_contact ON contact_tags (contact_id);

-- Saved audiences: rules over fields, tags, lists, consent and engagement (JSON, shared/segments.ts).
CREATE TABLE segments (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  rules      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- The segments a campaign targets, with their rules copied when it launched: the audience is frozen then, and the
-- report says which rules it was taken with even after the segment changes or goes.
CREATE TABLE campaign_segments (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  segment_id  INTEGER NOT NULL,
  name        TEXT NOT NULL,
  rules       TEXT NOT NULL,
  PRIMARY KEY (campaign_id, segment_id)
) STRICT, WITHOUT ROWID;

-- A follow-up (#35 item 3) is a campaign of its own, tied to the campaign whose readers it writes to again; a
-- recurring campaign's runs are tied to their plan the same way.
ALTER TABLE campaigns ADD COLUMN parent_id INTEGER;
CREATE INDEX campaigns_parent ON campaigns (parent_id);

-- A/B tests (#35 item 5): which version of the message each contact got (NULL: the campaign has one version).
ALTER TABLE sends ADD COLUMN variant INTEGER;

-- Recurring campaigns (#35 item 4): a plan makes a campaign of its own every week or month (its lists and segments
-- read again each time), never writing to the same contact twice within the plan's frequency cap.
CREATE TABLE recurring (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  input      TEXT NOT NULL,                 -- the campaign each run is made from (shared/campaigns.ts CampaignInput)
  every      TEXT NOT NULL CHECK (every IN ('week', 'month')),
  cap_days   INTEGER NOT NULL,
  next_at    INTEGER NOT NULL,              -- when the next run is made
  active     INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
) STRICT;
ALTER TABLE campaigns ADD COLUMN recurring_id INTEGER;
CREATE INDEX campaigns_recurring ON campaigns (recurring_id);

-- Every tag put on a contact, in order, for the webhooks' \`contact.tagged\` (read against a cursor, as replies are).
-- Written by the code that tags, in the same transaction (a trigger would also fire while a restore copies the
-- contacts' tags, and the restored log would collide with it).
CREATE TABLE tag_log (
  id         INTEGER PRIMARY KEY,
  tag_id     INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  source     TEXT NOT NULL,
  at         INTEGER NOT NULL
) STRICT;
`;
