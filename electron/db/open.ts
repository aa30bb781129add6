import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrate';
import { searchKey } from '../../shared/search-key';
import { migrations as allMigrations, type Migration } from './migrations';

export type Db = Database.Database;

/** Opens (or creates) the app database: WAL, foreign keys, a busy timeout, schema migrated. */
export function openDatabase(file: string, migrations: readonly Migration[] = allMigrations): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Checkpoint every 32 MB of WAL rather than 4 MB: a tenth of the fsyncs during large imports, still bounded.
    db.pragma('wal_autocheckpoint = 8192');
    // After each checkpoint the WAL file is cut back to 8 MB at most (SQLite otherwise keeps its largest size).
    db.pragma('journal_size_limit = 8388608');
    registerFunctions(db);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The app's own SQL functions, which its migrations call: migration 0007 folds names as the app's search does. */
export function registerFunctions(db: Db): void {
  db.function('whatzme_search_key', { deterministic: true }, (text: unknown) => searchKey(typeof text === 'string' ? text : null));
}
