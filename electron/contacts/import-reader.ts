import { AppError } from '../core/app-error';
import { isDiskFull } from '../core/storage-guard';
import { searchKey } from '../../shared/search-key';
import type { ErrorCode } from '../../shared/errors';
import { detectFormat, openRows } from './inspect';
import { cellValues, otherValuesField } from './multi-value';
import { normalizePhone, type CountryCode } from './phone';
import { PhoneFirstRows } from './phone-set';
import { cellText, hasContent, type Cell } from './row-source';

/** What the reader needs of an import: the file, and how its columns map. */
export type ReadRequest = {
  file: string;
  sheet: string | null;
  headerRow: number;
  headers: string[];
  phoneColumn: number;
  nameColumn: number | null;
  fieldColumns: number[];
  defaultCountry: CountryCode;
};

/** Values per valid row in a batch's `rows`. */
export const ROW_VALUES = 5;

/**
 * `repairedLines`: lines of a UTF-8 file that were Windows-1252, read as such. `multiValue`: rows whose phone cell
 * held several numbers (the others kept in the "(otros)" field).
 */
export type ImportCounts = { rowsRead: number; valid: number; duplicates: number; rejected: number; repairedLines: number; multiValue: number };

/**
 * Rows read, normalised and checked for duplicates, ready to stage. Flat arrays (values per row in a fixed order):
 * the staging writer binds them a hundred rows per statement, and a million rows make no million small objects.
 */
export type ReadBatch = {
  /** rowNumber, E.164 phone, name or null, the name's search key, fields as JSON — per valid row (ROW_VALUES). */
  rows: (number | string | null)[];
  /** rowNumber, reason, row it duplicates or null, the row's cells as JSON — per refused row. */
  bad: (number | string | null)[];
  counts: ImportCounts;
  /** How much of the file is read, 0–1. */
  fraction: number;
};

/** What the reader's thread is given: the request, its staging file, and from how many rows to index phones. */
export type ReaderTask = { request: ReadRequest; staging: string; sortedFrom: number };

/** What the reader's thread says: progress, then done — or why the file could not be read. */
export type ReaderMessage =
  | { kind: 'progress'; counts: ImportCounts; fraction: number }
  | { kind: 'done'; counts: ImportCounts }
  | { kind: 'failed'; code: ErrorCode; message: string };

/** Valid rows per batch: small enough that staging one is a short transaction. */
const BATCH_ROWS = 2000;

/**
 * Reads a contacts file for import: every row normalised (phone to E.164, name, custom fields) or refused with
 * its reason, duplicates within the file reported against their first row. `emit` may wait (back-pressure).
 */
export async function readForImport(r: ReadRequest, emit: (batch: ReadBatch) => Promise<void>): Promise<ImportCounts> {
  const counts: ImportCounts = { rowsRead: 0, valid: 0, duplicates: 0, rejected: 0, repairedLines: 0, multiValue: 0 };
  const source = openRows(r.file, detectFormat(r.file), r.sheet);
  const firstRows = new PhoneFirstRows();
  let rows: (number | string | null)[] = [];
  let bad: (number | string | null)[] = [];
  const refuse = (rowNumber: number, reason: string, firstRow: number | null, cells: Cell[]) => bad.push(rowNumber, reason, firstRow, JSON.stringify(cells.map(cellText)));
  const send = async () => {
    const fraction = source.size > 0 ? Math.min(1, source.bytesRead() / source.size) : 0;
    counts.repairedLines = source.repairedLines?.() ?? 0;
    const batch: ReadBatch = { rows, bad, counts: { ...counts }, fraction };
    rows = [];
    bad = [];
    await emit(batch);
  };
  try {
    for await (const sourceRows of source.batches()) {
      for (const { rowNumber, cells } of sourceRows) {
        if (rowNumber <= r.headerRow) continue;
        if (!hasContent(cells)) continue; // blank lines are not rows to report
        counts.rowsRead += 1;
        // A multi-value cell (Google's " ::: ") gives its first number; the others are kept as a field.
        const phoneCell = cells[r.phoneColumn] ?? null;
        const values = typeof phoneCell === 'string' && phoneCell.indexOf(':::') !== -1 ? cellValues(phoneCell) : null;
        const phone = normalizePhone(values ? (values[0] ?? '') : phoneCell, r.defaultCountry);
        if (!phone.ok) {
          counts.rejected += 1;
          refuse(rowNumber, phone.reason, null, cells);
          continue;
        }
        const first = firstRows.firstOrAdd(phone.e164, rowNumber);
        if (first !== undefined) {
          counts.duplicates += 1;
          refuse(rowNumber, 'duplicate', first, cells);
          continue;
        }
        const name = r.nameColumn === null ? '' : cellText(cells[r.nameColumn]);
        const fields: Record<string, string> = {};
        for (const column of r.fieldColumns) {
          const value = cellText(cells[column]);
          const title = r.headers[column];
          if (value !== '' && title !== undefined) fields[title] = value;
        }
        if (values && values.length > 1) {
          fields[otherValuesField(r.headers[r.phoneColumn] ?? '')] = values.slice(1).join(', ');
          counts.multiValue += 1;
        }
        rows.push(rowNumber, phone.e164, name || null, searchKey(name), JSON.stringify(fields));
        counts.valid += 1;
      }
      if (rows.length + bad.length >= BATCH_ROWS * ROW_VALUES) await send();
    }
    await send();
  } catch (error) {
    // Staging the rows on a full disk is not a damaged file.
    if (error instanceof AppError || isDiskFull(error)) throw error;
    throw new AppError('file_corrupt', `the file could not be read: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    source.close();
  }
  return counts;
}
