import type { Statement } from 'better-sqlite3';
import type { Db } from '../db';
import { callbackOf, sendIdOf } from '../cloud/cloud-driver';
import { conversationMeta, type ConversationMeta } from '../conversations/rebuild';

type Row = Record<string, unknown>;

/**
 * What happened in the world since a backup, and that a restore must not undo: which numbers are linked, every
 * campaign with its outbox (what went out cannot be unsent, and the daily caps and the 24-hour rule count it),
 * opt-outs and replies. Read from the live database just before a restore, put back right after it.
 */
export type LiveHistory = {
  numbers: Row[];
  media: Row[];
  campaigns: Row[];
  campaignLists: Row[];
  campaignNumbers: Row[];
  sends: Row[];
  optOuts: Row[];
  /** Who tapped "Stop promotions" (#36): never marketing again, whatever the backup says. */
  marketingOptOuts: Row[];
  incoming: Row[];
  /** The automation API's idempotency keys: a restore must never let a key send again. */
  apiMessages: Row[];
  /** Answers from chats (#33), with the composer's ids: the same, for the same reason. */
  chatAnswers: Row[];
  /** Each conversation's label, note and unread count as the user left them (#33). */
  conversations: ConversationMeta[];
  /** Keys (a key revoked since the backup stays revoked), webhooks and their queue: the live ones are the truth. */
  apiKeys: Row[];
  webhooks: Row[];
  webhookDeliveries: Row[];
  webhookAttempts: Row[];
  /** Cloud API numbers' accounts, templates and what Meta said of each message: Meta's side, never the backup's. */
  cloud: Record<(typeof CLOUD_TABLES)[number], Row[]>;
};

const CLOUD_TABLES = ['cloud_numbers', 'wa_templates', 'cloud_statuses', 'cloud_incoming', 'cloud_media', 'cloud_users'] as const;

export function readLiveHistory(db: Db): LiveHistory {
  const all = (sql: string) => db.prepare(sql).all() as Row[];
  return {
    numbers: all('SELECT * FROM numbers'),
    media: all('SELECT * FROM media'),
    campaigns: all('SELECT * FROM campaigns'),
    campaignLists: all('SELECT * FROM campaign_lists'),
    campaignNumbers: all('SELECT * FROM campaign_numbers'),
    sends: all('SELECT * FROM sends'),
    optOuts: all('SELECT * FROM opt_outs'),
    marketingOptOuts: all('SELECT * FROM marketing_opt_outs'),
    incoming: all('SELECT * FROM incoming'),
    apiMessages: all('SELECT * FROM api_messages'),
    chatAnswers: all('SELECT * FROM chat_answers'),
    conversations: conversationMeta(db),
    apiKeys: all('SELECT * FROM api_keys'),
    webhooks: all('SELECT * FROM webhooks'),
    webhookDeliveries: all('SELECT * FROM webhook_deliveries'),
    webhookAttempts: all('SELECT * FROM webhook_attempts'),
    cloud: Object.fromEntries(CLOUD_TABLES.map((table) => [table, all(`SELECT * FROM ${table}`)])) as LiveHistory['cloud'],
  };
}

/**
 * Puts the live history back over a restored database, in one transaction. A campaign both know (same id, same
 * creation time) takes its live state and outbox; one made after the backup comes along whole (with a new id if
 * the backup used its id for another). Opt-outs and replies are added to the backup's. Rows restored as `sending`
 * are then reconciled by the engine as after a crash, before anything else is sent.
 */
export function reapplyLiveHistory(db: Db, live: LiveHistory): void {
  const insert = rowInserter(db);
  db.transaction(() => {
    for (const row of live.numbers) insert('numbers', row, 'OR REPLACE');
    for (const row of live.media) insert('media', row, 'OR IGNORE');
    const ids = new Map<number, number>();
    const restoredCreatedAt = db.prepare('SELECT created_at FROM campaigns WHERE id = ?').pluck();
    for (const campaign of live.campaigns) {
      const id = campaign.id as number;
      const restored = restoredCreatedAt.get(id) as number | undefined;
      if (restored === campaign.created_at) {
        for (const table of ['sends', 'campaign_lists', 'campaign_numbers']) db.prepare(`DELETE FROM ${table} WHERE campaign_id = ?`).run(id);
        insert('campaigns', campaign, 'OR REPLACE');
        ids.set(id, id);
      } else if (restored === undefined) {
        insert('campaigns', campaign);
        ids.set(id, id);
      } else {
        const { id: _taken, ...rest } = campaign;
        ids.set(id, Number(insert('campaigns', rest)));
      }
    }
    const withCampaign = (row: Row) => ({ ...row, campaign_id: ids.get(row.campaign_id as number) });
    for (const row of live.campaignLists) insert('campaign_lists', withCampaign(row), 'OR IGNORE');
    for (const row of live.campaignNumbers) insert('campaign_numbers', withCampaign(row), 'OR IGNORE');
    const sendIds = new Map<number, number>();
    for (const { id, ...row } of live.sends) sendIds.set(id as number, insert('sends', withCampaign(row)));
    for (const row of live.optOuts) insert('opt_outs', row, 'OR IGNORE');
    for (const row of live.marketingOptOuts) insert('marketing_opt_outs', row, 'OR IGNORE');
    // A reply both know takes its live row: handled, decided or answered since the backup, that stays.
    for (const { id: _id, ...row } of live.incoming) insert('incoming', row, 'OR REPLACE');
    // Every API message lives in a live campaign, so the live table is whole: it replaces the backup's, its sends renumbered.
    db.prepare('DELETE FROM api_messages').run();
    for (const row of live.apiMessages) insert('api_messages', { ...withCampaign(row), send_id: sendIds.get(row.send_id as number) ?? row.send_id });
    // Answers too: each lives in a live campaign of kind 'chat'.
    db.prepare('DELETE FROM chat_answers').run();
    for (const row of live.chatAnswers) insert('chat_answers', { ...withCampaign(row), send_id: sendIds.get(row.send_id as number) ?? row.send_id });
    for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhooks', 'api_keys']) db.prepare(`DELETE FROM ${table}`).run();
    for (const row of live.apiKeys) insert('api_keys', row);
    for (const row of live.webhooks) insert('webhooks', row);
    for (const row of live.webhookDeliveries) insert('webhook_deliveries', row);
    for (const row of live.webhookAttempts) insert('webhook_attempts', row);
    for (const table of CLOUD_TABLES) db.prepare(`DELETE FROM ${table}`).run();
    for (const table of CLOUD_TABLES) {
      for (const row of live.cloud[table]) {
        // Each Cloud message carries its send's id ("whatzme:<id>"), and the sends were renumbered.
        const callback = typeof row.callback === 'string' ? sendIdOf(row.callback) : null;
        insert(table, callback !== null ? { ...row, callback: callbackOf(sendIds.get(callback) ?? callback) } : row);
      }
    }
    // Replies and opt-outs were renumbered: the webhooks' place in them starts again at their end (nothing told twice).
    db.prepare('DELETE FROM webhook_cursors').run();
  })();
}

/**
 * Inserts rows by their own column names, each statement prepared once (an outbox holds up to hundreds of
 * thousands of rows); returns the rowid.
 */
function rowInserter(db: Db): (table: string, row: Row, conflict?: string) => number {
  const statements = new Map<string, Statement>();
  return (table, row, conflict = '') => {
    const columns = Object.keys(row);
    const sql = `INSERT ${conflict} INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`;
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return Number(statement.run(row).lastInsertRowid);
  };
}
