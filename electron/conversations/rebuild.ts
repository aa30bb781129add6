import type Database from 'better-sqlite3';

/** What a person's conversation holds besides its messages: the user's label and note, "mine", unread. */
export type ConversationMeta = { phone: string; label: string | null; note: string | null; mine: number; unread: number };

/** The conversations' own state as a database holds it (none before the table existed). */
export function conversationMeta(db: Database.Database, schema = 'main'): ConversationMeta[] {
  const exists = db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE type = 'table' AND name = 'conversations'`).get();
  return exists ? (db.prepare(`SELECT phone, label, note, mine, unread FROM ${schema}.conversations`).all() as ConversationMeta[]) : [];
}

/**
 * Builds the `conversations` table again from the replies and answers themselves, then puts back each person's
 * label, note, "mine" and unread count from `kept`, later lists winning (a restore: the backup's, then the live
 * ones). A restore needs it: the backup's rows and the live history are copied in an order the triggers that keep
 * the table cannot follow (a reply would be counted twice).
 */
export function rebuildConversations(db: Database.Database, kept: ConversationMeta[]): void {
  db.transaction(() => {
    db.prepare('DELETE FROM conversations').run();
    db.prepare(
      `INSERT INTO conversations (phone, contact_id, number_id, chat_id, campaign_id, last_at, last_in_at, preview, preview_type, unread)
       SELECT i.phone, i.contact_id, i.number_id, i.chat_id, i.campaign_id, i.at, i.at, i.body, i.type, 0
       FROM incoming i
       WHERE i.phone IS NOT NULL AND i.id = (SELECT j.id FROM incoming j WHERE j.phone = i.phone ORDER BY j.at DESC, j.id DESC LIMIT 1)`,
    ).run();
    // The latest answer, when it is later than their latest message, is what the list shows.
    db.prepare(
      `UPDATE conversations SET
         last_out_at = (SELECT MAX(a.created_at) FROM chat_answers a WHERE a.phone = conversations.phone),
         mine = EXISTS (SELECT 1 FROM chat_answers a WHERE a.phone = conversations.phone AND a.auto_rule IS NULL)
       WHERE EXISTS (SELECT 1 FROM chat_answers a WHERE a.phone = conversations.phone)`,
    ).run();
    db.prepare(
      `UPDATE conversations SET
         last_at = last_out_at,
         preview = (SELECT s.text FROM chat_answers a JOIN sends s ON s.id = a.send_id WHERE a.phone = conversations.phone ORDER BY a.created_at DESC LIMIT 1),
         preview_type = 'chat',
         preview_out = 1
       WHERE last_out_at > last_in_at`,
    ).run();
    const restore = db.prepare('UPDATE conversations SET label = ?, note = ?, mine = mine OR ?, unread = ? WHERE phone = ?');
    for (const k of kept) restore.run(k.label, k.note, k.mine, k.unread, k.phone);
  })();
}
