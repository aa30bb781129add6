import type Database from 'better-sqlite3';
import { CampaignSettingsSchema } from '../../shared/campaigns';
import { SettingsSchema, type Settings } from '../../shared/types';
import { quoted } from './backup-schema';

type Row = Record<string, unknown>;

/**
 * Values the app turns into file paths or reads as its own JSON: a backup's must have the shapes the app writes,
 * or the file is refused (a media id of `../../x` would make the app read and send any file of the computer; a
 * number id names its session folder, which unlinking deletes).
 */
const ROW_RULES: { table: string; bad: string; what: string }[] = [
  { table: 'media', bad: "NOT (length(id) = 64 AND id NOT GLOB '*[^0-9a-f]*' AND length(ext) BETWEEN 1 AND 10 AND ext NOT GLOB '*[^a-z0-9]*')", what: 'attachment' },
  { table: 'numbers', bad: "NOT (length(id) BETWEEN 8 AND 34 AND id GLOB 'n_*' AND substr(id, 3) NOT GLOB '*[^a-z0-9]*')", what: 'number' },
];

/** The first row of a backup the app would not have written, in words for the log; null when every row fits. */
export function badRow(db: Database.Database, schemaName: string, tables: Set<string>): string | null {
  for (const rule of ROW_RULES) {
    if (!tables.has(rule.table)) continue;
    const bad = db.prepare(`SELECT rowid FROM ${schemaName}.${quoted(rule.table)} WHERE ${rule.bad} LIMIT 1`).pluck().get();
    if (bad !== undefined) return `an ${rule.what} row of another shape (${rule.table} rowid ${String(bad)})`;
  }
  if (tables.has('campaigns')) {
    for (const row of db.prepare(`SELECT id, settings FROM ${schemaName}.campaigns`).iterate() as IterableIterator<{ id: number; settings: string }>) {
      if (!CampaignSettingsSchema.safeParse(parseJson(row.settings)).success) return `campaign ${row.id}'s settings`;
    }
  }
  return null;
}

/**
 * Settings that come back from a backup: each value checked as `settings.update` checks it. The browser to run and
 * the API's network address never come from a file: they are chosen by the user on this computer.
 */
export const LOCAL_SETTINGS: readonly (keyof Settings)[] = ['browserPath', 'apiNetwork'];

export function restorableSettings(rows: { key: string; value: string }[]): { key: string; value: string }[] {
  const shape = SettingsSchema.shape as Record<string, (typeof SettingsSchema.shape)[keyof Settings]>;
  return rows.filter((row) => {
    if ((LOCAL_SETTINGS as readonly string[]).includes(row.key) || !Object.hasOwn(shape, row.key)) return false;
    return shape[row.key]!.safeParse(parseJson(row.value)).success;
  });
}

/** API keys and webhooks a backup holds, for the user to pick which come back (none do unless picked). */
export type BackupAccess = { apiKeys: { id: number; name: string; scope: string; revoked: boolean }[]; webhooks: { id: number; url: string; active: boolean }[] };

export function accessIn(db: Database.Database, schemaName: string, tables: Set<string>): BackupAccess {
  const all = (sql: string) => db.prepare(sql).all() as Row[];
  return {
    apiKeys: tables.has('api_keys')
      ? all(`SELECT id, name, scope, revoked_at FROM ${schemaName}.api_keys ORDER BY id`).map((r) => ({ id: Number(r.id), name: String(r.name), scope: String(r.scope), revoked: r.revoked_at !== null }))
      : [],
    webhooks: tables.has('webhooks') ? all(`SELECT id, url, active FROM ${schemaName}.webhooks ORDER BY id`).map((r) => ({ id: Number(r.id), url: String(r.url), active: r.active === 1 })) : [],
  };
}

/** When the backup last saw its data change (its campaigns and sends), as near as a file can tell. */
export function lastChangeIn(db: Database.Database, schemaName: string, tables: Set<string>): number | null {
  const candidates = [
    ['campaigns', 'updated_at'],
    ['sends', 'updated_at'],
    ['incoming', 'at'],
  ].filter(([table]) => tables.has(table!));
  let last: number | null = null;
  for (const [table, column] of candidates) {
    const value = db.prepare(`SELECT MAX(${quoted(column!)}) FROM ${schemaName}.${quoted(table!)}`).pluck().get();
    if (typeof value === 'number' && (last === null || value > last)) last = value;
  }
  return last;
}

function parseJson(text: unknown): unknown {
  try {
    return typeof text === 'string' ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
