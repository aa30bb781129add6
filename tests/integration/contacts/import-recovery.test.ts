import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportJobs } from '../../../electron/contacts';
import { ScaledClock } from '../../../electron/core/clock';
import { openDatabase } from '../../../electron/db';
import type { ImportNotice } from '../../../shared/contacts';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** `rows` contacts; from row `distinct` on, each repeats an earlier phone (refused as a duplicate). */
function csv(rows: number, distinct = rows): string {
  const file = path.join(tempDir(), 'clientes.csv');
  const lines = ['Nombre,Teléfono,Ciudad'];
  for (let i = 0; i < rows; i++) lines.push(`Cliente ${i},55${String(30_000_000 + (i % distinct) * 11)},CDMX`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/**
 * Starts an import and closes the app normally once it is saving (past `fraction`), as a user closing the window
 * would: the close begins in the same turn as the progress event, so no batch runs in between.
 */
async function closeWhileSaving(dataDir: string, file: string, fraction = 0.95): Promise<void> {
  // Time runs 10,000× fast, so every batch's progress passes the events' 150 ms throttle.
  const started = await startTestApp({ clock: new ScaledClock(Date.now(), 10_000) }, dataDir);
  const app = started.app;
  const closed = new Promise<void>((resolve) => {
    const off = app.bus.subscribe((e) => {
      if (e.event !== 'contacts.importProgress' || e.payload.phase !== 'saving' || e.payload.fraction < fraction) return;
      off();
      void app.close().then(resolve);
    });
  });
  const uploadId = await started.upload(file);
  await started.call('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [2], defaultCountry: 'MX', list: { name: 'Clientes' } });
  await closed;
  await started.server.close();
}

/** The notices, polled as the app resumes an import until the first says it was resumed (or ~5 s pass). */
async function noticesOnceResumed(app: TestApp): Promise<ImportNotice[]> {
  let notices: ImportNotice[] = [];
  for (let i = 0; i < 200; i++) {
    ({ notices } = await app.call<{ notices: ImportNotice[] }>('contacts.importNotices'));
    // Never told both: an import that is resumed is no longer "being resumed".
    expect(notices.map((n) => n.kind)).not.toEqual(['resumed', 'resuming']);
    if (notices[0]?.kind === 'resumed') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return notices;
}

describe('what the next start makes of an interrupted import, and what the user is told', () => {
  it('a half-saved import whose staging file was removed by hand keeps what was saved and says how much; stray files go', async () => {
    const dataDir = tempDir();
    await closeWhileSaving(dataDir, csv(60_000), 0.97);
    const importsDir = path.join(dataDir, 'imports');
    const [staging] = fs.readdirSync(importsDir);
    expect(staging).toMatch(/^run-\d+\.db$/);
    fs.rmSync(path.join(importsDir, staging ?? ''));
    fs.writeFileSync(path.join(importsDir, 'run-999.db'), 'personal data from an older crash');
    fs.writeFileSync(path.join(importsDir, 'notas.txt'), 'x');
    // A preview's warm-up staging that a crash left (its thread gone with the app).
    fs.writeFileSync(path.join(importsDir, 'warm-5f0c.db'), 'personal data read at a preview');

    t = await startTestApp({}, dataDir);
    expect(fs.readdirSync(importsDir)).toEqual([]);
    const saved = t.app.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get() as number;
    expect(saved).toBeGreaterThan(0);
    expect(saved).toBeLessThan(60_000);
    const { notices } = await t.call<{ notices: ImportNotice[] }>('contacts.importNotices');
    expect(notices).toMatchObject([{ kind: 'incomplete', fileName: 'clientes.csv', saved, total: 60_000, importId: null }]);
    expect(t.app.db.prepare('SELECT COUNT(*) FROM import_runs').pluck().get()).toBe(0);
  });

  it('a finished resume is told once: dismissed, it is gone; dismissing it again is refused', async () => {
    const dataDir = tempDir();
    await closeWhileSaving(dataDir, csv(30_000));
    t = await startTestApp({}, dataDir);
    const app = t.app;
    const notices = await noticesOnceResumed(t);
    const listId = app.db.prepare("SELECT id FROM lists WHERE name = 'Clientes'").pluck().get();
    expect(notices).toMatchObject([{ kind: 'resumed', fileName: 'clientes.csv', saved: 30_000, listId }]);
    const summary = await t.call<{ imported: number; totalRows: number }>('contacts.importSummary', { importId: notices[0]?.importId });
    expect(summary).toMatchObject({ imported: 30_000, totalRows: 30_000 });
    expect(app.db.prepare('SELECT COUNT(*) FROM list_members').pluck().get()).toBe(30_000);
    await t.call('contacts.importNoticeSeen', { id: notices[0]?.id });
    expect(await t.call('contacts.importNotices')).toEqual({ notices: [] });
    await expect(t.call('contacts.importNoticeSeen', { id: notices[0]?.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('an import closed while copying its refused rows stays out of sight; the next start copies the rest, once each', async () => {
    const dataDir = tempDir();
    // 10,000 contacts and 20,000 duplicates: the merge ends at 0.967 of the saving, each 5,000 refused rows ~0.008.
    await closeWhileSaving(dataDir, csv(30_000, 10_000), 0.97);
    const db = openDatabase(path.join(dataDir, 'whatzme.db'));
    try {
      const run = db.prepare('SELECT import_id FROM import_runs').get() as { import_id: number | null };
      expect(run.import_id).not.toBeNull();
      const copied = db.prepare('SELECT COUNT(*) FROM import_rejects').pluck().get() as number;
      expect(copied).toBeGreaterThan(0);
      expect(copied).toBeLessThan(20_000);
      // Written, but not there for the user: no history entry, no summary (history and summary read only the database).
      const jobs = new ImportJobs({ db } as unknown as ConstructorParameters<typeof ImportJobs>[0]);
      expect(jobs.history()).toEqual([]);
      expect(() => jobs.summary(run.import_id ?? 0)).toThrow(expect.objectContaining({ code: 'import_not_found' }));
    } finally {
      db.close();
    }

    t = await startTestApp({}, dataDir);
    const notices = await noticesOnceResumed(t);
    expect(notices).toMatchObject([{ kind: 'resumed', fileName: 'clientes.csv', saved: 10_000 }]);
    const summary = await t.call<{ imported: number; duplicates: number; totalRows: number }>('contacts.importSummary', { importId: notices[0]?.importId });
    expect(summary).toMatchObject({ imported: 10_000, duplicates: 20_000, totalRows: 30_000 });
    const rejects = t.app.db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT row_number) AS rows, MIN(row_number) AS first, MAX(row_number) AS last FROM import_rejects').get();
    // Rows 2..10,001 are the contacts (row 1 the header); every later row is refused exactly once.
    expect(rejects).toEqual({ n: 20_000, rows: 20_000, first: 10_002, last: 30_001 });
    expect(await t.call('contacts.importHistory')).toMatchObject([{ importId: notices[0]?.importId, imported: 10_000, duplicates: 20_000 }]);
    expect(t.app.db.prepare('SELECT COUNT(*) FROM imports').pluck().get()).toBe(1);
    expect(t.app.db.prepare('SELECT COUNT(*) FROM import_runs').pluck().get()).toBe(0);
  });
});
