import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact, FilePreview } from '../../../shared/contacts';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { TESTDATA } from '../../helpers/paths';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp;
afterEach(async () => t.close());

const contactsFile = (name: string) => path.join(TESTDATA, 'contacts', name);

async function nothingWritten(app: TestApp) {
  const db = app.app.db;
  expect(db.prepare('SELECT COUNT(*) FROM contacts').pluck().get()).toBe(0);
  expect(db.prepare('SELECT COUNT(*) FROM lists').pluck().get()).toBe(0);
  expect(db.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(0);
}

describe('files that cannot be imported are refused, with nothing written', () => {
  const dir = () => tempDir();
  it.each([
    ['an empty file', () => writeTo('vacio.csv', ''), 'file_empty'],
    ['a PDF', () => path.join(TESTDATA, 'media', 'catalogo.pdf'), 'file_unsupported'],
    ['a program renamed .jpg', () => path.join(TESTDATA, 'media', 'no_es_imagen.jpg'), 'file_unsupported'],
    ['a header without rows', () => writeTo('solo_encabezado.csv', 'Nombre,Teléfono\r\n'), 'file_no_data'],
    ['an old .xls workbook', () => writeTo('viejo.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0])), 'file_old_excel'],
    ['a damaged .xlsx', () => writeTo('roto.xlsx', fs.readFileSync(contactsFile('clientes.xlsx')).subarray(0, 2000)), 'file_corrupt'],
  ])('%s', async (_name, make, code) => {
    t = await startTestApp();
    const uploadId = await t.upload(make());
    await expect(t.call('contacts.preview', { uploadId })).rejects.toMatchObject({ code });
    await expect(
      t.call('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [], defaultCountry: 'MX', list: { name: 'X' } }),
    ).rejects.toMatchObject({ code });
    await nothingWritten(t);
  });

  function writeTo(name: string, content: string | Buffer): string {
    const file = path.join(dir(), name);
    fs.writeFileSync(file, content);
    return file;
  }

  it('refuses a mapping whose phone column does not exist, and a taken list name, before reading any row', async () => {
    t = await startTestApp();
    const uploadId = await t.upload(contactsFile('clientes_utf8_bom_coma.csv'));
    const base = { uploadId, sheet: null, headerRow: 1, nameColumn: 0, fieldColumns: [], defaultCountry: 'MX' };
    await expect(t.call('contacts.import', { ...base, phoneColumn: 9, list: { name: 'X' } })).rejects.toMatchObject({ code: 'invalid_input', field: 'phoneColumn' });
    await nothingWritten(t);
    await t.call('lists.create', { name: 'Clientes' });
    await expect(t.call('contacts.import', { ...base, phoneColumn: 1, list: { name: 'clientes' } })).rejects.toMatchObject({ code: 'list_exists' });
    await expect(t.call('contacts.import', { ...base, phoneColumn: 1, list: { id: 999 } })).rejects.toMatchObject({ code: 'not_found' });
    expect(t.app.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get()).toBe(0);
  });

  it('cancel writes nothing', async () => {
    t = await startTestApp();
    const finished = new Promise<string>((resolve) =>
      t.app.bus.subscribe((e) => e.event === 'contacts.importFinished' && resolve(e.payload.status)),
    );
    let cancelled = false;
    t.app.bus.subscribe((e) => {
      if (e.event === 'contacts.importProgress' && !cancelled) {
        cancelled = true;
        void t.call('contacts.importCancel', { jobId: e.payload.jobId });
      }
    });
    const uploadId = await t.upload(contactsFile('grande_100k.csv'));
    await t.call('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [2, 3], defaultCountry: 'MX', list: { name: 'Grande' } });
    expect(await finished).toBe('cancelled');
    await nothingWritten(t);
    expect(t.app.db.prepare('SELECT COUNT(*) FROM contact_fields').pluck().get()).toBe(0);
  });
});

describe('encodings, separators and sheets', () => {
  it('reads UTF-16 LE with BOM and tabs, as Excel saves "Unicode text"', async () => {
    t = await startTestApp();
    const text = 'Nombre\tCelular\tCiudad\r\nJosé Núñez\t55 1234 5678\tCDMX\r\nMaría\t"81 2345 6789"\tMonterrey\r\n';
    const file = path.join(tempDir(), 'unicode.txt');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]));
    const preview = await t.call<FilePreview>('contacts.preview', { uploadId: await t.upload(file) });
    expect(preview).toMatchObject({ encoding: 'utf16le', delimiter: '\t', headers: ['Nombre', 'Celular', 'Ciudad'] });
    const done = await t.importFile(file);
    expect(done.summary).toMatchObject({ imported: 2, rejected: 0 });
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 10 });
    expect(rows.map((r) => [r.name, r.phone])).toEqual([
      ['José Núñez', '+525512345678'],
      ['María', '+528123456789'],
    ]);
  });

  it('reads pipes, quotes with line breaks, LF endings; explains numbers in scientific notation', async () => {
    t = await startTestApp();
    const text = 'Nombre|Tel|Nota\n"Ana\nRuiz"|5512345678|"dice ""hola"" | adiós"\nBeto|5.21551E+12|x\n';
    const file = path.join(tempDir(), 'pipes.csv');
    fs.writeFileSync(file, text);
    const done = await t.importFile(file);
    expect(done.summary).toMatchObject({ imported: 1, rejected: 1 });
    expect(done.summary?.rejects).toEqual([expect.objectContaining({ rowNumber: 3, reason: 'scientific_notation' })]);
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 10 });
    expect(rows[0]).toMatchObject({ name: 'Ana\nRuiz', fields: { Nota: 'dice "hola" | adiós' } });
  });

  it('proposes the sheet with the phones and the header below title rows; the user may choose others', async () => {
    t = await startTestApp();
    const file = path.join(tempDir(), 'libro.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Portada');
    const datos = wb.addWorksheet('Datos');
    datos.addRow(['Clientes de la tienda — 2024']);
    datos.addRow([]);
    datos.addRow(['Cliente', 'WhatsApp', 'Total']);
    datos.addRow(['Lucía', 5512345678, { formula: 'B4*0+10', result: 10 }]);
    datos.addRow(['Mario', '33 2345 6789', { formula: '5+5', result: 10 }]);
    const otra = wb.addWorksheet('Otra');
    otra.addRow(['Nombre', 'Tel']);
    otra.addRow(['Zoe', '8187654321']);
    await wb.xlsx.writeFile(file);

    const uploadId = await t.upload(file);
    const preview = await t.call<FilePreview>('contacts.preview', { uploadId });
    expect(preview.sheets).toEqual([
      { name: 'Portada', empty: true, rows: 0, phones: 0 },
      { name: 'Datos', empty: false, rows: 4, phones: 2 },
      { name: 'Otra', empty: false, rows: 2, phones: 1 },
    ]);
    expect(preview.contactsSheet).toBe('Datos');
    expect(preview).toMatchObject({ sheet: 'Datos', headerRow: 3, headers: ['Cliente', 'WhatsApp', 'Total'], suggested: { phoneColumn: 1, nameColumn: 0 } });
    // Empty rows are not in the file at all: only the title stands above the header.
    expect(preview.aboveHeader.map((r) => [r.rowNumber, r.cells[0]])).toEqual([[1, 'Clientes de la tienda — 2024']]);
    expect(preview.rows.map((r) => r.cells)).toEqual([
      ['Lucía', '5512345678', '10'],
      ['Mario', '33 2345 6789', '10'],
    ]);
    const other = await t.call<FilePreview>('contacts.preview', { uploadId, sheet: 'Otra' });
    expect(other.rows.map((r) => r.cells)).toEqual([['Zoe', '8187654321']]);

    const done = await t.importFile(file);
    expect(done.summary).toMatchObject({ imported: 2, totalRows: 2 });
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 10 });
    expect(rows.map((r) => [r.name, r.phone, r.fields.Total])).toEqual([
      ['Lucía', '+525512345678', '10'],
      ['Mario', '+523323456789', '10'],
    ]);
  });
});
