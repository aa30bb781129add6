import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact, ImportSummary } from '../../../shared/contacts';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { request } from '../../helpers/http';
import { TESTDATA } from '../../helpers/paths';

type Expected = { file: string; rows: { row: number; expect: string }[] };
const expected = JSON.parse(fs.readFileSync(path.join(TESTDATA, 'contacts', 'expected.json'), 'utf8')) as Expected[];

let t: TestApp;
afterEach(async () => t.close());

describe.each(expected)('importing $file', ({ file, rows }) => {
  it('gives every row the result expected.json asks for', async () => {
    t = await startTestApp();
    const finished = await t.importFile(path.join(TESTDATA, 'contacts', file));
    expect(finished.status).toBe('done');
    const summary = finished.summary as ImportSummary;
    const all = await t.call<{ total: number; rows: Contact[] }>('contacts.query', { offset: 0, limit: 500 });
    const phones = new Set(all.rows.map((c) => c.phone));

    for (const { row, expect: want } of rows) {
      const reject = summary.rejects.find((r) => r.rowNumber === row);
      if (want === 'rejected') {
        expect(reject, `row ${row}`).toBeDefined();
        expect(reject?.reason, `row ${row}`).not.toBe('duplicate');
      } else if (want.startsWith('dup:')) {
        expect(reject, `row ${row}`).toMatchObject({ reason: 'duplicate', duplicateOf: Number(want.slice(4)) });
      } else {
        expect(reject, `row ${row} should not be refused`).toBeUndefined();
        expect(phones.has(want), `row ${row} → ${want}`).toBe(true);
      }
    }
    const wanted = new Set(rows.map((r) => r.expect).filter((e) => e.startsWith('+')));
    expect(phones).toEqual(wanted);
    expect(summary).toMatchObject({
      imported: wanted.size,
      updated: 0,
      duplicates: rows.filter((r) => r.expect.startsWith('dup:')).length,
      rejected: rows.filter((r) => r.expect === 'rejected').length,
      totalRows: rows.length,
    });
    const lists = await t.call<{ name: string; count: number }[]>('lists.list');
    expect(lists).toEqual([expect.objectContaining({ name: file, count: wanted.size })]);
  });
});

describe('what an import keeps', () => {
  it('keeps names and every other column as fields, in the right encoding', async () => {
    t = await startTestApp();
    await t.importFile(path.join(TESTDATA, 'contacts', 'clientes_excel_1252_puntoycoma.csv'));
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 50, search: 'Peña' });
    expect(rows).toEqual([
      expect.objectContaining({ name: 'Raúl Peña', phone: '+525522223333', fields: { EMPRESA: 'Ferretería El Tornillo; Sucursal Norte' } }),
    ]);
    expect(await t.call('contacts.fields')).toEqual(['EMPRESA', 'NOTAS']);
  });

  it('reads XLSX numbers without losing digits and dates as dates', async () => {
    t = await startTestApp();
    await t.importFile(path.join(TESTDATA, 'contacts', 'clientes.xlsx'));
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 50, search: 'Pedro' });
    expect(rows[0]).toMatchObject({ phone: '+525512345670', name: 'Pedro Infante', fields: { Alta: '2024-03-01', Compras: '3' } });
  });

  it('updates a contact already in the database, adds the list, never duplicates and never clears an opt-out', async () => {
    t = await startTestApp();
    const file = path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv');
    await t.importFile(file);
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 50, search: '5512345678' });
    const jose = rows[0] as Contact;
    await t.call('contacts.optOut', { id: jose.id });
    await t.call('contacts.update', { id: jose.id, fields: { Ciudad: 'CDMX', Nota: 'VIP' } });

    const again = await t.importFile(file, { list: { name: 'Segunda' } });
    expect(again.summary).toMatchObject({ imported: 0, updated: 6 });
    const total = await t.call<{ total: number }>('contacts.query', { offset: 0, limit: 1 });
    expect(total.total).toBe(6);
    const detail = await t.call<Contact & { lists: { name: string }[] }>('contacts.get', { id: jose.id });
    expect(detail.optedOut).toBe(true);
    expect(detail.fields).toMatchObject({ Ciudad: 'CDMX', Nota: 'VIP', Saldo: '1,250.00' });
    expect(detail.lists.map((l) => l.name).sort()).toEqual(['Segunda', 'clientes_utf8_bom_coma.csv']);
  });

  it('offers the refused rows as a CSV with row, reason in Spanish and the original columns', async () => {
    t = await startTestApp();
    const finished = await t.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    const download = await t.call<{ url: string; fileName: string }>('contacts.importRejectsFile', { importId: finished.summary?.importId });
    expect(download.fileName).toBe('clientes_utf8_bom_coma - filas rechazadas.csv');
    const reply = await request(t.server.port, { path: download.url, headers: { Authorization: `Bearer ${t.server.token}` } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toContain("filename*=UTF-8''clientes_utf8_bom_coma%20-%20filas%20rechazadas.csv");
    const lines = reply.body.replace(/^\ufeff/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('Fila,Motivo,Nombre,Teléfono,Ciudad,Saldo');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['6', '7']);
    expect(lines[1]).toContain('No tiene teléfono.');
    expect(lines[2]).toContain('Al teléfono le faltan dígitos');
    expect(lines[2]).toContain('Número Corto,12345,Puebla,0');
  });
});
