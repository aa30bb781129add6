import type { Readable } from 'node:stream';
import type { RowSource, SourceRow } from './row-source';
import { sheetRows } from './xlsx/sheet-rows';
import { readWorkbook } from './xlsx/workbook';
import { ZipReader } from './xlsx/zip';

/**
 * Streams the rows of one sheet, read in place from the workbook's zip: nothing is unpacked to disk, and the other
 * sheets are never read. Progress counts the sheet's XML.
 */
export function xlsxSource(file: string, sheetName: string): RowSource {
  let zip: ZipReader | undefined;
  let stream: Readable | undefined;
  let closed = false;
  let chars = 0;
  const source: RowSource = {
    size: 0,
    bytesRead: () => chars,
    close: () => {
      closed = true;
      stream?.destroy();
      zip?.close();
    },
    async *batches(): AsyncGenerator<SourceRow[]> {
      zip = await ZipReader.open(file);
      if (closed) return zip.close();
      const workbook = await readWorkbook(zip);
      const sheet = workbook.sheets.find((s) => s.name === sheetName) ?? (sheetName === '' ? workbook.sheets[0] : undefined);
      if (!sheet) throw new Error(`the workbook has no sheet named ${sheetName}`);
      source.size = zip.size(sheet.part);
      stream = await zip.stream(sheet.part);
      yield* sheetRows(stream, workbook, (n) => (chars += n));
    },
  };
  return source;
}

export type SheetPreview = { name: string; rows: SourceRow[] };

/** The first rows of every sheet, each read only as far as it takes. */
export async function previewSheets(file: string, rowsPerSheet: number): Promise<SheetPreview[]> {
  const zip = await ZipReader.open(file);
  try {
    const workbook = await readWorkbook(zip);
    const sheets: SheetPreview[] = [];
    for (const sheet of workbook.sheets) {
      const preview: SheetPreview = { name: sheet.name, rows: [] };
      sheets.push(preview);
      const stream = await zip.stream(sheet.part);
      try {
        for await (const batch of sheetRows(stream, workbook)) {
          preview.rows.push(...batch.slice(0, rowsPerSheet - preview.rows.length));
          if (preview.rows.length >= rowsPerSheet) break;
        }
      } finally {
        stream.destroy();
      }
    }
    return sheets;
  } finally {
    zip.close();
  }
}
