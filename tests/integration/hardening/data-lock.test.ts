import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../electron/app/create-app';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView } from '../../../shared/campaigns';
import { startWebApp } from '../../e2e/support/web-app';
import { campaignFixture } from '../../helpers/campaign-fixture';
import type { TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('one owner per data folder (hardening item 4)', () => {
  it('refuses a second instance on the folder while a campaign runs; every contact gets exactly one message', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch();
    await f.clock.advance(5_000);
    await expect(createApp({ dataDir: f.t.dataDir, version: '0.0.0', mode: 'web' })).rejects.toMatchObject({ code: 'data_dir_in_use' });
    await f.clock.advance(10 * 60_000);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('completed');
    const record = SimWorld.readRecord(path.join(f.t.dataDir, 'simulator', 'deliveries.jsonl'));
    expect(record).toHaveLength(40);
    expect(new Set(record.map((r) => r.chatId)).size).toBe(40);
  });

  it('deleting the lock files does not let a second instance in while the owner runs (the database tells)', async () => {
    const f = await campaignFixture({ contacts: 30, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch();
    for (const name of fs.readdirSync(f.t.dataDir)) if (name.startsWith('whatzme.lock')) fs.rmSync(path.join(f.t.dataDir, name), { force: true });
    await expect(createApp({ dataDir: f.t.dataDir, version: '0.0.0', mode: 'web' })).rejects.toMatchObject({ code: 'data_dir_in_use' });
    await f.clock.advance(10 * 60_000);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('completed');
    const record = SimWorld.readRecord(path.join(f.t.dataDir, 'simulator', 'deliveries.jsonl'));
    expect(new Set(record.map((r) => r.chatId)).size).toBe(record.length);
    // Once the owner is gone, the folder is free again.
    await f.t.close();
    t = undefined;
    const next = await createApp({ dataDir: f.t.dataDir, version: '0.0.0', mode: 'web' });
    await next.close();
  });

  it('is free again once the owner closes, and after the owner is killed', async () => {
    const dataDir = tempDir();
    const first = await createApp({ dataDir, version: '0.0.0', mode: 'web' });
    await first.close();
    const second = await createApp({ dataDir, version: '0.0.0', mode: 'web' });
    await second.close();
    const web = await startWebApp(dataDir);
    web.process.kill('SIGKILL');
    await new Promise((resolve) => web.process.once('exit', resolve));
    const third = await createApp({ dataDir, version: '0.0.0', mode: 'web' });
    await third.close();
  }, 60_000);

  it('a second web mode on the folder says so in Spanish, names the owner, and exits; the first goes on', async () => {
    const dataDir = tempDir();
    const first = await startWebApp(dataDir);
    try {
      const error = await startWebApp(dataDir).then(
        () => new Error('the second instance started'),
        (e: Error) => e,
      );
      expect(error.message).toContain('exited with 1');
      expect(error.message).toContain('WhatzMe Desktop ya está abierto con esta carpeta de datos');
      expect(error.message).toContain(`proceso ${first.process.pid}, modo web`);
      expect(first.process.exitCode).toBeNull();
    } finally {
      await first.stop();
    }
  }, 60_000);
});

describe('a data file emptied by a crash or a sync tool (hardening item 9)', () => {
  it('is refused with a clear word, not silently started empty; a first start with no file is fine', async () => {
    const dataDir = tempDir();
    const first = await createApp({ dataDir, version: '0.0.0', mode: 'web' });
    first.sessions.add('demo');
    await first.close();
    const fs = await import('node:fs');
    fs.mkdirSync(path.join(dataDir, 'sessions', 'session-n_kept00'), { recursive: true });
    fs.truncateSync(path.join(dataDir, 'whatzme.db'), 0);
    for (const side of ['whatzme.db-wal', 'whatzme.db-shm']) fs.rmSync(path.join(dataDir, side), { force: true });
    const error = await createApp({ dataDir, version: '0.0.0', mode: 'web' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'db_empty' });
    const { startupErrorText } = await import('../../../electron/app/startup-error');
    expect(startupErrorText(error, dataDir, 'es')).toContain('está vacío (0 bytes)');
    expect(fs.statSync(path.join(dataDir, 'whatzme.db')).size).toBe(0);
    // A brand-new folder starts as always.
    const fresh = await createApp({ dataDir: tempDir(), version: '0.0.0', mode: 'web' });
    await fresh.close();
  });
});
