import fs from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import { migrations, schemaVersion } from '../db';
import type { CommandOutput } from '../../shared/contract';
import { accessIn, badRow, lastChangeIn } from './backup-rows';
import { missingFrom, schemaAt, tablesOf } from './backup-schema';
import { readLiveHistory } from './live-history';
import { buildAside, type RestoreChoices, type RestoredWebhook } from './restore-aside';
import type { HeldCampaign } from './restored-campaigns';
import { swapIn } from './swap-in';

/** Tables every WhatzMe database has: how a restore tells our file from any other SQLite file. */
const SIGNATURE = ['settings', 'numbers', 'contacts', 'lists'];

/** A consistent copy of the live database, taken while the app runs (SQLite's online backup API). */
export async function backupTo(db: Db, file: string): Promise<void> {
  await db.backup(file);
}

/** What a backup holds, told before the user agrees to replace everything with it (the contract's shape). */
export type BackupContents = CommandOutput<'backup.inspect'>;

/**
 * Refuses, before anything is touched, a file that is not a WhatzMe database, comes from a newer version, lacks a
 * table or column its version has, or holds a row the app would not have written. The file is only read: nothing
 * in it runs (no view or trigger is used, and the app's functions are not offered to its schema).
 */
export function checkBackup(file: string): BackupContents {
  let source: Database.Database;
  try {
    source = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new AppError('backup_invalid', 'not a SQLite database');
  }
  try {
    source.pragma('trusted_schema = OFF');
    const held = tablesOf(source, 'main');
    if (!SIGNATURE.every((t) => held.has(t))) throw new AppError('backup_invalid', 'not a WhatzMe database');
    const version = schemaVersion(source);
    const latest = Math.max(...migrations.map((m) => m.version));
    if (version > latest) throw new AppError('backup_too_new', `backup schema ${version} is newer than ${latest}`);
    if (version < 1) throw new AppError('backup_invalid', 'no schema version');
    if ((source.pragma('quick_check', { simple: true }) as string) !== 'ok') throw new AppError('backup_invalid', 'the file is damaged');
    const missing = missingFrom(held, schemaAt(version));
    if (missing.length > 0) throw new AppError('backup_invalid', `the backup lacks ${missing.slice(0, 5).join(', ')}`);
    const tables = new Set(held.keys());
    const bad = badRow(source, 'main', tables);
    if (bad) throw new AppError('backup_invalid', `the backup holds ${bad}`);
    const count = (sql: string) => source.prepare(sql).pluck().get() as number;
    return {
      schemaVersion: version,
      contacts: count('SELECT COUNT(*) FROM contacts'),
      lists: count('SELECT COUNT(*) FROM lists'),
      campaigns: tables.has('campaigns') ? count(`SELECT COUNT(*) FROM campaigns${version >= 12 ? " WHERE kind = 'campaign'" : ''}`) : 0,
      lastCampaignAt: tables.has('campaigns') ? (source.prepare('SELECT MAX(created_at) FROM campaigns').pluck().get() as number | null) : null,
      unfinishedCampaigns: tables.has('campaigns') ? count(`SELECT COUNT(*) FROM campaigns WHERE state IN ('running', 'paused', 'scheduled')${version >= 12 ? " AND kind = 'campaign'" : ''}`) : 0,
      takenAt: lastChangeIn(source, 'main', tables),
      ...accessIn(source, 'main', tables),
    };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('backup_invalid', 'not a readable database');
  } finally {
    source.close();
  }
}

export type RestoreResult = { schemaVersion: number; held: HeldCampaign[]; takenAt: number | null; webhooks: RestoredWebhook[] };

/**
 * Replaces the live data with a backup `checkBackup` passed (its answer is `checked`), read as data only. The restored database is built aside
 * (`<db>.restore`) with the app's own schema, the live history (numbers, campaigns and what they sent, opt-outs,
 * replies: never sent twice) and the checks of `buildAside`; only when it is whole does it replace the live rows, in
 * one transaction: a restore that fails at any step leaves the app exactly as it was.
 */
export function restoreFrom(db: Db, dbFile: string, file: string, checked: BackupContents, choices: RestoreChoices): RestoreResult {
  const asideFile = `${dbFile}.restore`;
  const { held, webhooks } = buildAside({
    backupFile: file,
    asideFile,
    version: checked.schemaVersion,
    live: readLiveHistory(db),
    liveSettings: db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[],
    choices,
    takenAt: checked.takenAt,
  });
  try {
    swapIn(db, asideFile);
  } finally {
    fs.rmSync(asideFile, { force: true });
  }
  return { schemaVersion: schemaVersion(db), held, takenAt: checked.takenAt, webhooks };
}
