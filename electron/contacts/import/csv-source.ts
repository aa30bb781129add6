import fs from 'node:fs';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { CsvRecords } from './csv-records';
import type { Delimiter } from './delimiter';
import type { TextEncoding } from './encoding';
import type { RowSource, SourceRow } from './row-source';
import { Utf8Repair } from './utf8-repair';

const ICONV_NAME: Record<TextEncoding, string> = { utf8: 'utf8', utf16le: 'utf16le', utf16be: 'utf16be', windows1252: 'win1252' };

/** Streams a delimited text file's records; the row number is the record's (as Excel numbers rows). */
export function csvSource(file: string, encoding: TextEncoding, delimiter: Delimiter): RowSource {
  const size = fs.statSync(file).size;
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  input.on('data', (chunk) => (bytes += chunk.length));
  // UTF-8 through the line repair (a few Windows-1252 lines read right, and counted); the others by iconv-lite.
  const repair = encoding === 'utf8' ? new Utf8Repair() : null;
  const text = input.pipe(repair ?? (iconv.decodeStream(ICONV_NAME[encoding]) as unknown as Readable & NodeJS.WritableStream));
  input.on('error', (error) => text.destroy(error));
  return {
    size,
    bytesRead: () => bytes,
    repairedLines: () => repair?.repaired ?? 0,
    close: () => {
      input.destroy();
      text.destroy();
    },
    async *batches(): AsyncGenerator<SourceRow[]> {
      const parser = new CsvRecords(delimiter.charCodeAt(0));
      let rowNumber = 0;
      const numbered = (records: string[][]) => records.map((cells) => ({ rowNumber: ++rowNumber, cells }));
      for await (const chunk of text) {
        const records: string[][] = [];
        parser.push(chunk as string, records);
        if (records.length > 0) yield numbered(records);
      }
      const last: string[][] = [];
      parser.end(last);
      if (last.length > 0) yield numbered(last);
    },
  };
}
