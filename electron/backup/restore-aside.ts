import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../core/app-error';
import { checkWebhookUrl } from '../api';
import { migrate, migrations, registerFunctions } from '../db';
import { LOCAL_SETTINGS, restorableSettings } from './backup-rows';
import { quoted, schemaAt } from './backup-schema';
import { holdRestoredCampaigns, type HeldCampaign } from './restored-campaigns';
import { reapplyLiveHistory, type LiveHistory } from './live-history';
import { conversationMeta, rebuildConversations, type ConversationMeta } from '../conversations/rebuild';

/**
 * Tables a restore never takes from a backup. Settings come back one by one, checked; API keys and webhooks only as
 * the user picks them; request answers and imports under way belong to this computer's callers and files.
 */
const NOT_COPIED = new Set(['settings', 'api_keys', 'webhooks', 'webhook_deliveries', 'webhook_attempts', 'webhook_cursors', 'command_results', 'import_runs']);

/** Which of the backup's API keys and webhooks the user confirmed (by their ids in the backup). */
export type RestoreChoices = { apiKeyIds: number[]; webhookIds: number[] };

type Row = Record<string, unknown>;

/**
 * Builds the restored database in a file of its own, beside the live one, which stays untouched: the app's schema
 * from its own migrations at the backup's version, the backup's rows copied into it table by table by the app's
 * column names (its constraints and types judge every value; no trigger, view, index or unknown table of the backup
 * comes along), then the remaining migrations, the live history, the checked settings and the confirmed keys and
 * webhooks. Returns the campaigns held for the user's confirmation.
 */
export function buildAside(opts: {
  backupFile: string;
  asideFile: string;
  version: number;
  live: LiveHistory;
  liveSettings: { key: string; value: string }[];
  choices: RestoreChoices;
  takenAt: number | null;
}): { held: HeldCampaign[]; webhooks: RestoredWebhook[] } {
  fs.rmSync(opts.asideFile, { force: true });
  const aside = new Database(opts.asideFile);
  try {
    registerFunctions(aside);
    aside.pragma('foreign_keys = OFF');
    aside.pragma('trusted_schema = OFF');
    migrate(aside, migrations.filter((m) => m.version <= opts.version));
    aside.prepare('ATTACH DATABASE ? AS src').run(opts.backupFile);
    let backupSettings: { key: string; value: string }[];
    let backupConversations: ConversationMeta[] = [];
    let keys: Row[];
    let hooks: Row[];
    let restoredHooks: RestoredWebhook[] = [];
    try {
      aside.transaction(() => {
        for (const [table, columns] of schemaAt(opts.version)) {
          if (NOT_COPIED.has(table)) continue;
          const list = columns.map(quoted).join(', ');
          aside.exec(`INSERT INTO main.${quoted(table)} (${list}) SELECT ${list} FROM src.${quoted(table)}`);
        }
      })();
      backupSettings = aside.prepare('SELECT key, value FROM src.settings').all() as { key: string; value: string }[];
      backupConversations = conversationMeta(aside, 'src');
      const has = schemaAt(opts.version);
      keys = has.has('api_keys') ? pick(aside, 'api_keys', opts.choices.apiKeyIds) : [];
      hooks = has.has('webhooks') ? pick(aside, 'webhooks', opts.choices.webhookIds) : [];
    } finally {
      aside.prepare('DETACH DATABASE src').run();
    }
    migrate(aside, migrations);
    const backupOnly = campaignsOnlyInBackup(aside, opts.live);
    reapplyLiveHistory(aside, opts.live);
    rebuildConversations(aside, [...backupConversations, ...opts.live.conversations]);
    aside.transaction(() => {
      const insert = aside.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)');
      for (const row of restorableSettings(backupSettings)) insert.run(row.key, row.value);
      for (const row of opts.liveSettings) if ((LOCAL_SETTINGS as readonly string[]).includes(row.key)) insert.run(row.key, row.value);
      restoredHooks = addConfirmed(aside, keys, hooks);
    })();
    const held = holdRestoredCampaigns(aside, backupOnly, opts.takenAt);
    const broken = aside.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new AppError('backup_invalid', `the backup's rows do not hold together (${broken.length} broken references)`);
    return { held, webhooks: restoredHooks };
  } catch (error) {
    aside.close();
    fs.rmSync(opts.asideFile, { force: true });
    if (error instanceof AppError) throw error;
    // A value the app's schema refuses (a type, a constraint): the file is not what the app wrote.
    throw new AppError('backup_invalid', `the backup's data does not fit the app: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (aside.open) aside.close();
  }
}

/** Campaigns of the restored file that the live database does not have (same id, same creation time). */
function campaignsOnlyInBackup(aside: Database.Database, live: LiveHistory): number[] {
  const known = new Set(live.campaigns.map((c) => `${String(c.id)}:${String(c.created_at)}`));
  const rows = aside.prepare('SELECT id, created_at FROM campaigns').all() as { id: number; created_at: number }[];
  return rows.filter((r) => !known.has(`${r.id}:${r.created_at}`)).map((r) => r.id);
}

function webhookUrlAllowed(url: string, lan: boolean): boolean {
  try {
    checkWebhookUrl(url, lan);
    return true;
  } catch {
    return false;
  }
}

function pick(db: Database.Database, table: 'api_keys' | 'webhooks', ids: number[]): Row[] {
  if (ids.length === 0) return [];
  const statement = db.prepare(`SELECT * FROM src.${table} WHERE id = ?`);
  return ids.flatMap((id): Row[] => { const row = statement.get(id) as Row | undefined; return row ? [row] : []; });
}

/**
 * A webhook brought back, and its signing secret: the one an older backup held in its row, or a new one (a backup
 * never carries secrets now), which the user is shown once to give their system.
 */
export type RestoredWebhook = { id: number; url: string; secret: string; fresh: boolean };

/** Keys and webhooks the user confirmed, each under a new id beside the live ones (a key already here is skipped). */
function addConfirmed(db: Database.Database, keys: Row[], hooks: Row[]): RestoredWebhook[] {
  const key = db.prepare('INSERT OR IGNORE INTO api_keys (name, scope, prefix, hash, created_at, last_used_at, revoked_at) VALUES (@name, @scope, @prefix, @hash, @created_at, @last_used_at, @revoked_at)');
  for (const row of keys) key.run(row);
  const hook = db.prepare("INSERT INTO webhooks (url, secret, events, active, allow_lan, created_at) VALUES (@url, '', @events, @active, @allow_lan, @created_at)");
  const restored: RestoredWebhook[] = [];
  for (const row of hooks) {
    const lan = row.allow_lan === 1;
    // The same address rule as a webhook made here: one the app would refuse today does not come back.
    if (!webhookUrlAllowed(String(row.url), lan)) continue;
    const id = Number(hook.run({ ...row, allow_lan: lan ? 1 : 0 }).lastInsertRowid);
    const old = typeof row.secret === 'string' ? row.secret : '';
    restored.push({ id, url: String(row.url), secret: old || `whsec_${crypto.randomBytes(24).toString('base64url')}`, fresh: old === '' });
  }
  return restored;
}
