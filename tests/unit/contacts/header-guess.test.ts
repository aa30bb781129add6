import { describe, expect, it } from 'vitest';
import { guessHeaderRow } from '../../../electron/contacts/import/column-guess';
import type { SourceRow } from '../../../electron/contacts/import/row-source';

const rows = (...cells: (string | number | null)[][]): SourceRow[] => cells.map((c, i) => ({ rowNumber: i + 1, cells: c }));

describe('the header row guess (#30 item 10)', () => {
  it('never takes a contact whose phone Excel turned into scientific notation for the titles', () => {
    const file = rows(
      ['Clientes diciembre', null],
      ['Nombre', 'Teléfono'],
      ['Ana Pérez', '5.21551E+12'],
      ['Luis Gómez', '55 1234 5678'],
      ['Rosa Díaz', '33 1234 5678'],
    );
    expect(guessHeaderRow(file)).toBe(2);
  });

  it('nor one whose phone is a number cell, or digits that are not a valid phone', () => {
    expect(guessHeaderRow(rows(['Nombre', 'Celular'], ['Ana', 5215512345], ['Luis', '55 1234 5678']))).toBe(1);
    expect(guessHeaderRow(rows(['Nombre', 'Celular'], ['Ana', '12-3456-7'], ['Luis', '55 1234 5678']))).toBe(1);
  });

  it('still skips notes above the list and finds titles below them', () => {
    expect(guessHeaderRow(rows(['Exportado de CRM', null], ['', ''], ['Nombre', 'Tel'], ['Ana', '5512345678']))).toBe(3);
  });
});
