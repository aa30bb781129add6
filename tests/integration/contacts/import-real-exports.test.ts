import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact, FilePreview } from '../../../shared/contacts';
import { readmeWorkbook } from '../../helpers/export-shapes';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The columns of a Google Contacts export ("Google CSV"), in its order, with the values it writes. */
const GOOGLE_HEADER =
  'Name,Given Name,Additional Name,Family Name,Yomi Name,Given Name Yomi,Additional Name Yomi,Family Name Yomi,Name Prefix,Name Suffix,Initials,Nickname,Short Name,Maiden Name,Birthday,Gender,Location,Billing Information,Directory Server,Mileage,Occupation,Hobby,Sensitivity,Priority,Subject,Notes,Language,Photo,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Organization 1 - Type,Organization 1 - Name';

function googleRow(name: string, given: string, family: string, email: string, phone1Type: string, phone1: string, phone2Type = '', phone2 = ''): string {
  const cells = [name, given, '', family, ...new Array<string>(24).fill(''), '* myContacts ::: Clientes', '* Home', email, phone1Type, phone1, phone2Type, phone2, '', ''];
  return cells.map((c) => (/[,"]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',');
}

describe('real exports get to their contacts: read-me sheets, title rows, Google Contacts', () => {
  it('a workbook whose first sheet is a read-me reaches its contacts on the second sheet, under a title row', async () => {
    t = await startTestApp();
    const file = await readmeWorkbook(tempDir());
    const uploadId = await t.upload(file);
    const preview = await t.call<FilePreview>('contacts.preview', { uploadId });
    expect(preview).toMatchObject({ sheet: 'Contactos', contactsSheet: 'Contactos', headerRow: 2, headers: ['ID', 'Cliente', 'Celular', 'Correo', 'Ciudad'] });
    expect(preview.sheets.map((s) => [s.name, s.phones])).toEqual([
      ['Léeme', 0],
      ['Contactos', 12],
    ]);
    expect(preview.suggested).toMatchObject({ phoneColumn: 2, nameColumn: 1, phone: { column: 2, matching: 12, sampled: 12 } });
    expect(preview.columns.map((c) => c.kind)).toEqual(['number', 'name', 'phone', 'email', 'name']);
    // The read-me sheet picked by hand has no rows to import: said so, and the wizard keeps its sheet picker.
    await expect(t.call('contacts.preview', { uploadId, sheet: 'Léeme' })).rejects.toMatchObject({ code: 'file_no_data' });
    const done = await t.importFile(file, { list: { name: 'CRM' } });
    expect(done.summary).toMatchObject({ imported: 12, rejected: 0 });
  });

  it('a Google Contacts export: the phone is the column whose cells are phones, multi-value cells give their first number and keep the rest', async () => {
    t = await startTestApp();
    const file = path.join(tempDir(), 'contacts.csv');
    const rows = [
      googleRow('Ana Ruiz', 'Ana', 'Ruiz', 'ana@gmail.com', 'Mobile', '+52 1 33 4455 6677 ::: +52 33 9999 0000', 'Work', '+52 33 1111 2222'),
      googleRow('Beto Díaz', 'Beto', 'Díaz', 'beto@gmail.com', 'Mobile', '+52 55 2345 6789'),
      googleRow('Carla Núñez', 'Carla', 'Núñez', 'carla@gmail.com ::: carla@empresa.mx', 'Home', '81 2345 6789', 'Mobile', '+52 1 81 9876 5432'),
      googleRow('Dario Paz', 'Dario', 'Paz', '', 'Mobile', '+52 1 222 333 4444 ::: 222 555 6666 ::: +1 415 555 0100'),
    ];
    fs.writeFileSync(file, `${GOOGLE_HEADER}\n${rows.join('\n')}\n`);
    const uploadId = await t.upload(file);
    const preview = await t.call<FilePreview>('contacts.preview', { uploadId });
    const headers = GOOGLE_HEADER.split(',');
    expect(headers[preview.suggested.phoneColumn ?? -1]).toBe('Phone 1 - Value');
    expect(preview.suggested.phone).toMatchObject({ matching: 4, sampled: 4, byTitle: true });
    expect(headers[preview.suggested.nameColumn ?? -1]).toBe('Name');
    expect(preview.columns[headers.indexOf('Phone 1 - Type')]?.kind).not.toBe('phone');

    const done = await t.importFile(file, { list: { name: 'Google' }, fieldColumns: [headers.indexOf('E-mail 1 - Value'), headers.indexOf('Phone 2 - Value')] });
    expect(done.summary).toMatchObject({ imported: 4, rejected: 0 });
    const { rows: stored } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 10 });
    const byName = Object.fromEntries(stored.map((c) => [c.name, c]));
    expect(byName['Ana Ruiz']).toMatchObject({ phone: '+523344556677', fields: { 'Phone 1 - Value (otros)': '+52 33 9999 0000', 'Phone 2 - Value': '+52 33 1111 2222' } });
    expect(byName['Dario Paz']).toMatchObject({ phone: '+522223334444', fields: { 'Phone 1 - Value (otros)': '222 555 6666, +1 415 555 0100' } });
    expect(byName['Beto Díaz']?.fields).not.toHaveProperty('Phone 1 - Value (otros)');
    expect(await t.call('contacts.fields')).toEqual(['E-mail 1 - Value', 'Phone 1 - Value (otros)', 'Phone 2 - Value']);
  });
});
