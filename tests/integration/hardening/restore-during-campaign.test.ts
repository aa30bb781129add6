import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView } from '../../../shared/campaigns';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const campaignSends = (app: TestApp) => SimWorld.readRecord(path.join(app.dataDir, 'simulator', 'deliveries.jsonl')).filter((r) => !r.text.startsWith('Listo'));

async function download(app: TestApp, url: string): Promise<string> {
  const reply = await fetch(`http://127.0.0.1:${app.server.port}${url}`, { headers: { Authorization: `Bearer ${app.server.token}` } });
  const file = path.join(tempDir(), 'respaldo.db');
  fs.writeFileSync(file, Buffer.from(await reply.arrayBuffer()));
  return file;
}

async function until(f: Awaited<ReturnType<typeof campaignFixture>>, count: number): Promise<void> {
  for (let i = 0; i < 2000 && campaignSends(f.t).length < count; i++) await f.clock.advance(100);
  expect(campaignSends(f.t).length).toBeGreaterThanOrEqual(count);
}

describe('restoring a backup during a campaign (hardening item 3)', () => {
  it('backup at 20 sends, restore at 60: every contact ends with exactly one message, and later opt-outs stay', async () => {
    const f = await campaignFixture({ contacts: 100, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch();
    await until(f, 20);
    const backup = await download(f.t, (await f.t.call<{ url: string }>('backup.create')).url);
    await until(f, 60);
    // Someone the campaign has not reached yet opts out after the backup was taken.
    const later = f.t.app.db.prepare("SELECT contact_id FROM sends WHERE campaign_id = ? AND state = 'queued' ORDER BY id DESC LIMIT 1").pluck().get(campaign.id) as number;
    await f.t.call('contacts.optOut', { id: later });
    const uploadId = await f.t.upload(backup);
    await settle(f.clock, f.t.call('backup.restore', { uploadId, confirm: true }));
    const view = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(view.counts.queued).toBeLessThanOrEqual(41);

    for (let i = 0; i < 100 && (await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state !== 'completed'; i++) await f.clock.advance(10_000);
    const done = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(done.state).toBe('completed');
    const record = campaignSends(f.t);
    const perChat = new Map<string, number>();
    for (const r of record) perChat.set(r.chatId, (perChat.get(r.chatId) ?? 0) + 1);
    expect([...perChat.values()].filter((n) => n > 1)).toEqual([]);
    expect(record).toHaveLength(99);
    expect(done.counts.skipped).toBe(1);
    // Each row says what the delivery record says: same message id, one row per delivery.
    const rows = f.t.app.db.prepare("SELECT message_id FROM sends WHERE campaign_id = ? AND message_id IS NOT NULL").pluck().all(campaign.id) as string[];
    expect(new Set(rows)).toEqual(new Set(record.map((r) => r.messageId)));
  });
});
