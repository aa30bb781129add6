import fs from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import type { Delimiter } from './delimiter';
import type { TextEncoding } from './encoding';
import { Utf8Repair } from './utf8-repair';
import { drain, type RowSource, type SourceRow } from './row-source';

const ICONV_NAME: Record<TextEncoding, string> = { utf8: 'utf8', utf16le: 'utf16le', utf16be: 'utf16be', windows1252: 'win1252' };

/** Streams a delimited text file's records; the row number is the record's (as Excel numbers rows). */
export function csvSource(file: string, encoding: TextEncoding, delimiter: Delimiter): RowSource {
  const size = fs.statSync(file).size;
  const input = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  let bytes = 0;
  input.on('data', (chunk) => (bytes += chunk.length));
  const options = {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    trim: false,
    // Let the parser run ahead by a thousand records so each wake-up hands over a batch.
    readableHighWaterMark: 1024,
  };
  // UTF-8 through the line repair (a few Windows-1252 lines read right, and counted); the others by iconv-lite.
  const repair = encoding === 'utf8' ? new Utf8Repair() : null;
  const parser = input.pipe(repair ?? iconv.decodeStream(ICONV_NAME[encoding])).pipe(parse(options));
  return {
    size,
    bytesRead: () => bytes,
    repairedLines: () => repair?.repaired ?? 0,
    close: () => {
      input.destroy();
      parser.destroy();
    },
    async *batches(): AsyncGenerator<SourceRow[]> {
      let rowNumber = 0;
      for await (const records of drain<string[]>(parser)) {
        yield records.map((cells) => ({ rowNumber: ++rowNumber, cells }));
      }
    },
  };
}
