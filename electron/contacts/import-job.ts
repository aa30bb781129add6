import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../core/app-error';
import { startWorker } from '../core/worker';
import type { Db } from '../db';
import { ROW_VALUES, type ImportCounts, type ReadBatch, type ReaderMessage, type ReadRequest } from './import-reader';
import type { PhoneRejectReason } from './phone';

/** What the reader needs, the name the user knows the file by, and the list the contacts join. */
export type ImportRequest = ReadRequest & { fileName: string; list: { id: number } | { name: string } };

export type { ImportCounts };
export type ImportOutcome = ImportCounts & { importId: number; listId: number; imported: number; updated: number };
export type RejectReason = PhoneRejectReason | 'duplicate';

const MERGE_BATCH = 5000;
/** Files with more valid rows than this are merged in phone order (see `merge`). */
const SORTED_FROM = 100_000;

/**
 * One import: rows are read and normalised in a worker thread and staged into TEMP tables (invisible to everything
 * else, so a cancel writes nothing), then merged into contacts in short transactions. Between batches the event
 * loop runs.
 */
export class ImportRun {
  private cancelled = false;
  private merging = false;
  readonly counts: ImportCounts = { rowsRead: 0, valid: 0, duplicates: 0, rejected: 0 };
  private fraction = 0;

  constructor(
    private readonly db: Db,
    readonly job: number,
    private readonly request: ImportRequest,
    private readonly now: () => number,
    private readonly sortedFrom = SORTED_FROM,
  ) {}

  progress() {
    return { ...this.counts, fraction: this.fraction, phase: this.merging ? ('saving' as const) : ('reading' as const) };
  }

  private stopReader: (() => void) | null = null;

  /** Asks the run to stop; true when it still could (not once merging has begun). */
  cancel(): boolean {
    if (this.merging) return false;
    this.cancelled = true;
    this.stopReader?.();
    return true;
  }

  async run(onProgress: () => void): Promise<ImportOutcome | 'cancelled'> {
    createStaging(this.db);
    try {
      if (this.cancelled || !(await this.stage(onProgress))) return 'cancelled';
      this.merging = true;
      onProgress();
      return await this.merge(onProgress);
    } finally {
      this.db.exec('DROP TABLE IF EXISTS temp.import_rows; DROP TABLE IF EXISTS temp.import_bad;');
    }
  }

  /**
   * Reading and normalising run in a worker thread (the reader); this thread stages what it sends into the TEMP
   * tables, one short transaction per batch, and asks for more. A cancel stops the reader and writes nothing.
   */
  private stage(onProgress: () => void): Promise<boolean> {
    const insertRow = this.db.prepare('INSERT INTO temp.import_rows (row_number, phone, name, name_key, fields) VALUES (?, ?, ?, ?, ?)');
    const insertBad = this.db.prepare('INSERT OR REPLACE INTO temp.import_bad (row_number, reason, duplicate_of, cells) VALUES (?, ?, ?, ?)');
    const write = this.db.transaction((batch: ReadBatch) => {
      const { rows, bad } = batch;
      for (let i = 0; i < rows.length; i += ROW_VALUES) insertRow.run(rows[i], rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4]);
      for (let i = 0; i < bad.length; i += 4) insertBad.run(bad[i], bad[i + 1], bad[i + 2], bad[i + 3]);
    });
    // A bound on the reader's heap: its live data is small (the phone table lives outside it), and without one V8
    // lets a worker's heap fill with hundreds of MB of parsing garbage before collecting.
    const reader = startWorker('import-reader', () => new URL('./import-reader.worker.ts', import.meta.url), {
      workerData: this.request satisfies ReadRequest,
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    return new Promise<boolean>((resolve, reject) => {
      let settled = false;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        this.stopReader = null;
        void reader.terminate();
        settle();
      };
      this.stopReader = () => finish(() => resolve(false));
      reader.on('message', (message: ReaderMessage) => {
        if (settled) return;
        try {
          if (message.kind === 'batch') {
            write(message);
            Object.assign(this.counts, message.counts);
            this.fraction = Math.min(0.95, message.fraction * 0.95);
            onProgress();
            // Asked for after this turn: a port drains all it has at once, so asking now could starve the loop.
            setImmediate(() => reader.postMessage('more'));
          } else if (message.kind === 'done') {
            this.fraction = 0.95;
            finish(() => resolve(true));
          } else {
            finish(() => reject(new AppError(message.code, message.message)));
          }
        } catch (error) {
          finish(() => reject(error));
        }
      });
      reader.on('error', (error) => finish(() => reject(new AppError('file_corrupt', `the file could not be read: ${error.message}`))));
      reader.on('exit', () => finish(() => reject(new AppError('file_corrupt', 'the file reader stopped'))));
    });
  }

  /**
   * Merges the staged rows a batch at a time. Up to `sortedFrom` rows they go in the file's order, so contacts list
   * as the user's spreadsheet did. A larger file goes in phone order instead: each batch then touches a few
   * neighbouring pages of the phone index rather than thousands scattered through it, about three times faster at
   * a million rows (its new contacts get their ids in phone order).
   */
  private async merge(onProgress: () => void): Promise<ImportOutcome> {
    const now = this.now();
    const listId = this.db.transaction(() => resolveList(this.db, this.request.list, now))();
    // New contacts get ids above the current maximum: counting them is a short range scan, not a join.
    const maxId = this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM contacts').pluck();
    const countAbove = this.db.prepare('SELECT COUNT(*) FROM contacts WHERE id > ?').pluck();
    const total = this.counts.valid;
    // Batches run over a key: the staging row id (file order) or the phone; `end` is the key of a batch's last row.
    const key = total > this.sortedFrom ? 'phone' : 'rowid';
    const batchEnd = this.db.prepare(`SELECT ${key} FROM temp.import_rows WHERE ${key} > ? ORDER BY ${key} LIMIT 1 OFFSET ?`).pluck();
    const upsert = this.db.prepare(`
      INSERT INTO contacts (phone, name, name_key, fields, created_at, updated_at)
      SELECT phone, name, name_key, fields, @now, @now FROM temp.import_rows WHERE ${key} > @last AND ${key} <= @end ORDER BY ${key}
      ON CONFLICT (phone) DO UPDATE SET
        name = COALESCE(excluded.name, contacts.name),
        name_key = CASE WHEN excluded.name IS NULL THEN contacts.name_key ELSE excluded.name_key END,
        fields = json_patch(contacts.fields, excluded.fields),
        updated_at = excluded.updated_at`);
    const joinNew = this.db.prepare('INSERT OR IGNORE INTO list_members (list_id, contact_id, added_at) SELECT @list, id, @now FROM contacts WHERE id > @before');
    const joinByPhone = this.db.prepare(`
      INSERT OR IGNORE INTO list_members (list_id, contact_id, added_at)
      SELECT @list, c.id, @now FROM temp.import_rows s JOIN contacts c ON c.phone = s.phone
      WHERE s.${key} > @last AND s.${key} <= @end`);
    let updated = 0;
    // Below every key: "" sorts before any phone, 0 before any row id. Above: "~" after any "+…" phone.
    let last: string | number = key === 'phone' ? '' : 0;
    const afterAll = key === 'phone' ? '~' : Number.MAX_SAFE_INTEGER;
    for (let done = 0; done < total; done += MERGE_BATCH) {
      const end = (batchEnd.get(last, MERGE_BATCH - 1) as string | number | undefined) ?? afterAll;
      this.db.transaction(() => {
        const before = maxId.get() as number;
        upsert.run({ last, end, now });
        const size = Math.min(MERGE_BATCH, total - done);
        const inserted = countAbove.get(before) as number;
        updated += size - inserted;
        // New contacts join the list by their id range; only a batch that updated existing ones needs the lookup.
        joinNew.run({ list: listId, now, before });
        if (inserted < size) joinByPhone.run({ last, end, now, list: listId });
      })();
      last = end;
      this.fraction = 0.95 + 0.05 * Math.min(1, (done + MERGE_BATCH) / Math.max(1, total));
      onProgress();
      await yieldToLoop();
    }
    const importId = this.db.transaction(() => this.record(listId, updated, now))();
    this.fraction = 1;
    return { ...this.counts, importId, listId, imported: this.counts.valid - updated, updated };
  }

  /** The import's summary and its refused rows, kept so the user can download them later. */
  private record(listId: number, updated: number, now: number): number {
    const r = this.request;
    const fieldNames = r.fieldColumns.map((c) => r.headers[c]).filter((h): h is string => h !== undefined);
    const addField = this.db.prepare('INSERT OR IGNORE INTO contact_fields (name, created_at) VALUES (?, ?)');
    for (const name of fieldNames) addField.run(name, now);
    const { lastInsertRowid } = this.db
      .prepare(
        `INSERT INTO imports (file_name, list_id, headers, total_rows, imported, updated, duplicates, rejected, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.fileName, listId, JSON.stringify(r.headers), this.counts.rowsRead, this.counts.valid - updated, updated, this.counts.duplicates, this.counts.rejected, now);
    this.db
      .prepare(
        `INSERT INTO import_rejects (import_id, row_number, reason, duplicate_of, cells)
         SELECT ?, row_number, reason, duplicate_of, cells FROM temp.import_bad`,
      )
      .run(lastInsertRowid);
    return Number(lastInsertRowid);
  }
}

/** The import's list: an existing one by id, or a new one by name (refused if the name is taken). */
export function resolveList(db: Db, list: ImportRequest['list'], now: number): number {
  if ('id' in list) {
    const found = db.prepare('SELECT id FROM lists WHERE id = ?').pluck().get(list.id) as number | undefined;
    if (found === undefined) throw new AppError('not_found', `no list ${list.id}`, 'list.id');
    return found;
  }
  const taken = db.prepare('SELECT id FROM lists WHERE name = ?').pluck().get(list.name);
  if (taken !== undefined) throw new AppError('list_exists', `a list named ${list.name} exists`, 'list.name');
  return Number(db.prepare('INSERT INTO lists (name, created_at) VALUES (?, ?)').run(list.name, now).lastInsertRowid);
}

/** Staging lives in TEMP tables: private to this connection, gone with it, never in the user's file. */
function createStaging(db: Db): void {
  db.exec(`
    DROP TABLE IF EXISTS temp.import_rows;
    DROP TABLE IF EXISTS temp.import_bad;
    CREATE TEMP TABLE import_rows (row_number INTEGER NOT NULL, phone TEXT NOT NULL, name TEXT, name_key TEXT NOT NULL, fields TEXT NOT NULL);
    CREATE INDEX temp.import_rows_phone ON import_rows (phone);
    CREATE TEMP TABLE import_bad (
      row_number INTEGER PRIMARY KEY, reason TEXT NOT NULL, duplicate_of INTEGER, cells TEXT NOT NULL);`);
}
