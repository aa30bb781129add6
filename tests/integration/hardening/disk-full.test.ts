import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView } from '../../../shared/campaigns';
import type { EventEnvelope } from '../../../shared/contract';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';
import { fillUp, tmpfsMounts } from '../../helpers/tmpfs';

const MB = 1024 * 1024;
let t: TestApp | undefined;
const mounts = tmpfsMounts();
const tmpfs = (size: string) => mounts.mount(size);
afterEach(async () => {
  await t?.close();
  t = undefined;
  mounts.unmountAll();
});

/** 60,000 contacts in a CSV outside the full disk. */
function bigList(): string {
  const file = path.join(tempDir(), 'clientes.csv');
  const lines = ['Nombre,Teléfono,Ciudad'];
  for (let i = 0; i < 60_000; i++) lines.push(`Cliente ${i},55${String(20_000_000 + i * 13)},Ciudad ${i % 7}`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

function exactlyOnce(record: { chatId: string; text: string }[], contacts: number): void {
  const sends = record.filter((r) => !r.text.startsWith('Listo'));
  expect(sends).toHaveLength(contacts);
  expect(new Set(sends.map((r) => r.chatId)).size).toBe(contacts);
}

describe('a full disk is a state, not a crash (hardening item 6)', () => {
  it('sending waits while space is low, the UI is told, and it goes on by itself when space returns', async () => {
    let free = 500 * MB;
    const recordFile = path.join(tempDir(), 'deliveries.jsonl');
    const f = await campaignFixture({ contacts: 60, numbers: 1, config: { simBehaviour: { replyRate: 0 }, freeBytes: () => free, simRecordFile: recordFile } });
    t = f.t;
    const events: EventEnvelope[] = [];
    f.t.app.bus.subscribe((e) => e.event === 'app.storage' && events.push(e));
    const campaign = await f.launch();
    await f.clock.advance(10_000);
    free = 5 * MB;
    await new Promise((resolve) => setTimeout(resolve, 2100)); // the disk is asked every 2 s of real time
    await f.clock.advance(6_000);
    const atFull = SimWorld.readRecord(recordFile).length;
    await f.clock.advance(5 * 60_000);
    expect(SimWorld.readRecord(recordFile)).toHaveLength(atFull);
    expect(await f.t.call('app.storage')).toEqual({ full: true, freeBytes: 5 * MB });
    expect(events.map((e) => e.payload)).toEqual([{ full: true, freeBytes: 5 * MB }]);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('running');

    free = 400 * MB;
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await f.clock.advance(10 * 60_000);
    expect(events.map((e) => e.payload)).toEqual([{ full: true, freeBytes: 5 * MB }, { full: false, freeBytes: 400 * MB }]);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('completed');
    exactlyOnce(SimWorld.readRecord(recordFile), 60);
  });

  it('a disk that really fills up (tmpfs) mid-campaign: no crash, disk_full for writes, then every contact exactly once', async () => {
    const mount = tmpfs('48m');
    const dataDir = path.join(mount, 'datos');
    const recordFile = path.join(tempDir(), 'deliveries.jsonl');
    const f = await campaignFixture({ contacts: 150, numbers: 1, dataDir, config: { simBehaviour: { replyRate: 0, readRate: 1, readAfterMs: [100, 200] }, simRecordFile: recordFile } });
    t = f.t;
    const campaign = await f.launch();
    await f.clock.advance(20_000);
    f.t.app.db.pragma('wal_checkpoint(TRUNCATE)');
    const filler = path.join(mount, 'relleno.bin');
    fillUp(filler);
    await f.clock.advance(30_000);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await f.clock.advance(30_000);
    expect((await f.t.call<{ full: boolean }>('app.storage')).full).toBe(true);
    const upload = await fetch(`http://127.0.0.1:${f.t.server.port}/api/upload?name=a.csv`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${f.t.server.token}` },
      body: Buffer.alloc(256 * 1024, 0x41),
    });
    expect(upload.status).toBe(507);
    expect(await upload.json()).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    const whileFull = SimWorld.readRecord(recordFile).length;
    await f.clock.advance(60_000);
    expect(SimWorld.readRecord(recordFile).length).toBe(whileFull);

    fs.rmSync(filler);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    for (let i = 0; i < 60 && (await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state !== 'completed'; i++) await f.clock.advance(10_000);
    const done = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(done.state).toBe('completed');
    exactlyOnce(SimWorld.readRecord(recordFile), 150);
    expect(done.counts.sending + done.counts.in_doubt + done.counts.queued).toBe(0);
  }, 60_000);

  it('an import whose disk fills while it is saved waits for room and completes; one that fills while reading keeps nothing (tmpfs)', async () => {
    const mount = tmpfs('64m');
    const file = bigList();
    t = await startTestApp({}, path.join(mount, 'datos'));
    const app = t.app;
    const filler = path.join(mount, 'relleno.bin');
    // The disk fills the moment saving begins: the merge's batches fail with SQLITE_FULL.
    let filled = false;
    app.bus.subscribe((e) => {
      if (e.event === 'contacts.importProgress' && e.payload.phase === 'saving' && !filled) {
        filled = true;
        fillUp(filler);
      }
    });
    const finished: string[] = [];
    app.bus.subscribe((e) => e.event === 'contacts.importFinished' && finished.push(JSON.stringify(e.payload)));
    const done = t.importFile(file, { list: { name: 'Grande' } });
    // Until saving began and met the full disk (a busy machine reads the 60,000 rows slower).
    const deadline = Date.now() + 40_000;
    while (!(filled && (await t.call<{ full: boolean }>('app.storage')).full) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(filled).toBe(true);
    expect((await t.call<{ full: boolean }>('app.storage')).full).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(finished).toEqual([]); // not failed: waiting
    fs.rmSync(filler);
    const outcome = await done;
    expect(outcome).toMatchObject({ status: 'done', summary: { imported: 60_000, updated: 0, rejected: 0 } });
    expect(app.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get()).toBe(60_000);
    expect(app.db.prepare('SELECT COUNT(*) FROM list_members').pluck().get()).toBe(60_000);
    expect(app.db.prepare('SELECT COUNT(*) FROM import_runs').pluck().get()).toBe(0);
    expect(fs.readdirSync(path.join(mount, 'datos', 'imports'))).toEqual([]);

    // Now the disk fills while the next file is read: the import fails as disk_full and nothing of it is kept.
    filled = false;
    let fillWhileReading = true;
    app.bus.subscribe((e) => {
      if (e.event === 'contacts.importProgress' && e.payload.phase === 'reading' && e.payload.rowsRead > 0 && fillWhileReading) {
        fillWhileReading = false;
        fillUp(filler);
      }
    });
    const other = bigList().replace('clientes.csv', 'otros.csv');
    fs.writeFileSync(other, fs.readFileSync(file, 'utf8').replaceAll(',55', ',33'));
    const uploadId = await t.upload(other);
    const failed = new Promise<unknown>((resolve) => app.bus.subscribe((e) => e.event === 'contacts.importFinished' && resolve(e.payload)));
    await t.call('contacts.import', { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [2], defaultCountry: 'MX', list: { name: 'Otros' } });
    expect(await failed).toMatchObject({ status: 'failed', error: { code: 'disk_full' } });
    fs.rmSync(filler);
    expect(app.db.prepare('SELECT COUNT(*) FROM contacts').pluck().get()).toBe(60_000);
    expect(app.db.prepare("SELECT COUNT(*) FROM lists WHERE name = 'Otros'").pluck().get()).toBe(0);
    // The run's own row may have waited for room too (the disk was full for its delete as well).
    await vi.waitFor(() => expect(app.db.prepare('SELECT COUNT(*) FROM import_runs').pluck().get()).toBe(0), { timeout: 15_000, interval: 100 });
    expect(fs.readdirSync(path.join(mount, 'datos', 'imports'))).toEqual([]);
  }, 60_000);
});
