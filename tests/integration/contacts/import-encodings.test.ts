import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact, ImportSummary } from '../../../shared/contacts';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const NAMES = ['María Peña', 'José Núñez', 'Begoña Ibáñez', 'Ramón Güemes'];

/**
 * A UTF-8 list with Windows-1252 lines pasted in: some among the first 64 KB (where the format is detected), some
 * far after it, as when two exports are glued together.
 */
function mixedFile(): { file: string; latinRows: number } {
  const lines: Buffer[] = [Buffer.from('Nombre,Teléfono,Colonia\n', 'utf8')];
  let latinRows = 0;
  for (let i = 0; i < 6000; i++) {
    const line = `${NAMES[i % NAMES.length]} ${i},55${String(30_000_000 + i * 7)},Peñón ${i % 9}\n`;
    const latin = i % 500 === 7 || (i > 4000 && i % 97 === 0);
    if (latin) latinRows += 1;
    lines.push(latin ? iconv.encode(line, 'win1252') : Buffer.from(line, 'utf8'));
  }
  const file = path.join(tempDir(), 'pegado.csv');
  fs.writeFileSync(file, Buffer.concat(lines));
  return { file, latinRows };
}

describe('encodings line by line, and files that are no text at all', () => {
  it('a UTF-8 file with some Windows-1252 lines reads every line right, and the summary says how many were repaired', async () => {
    t = await startTestApp();
    const { file, latinRows } = mixedFile();
    expect(fs.statSync(file).size).toBeGreaterThan(64 * 1024);
    const uploadId = await t.upload(file);
    expect(await t.call('contacts.preview', { uploadId })).toMatchObject({ encoding: 'utf8' });
    const done = await t.importFile(file, { list: { name: 'Pegado' } });
    const summary = done.summary as ImportSummary;
    expect(summary).toMatchObject({ imported: 6000, rejected: 0, repairedLines: latinRows });
    expect(latinRows).toBeGreaterThan(20);
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 500 });
    for (const contact of rows) {
      expect(contact.name).toMatch(/^(María Peña|José Núñez|Begoña Ibáñez|Ramón Güemes) \d+$/);
      expect(contact.fields.Colonia).toMatch(/^Peñón \d$/);
    }
    // The repaired lines far past the first 64 KB too.
    const late = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 5, search: '4074' });
    expect(late.rows.map((c) => c.name)).toContain('Begoña Ibáñez 4074');
    expect(await t.call('contacts.importSummary', { importId: summary.importId })).toMatchObject({ repairedLines: latinRows });
  });

  it('a pure Windows-1252 file is read as such, with nothing to repair', async () => {
    t = await startTestApp();
    const file = path.join(tempDir(), 'excel.csv');
    fs.writeFileSync(file, iconv.encode(['Nombre;Teléfono', ...NAMES.map((n, i) => `${n};55 1234 56${i}0`)].join('\r\n'), 'win1252'));
    const done = await t.importFile(file, { list: { name: 'Excel' } });
    expect(done.summary).toMatchObject({ imported: 4, repairedLines: 0 });
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 10 });
    expect(rows.map((c) => c.name).sort()).toEqual([...NAMES].sort());
  });

  it('a binary file without NUL bytes is refused before anything is written', async () => {
    t = await startTestApp();
    // Random bytes with every NUL replaced: what a compressed or encrypted file looks like to a text sniffer.
    const bytes = crypto.randomBytes(20_000).map((b) => (b === 0 ? 1 : b));
    const file = path.join(tempDir(), 'respaldo.dat');
    fs.writeFileSync(file, bytes);
    const uploadId = await t.upload(file);
    await expect(t.call('contacts.preview', { uploadId })).rejects.toMatchObject({ code: 'file_unsupported' });
    await expect(
      t.call('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 0, nameColumn: null, fieldColumns: [1, 2, 3, 4, 5], defaultCountry: 'MX', list: { name: 'Basura' } }),
    ).rejects.toMatchObject({ code: 'file_unsupported' });
    expect(await t.call('lists.list')).toEqual([]);
    expect(await t.call('contacts.fields')).toEqual([]);
  });
});
