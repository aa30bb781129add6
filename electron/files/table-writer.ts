import { once } from 'node:events';
import fs from 'node:fs';
import { stringify } from 'csv-stringify';
import type ExcelJS from 'exceljs';
import { safeCell } from './safe-cell';

export type Table<T> = {
  sheet: string;
  header: string[];
  /** Rows in pages, so long tables stream and the caller can yield between pages. */
  pages: AsyncIterable<T[]>;
  toRow(item: T): (string | number)[];
};

/**
 * Writes a table as CSV (UTF-8 with BOM, so Excel opens accents right; no cell read as a formula, see safeCell) or as
 * a streamed XLSX (text cells are never formulas there); `before` may add sheets ahead of it (a summary).
 */
export async function writeTable<T>(file: string, format: 'csv' | 'xlsx', table: Table<T>, before?: (workbook: ExcelJS.stream.xlsx.WorkbookWriter) => void): Promise<void> {
  if (format === 'csv') {
    const out = fs.createWriteStream(file);
    out.write('\ufeff');
    const csv = stringify();
    csv.pipe(out);
    // Headers too: a custom field's name is the user's file's header, and may start with "=".
    csv.write(table.header.map(safeCell));
    for await (const page of table.pages) {
      for (const item of page) csv.write(table.toRow(item).map(safeCell));
      // A page at a time in memory, not the whole table: wait while the file is behind.
      if (csv.writableNeedDrain) await once(csv, 'drain');
    }
    csv.end();
    await new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
    });
    return;
  }
  // Loaded for the first workbook, not at start: ExcelJS is a sixth of a second of every start for an export a user
  // may never make (#34).
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true });
  before?.(workbook);
  const sheet = workbook.addWorksheet(table.sheet);
  sheet.columns = table.header.map((h) => ({ header: h, width: 20 }));
  sheet.getRow(1).font = { bold: true };
  for await (const page of table.pages) for (const item of page) sheet.addRow(table.toRow(item)).commit();
  sheet.commit();
  await workbook.commit();
}
