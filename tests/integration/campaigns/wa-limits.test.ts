import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView, Estimate, Progress } from '../../../shared/campaigns';
import type { NumberView } from '../../../shared/numbers';
import { coldPaceFactor, heldBy, type WaLimits } from '../../../shared/wa-limits';
import { recentBlocks } from '../../../electron/health/health';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';

/**
 * #32 on the simulator (a day of sending replays in seconds): WhatsApp's stated limits beat the app's estimate, hold
 * only messages to people who never wrote, free them for a number that is not limited, and the wizard's estimate
 * says what they mean. The real stack is tested on the WhatsApp Web double (wweb-double-limits.test.ts).
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const campaignSends = (app: TestApp) => SimWorld.readRecord(path.join(app.dataDir, 'simulator', 'deliveries.jsonl')).filter((r) => r.text.includes('La Espiga'));

describe("WhatsApp's limits, read and obeyed", () => {
  it('the limit that holds, its end with a margin, and the slower pace near the cap', () => {
    const now = 1_000_000;
    const capped: WaLimits = { cap: { level: 'capped', total: 100, used: 100, cycleEndsAt: now + 60_000 }, timelock: null, readAt: now };
    expect(heldBy(capped, now)).toEqual({ reason: 'new_chat_cap', until: now + 60_000 + 120_000 });
    expect(heldBy(capped, now + 200_000)).toBeNull();
    // A refusal just after the end is still explained by it.
    expect(heldBy(capped, now + 200_000, 600_000)?.reason).toBe('new_chat_cap');
    const locked: WaLimits = { cap: capped.cap, timelock: { active: true, endsAt: null, enforcement: 'DEFAULT' }, readAt: now };
    expect(heldBy(locked, now)).toEqual({ reason: 'timelock', until: null });
    expect(heldBy({ cap: null, timelock: null, readAt: now }, now)).toBeNull();
    expect(coldPaceFactor({ cap: { level: 'first_warning', total: 100, used: 80, cycleEndsAt: null }, timelock: null, readAt: now }, now)).toBe(3);
    expect(coldPaceFactor({ cap: { level: 'second_warning', total: 100, used: 95, cycleEndsAt: now - 1 }, timelock: null, readAt: now }, now)).toBe(1);
  });

  it('capped: people who wrote go first and alone; the rest wait (said with the time) and go when the cycle renews; the estimate counts the periods', async () => {
    const f = await campaignFixture({ contacts: 12, numbers: 1 });
    t = f.t;
    const [number] = f.numbers;
    // Four customers wrote to the number before.
    // (The demo's reply is played on the clock: the call answers once the clock moves.)
    for (let i = 0; i < 4; i++) await settle(f.clock, f.t.call('numbers.simulateReply', { id: number!.id, phone: `55${20000000 + i * 37}`, body: 'Hola' }));
    await f.clock.advance(5000);
    expect(f.t.app.db.prepare('SELECT COUNT(DISTINCT phone) FROM incoming').pluck().get()).toBe(4);
    await f.t.call('numbers.simulateFault', { id: number!.id, fault: 'cap_reached' });
    await f.clock.advance(1000);
    const [shown] = await f.t.call<NumberView[]>('numbers.list');
    expect(shown!.limits?.cap).toMatchObject({ level: 'capped', used: 100, total: 100 });

    const estimate = await f.t.call<Estimate>('campaigns.estimate', f.input({ settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null, warmFirst: true } }));
    expect(estimate.newPeople).toEqual({ cold: 8, warm: 4, left: 0, perCycle: 100, cycles: 2, timelockUntil: null });

    const campaign = await f.launch({ settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null, warmFirst: true } });
    for (let i = 0; i < 10; i++) await f.clock.advance(30_000);
    expect(campaignSends(f.t)).toHaveLength(4);
    const progress = await f.t.call<Progress>('campaigns.progress', { id: campaign.id });
    expect(progress.held).toEqual([{ reason: 'new_chat_cap', count: 8, until: expect.any(Number) }]);
    expect(progress.counts).toMatchObject({ failed: 0, skipped: 0, queued: 8 });

    // A week later WhatsApp renews the cap: the eight go, each once, and the campaign completes.
    for (let i = 0; i < 7 * 24 + 2; i++) await f.clock.advance(3_600_000);
    const done = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(done.state).toBe('completed');
    const sent = campaignSends(f.t);
    expect(sent).toHaveLength(12);
    expect(new Set(sent.map((s) => s.chatId)).size).toBe(12);
  });

  it('a campaign on two numbers: the limited one writes only to who wrote to it, the other takes the rest; nothing waits', async () => {
    const f = await campaignFixture({ contacts: 10, numbers: 2 });
    t = f.t;
    const [limited, free] = f.numbers;
    await f.t.call('numbers.simulateFault', { id: limited!.id, fault: 'timelock' });
    await f.clock.advance(1000);
    const campaign = await f.launch();
    for (let i = 0; i < 20 && (await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state !== 'completed'; i++) await f.clock.advance(30_000);
    const done = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(done.state).toBe('completed');
    const byNumber = f.t.app.db.prepare("SELECT number_id, COUNT(*) AS n FROM sends WHERE campaign_id = ? AND state IN ('sent', 'delivered', 'read') GROUP BY number_id").all(campaign.id) as { number_id: string; n: number }[];
    expect(byNumber).toEqual([{ number_id: free!.id, n: 10 }]);
    expect((await f.t.call<Progress>('campaigns.progress', { id: campaign.id })).held).toEqual([]);
  });

  it('messages left at one tick while a limit held are no one blocking: the blocks brake leaves them out', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1 });
    t = f.t;
    const campaign = await f.launch();
    for (let i = 0; i < 20 && (await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state !== 'completed'; i++) await f.clock.advance(30_000);
    const db = f.t.app.db;
    const sent = db.prepare('SELECT id, sending_at FROM sends WHERE campaign_id = ? ORDER BY sending_at').all(campaign.id) as { id: number; sending_at: number }[];
    // Thirty of them never got past one tick.
    for (const row of sent.slice(0, 30)) db.prepare("UPDATE sends SET state = 'sent' WHERE id = ?").run(row.id);
    const later = f.clock.now() + 20 * 60_000;
    expect(recentBlocks(db, campaign.id, later)).toEqual({ settled: 40, oneTick: 30 });
    // A limit that ended before them changes nothing; one seen while they went (or soon after) takes them out.
    const numberId = f.numbers[0]!.id;
    db.prepare('INSERT OR IGNORE INTO number_limits (number_id, read_at) VALUES (?, ?)').run(numberId, later);
    db.prepare('UPDATE number_limits SET limited_since = ?, limited_until = ? WHERE number_id = ?').run(sent[0]!.sending_at - 3_600_000, sent[0]!.sending_at - 1_800_000, numberId);
    expect(recentBlocks(db, campaign.id, later).oneTick).toBe(30);
    db.prepare('UPDATE number_limits SET limited_since = ?, limited_until = NULL WHERE number_id = ?').run(sent[0]!.sending_at + 60_000, numberId);
    expect(recentBlocks(db, campaign.id, later)).toEqual({ settled: 0, oneTick: 0 });
  });
});
