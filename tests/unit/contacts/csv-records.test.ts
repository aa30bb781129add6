import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../../electron/contacts/import/csv-records';
import { seededRandom } from '../../../electron/core/random';

/** csv-parse, the library the reader used before, with the options it had: the oracle for well-formed files. */
function oracle(text: string, delimiter: string): string[][] {
  return parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false }) as string[][];
}

function records(text: string, delimiter: string, cuts: number[]): string[][] {
  const parser = new CsvRecords(delimiter.charCodeAt(0));
  const out: string[][] = [];
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    parser.push(text.slice(at, cut), out);
    at = cut;
  }
  parser.end(out);
  return out;
}

const TRICKY = [
  'Nombre,Teléfono,Nota\r\n',
  'Ana,"55 1234 5678","dice ""hola"", adiós"\r\n',
  '"Ruiz, Beto",33 2345 6789,"dos\nlíneas"\n',
  'Pantalla 5" grande,81 2345 6789,\n',
  '\n',
  ',,\r',
  '"",x,""\n',
  'último,sin salto,"fin"',
].join('');

describe('CSV records pushed a chunk at a time', () => {
  it('reads quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF, CR, empty lines and a last line without a break', () => {
    expect(records(TRICKY, ',', [])).toEqual([
      ['Nombre', 'Teléfono', 'Nota'],
      ['Ana', '55 1234 5678', 'dice "hola", adiós'],
      ['Ruiz, Beto', '33 2345 6789', 'dos\nlíneas'],
      ['Pantalla 5" grande', '81 2345 6789', ''],
      [''],
      ['', '', ''],
      ['', 'x', ''],
      ['último', 'sin salto', 'fin'],
    ]);
  });

  it('gives the same records wherever the chunks are cut, and what csv-parse gives for well-formed files', () => {
    // (csv-parse reads the quote of `5" grande` as opening a field and swallows the rest; Excel, and we, do not.)
    const expected = records(TRICKY, ',', []);
    for (let cut = 0; cut <= TRICKY.length; cut++) expect(records(TRICKY, ',', [cut]), `cut at ${cut}`).toEqual(expected);
    const random = seededRandom(7);
    const pieces = ['a', 'ñ', ' ', ';', '"', '""', '\n', '\r\n', 'x y', '55 1234'];
    for (let round = 0; round < 300; round++) {
      // Random well-formed files: each field plain (no quote, no delimiter, no break) or quoted with anything inside.
      const lines = Array.from({ length: random.int(1, 6) }, () =>
        Array.from({ length: random.int(1, 4) }, () => {
          const inner = Array.from({ length: random.int(0, 4) }, () => pieces[random.int(0, pieces.length - 1)]).join('');
          return random.int(0, 1) ? `"${inner.replaceAll('"', '""')}"` : inner.replace(/["\r\n;]/g, '');
        }).join(';'),
      );
      // One kind of line break per file: csv-parse takes the first it meets as the only one.
      const eol = random.int(0, 1) ? '\n' : '\r\n';
      const text = lines.join(eol) + (random.int(0, 1) ? eol : '');
      const cuts = Array.from({ length: random.int(0, 4) }, () => random.int(0, text.length)).sort((a, b) => a - b);
      expect(records(text, ';', cuts), JSON.stringify({ text, cuts })).toEqual(oracle(text, ';'));
    }
  });

  it('a quote left open at the end of the file is an error, not a silently merged last row', () => {
    expect(() => records('Nombre,Tel\nAna,"55 1234 5678,sin cerrar\n', ',', [10])).toThrow(/Quote Not Closed/);
  });
});
