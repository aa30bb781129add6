import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../../db';
import { removeStaging } from './staging-files';
import { ROW_VALUES, type ImportCounts, type ReadBatch } from './import-batch';

export { removeStaging, removeStagingSoon, stagingDir, stagingFile, stagingRunId, warmStagingFile } from './staging-files';

/** Rows per INSERT statement while staging. */
const PER_STATEMENT = 100;

/** Writes one run's staging file: no journal and no syncs while rows go in (a crash while reading drops it whole). */
export class StagingWriter {
  private readonly db: Database.Database;
  private readonly write: (batch: ReadBatch) => void;

  constructor(private readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.rmSync(file, { force: true });
    this.db = new Database(file);
    // better-sqlite3 opens connections in SQLite's defensive mode, which quietly keeps the journal (it stayed
    // 'delete': every staged batch was journaled, and a stray -journal file sat beside the file): off, it needs
    // unsafe mode for this one statement.
    this.db.unsafeMode(true);
    this.db.pragma('journal_mode = OFF');
    this.db.unsafeMode(false);
    this.db.pragma('synchronous = OFF');
    this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.exec(`
      CREATE TABLE rows (id INTEGER PRIMARY KEY, row_number INTEGER NOT NULL, phone TEXT NOT NULL, name TEXT, name_key TEXT NOT NULL, fields TEXT NOT NULL);
      CREATE TABLE bad (row_number INTEGER PRIMARY KEY, reason TEXT NOT NULL, duplicate_of INTEGER, cells TEXT NOT NULL);
      CREATE TABLE complete (counts TEXT NOT NULL);`);
    // Rows go in 100 per statement: one call into SQLite per hundred rows instead of per row, a third of the time.
    const many = (sql: string, width: number) => this.db.prepare(`${sql} VALUES ${Array.from({ length: PER_STATEMENT }, () => `(${'?, '.repeat(width - 1)}?)`).join(', ')}`);
    const insertRow = this.db.prepare('INSERT INTO rows (row_number, phone, name, name_key, fields) VALUES (?, ?, ?, ?, ?)');
    const insertRows = many('INSERT INTO rows (row_number, phone, name, name_key, fields)', ROW_VALUES);
    const insertBad = this.db.prepare('INSERT OR REPLACE INTO bad (row_number, reason, duplicate_of, cells) VALUES (?, ?, ?, ?)');
    const insertBads = many('INSERT OR REPLACE INTO bad (row_number, reason, duplicate_of, cells)', 4);
    const put = (values: ReadBatch['rows'], width: number, one: Database.Statement, hundred: Database.Statement) => {
      const chunk = PER_STATEMENT * width;
      let i = 0;
      for (; i + chunk <= values.length; i += chunk) hundred.run(values.slice(i, i + chunk));
      for (; i < values.length; i += width) one.run(values.slice(i, i + width));
    };
    this.write = this.db.transaction((batch: ReadBatch) => {
      put(batch.rows, ROW_VALUES, insertRow, insertRows);
      put(batch.bad, 4, insertBad, insertBads);
    });
  }

  add(batch: ReadBatch): void {
    this.write(batch);
  }

  /**
   * Marks the file whole and syncs it to disk: from here on a crash resumes the import instead of dropping it. A
   * large file's rows are first rewritten in phone order (the merge then reads them front to back: reading them
   * through a phone index instead costs a random read per row, half again the merge's time at a million rows). On
   * a spare thread of SQLite's sorter, with a small cache: its in-memory runs sort faster than large ones.
   */
  finish(counts: ImportCounts, sortByPhone: boolean, moveTo: string | null = null): void {
    if (sortByPhone) {
      this.db.pragma('cache_size = -2000');
      this.db.pragma('threads = 1');
      this.db.exec(`
        CREATE TABLE sorted (id INTEGER PRIMARY KEY, row_number INTEGER NOT NULL, phone TEXT NOT NULL, name TEXT, name_key TEXT NOT NULL, fields TEXT NOT NULL);
        INSERT INTO sorted (row_number, phone, name, name_key, fields) SELECT row_number, phone, name, name_key, fields FROM rows ORDER BY phone;
        DROP TABLE rows;
        ALTER TABLE sorted RENAME TO rows;`);
    }
    this.db.prepare('INSERT INTO complete (counts) VALUES (?)').run(JSON.stringify(counts));
    this.db.close();
    syncFile(this.file);
    if (moveTo !== null) fs.renameSync(this.file, moveTo);
    // The file's name in its folder is synced too: a new file, or one renamed, is otherwise not yet durable.
    syncFolder(path.dirname(moveTo ?? this.file));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Closes and removes the file: a warm-up's staging that its import did not take. */
  discard(): void {
    this.close();
    removeStaging(this.file);
  }
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Syncs a folder's entries where the OS allows it (Windows does not open folders: its renames are journaled). */
function syncFolder(dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fs.fsyncSync(fd);
  } catch {
    // not supported for folders here
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether a staging file was finished (its rows all there), and its counts if so. */
export function completeCounts(file: string): ImportCounts | null {
  if (!fs.existsSync(file)) return null;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT counts FROM complete').pluck().get() as string | undefined;
      return row === undefined ? null : (JSON.parse(row) as ImportCounts);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** The staging file as schema `staging` of the app's connection, for the merge to read. */
export function attachStaging(db: Db, file: string): void {
  db.prepare("ATTACH DATABASE ? AS staging").run(file);
}

export function detachStaging(db: Db): void {
  const attached = db.prepare('SELECT 1 FROM pragma_database_list WHERE name = ?').get('staging');
  if (attached) db.exec('DETACH DATABASE staging');
}
