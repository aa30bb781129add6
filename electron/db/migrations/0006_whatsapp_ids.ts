/** The id part of a serialized key `fromMe_<chat>_<id>[_…]` (chat ids hold no `_`), for the rows below. */
const keyId = (column: string) => `
  CASE WHEN instr(substr(substr(${column}, instr(${column}, '_') + 1), instr(substr(${column}, instr(${column}, '_') + 1), '_') + 1), '_') > 0
    THEN substr(substr(substr(${column}, instr(${column}, '_') + 1), instr(substr(${column}, instr(${column}, '_') + 1), '_') + 1), 1,
         instr(substr(substr(${column}, instr(${column}, '_') + 1), instr(substr(${column}, instr(${column}, '_') + 1), '_') + 1), '_') - 1)
    ELSE substr(substr(${column}, instr(${column}, '_') + 1), instr(substr(${column}, instr(${column}, '_') + 1), '_') + 1)
  END`;
const serialized = (column: string) => `(${column} LIKE 'true\\_%@%\\_%' ESCAPE '\\' OR ${column} LIKE 'false\\_%@%\\_%' ESCAPE '\\')`;

export default /* sql */ `
-- What WhatsApp told us about who is behind a chat id: a LID (\`…@lid\`, WhatsApp's newer ids) and the phone it
-- belongs to, so a reply or an opt-out from a LID chat reaches the contact.
CREATE TABLE wa_chats (
  chat_id   TEXT PRIMARY KEY,
  phone     TEXT NOT NULL,
  number_id TEXT,
  seen_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX wa_chats_phone ON wa_chats (phone);

-- Message ids become the key's own id (\`3EB0…\`): the same whichever chat id (phone or LID) names the message,
-- and readable on WhatsApp Web builds that renamed \`_serialized\` (July 2026).
UPDATE sends SET message_id = ${keyId('message_id')} WHERE ${serialized('message_id')};
UPDATE test_sends SET message_id = ${keyId('message_id')} WHERE ${serialized('message_id')};
UPDATE OR IGNORE incoming SET message_id = ${keyId('message_id')} WHERE ${serialized('message_id')};
`;
