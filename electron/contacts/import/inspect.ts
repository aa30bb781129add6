import fs from 'node:fs';
import { MAX_COLUMNS } from '../../../shared/import-limits';
import { AppError } from '../../core/app-error';
import { csvSource } from './csv-source';
import { detectDelimiter, type Delimiter } from './delimiter';
import { detectEncoding, type TextEncoding } from './encoding';
import { guessHeaderRow, isPhoneCell, lookOfColumns, suggestColumns, type ColumnLook, type Reason } from './column-guess';
import { cellText, type RowSource, type SourceRow } from './row-source';
import { previewSheets, xlsxSource } from './xlsx-source';
import iconv from 'iconv-lite';

export type FileKind = 'csv' | 'xlsx';
export type FileFormat = { kind: FileKind; encoding: TextEncoding | null; delimiter: Delimiter | null };
export type Preview = FileFormat & {
  /** Every sheet with how many of its first rows have something, and how many phones they hold. */
  sheets: { name: string; empty: boolean; rows: number; phones: number }[];
  /** The sheet that looks like the contacts (most phones), when a workbook has one. */
  contactsSheet: string | null;
  sheet: string | null;
  headerRow: number;
  headers: string[];
  /** Rows above the header (titles), so the user can choose another header row. */
  aboveHeader: { rowNumber: number; cells: string[] }[];
  rows: { rowNumber: number; cells: string[] }[];
  /** What each column's cells look like (phones, names, emails…), for the wizard to say. */
  columns: ColumnLook[];
  suggested: { phoneColumn: number | null; nameColumn: number | null; phone: Reason | null; name: Reason | null };
};

const SAMPLE_BYTES = 64 * 1024;
/** Files that start like these are not tables, however text-like the rest may look (a small PDF is mostly ASCII). */
const BINARY_MAGIC = ['%PDF', '\x89PNG', '\xff\xd8\xff', 'GIF8', 'RIFF', 'OggS', 'ID3', '\x7fELF', 'MZ', '{\\rtf'].map((m) => Buffer.from(m, 'latin1'));
const PREVIEW_ROWS = 30;

/** Reads only what is needed to tell what the file is; refuses what we cannot read before anything is written. */
export function detectFormat(file: string): FileFormat {
  const size = fs.statSync(file).size;
  if (size === 0) throw new AppError('file_empty', 'the file is empty');
  const fd = fs.openSync(file, 'r');
  const sample = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
  fs.readSync(fd, sample, 0, sample.length, 0);
  fs.closeSync(fd);
  if (sample.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return { kind: 'xlsx', encoding: null, delimiter: null };
  if (sample.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new AppError('file_old_excel', 'old .xls workbook: save it as .xlsx or CSV');
  }
  if (BINARY_MAGIC.some((magic) => sample.subarray(0, magic.length).equals(magic))) {
    throw new AppError('file_unsupported', 'a document, image, audio or program, not a table');
  }
  const encoding = detectEncoding(sample);
  if (!encoding) throw new AppError('file_unsupported', 'not a CSV, TXT or XLSX file');
  const text = iconv.decode(sample, encoding === 'windows1252' ? 'win1252' : encoding);
  return { kind: 'csv', encoding, delimiter: detectDelimiter(text) };
}

export function openRows(file: string, format: FileFormat, sheet: string | null): RowSource {
  if (format.kind === 'xlsx') return xlsxSource(file, sheet ?? '');
  return csvSource(file, format.encoding ?? 'utf8', format.delimiter ?? ',');
}

/** The first rows of the file (of the chosen or first non-empty sheet), with a proposed header row and mapping. */
export async function previewFile(file: string, opts: { sheet?: string; headerRow?: number } = {}): Promise<Preview> {
  const format = detectFormat(file);
  let sheets: Preview['sheets'] = [];
  let contactsSheet: string | null = null;
  let sheet: string | null = null;
  let sampleRows: SourceRow[];
  if (format.kind === 'xlsx') {
    let all;
    try {
      all = await previewSheets(file, PREVIEW_ROWS);
    } catch (error) {
      throw new AppError('file_corrupt', `the workbook could not be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    sheets = all.map((s) => {
      const rows = s.rows.filter((r) => r.cells.some((c) => cellText(c) !== '')).length;
      return { name: s.name, empty: rows === 0, rows, phones: s.rows.reduce((n, r) => n + r.cells.filter(isPhoneCell).length, 0) };
    });
    if (sheets.length === 0) throw new AppError('file_corrupt', 'the workbook has no sheets');
    // A read-me or a cover sheet often comes first: the sheet with the phones is the list.
    const mostPhones = sheets.reduce((best, s) => (s.phones > (best?.phones ?? 0) ? s : best), undefined as (typeof sheets)[number] | undefined);
    contactsSheet = mostPhones?.name ?? null;
    const fallback = sheets.find((s) => !s.empty)?.name ?? sheets[0]?.name;
    const wanted = opts.sheet ?? contactsSheet ?? fallback;
    const chosen = all.find((s) => s.name === wanted);
    if (!chosen) throw new AppError('invalid_input', `no sheet named ${opts.sheet}`, 'sheet');
    sheet = chosen.name;
    sampleRows = chosen.rows;
  } else {
    const source = openRows(file, format, null);
    sampleRows = [];
    try {
      for await (const batch of source.batches()) {
        sampleRows.push(...batch.slice(0, PREVIEW_ROWS - sampleRows.length));
        if (sampleRows.length >= PREVIEW_ROWS) break;
      }
    } catch (error) {
      throw new AppError('file_corrupt', `the file could not be read: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      source.close();
    }
  }

  const nonEmpty = sampleRows.filter((r) => r.cells.some((c) => cellText(c) !== ''));
  if (nonEmpty.length === 0) throw new AppError('file_empty', 'the file has no rows');
  const headerRow = opts.headerRow ?? guessHeaderRow(nonEmpty);
  const header = sampleRows.find((r) => r.rowNumber === headerRow);
  if (!header) throw new AppError('invalid_input', `row ${headerRow} is not among the first rows`, 'headerRow');
  const dataRows = sampleRows.filter((r) => r.rowNumber > headerRow && r.cells.some((c) => cellText(c) !== ''));
  if (dataRows.length === 0) throw new AppError('file_no_data', 'the file has a header but no data rows');

  const width = Math.max(header.cells.length, ...dataRows.map((r) => r.cells.length));
  if (width > MAX_COLUMNS) throw new AppError('file_too_wide', `the file has ${width} columns; at most ${MAX_COLUMNS} are read`);
  const headers = fieldNames(Array.from({ length: width }, (_, i) => cellText(header.cells[i])));
  const asText = (r: SourceRow) => ({ rowNumber: r.rowNumber, cells: Array.from({ length: width }, (_, i) => cellText(r.cells[i])) });
  const rows = dataRows.slice(0, 10).map(asText);
  const columns = lookOfColumns(width, dataRows);
  const suggested = suggestColumns(headers, dataRows, columns);
  return {
    ...format,
    sheets,
    contactsSheet,
    sheet,
    headerRow,
    headers,
    aboveHeader: sampleRows.filter((r) => r.rowNumber < headerRow).map(asText),
    rows,
    columns,
    suggested: { phoneColumn: suggested.phone?.column ?? null, nameColumn: suggested.name?.column ?? null, ...suggested },
  };
}

/** Column titles as field names: trimmed, never empty, never twice the same. */
export function fieldNames(titles: string[]): string[] {
  const seen = new Map<string, number>();
  return titles.map((raw, i) => {
    const base = raw.replace(/\s+/g, ' ').trim().slice(0, 60) || `Columna ${i + 1}`;
    const key = base.toLowerCase();
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? base : `${base} ${n}`;
  });
}
