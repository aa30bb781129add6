export default /* sql */ `
-- Answers from the app (#33) go through the same outbox as campaigns: each is a campaign of a third kind, 'chat',
-- with one send (as the automation API's messages are 'api'). SQLite cannot widen a CHECK in place: the table is
-- copied whole, ids kept (run with foreign keys off, see migrate.ts).
CREATE TABLE campaigns_new (
  id                 INTEGER PRIMARY KEY,
  name               TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled')),
  body               TEXT NOT NULL,
  media_id           TEXT REFERENCES media (id),
  template_id        INTEGER,
  seed               INTEGER NOT NULL,
  settings           TEXT NOT NULL,
  pause_reason       TEXT,
  pause_detail       TEXT,
  needs_confirmation INTEGER NOT NULL DEFAULT 0,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  started_at         INTEGER,
  finished_at        INTEGER,
  kind               TEXT NOT NULL DEFAULT 'campaign' CHECK (kind IN ('campaign', 'api', 'chat')),
  restored_hold_at   INTEGER,
  brake_since        INTEGER
) STRICT;
INSERT INTO campaigns_new (id, name, state, body, media_id, template_id, seed, settings, pause_reason, pause_detail, needs_confirmation,
                           created_at, updated_at, started_at, finished_at, kind, restored_hold_at, brake_since)
  SELECT id, name, state, body, media_id, template_id, seed, settings, pause_reason, pause_detail, needs_confirmation,
         created_at, updated_at, started_at, finished_at, kind, restored_hold_at, brake_since FROM campaigns;
DROP TABLE campaigns;
ALTER TABLE campaigns_new RENAME TO campaigns;
CREATE INDEX campaigns_kind ON campaigns (kind, created_at);

-- One row per person who wrote (keyed by phone, as opt-outs are): what the inbox lists and sorts without walking
-- every message. Kept with each reply and answer; rebuilt below from the replies already stored.
CREATE TABLE conversations (
  phone        TEXT PRIMARY KEY,
  contact_id   INTEGER,
  number_id    TEXT NOT NULL,                 -- the number they last wrote to: answers go from it
  chat_id      TEXT NOT NULL,
  campaign_id  INTEGER,                       -- the campaign their latest reply answered
  last_at      INTEGER NOT NULL,              -- their latest message or the latest answer, whichever is later
  last_in_at   INTEGER NOT NULL,
  last_out_at  INTEGER,                       -- the latest answer from the app (by hand or automatic)
  preview      TEXT NOT NULL DEFAULT '',
  preview_type TEXT NOT NULL DEFAULT 'chat',   -- WhatsApp's type of that message (chat, image, audio…)
  preview_out  INTEGER NOT NULL DEFAULT 0,    -- the preview is our answer
  unread       INTEGER NOT NULL DEFAULT 0,    -- their messages since the user last opened the chat
  mine         INTEGER NOT NULL DEFAULT 0,    -- the user answered it by hand
  label        TEXT,
  note         TEXT
) STRICT;
CREATE INDEX conversations_last ON conversations (last_at);
CREATE INDEX conversations_number ON conversations (number_id, last_at);
CREATE INDEX incoming_phone ON incoming (phone, at);
CREATE INDEX incoming_unhandled ON incoming (handled, phone);

-- Incoming media, stored in the data folder like attachments; NULL while (or if never) downloaded.
ALTER TABLE incoming ADD COLUMN media_id TEXT;

-- Each answer sent from the app: the composer's own id for it (the same id again finds the first answer, never a
-- second message) and the auto-reply rule that sent it, if one did.
CREATE TABLE chat_answers (
  id          INTEGER PRIMARY KEY,
  client_id   TEXT NOT NULL UNIQUE,
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
  send_id     INTEGER NOT NULL,
  phone       TEXT NOT NULL,
  number_id   TEXT NOT NULL,
  auto_rule   TEXT,
  replied_to  INTEGER,                        -- the reply it answered (its time), for the time to answer
  created_at  INTEGER NOT NULL,
  notified    TEXT                            -- the last state told to the webhooks
) STRICT;
CREATE INDEX chat_answers_phone ON chat_answers (phone, created_at);
CREATE INDEX chat_answers_send ON chat_answers (send_id);
CREATE INDEX chat_answers_campaign ON chat_answers (campaign_id);
CREATE INDEX chat_answers_rule ON chat_answers (auto_rule, phone, created_at);

-- Saved answers (picked with "/" in a chat) live beside saved messages.
ALTER TABLE templates ADD COLUMN kind TEXT NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'answer'));

INSERT INTO conversations (phone, contact_id, number_id, chat_id, campaign_id, last_at, last_in_at, preview, preview_type, unread)
  SELECT i.phone, i.contact_id, i.number_id, i.chat_id, i.campaign_id, i.at, i.at, i.body, i.type,
         (SELECT COUNT(*) FROM incoming u WHERE u.phone = i.phone AND u.handled = 0)
  FROM incoming i
  WHERE i.phone IS NOT NULL AND i.id = (SELECT j.id FROM incoming j WHERE j.phone = i.phone ORDER BY j.at DESC, j.id DESC LIMIT 1);

-- Kept by the database itself, so every way a reply or an answer is written (live, a catch-up, a restore) keeps the
-- list right. In an upsert's SET every column named alone is the old row's value.
CREATE TRIGGER incoming_conversation AFTER INSERT ON incoming WHEN NEW.phone IS NOT NULL BEGIN
  INSERT INTO conversations (phone, contact_id, number_id, chat_id, campaign_id, last_at, last_in_at, preview, preview_type, preview_out, unread)
  VALUES (NEW.phone, NEW.contact_id, NEW.number_id, NEW.chat_id, NEW.campaign_id, NEW.at, NEW.at, NEW.body, NEW.type, 0, 1)
  ON CONFLICT (phone) DO UPDATE SET
    contact_id = COALESCE(excluded.contact_id, contact_id),
    number_id = CASE WHEN excluded.last_in_at >= last_in_at THEN excluded.number_id ELSE number_id END,
    chat_id = CASE WHEN excluded.last_in_at >= last_in_at THEN excluded.chat_id ELSE chat_id END,
    campaign_id = CASE WHEN excluded.last_in_at >= last_in_at THEN COALESCE(excluded.campaign_id, campaign_id) ELSE campaign_id END,
    preview = CASE WHEN excluded.last_at >= last_at THEN excluded.preview ELSE preview END,
    preview_type = CASE WHEN excluded.last_at >= last_at THEN excluded.preview_type ELSE preview_type END,
    preview_out = CASE WHEN excluded.last_at >= last_at THEN 0 ELSE preview_out END,
    last_at = MAX(last_at, excluded.last_at),
    last_in_at = MAX(last_in_at, excluded.last_in_at),
    unread = unread + 1;
END;

CREATE TRIGGER answer_conversation AFTER INSERT ON chat_answers BEGIN
  UPDATE conversations SET
    last_out_at = NEW.created_at,
    last_at = MAX(last_at, NEW.created_at),
    preview = (SELECT text FROM sends WHERE id = NEW.send_id),
    preview_type = CASE WHEN (SELECT media_id FROM sends WHERE id = NEW.send_id) IS NULL THEN 'chat' ELSE 'media' END,
    preview_out = 1,
    mine = mine OR NEW.auto_rule IS NULL
  WHERE phone = NEW.phone;
END;
`;
