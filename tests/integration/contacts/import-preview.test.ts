import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmReader } from '../../../electron/contacts';
import type { EventPayload } from '../../../shared/contract';
import type { FilePreview } from '../../../shared/contacts';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const HEADER = 'Nombre,Teléfono,Ciudad';
const rows = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i},55 ${String(70_000_000 + i).padStart(8, '0')},CDMX`);

/** Through the HTTP API as the wizard goes: upload, preview, then the import with `fieldColumns` as the user left them. */
async function previewThenImport(app: TestApp, file: string, list: string, fieldColumns: (preview: FilePreview) => number[]) {
  const uploadId = await app.upload(file);
  const preview = await app.call<FilePreview>('contacts.preview', { uploadId });
  // The user looks at the mapping meanwhile; then the upload changes under the app (an upload never does: this
  // only shows which rows the import saves — those the preview read, or the file as it is at the import).
  await warmReader.whenReady();
  const imports = path.join(app.dataDir, 'imports');
  const staged = fs.readdirSync(imports);
  fs.writeFileSync(app.app.files.upload(uploadId).path, `${HEADER}\n${rows('Después', 10).join('\n')}\n`);
  const finished = new Promise<EventPayload<'contacts.importFinished'>>((resolve) => {
    const off = app.app.bus.subscribe((e) => e.event === 'contacts.importFinished' && (off(), resolve(e.payload)));
  });
  const { phoneColumn, nameColumn } = preview.suggested;
  await app.call('contacts.import', { uploadId, sheet: preview.sheet, headerRow: preview.headerRow, phoneColumn, nameColumn, fieldColumns: fieldColumns(preview), defaultCountry: 'MX', list: { name: list } });
  return { staged, outcome: await finished };
}

describe('the preview reads and stages the file while the user looks at the mapping', () => {
  it('an import with the suggested mapping saves the rows the preview read; a changed mapping reads the file; nothing is left in imports/', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'clientes.csv');
    fs.writeFileSync(file, `${HEADER}\n${rows('Antes', 2000).join('\n')}\n`);
    t = await startTestApp();
    const imports = path.join(t.dataDir, 'imports');

    const suggested = await previewThenImport(t, file, 'Sugerida', (p) => p.headers.map((_, i) => i).filter((i) => i !== p.suggested.phoneColumn && i !== p.suggested.nameColumn));
    expect(suggested.staged).toEqual([expect.stringMatching(/^warm-[0-9a-f-]+\.db$/)]);
    expect(suggested.outcome).toMatchObject({ status: 'done', summary: { imported: 2000, totalRows: 2000 } });
    expect(t.app.db.prepare("SELECT COUNT(*) FROM contacts WHERE name LIKE 'Antes %'").pluck().get()).toBe(2000);
    await vi.waitFor(() => expect(fs.readdirSync(imports)).toEqual([]));

    // The city left out: the preview's rows are not these, and the import reads the upload as it is now.
    const changed = await previewThenImport(t, file, 'Sin ciudad', () => []);
    expect(changed.outcome).toMatchObject({ status: 'done', summary: { totalRows: 10, imported: 0, updated: 10 } });
    expect(t.app.db.prepare("SELECT COUNT(*) FROM contacts WHERE name LIKE 'Después %'").pluck().get()).toBe(10);
    await vi.waitFor(() => expect(fs.readdirSync(imports)).toEqual([]));
  });
});
