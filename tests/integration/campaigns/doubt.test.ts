import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView } from '../../../shared/campaigns';
import { campaignFixture } from '../../helpers/campaign-fixture';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('sends left in doubt', () => {
  it('are settled by the user: arrived → sent, did not → sent once more (failed once the campaign is over)', async () => {
    const f = await campaignFixture({ contacts: 30, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch();
    await f.clock.advance(5000);
    await f.t.call('campaigns.pause', { id: campaign.id });
    const db = f.t.app.db;
    // What recovery leaves when WhatsApp cannot say whether a send went out.
    const queued = db.prepare("SELECT id, phone FROM sends WHERE campaign_id = ? AND state = 'queued' ORDER BY id LIMIT 3").all(campaign.id) as { id: number; phone: string }[];
    const [arrived, missing, late] = queued;
    if (!arrived || !missing || !late) throw new Error('fixture: not enough queued rows');
    db.prepare("UPDATE sends SET state = 'in_doubt', reason = 'unknown', number_id = ?, sending_at = ? WHERE id IN (?, ?, ?)").run(f.numbers[0]!.id, f.clock.now(), arrived.id, missing.id, late.id);
    const sentRow = db.prepare("SELECT id FROM sends WHERE campaign_id = ? AND state IN ('sent', 'delivered', 'read') LIMIT 1").pluck().get(campaign.id) as number;
    const stateOf = (id: number) => db.prepare('SELECT state, reason FROM sends WHERE id = ?').get(id);

    expect(await f.t.call('campaigns.settleDoubt', { id: campaign.id, sendId: arrived.id, received: true })).toEqual({ state: 'sent' });
    expect(await f.t.call('campaigns.settleDoubt', { id: campaign.id, sendId: missing.id, received: false })).toEqual({ state: 'queued' });
    // Refused, and nothing changes: a row not in doubt (any more), a row of no such campaign.
    await expect(f.t.call('campaigns.settleDoubt', { id: campaign.id, sendId: arrived.id, received: false })).rejects.toMatchObject({ code: 'illegal_transition' });
    await expect(f.t.call('campaigns.settleDoubt', { id: campaign.id, sendId: sentRow, received: false })).rejects.toMatchObject({ code: 'illegal_transition' });
    await expect(f.t.call('campaigns.settleDoubt', { id: campaign.id, sendId: 999_999, received: true })).rejects.toMatchObject({ code: 'not_found' });
    expect(stateOf(arrived.id)).toEqual({ state: 'sent', reason: null });

    await f.t.call('campaigns.resume', { id: campaign.id });
    for (let i = 0; i < 20 && (await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state !== 'completed'; i++) await f.clock.advance(60_000);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('completed');
    const record = SimWorld.readRecord(path.join(f.t.dataDir, 'simulator', 'deliveries.jsonl'));
    const to = (phone: string) => record.filter((r) => r.chatId === f.t.app.world.chatIdFor(phone)).length;
    expect(to(missing.phone)).toBe(1); // sent again, once
    expect(to(arrived.phone)).toBe(0); // the user said it arrived: never sent by us again
    expect(to(late.phone)).toBe(0); // still in doubt: never resent by itself

    // The campaign is over: "did not arrive" can only count it as not sent.
    expect(stateOf(late.id)).toEqual({ state: 'in_doubt', reason: 'unknown' });
    expect(await f.t.call('campaigns.settleDoubt', { id: campaign.id, sendId: late.id, received: false })).toEqual({ state: 'failed' });
    expect(stateOf(late.id)).toEqual({ state: 'failed', reason: 'not_received' });
  });
});
