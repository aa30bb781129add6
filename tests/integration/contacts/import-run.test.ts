import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImportRun, previewFile, warmReader, warmUpRequest } from '../../../electron/contacts';
import { stagingDir, warmStagingFile } from '../../../electron/contacts/import/staging-files';
import { openDatabase, type Db } from '../../../electron/db';
import { tempDir } from '../../helpers/temp-dir';

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

const HEADERS = ['Nombre', 'Teléfono', 'Ciudad'];

function importFile(d: Db, file: string, list: { id: number } | { name: string }, sortedFrom?: number) {
  const request = { file, fileName: path.basename(file), sheet: null, headerRow: 1, headers: HEADERS, phoneColumn: 1, nameColumn: 0, fieldColumns: [2], defaultCountry: 'MX' as const, list };
  return new ImportRun(d, 1, request, () => 1000, sortedFrom).run(() => undefined);
}

function csv(dir: string, name: string, rows: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${HEADERS.join(',')}\n${rows.join('\n')}\n`);
  return file;
}

/** 60,000 contacts with ten more columns (Campo 1…10, values v0…v9). */
function twelveColumns(dir: string, name: string): string {
  const file = path.join(dir, name);
  const titles = ['Nombre', 'Teléfono', ...Array.from({ length: 10 }, (_, c) => `Campo ${c + 1}`)];
  const cells = Array.from({ length: 10 }, (_, c) => `v${c}`).join(',');
  fs.writeFileSync(file, `${titles.join(',')}\n${Array.from({ length: 60_000 }, (_, i) => `Cliente ${i},55 ${String(50_000_000 + i).padStart(8, '0')},${cells}`).join('\n')}\n`);
  return file;
}

describe('an import run (reader thread + staging + merge) on a real database file', () => {
  it('merges a large file in phone order with the same result as in file order', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 12_000 }, (_, i) => `Cliente ${i},55 ${String(90_000_000 - i * 7).padStart(8, '0')},Ciudad ${i % 5}`);
    const file = csv(dir, 'clientes.csv', rows);
    const results = [];
    for (const sortedFrom of [Number.MAX_SAFE_INTEGER, 0]) {
      db = openDatabase(path.join(dir, `orden-${sortedFrom}.db`));
      const first = await importFile(db, file, { name: 'Todos' }, sortedFrom);
      // The same file again into a second list: everyone is updated, nobody duplicated, everyone in both lists.
      const again = await importFile(db, file, { name: 'Otra vez' }, sortedFrom);
      expect(first).toMatchObject({ imported: 12_000, updated: 0 });
      expect(again).toMatchObject({ imported: 0, updated: 12_000 });
      const stored = db.prepare('SELECT phone, name, fields FROM contacts ORDER BY phone').all();
      const members = db.prepare('SELECT l.name, COUNT(*) AS n FROM list_members m JOIN lists l ON l.id = m.list_id GROUP BY l.name ORDER BY l.name').all();
      const idOrder = db.prepare('SELECT name FROM contacts ORDER BY id LIMIT 3').pluck().all();
      results.push({ stored, members, idOrder });
      db.close();
      db = undefined;
    }
    const [fileOrder, phoneOrder] = results;
    expect(phoneOrder?.stored).toEqual(fileOrder?.stored);
    expect(phoneOrder?.members).toEqual([{ name: 'Otra vez', n: 12_000 }, { name: 'Todos', n: 12_000 }]);
    expect(fileOrder?.members).toEqual(phoneOrder?.members);
    // File order keeps the spreadsheet's order; phone order puts the lowest phone (the file's last row) first.
    expect(fileOrder?.idOrder).toEqual(['Cliente 0', 'Cliente 1', 'Cliente 2']);
    expect(phoneOrder?.idOrder).toEqual(['Cliente 11999', 'Cliente 11998', 'Cliente 11997']);
  });

  it('an import takes the reader thread warmed at the preview, and one left unused is ended', async () => {
    const dir = tempDir();
    const file = csv(dir, 'tibio.csv', Array.from({ length: 3000 }, (_, i) => `Cliente ${i},55 ${String(40_000_000 + i).padStart(8, '0')},CDMX`));
    db = openDatabase(path.join(dir, 'whatzme.db'));
    warmReader.warm();
    await warmReader.whenReady();
    expect(warmReader.waiting).toBe(true);
    expect(await importFile(db, file, { name: 'Tibio' })).toMatchObject({ imported: 3000, rejected: 0 });
    // Taken by that import: the next one starts its own unless a preview warms another.
    expect(warmReader.waiting).toBe(false);
    expect(db.prepare('SELECT COUNT(*) FROM list_members').pluck().get()).toBe(3000);
    warmReader.warm();
    await warmReader.drop();
    expect(warmReader.waiting).toBe(false);
    // Without a warm thread the import starts one, as before.
    expect(await importFile(db, csv(dir, 'frio.csv', ['Ana,55 1234 5678,CDMX']), { name: 'Frío' })).toMatchObject({ imported: 1 });
  });

  it('a warm thread warms up on the previewed file, writes nothing, and an import taken mid-warm-up reads it all', async () => {
    const dir = tempDir();
    // Twelve columns: the warm-up's 600,000 cells are its first 50,000 rows (its 100,000-row bound is for narrow files).
    const file = twelveColumns(dir, 'grande.csv');
    const preview = await previewFile(file);
    db = openDatabase(path.join(dir, 'whatzme.db'));
    // Warmed on the first 50,000 rows (up to one read batch more), then waiting: nothing of it in the database.
    warmReader.warm(warmUpRequest(file, preview));
    const warmed = await warmReader.whenReady();
    expect(warmed).toBeGreaterThanOrEqual(50_000);
    expect(warmed).toBeLessThan(60_000);
    expect(db.prepare('SELECT COUNT(*) FROM contacts').pluck().get()).toBe(0);
    expect(await importFile(db, file, { name: 'Grande' })).toMatchObject({ imported: 60_000, rejected: 0 });

    // A task that comes while the thread is still warming up ends the warm-up, and the import still reads every row.
    warmReader.warm(warmUpRequest(file, preview));
    const again = await importFile(db, file, { name: 'Otra vez' });
    expect(again).toMatchObject({ imported: 0, updated: 60_000, rejected: 0 });
    expect(db.prepare('SELECT COUNT(*) FROM list_members').pluck().get()).toBe(120_000);

    // Without a file, or with one gone since its preview, the thread warms up on nothing and still serves an import.
    warmReader.warm();
    expect(await warmReader.whenReady()).toBe(0);
    await warmReader.drop();
    const gone = csv(dir, 'borrado.csv', ['Ana,55 1234 5678,CDMX']);
    const gonePreview = await previewFile(gone);
    fs.rmSync(gone);
    warmReader.warm(warmUpRequest(gone, gonePreview));
    expect(await warmReader.whenReady()).toBe(0);
    expect(warmReader.waiting).toBe(true);
    expect(await importFile(db, csv(dir, 'otro.csv', ['Beto,55 8765 4321,GDL']), { name: 'Otro' })).toMatchObject({ imported: 1 });
    expect(warmReader.waiting).toBe(false);
  });

  it('with the mapping as suggested, an import takes the rows its preview staged (read whole, never again); any other mapping reads the file itself', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 3000 }, (_, i) => `Cliente ${i},55 ${String(60_000_000 + i).padStart(8, '0')},CDMX`);
    const file = csv(dir, 'previa.csv', [...rows, 'Sin número,12,CDMX', 'Repetido,55 6000 0000,CDMX']);
    const preview = await previewFile(file);
    const request = warmUpRequest(file, preview);
    db = openDatabase(path.join(dir, 'whatzme.db'));
    const imports = stagingDir(db);
    const staging = warmStagingFile(imports);
    warmReader.warm(request, staging);
    expect(await warmReader.whenReady()).toBe(3002);
    expect(fs.existsSync(staging)).toBe(true);
    expect(db.prepare('SELECT COUNT(*) FROM contacts').pluck().get()).toBe(0);
    // The file changes after the preview (an upload never does): what is imported is what the preview read.
    fs.writeFileSync(file, `${HEADERS.join(',')}\nOtra,55 1111 2222,GDL\n`);
    const taken = await new ImportRun(db, 1, { ...request, fileName: 'previa.csv', list: { name: 'Previa' } }, () => 1000).run(() => undefined);
    expect(taken).toMatchObject({ rowsRead: 3002, imported: 3000, rejected: 1, duplicates: 1 });
    expect(db.prepare("SELECT COUNT(*) FROM contacts WHERE name LIKE 'Cliente %'").pluck().get()).toBe(3000);
    expect(db.prepare('SELECT COUNT(*) FROM import_rejects').pluck().get()).toBe(2);
    expect(fs.readdirSync(imports)).toEqual([]);

    // Another mapping (no fields): the warm-up's staging is thrown away and the file read as it is now.
    fs.writeFileSync(file, `${HEADERS.join(',')}\n${rows.join('\n')}\n`);
    const again = warmStagingFile(imports);
    warmReader.warm(warmUpRequest(file, await previewFile(file)), again);
    await warmReader.whenReady();
    expect(fs.existsSync(again)).toBe(true);
    const other = await new ImportRun(db, 2, { ...request, fieldColumns: [], fileName: 'previa.csv', list: { name: 'Sin campos' } }, () => 2000).run(() => undefined);
    expect(other).toMatchObject({ rowsRead: 3000, imported: 0, updated: 3000 });
    expect(db.prepare('SELECT COUNT(*) FROM list_members m JOIN lists l ON l.id = m.list_id WHERE l.name = ?').pluck().get('Sin campos')).toBe(3000);
    await vi.waitFor(() => expect(fs.readdirSync(imports)).toEqual([]));

    // A warm thread no import takes (another preview, idle, the app closing) takes its staging with it.
    const unused = warmStagingFile(imports);
    warmReader.warm(request, unused);
    await warmReader.whenReady();
    expect(fs.existsSync(unused)).toBe(true);
    const next = warmStagingFile(imports);
    warmReader.warm({ ...request, fieldColumns: [] }, next);
    await vi.waitFor(() => expect(fs.existsSync(unused)).toBe(false));
    await warmReader.whenReady();
    await warmReader.drop();
    expect(fs.readdirSync(imports)).toEqual([]);
  });

  it('an import with the suggested mapping that comes mid-warm-up reads on past the warm-up bound (its own read now), and leaves nothing behind', async () => {
    const dir = tempDir();
    // Twelve columns: the warm-up alone would stop after 50,000 of its 60,000 rows.
    const file = twelveColumns(dir, 'ancho.csv');
    const request = warmUpRequest(file, await previewFile(file));
    db = openDatabase(path.join(dir, 'whatzme.db'));
    warmReader.warm(request, warmStagingFile(stagingDir(db)));
    const progress: number[] = [];
    const run = new ImportRun(db, 1, { ...request, fileName: 'ancho.csv', list: { name: 'Ancho' } }, () => 1000);
    expect(await run.run(() => progress.push(run.progress().rowsRead))).toMatchObject({ rowsRead: 60_000, imported: 60_000 });
    expect(db.prepare("SELECT fields FROM contacts WHERE name = 'Cliente 59999'").pluck().get()).toContain('"Campo 10":"v9"');
    expect(progress.length).toBeGreaterThan(0);
    expect(fs.readdirSync(stagingDir(db))).toEqual([]);
  });

  it('a file that breaks part-way is refused as damaged, with nothing written', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 9000 }, (_, i) => `Cliente ${i},55 ${String(30_000_000 + i).padStart(8, '0')},CDMX`);
    const file = csv(dir, 'roto.csv', [...rows, 'Mal,"55 1234 5678,sin cerrar']);
    db = openDatabase(path.join(dir, 'whatzme.db'));
    await expect(importFile(db, file, { name: 'Rota' })).rejects.toMatchObject({ code: 'file_corrupt' });
    expect(db.prepare('SELECT COUNT(*) FROM contacts').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM lists').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(0);
  });
});
