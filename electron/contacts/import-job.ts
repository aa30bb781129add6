import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import { detectFormat, openRows } from './inspect';
import { normalizePhone, type CountryCode, type PhoneRejectReason } from './phone';
import { cellText, hasContent, type Cell } from './row-source';

export type ImportRequest = {
  file: string;
  fileName: string;
  sheet: string | null;
  headerRow: number;
  headers: string[];
  phoneColumn: number;
  nameColumn: number | null;
  fieldColumns: number[];
  defaultCountry: CountryCode;
  list: { id: number } | { name: string };
};

export type ImportCounts = { rowsRead: number; valid: number; duplicates: number; rejected: number };
export type ImportOutcome = ImportCounts & { importId: number; listId: number; imported: number; updated: number };
export type RejectReason = PhoneRejectReason | 'duplicate';

const STAGE_BATCH = 2000;
const MERGE_BATCH = 5000;

/**
 * One import: rows are read and normalised into TEMP tables (invisible to everything else, so a cancel writes
 * nothing), then merged into contacts in short transactions. Between batches the event loop runs.
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
  ) {}

  progress() {
    return { ...this.counts, fraction: this.fraction, phase: this.merging ? ('saving' as const) : ('reading' as const) };
  }

  /** Asks the run to stop; true when it still could (not once merging has begun). */
  cancel(): boolean {
    if (this.merging) return false;
    this.cancelled = true;
    return true;
  }

  async run(onProgress: () => void): Promise<ImportOutcome | 'cancelled'> {
    createStaging(this.db);
    try {
      const staged = await this.stage(onProgress);
      if (!staged) return 'cancelled';
      this.merging = true;
      onProgress();
      return await this.merge(onProgress);
    } finally {
      this.db.exec('DROP TABLE IF EXISTS temp.import_rows; DROP TABLE IF EXISTS temp.import_bad;');
    }
  }

  private async stage(onProgress: () => void): Promise<boolean> {
    const r = this.request;
    const source = openRows(r.file, detectFormat(r.file), r.sheet);
    const insertRow = this.db.prepare('INSERT INTO temp.import_rows (row_number, phone, name, fields) VALUES (?, ?, ?, ?)');
    // Duplicates within the file are found in memory (a Map of a million phones is ~80 MB); the staging table
    // stays append-only, which is what keeps a million-row import fast.
    const firstRow = new Map<string, number>();
    const insertBad = this.db.prepare('INSERT OR REPLACE INTO temp.import_bad (row_number, reason, duplicate_of, cells) VALUES (?, ?, ?, ?)');
    let batch: { rowNumber: number; cells: Cell[] }[] = [];
    const flush = this.db.transaction((rows: typeof batch) => {
      for (const { rowNumber, cells } of rows) {
        const phone = normalizePhone(cells[r.phoneColumn] ?? null, r.defaultCountry);
        if (!phone.ok) {
          this.counts.rejected += 1;
          insertBad.run(rowNumber, phone.reason, null, JSON.stringify(cells.map(cellText)));
          continue;
        }
        const name = r.nameColumn === null ? '' : cellText(cells[r.nameColumn]);
        const fields: Record<string, string> = {};
        for (const column of r.fieldColumns) {
          const value = cellText(cells[column]);
          const title = r.headers[column];
          if (value !== '' && title !== undefined) fields[title] = value;
        }
        const first = firstRow.get(phone.e164);
        if (first !== undefined) {
          this.counts.duplicates += 1;
          insertBad.run(rowNumber, 'duplicate', first, JSON.stringify(cells.map(cellText)));
        } else {
          firstRow.set(phone.e164, rowNumber);
          insertRow.run(rowNumber, phone.e164, name || null, JSON.stringify(fields));
          this.counts.valid += 1;
        }
      }
    });
    try {
      for await (const rows of source.batches()) {
        for (const row of rows) {
          if (row.rowNumber <= r.headerRow) continue;
          if (!hasContent(row.cells)) continue; // blank lines are not rows to report
          this.counts.rowsRead += 1;
          batch.push(row);
        }
        if (batch.length >= STAGE_BATCH) {
          flush(batch);
          batch = [];
          this.fraction = source.size > 0 ? Math.min(0.95, (source.bytesRead() / source.size) * 0.95) : 0;
          onProgress();
          await yieldToLoop();
          if (this.cancelled) return false;
        }
      }
      flush(batch);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('file_corrupt', `the file could not be read: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      source.close();
    }
    if (this.cancelled) return false;
    this.fraction = 0.95;
    return true;
  }

  private async merge(onProgress: () => void): Promise<ImportOutcome> {
    const now = this.now();
    const listId = this.db.transaction(() => resolveList(this.db, this.request.list, now))();
    // New contacts get ids above the current maximum: counting them is a short range scan, not a join.
    const maxId = this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM contacts').pluck();
    const countAbove = this.db.prepare('SELECT COUNT(*) FROM contacts WHERE id > ?').pluck();
    const upsert = this.db.prepare(`
      INSERT INTO contacts (phone, name, fields, created_at, updated_at)
      SELECT phone, name, fields, @now, @now FROM temp.import_rows WHERE rowid > @from AND rowid <= @to ORDER BY rowid
      ON CONFLICT (phone) DO UPDATE SET
        name = COALESCE(excluded.name, contacts.name),
        fields = json_patch(contacts.fields, excluded.fields),
        updated_at = excluded.updated_at`);
    const joinNew = this.db.prepare('INSERT OR IGNORE INTO list_members (list_id, contact_id, added_at) SELECT @list, id, @now FROM contacts WHERE id > @before');
    const joinByPhone = this.db.prepare(`
      INSERT OR IGNORE INTO list_members (list_id, contact_id, added_at)
      SELECT @list, c.id, @now FROM temp.import_rows s JOIN contacts c ON c.phone = s.phone
      WHERE s.rowid > @from AND s.rowid <= @to`);
    const total = this.counts.valid;
    let updated = 0;
    for (let from = 0; from < total; from += MERGE_BATCH) {
      const to = from + MERGE_BATCH;
      this.db.transaction(() => {
        const before = maxId.get() as number;
        upsert.run({ from, to, now });
        const size = Math.min(to, total) - from;
        const inserted = countAbove.get(before) as number;
        updated += size - inserted;
        // New contacts join the list by their id range; only a batch that updated existing ones needs the lookup.
        joinNew.run({ list: listId, now, before });
        if (inserted < size) joinByPhone.run({ from, to, now, list: listId });
      })();
      this.fraction = 0.95 + 0.05 * Math.min(1, to / Math.max(1, total));
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
    CREATE TEMP TABLE import_rows (row_number INTEGER NOT NULL, phone TEXT NOT NULL, name TEXT, fields TEXT NOT NULL);
    CREATE TEMP TABLE import_bad (
      row_number INTEGER PRIMARY KEY, reason TEXT NOT NULL, duplicate_of INTEGER, cells TEXT NOT NULL);`);
}
