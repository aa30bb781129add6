import Database from 'better-sqlite3';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import { migrate, migrations, schemaVersion } from '../db';
import { readLiveHistory, reapplyLiveHistory } from './live-history';

/** Tables every WhatzMe database has: how a restore tells our file from any other SQLite file. */
const SIGNATURE = ['settings', 'numbers', 'contacts', 'lists'];

/** A consistent copy of the live database, taken while the app runs (SQLite's online backup API). */
export async function backupTo(db: Db, file: string): Promise<void> {
  await db.backup(file);
}

/** What a backup holds, told before the user agrees to replace everything with it. */
export type BackupContents = { schemaVersion: number; contacts: number; lists: number; campaigns: number; lastCampaignAt: number | null };

/** Refuses a file that is not a WhatzMe database, or comes from a newer version, before anything is touched. */
export function checkBackup(file: string): BackupContents {
  let source: Database.Database;
  try {
    source = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new AppError('backup_invalid', 'not a SQLite database');
  }
  try {
    const tables = new Set(source.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    if (!SIGNATURE.every((t) => tables.has(t))) throw new AppError('backup_invalid', 'not a WhatzMe database');
    const version = schemaVersion(source);
    const latest = Math.max(...migrations.map((m) => m.version));
    if (version > latest) throw new AppError('backup_too_new', `backup schema ${version} is newer than ${latest}`);
    if ((source.pragma('quick_check', { simple: true }) as string) !== 'ok') throw new AppError('backup_invalid', 'the file is damaged');
    const count = (table: string) => source.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
    const last = source.prepare('SELECT MAX(created_at) FROM campaigns').pluck().get() as number | null;
    return { schemaVersion: version, contacts: count('contacts'), lists: count('lists'), campaigns: count('campaigns'), lastCampaignAt: last };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('backup_invalid', 'not a readable database');
  } finally {
    source.close();
  }
}

/**
 * Replaces the live database with a checked backup: the backup API copies it page by page into the open file
 * (other connections see the new content), then migrations bring an older backup up to date, and the live
 * history (numbers, campaigns and what they sent, opt-outs, replies) is put back over it: never sent twice.
 */
export async function restoreFrom(db: Db, dbFile: string, file: string): Promise<void> {
  checkBackup(file);
  const live = readLiveHistory(db);
  const source = new Database(file, { readonly: true });
  try {
    await source.backup(dbFile);
  } finally {
    source.close();
  }
  migrate(db, migrations);
  reapplyLiveHistory(db, live);
}
