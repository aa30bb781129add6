import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/contacts';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { TESTDATA } from '../../helpers/paths';
import { tempDir } from '../../helpers/temp-dir';
import { migrations } from '../../../electron/db/migrations';

/** The schema the app migrates to: a restored backup comes back at it. */
const SCHEMA = Math.max(...migrations.map((m) => m.version));

let t: TestApp;
afterEach(async () => t.close());

async function download(app: TestApp, url: string): Promise<string> {
  const reply = await fetch(`http://127.0.0.1:${app.server.port}${url}`, { headers: { Authorization: `Bearer ${app.server.token}` } });
  const file = path.join(tempDir(), 'respaldo.db');
  fs.writeFileSync(file, Buffer.from(await reply.arrayBuffer()));
  return file;
}

describe('backup and restore', () => {
  it('a backup taken while the app runs restores the same data', async () => {
    t = await startTestApp();
    await t.importFile(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    await t.call('settings.update', { language: 'en' });
    const backup = await t.call<{ url: string; fileName: string }>('backup.create');
    expect(backup.fileName).toMatch(/^whatzme-respaldo-\d{4}-\d{2}-\d{2}\.db$/);
    const file = await download(t, backup.url);

    // Life goes on: contacts deleted, a list added, the language changed.
    const { rows } = await t.call<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 50 });
    await t.call('contacts.delete', { ids: rows.map((r) => r.id) });
    await t.call('lists.create', { name: 'Después' });
    await t.call('settings.update', { language: 'es' });

    const uploadId = await t.upload(file);
    await expect(t.call('backup.restore', { uploadId })).rejects.toMatchObject({ code: 'invalid_input', field: 'confirm' });
    expect(await t.call('backup.restore', { uploadId, confirm: true })).toMatchObject({ schemaVersion: SCHEMA, held: [] });
    const after = await t.call<{ total: number; rows: Contact[] }>('contacts.query', { offset: 0, limit: 50 });
    expect(after.rows.map((r) => r.phone).sort()).toEqual(rows.map((r) => r.phone).sort());
    expect((await t.call<{ name: string }[]>('lists.list')).map((l) => l.name)).toEqual(['clientes_utf8_bom_coma.csv']);
    expect(await t.call('settings.get')).toMatchObject({ language: 'en' });
  });

  it('a restore waits for a running import: refused as import_busy, then it goes through once the import is done', async () => {
    t = await startTestApp();
    const file = await download(t, (await t.call<{ url: string }>('backup.create')).url);
    const backupId = await t.upload(file);
    const csv = path.join(tempDir(), 'grande.csv');
    fs.writeFileSync(csv, ['Nombre,Teléfono', ...Array.from({ length: 40_000 }, (_, i) => `Cliente ${i},55${String(40_000_000 + i * 3)}`)].join('\n'));
    const running = new Promise<void>((resolve) => t.app.bus.subscribe((e) => e.event === 'contacts.importProgress' && resolve()));
    const finished = t.importFile(csv);
    await running;
    await expect(t.call('backup.restore', { uploadId: backupId, confirm: true })).rejects.toMatchObject({ code: 'import_busy' });
    expect(await finished).toMatchObject({ status: 'done', summary: { imported: 40_000 } });
    expect(await t.call('backup.restore', { uploadId: backupId, confirm: true })).toMatchObject({ schemaVersion: SCHEMA, held: [] });
    expect(await t.call('contacts.query', { offset: 0, limit: 1 })).toMatchObject({ total: 0 });
  });

  it('refuses a file that is not a WhatzMe database, or one from a newer version, and changes nothing', async () => {
    t = await startTestApp();
    await t.call('lists.create', { name: 'Intacta' });
    const other = path.join(tempDir(), 'otra.db');
    const foreign = new Database(other);
    foreign.exec('CREATE TABLE cosas (id INTEGER)');
    foreign.close();
    await expect(t.call('backup.restore', { uploadId: await t.upload(other), confirm: true })).rejects.toMatchObject({ code: 'backup_invalid' });
    await expect(t.call('backup.restore', { uploadId: await t.upload(path.join(TESTDATA, 'media', 'catalogo.pdf')), confirm: true })).rejects.toMatchObject({ code: 'backup_invalid' });

    const newer = await download(t, (await t.call<{ url: string }>('backup.create')).url);
    const db = new Database(newer);
    db.pragma('user_version = 99');
    db.close();
    await expect(t.call('backup.restore', { uploadId: await t.upload(newer), confirm: true })).rejects.toMatchObject({ code: 'backup_too_new' });
    expect((await t.call<{ name: string }[]>('lists.list')).map((l) => l.name)).toEqual(['Intacta']);
  });
});
