import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ImportRun, previewFile } from '../../../electron/contacts';
import { openDatabase } from '../../../electron/db';
import { tempDir } from '../../helpers/temp-dir';
import { writeZip } from '../../helpers/zip-writer';

const NS = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** A workbook as the OpenXML SDK (and many CRMs built on it) writes one: `x:` prefixes, sheets before shared strings. */
function sdkWorkbook(file: string): void {
  writeZip(file, [
    ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
    ['_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>'],
    [
      'xl/workbook.xml',
      `<?xml version="1.0"?><x:workbook ${NS}><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Léeme" sheetId="1" r:id="rId1"/><x:sheet name="Clientes &amp; prospectos" sheetId="2" r:id="rId2"/></x:sheets></x:workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/hoja1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/hoja2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    ],
    ['xl/worksheets/hoja1.xml', `<?xml version="1.0"?><x:worksheet ${NS}><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`],
    [
      'xl/worksheets/hoja2.xml',
      `<?xml version="1.0"?><x:worksheet ${NS}><x:sheetData>
        <x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Lista de clientes 2026</x:t></x:is></x:c></x:row>
        <x:row r="3"><x:c r="A3" t="s"><x:v>1</x:v></x:c><x:c r="B3" t="s"><x:v>2</x:v></x:c><x:c r="C3" t="s"><x:v>3</x:v></x:c><x:c r="E3" t="s"><x:v>4</x:v></x:c></x:row>
        <x:row r="4"><x:c r="A4" t="s"><x:v>5</x:v></x:c><x:c r="B4"><x:v>5512345678</x:v></x:c><x:c r="C4" s="1"><x:v>45000</x:v></x:c><x:c r="E4" t="b"><x:v>1</x:v></x:c></x:row>
        <x:row><x:c t="inlineStr"><x:is><x:r><x:t>Jos</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>é &lt;Pepe&gt;</x:t></x:r></x:is></x:c><x:c t="str"><x:f>"+52 1 81 "&amp;"2345 6789"</x:f><x:v>+52 1 81 2345 6789</x:v></x:c><x:c s="2"><x:v>12.5</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c t="inlineStr"><x:is><x:t>&#xE9;xito &#233;</x:t></x:is></x:c></x:row>
      </x:sheetData></x:worksheet>`,
    ],
    [
      'xl/sharedStrings.xml',
      `<?xml version="1.0"?><x:sst ${NS} count="6" uniqueCount="6"><x:si><x:t>Esta hoja explica el archivo.</x:t></x:si><x:si><x:t>Nombre</x:t></x:si><x:si><x:t>Celular</x:t></x:si><x:si><x:t>Alta</x:t></x:si><x:si><x:t>Activo</x:t></x:si><x:si><x:r><x:t>Ana </x:t></x:r><x:r><x:t>Núñez</x:t></x:r><x:rPh sb="0" eb="1"><x:t>アナ</x:t></x:rPh></x:si></x:sst>`,
    ],
    [
      'xl/styles.xml',
      `<?xml version="1.0"?><x:styleSheet ${NS}><x:numFmts count="1"><x:numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></x:numFmts><x:cellXfs count="3"><x:xf numFmtId="0"/><x:xf numFmtId="164"/><x:xf numFmtId="2"/></x:cellXfs></x:styleSheet>`,
    ],
  ]);
}

describe('workbooks as other programs write them, read in place from the zip', () => {
  it('reads prefixes, inline and rich text, entities, formulas, booleans, errors, 1904 dates and sparse rows', async () => {
    const file = path.join(tempDir(), 'crm.xlsx');
    sdkWorkbook(file);
    const preview = await previewFile(file, { sheet: 'Clientes & prospectos' });
    expect(preview.sheets).toEqual([
      { name: 'Léeme', empty: false, rows: 1, phones: 0 },
      { name: 'Clientes & prospectos', empty: false, rows: 4, phones: 2 },
    ]);
    expect(preview.contactsSheet).toBe('Clientes & prospectos');
    expect(preview.headerRow).toBe(3);
    expect(preview.headers).toEqual(['Nombre', 'Celular', 'Alta', 'Columna 4', 'Activo']);
    expect(preview.rows).toEqual([
      // 45000 is 2023-03-15 in the 1900 system; in this workbook's 1904 system, 1462 days later.
      { rowNumber: 4, cells: ['Ana Núñez', '5512345678', '2027-03-16', '', 'TRUE'] },
      { rowNumber: 5, cells: ['José <Pepe>', '+52 1 81 2345 6789', '12.5', '', 'éxito é'] },
    ]);
  });

  it('an import of a workbook whose sheets come before its shared strings leaves nothing in the temp folder', async () => {
    const tmp = tempDir('whatzme-tmp-');
    const dir = tempDir();
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      expect(os.tmpdir()).toBe(tmp);
      const file = path.join(dir, 'clientes.xlsx');
      // The streaming writer puts the shared strings after the sheet: the order that made the old reader park the
      // sheet's XML (every phone) in the temp folder.
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
      const sheet = workbook.addWorksheet('Clientes');
      sheet.addRow(['Nombre', 'Celular']).commit();
      for (let i = 0; i < 3000; i++) sheet.addRow([`Cliente ${i}`, `55 ${String(20_000_000 + i)}`]).commit();
      sheet.commit();
      await workbook.commit();
      const db = openDatabase(path.join(dir, 'whatzme.db'));
      const preview = await previewFile(file);
      const request = { file, fileName: 'clientes.xlsx', sheet: preview.sheet, headerRow: 1, headers: preview.headers, phoneColumn: 1, nameColumn: 0, fieldColumns: [], defaultCountry: 'MX' as const, list: { name: 'Clientes' } };
      const outcome = await new ImportRun(db, 1, request, () => 1).run(() => undefined);
      db.close();
      expect(outcome).toMatchObject({ imported: 3000, rejected: 0 });
      // tsx (which runs our TypeScript in tests) keeps its compile cache there; the app's bundle has no tsx.
      expect(fs.readdirSync(tmp).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
      expect(fs.readdirSync(path.join(dir, 'imports'))).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });
});

describe('a zip bomb named .xlsx (#29 item 8)', () => {
  it('is refused as a damaged file before it is inflated: the preview stays small', async () => {
    const file = path.join(tempDir(), 'bomba.xlsx');
    // 200 MB of shared strings that deflate to about 0.2 MB, as the probe's 0.7 MB file expanding to 700 MB.
    const strings = Buffer.alloc(200 * 1024 * 1024, 0x20);
    writeZip(file, [
      ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'],
      ['_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>'],
      ['xl/workbook.xml', `<?xml version="1.0"?><x:workbook ${NS}><x:sheets><x:sheet name="Hoja1" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`],
      ['xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'],
      ['xl/worksheets/sheet1.xml', `<?xml version="1.0"?><x:worksheet ${NS}><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`],
      ['xl/sharedStrings.xml', Buffer.concat([Buffer.from(`<?xml version="1.0"?><x:sst ${NS}><x:si><x:t>`), strings, Buffer.from('</x:t></x:si></x:sst>')])],
    ]);
    expect(fs.statSync(file).size).toBeLessThan(2 * 1024 * 1024);
    const before = process.memoryUsage().rss;
    await expect(previewFile(file)).rejects.toMatchObject({ code: 'file_corrupt' });
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  }, 60_000);
});
