import type Database from 'better-sqlite3';
import { AppError } from '../core/app-error';
import type { Migration } from './migrations';

/**
 * Brings the schema to the latest version. All pending migrations run in one transaction, so a failure leaves
 * the file exactly as it was; `PRAGMA user_version` records which ran.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): { from: number; to: number } {
  const from = schemaVersion(db);
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (from > latest) {
    throw new AppError('db_too_new', `database schema ${from} is newer than this app (${latest})`);
  }
  const pending = [...migrations].filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return { from, to: from };
  // A migration that rebuilds a table others refer to (SQLite's way to change a CHECK) runs with foreign keys off,
  // as SQLite's own procedure says: else dropping the old table would cascade into its children. The pragma is a
  // no-op inside a transaction, so it is set around it.
  const keysOff = pending.some((m) => m.rebuildsTables) && (db.pragma('foreign_keys', { simple: true }) as number) === 1;
  if (keysOff) db.pragma('foreign_keys = OFF');
  const apply = db.transaction(() => {
    for (const migration of pending) {
      try {
        db.exec(migration.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new AppError('migration_failed', `migration ${migration.version} (${migration.name}) failed: ${reason}`);
      }
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  try {
    apply();
  } finally {
    if (keysOff) db.pragma('foreign_keys = ON');
  }
  return { from, to: schemaVersion(db) };
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}
