import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Cell, RowSource, SourceRow } from './row-source';

type ExcelValue = ExcelJS.CellValue;

/** One cell to text or number: dates as YYYY-MM-DD, formulas as their result, rich text and links as text. */
export function excelCell(value: ExcelValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return excelCell((value.result ?? null) as ExcelValue);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return typeof value.text === 'string' ? value.text : excelCell(value.text as ExcelValue);
    if ('error' in value) return null;
  }
  return null;
}

/** exceljs rows are 1-based and sparse: a dense array from column A, empty cells as null. */
function rowCells(row: ExcelJS.Row): Cell[] {
  const values = Array.isArray(row.values) ? row.values : [];
  return Array.from({ length: Math.max(0, values.length - 1) }, (_, i) => excelCell(values[i + 1] as ExcelValue));
}

function streamingReader(file: string, input: fs.ReadStream) {
  return new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache', // needed to tell dates from numbers
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
}

/** Streams the rows of one sheet: the workbook is never loaded whole. */
export function xlsxSource(file: string, sheetName: string): RowSource {
  const size = fs.statSync(file).size;
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  input.on('data', (chunk) => (bytes += chunk.length));
  const reader = streamingReader(file, input);
  return {
    size,
    bytesRead: () => bytes,
    close: () => input.destroy(),
    async *batches(): AsyncGenerator<SourceRow[]> {
      for await (const worksheet of reader) {
        const sheet = worksheet as unknown as AsyncIterable<ExcelJS.Row> & { name: string };
        const wanted = sheet.name === sheetName;
        let batch: SourceRow[] = [];
        // Sheets before the wanted one must still be read through: the zip is one stream.
        for await (const row of sheet) {
          if (!wanted) continue;
          batch.push({ rowNumber: row.number, cells: rowCells(row) });
          if (batch.length >= 500) {
            yield batch;
            batch = [];
          }
        }
        if (wanted) {
          if (batch.length > 0) yield batch;
          return;
        }
      }
    },
  };
}

export type SheetPreview = { name: string; rows: SourceRow[] };

/** The first rows of every sheet, stopping as soon as each sheet has given enough. */
export async function previewSheets(file: string, rowsPerSheet: number): Promise<SheetPreview[]> {
  const input = fs.createReadStream(file);
  const reader = streamingReader(file, input);
  const sheets: SheetPreview[] = [];
  try {
    for await (const worksheet of reader) {
      const sheet = worksheet as unknown as AsyncIterable<ExcelJS.Row> & { name: string };
      const preview: SheetPreview = { name: sheet.name, rows: [] };
      sheets.push(preview);
      for await (const row of sheet) {
        if (preview.rows.length >= rowsPerSheet) continue;
        preview.rows.push({ rowNumber: row.number, cells: rowCells(row) });
      }
      const declared = (reader as unknown as { model?: { sheets?: unknown[] } }).model?.sheets?.length ?? Infinity;
      if (sheets.length >= declared) break;
    }
  } finally {
    input.destroy();
  }
  return sheets;
}
