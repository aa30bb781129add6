import type { Cell, SourceRow } from '../row-source';
import type { Workbook } from './workbook';
import { attr, completeElements, joinedText, xmlText } from './xml';

const ROW = /<(?:\w+:)?row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?row>)/g;
const CELL = /<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g;
const VALUE = /<(?:\w+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?v>/;
const DAY_MS = 86_400_000;
/** Day 0 of Excel's two date systems (1900, with its leap-year bug folded in for dates after March 1900; 1904). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * A worksheet's rows as the import reads them, streamed from its XML a piece at a time: text, numbers exactly as
 * Excel stored them (phones), dates as YYYY-MM-DD, formulas as their last result, errors as empty. `progress` hears
 * how many characters have been read.
 */
export async function* sheetRows(stream: AsyncIterable<unknown>, workbook: Workbook, progress?: (chars: number) => void): AsyncGenerator<SourceRow[]> {
  let nextRow = 1;
  for await (const piece of completeElements(stream, 'row')) {
    progress?.(piece.length);
    const batch: SourceRow[] = [];
    for (const row of piece.matchAll(ROW)) {
      const number = attr(row[1] ?? '', 'r');
      const rowNumber = number ? Number(number) : nextRow;
      nextRow = rowNumber + 1;
      batch.push({ rowNumber, cells: rowCells(row[2] ?? '', workbook) });
    }
    if (batch.length > 0) yield batch;
  }
}

function rowCells(xml: string, workbook: Workbook): Cell[] {
  const cells: Cell[] = [];
  let next = 0;
  for (const cell of xml.matchAll(CELL)) {
    const attributes = cell[1] ?? '';
    const ref = attr(attributes, 'r');
    const column = ref ? columnIndex(ref) : next;
    next = column + 1;
    const value = cellValue(attributes, cell[2] ?? '', workbook);
    if (value === null) continue;
    while (cells.length < column) cells.push(null);
    cells[column] = value;
  }
  return cells;
}

function cellValue(attributes: string, inner: string, workbook: Workbook): Cell {
  const type = attr(attributes, 't');
  if (type === 'inlineStr') return joinedText(inner);
  const raw = VALUE.exec(inner)?.[1];
  if (raw === undefined) return null;
  switch (type) {
    case 's':
      return workbook.strings[Number(raw)] ?? null;
    case 'str':
      return xmlText(raw);
    case 'b':
      return raw === '1' ? 'TRUE' : 'FALSE';
    case 'e':
      return null;
    case 'd':
      return raw.slice(0, 10);
    default: {
      const value = Number(raw);
      if (!Number.isFinite(value)) return xmlText(raw);
      const style = attr(attributes, 's');
      if (style !== undefined && workbook.dateStyles.has(Number(style))) {
        const date = new Date((workbook.date1904 ? EPOCH_1904 : EPOCH_1900) + Math.round(value * DAY_MS));
        return Number.isNaN(date.getTime()) ? value : date.toISOString().slice(0, 10);
      }
      return value;
    }
  }
}

/** "B7" → 1: the column letters of a cell reference as a 0-based index. */
export function columnIndex(ref: string): number {
  let index = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}
