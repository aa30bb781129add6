import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from './app-error';

export type LockHolder = { pid: number; mode: string; since: number };
export type DataLock = { release(): void };

const LOCK_FILE = 'whatzme.lock';
const OWNER_FILE = 'whatzme.lock.json';

/**
 * One owner per data folder, for Electron and web mode alike. The lock itself is SQLite's: an exclusive lock on a
 * small file of its own, held for the life of the process, which the OS drops when the process dies (so a crash
 * never leaves it stale, on Windows as on Unix). Beside it, the owner's PID and mode, so a second instance can say
 * who holds the folder.
 */
export function lockDataDir(dataDir: string, owner: { mode: string; now: number; dbFile?: string }): DataLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, LOCK_FILE), { timeout: 0 });
  let mine: boolean;
  try {
    // The lock file can be deleted under a running owner (the next instance would then lock a new file): the
    // database itself tells. Any process that has it open in WAL mode holds a shared lock on it, so an exclusive
    // lock that cannot be had means someone is using the folder's data, whatever became of the lock file.
    mine = takeExclusive(db) && !(owner.dbFile && databaseInUse(owner.dbFile));
  } catch (error) {
    db.close();
    throw error;
  }
  if (!mine) {
    db.close();
    const holder = readHolder(dataDir);
    throw new AppError('data_dir_in_use', holder ? `the data folder is in use by process ${holder.pid} (${holder.mode})` : 'the data folder is in use by another instance');
  }
  const ownerFile = path.join(dataDir, OWNER_FILE);
  const holder: LockHolder = { pid: process.pid, mode: owner.mode, since: owner.now };
  fs.writeFileSync(ownerFile, JSON.stringify(holder), { mode: 0o600 });
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      fs.rmSync(ownerFile, { force: true });
      db.close();
    },
  };
}

/** Who holds a data folder, as its lock's owner file says; undefined when nobody wrote one. */
export function readHolder(dataDir: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, OWNER_FILE), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/** SQLite's exclusive lock on this connection's file, held while it stays open; false when another connection has it. */
function takeExclusive(db: Database.Database): boolean {
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return false;
    throw error;
  }
}

/** Whether another connection (of any process) has the database open: its exclusive lock cannot be had for a moment. */
function databaseInUse(dbFile: string): boolean {
  // No file, or an empty one (refused later with its own words): nobody has a database open there.
  if (!fs.existsSync(dbFile) || fs.statSync(dbFile).size === 0) return false;
  const probe = new Database(dbFile, { timeout: 0 });
  try {
    return !takeExclusive(probe); // closing the probe ends its (empty) transaction and lets the lock go
  } finally {
    probe.close();
  }
}
