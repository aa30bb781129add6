import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import { API_STREAK } from '../../../electron/campaigns/outbox';
import type { Progress } from '../../../shared/campaigns';
import { campaignFixture } from '../../helpers/campaign-fixture';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('automation messages and a campaign on one number (#29 item 8)', () => {
  it('hundreds of queued API sends go first but never hold the campaign at zero', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch();
    const messages = Array.from({ length: 300 }, (_, i) => ({ idempotencyKey: `pedido-${i}`, phone: `+52559${String(1_000_000 + i * 7).padStart(7, '0')}`, text: `Tu pedido ${i} está listo` }));
    await f.t.call('messages.sendBatch', { messages });
    const record = () => SimWorld.readRecord(path.join(f.t.dataDir, 'simulator', 'deliveries.jsonl'));
    for (let i = 0; i < 2000 && record().length < 80; i++) await f.clock.advance(500);
    const sent = record().slice(0, 80);
    const fromApi = sent.filter((r) => r.text.startsWith('Tu pedido')).length;
    expect(fromApi).toBeGreaterThanOrEqual(Math.floor((80 * API_STREAK) / (API_STREAK + 1)) - 2);
    expect(80 - fromApi).toBeGreaterThanOrEqual(15);
    const { counts } = await f.t.call<Progress>('campaigns.progress', { id: campaign.id });
    expect(counts.sent + counts.delivered + counts.read).toBeGreaterThanOrEqual(15);
  });
});
