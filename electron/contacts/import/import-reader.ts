import { AppError } from '../../core/app-error';
import { isDiskFull } from '../../core/storage-guard';
import { searchKey } from '../../../shared/search-key';
import { detectFormat, openRows } from './inspect';
import { cellValues, otherValuesField } from './multi-value';
import { normalizePhone } from '../../phones';
import { PhoneFirstRows } from './phone-set';
import { cellText, hasContent, type Cell } from './row-source';
import { ROW_VALUES, type ImportCounts, type ReadBatch, type ReadRequest } from './import-batch';

export { ROW_VALUES, sameRead, type ImportCounts, type ReadBatch, type ReadRequest, type ReaderMessage, type ReaderTask, type ReaderWarmUp, type StagerMessage, type StagerTaskMessage } from './import-batch';


/** Valid rows per batch: small enough that staging one is a short transaction. */
const BATCH_ROWS = 2000;

/**
 * Reads a contacts file for import: every row normalised (phone to E.164, name, custom fields) or refused with
 * its reason, duplicates within the file reported against their first row. `emit` may wait (back-pressure).
 */
export async function readForImport(r: ReadRequest, emit: (batch: ReadBatch) => Promise<void>): Promise<ImportCounts> {
  return (await readWhile(r, emit, () => true)).counts;
}

/**
 * As readForImport, asking `goOn` after each batch of the file whether to read on (a warm-up stops at a bound), and
 * whether it read the whole file.
 */
export async function readWhile(r: ReadRequest, emit: (batch: ReadBatch) => Promise<void>, goOn: (rowsRead: number) => boolean): Promise<{ counts: ImportCounts; whole: boolean }> {
  const counts: ImportCounts = { rowsRead: 0, valid: 0, duplicates: 0, rejected: 0, repairedLines: 0, multiValue: 0 };
  const source = openRows(r.file, detectFormat(r.file), r.sheet);
  const firstRows = new PhoneFirstRows();
  const fieldsJson = fieldsWriter(r);
  let rows: (number | string | null)[] = [];
  let bad: (number | string | null)[] = [];
  let whole = true;
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
      // Asked before each batch: a file that ends at the bound is read whole.
      if (!goOn(counts.rowsRead)) {
        whole = false;
        break;
      }
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
        let others: string | null = null;
        if (values && values.length > 1) {
          others = values.slice(1).join(', ');
          counts.multiValue += 1;
        }
        rows.push(rowNumber, phone.e164, name || null, searchKey(name), fieldsJson(cells, others));
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
  return { counts, whole };
}

/**
 * A row's custom fields as the JSON object `JSON.stringify` would write (its empty cells left out, the "(otros)"
 * field last), written straight from the cells: a million rows make no million objects to stringify. Columns
 * sharing a title fall back to an object, where the last one wins as before.
 */
function fieldsWriter(r: ReadRequest): (cells: Cell[], others: string | null) => string {
  const columns = r.fieldColumns.filter((c) => r.headers[c] !== undefined);
  const titles = columns.map((c) => r.headers[c] ?? '');
  const othersTitle = otherValuesField(r.headers[r.phoneColumn] ?? '');
  if (new Set([...titles, othersTitle]).size < titles.length + 1) {
    return (cells, others) => {
      const fields: Record<string, string> = {};
      columns.forEach((column, i) => {
        const value = cellText(cells[column]);
        if (value !== '') fields[titles[i] ?? ''] = value;
      });
      if (others !== null) fields[othersTitle] = others;
      return JSON.stringify(fields);
    };
  }
  const keys = titles.map((title) => `${JSON.stringify(title)}:`);
  const othersKey = `${JSON.stringify(othersTitle)}:`;
  return (cells, others) => {
    let json = '';
    for (let i = 0; i < columns.length; i++) {
      const value = cellText(cells[columns[i] ?? 0]);
      if (value !== '') json += `${json === '' ? '' : ','}${keys[i]}${JSON.stringify(value)}`;
    }
    if (others !== null) json += `${json === '' ? '' : ','}${othersKey}${JSON.stringify(others)}`;
    return `{${json}}`;
  };
}
