import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact, FilePreview } from '../../../shared/contacts';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A CRM export `width` columns wide, mostly empty: the name in column 3, the phone in column 1,501, a few fields. */
function wideCsv(width: number, rows = 200): string {
  const header = Array.from({ length: width }, (_, i) => (i === 2 ? 'Nombre' : i === 1500 ? 'Móvil' : i === 40 ? 'Ciudad' : i === 1999 ? 'Último pedido' : `Campo ${i + 1}`));
  const lines = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const cells = new Array<string>(width).fill('');
    cells[2] = `Cliente ${r}`;
    cells[1500] = `55 ${String(40_000_000 + r * 3)}`;
    cells[40] = 'Puebla';
    if (width > 1999) cells[1999] = `2026-11-${String((r % 28) + 1).padStart(2, '0')}`;
    lines.push(cells.join(','));
  }
  const file = path.join(tempDir(), `ancho_${width}.csv`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

describe('wide files: any number of columns up to 5,000, and only mapped columns become fields', () => {
  it('imports a 2,000-column export with its phone in column 1,501', async () => {
    t = await startTestApp();
    const file = wideCsv(2000);
    const uploadId = await t.upload(file);
    const preview = await t.call<FilePreview>('contacts.preview', { uploadId });
    expect(preview.headers).toHaveLength(2000);
    expect(preview.suggested).toMatchObject({ phoneColumn: 1500, nameColumn: 2 });
    // Every other column as a field, as the wizard's default was: accepted now (it was refused above 500).
    const all = await t.importFile(file, { list: { name: 'Todo' }, fieldColumns: Array.from({ length: 2000 }, (_, i) => i).filter((i) => i !== 1500 && i !== 2) });
    expect(all.summary).toMatchObject({ imported: 200, rejected: 0 });
    await t.close();

    // What the wizard sends for a wide file: the columns with something in them.
    t = await startTestApp();
    const mapped = await t.importFile(file, { list: { name: 'Mapeadas' }, fieldColumns: [40, 1999] });
    expect(mapped.summary).toMatchObject({ imported: 200, rejected: 0 });
    expect(await t.call('contacts.fields')).toEqual(['Ciudad', 'Último pedido']);
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 1 });
    expect(rows[0]).toMatchObject({ name: 'Cliente 0', phone: '+525540000000', fields: { Ciudad: 'Puebla', 'Último pedido': '2026-11-01' } });
  });

  it('a file wider than 5,000 columns is refused with its reason, before anything is written', async () => {
    t = await startTestApp();
    const uploadId = await t.upload(wideCsv(5001, 3));
    await expect(t.call('contacts.preview', { uploadId })).rejects.toMatchObject({ code: 'file_too_wide' });
    await expect(
      t.call('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1500, nameColumn: 2, fieldColumns: [], defaultCountry: 'MX', list: { name: 'X' } }),
    ).rejects.toMatchObject({ code: 'file_too_wide' });
    expect(await t.call('lists.list')).toEqual([]);
  });
});
