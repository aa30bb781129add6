import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignView, Progress } from '../../../shared/campaigns';
import type { NumberHealth } from '../../../shared/health';
import { monthBounds } from '../../../shared/time-zone';
import { campaignFixture } from '../../helpers/campaign-fixture';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ZONE = 'America/Mexico_City';
type Send = { phone: string; sending_at: number };

/**
 * The budget's own definition, replayed from the database: at each send, the month's sends so far to people who
 * had not written to the number by then. The engine keeps a running count; this recounts from scratch.
 */
function worstMonthCount(app: TestApp['app'], numberId: string): { month: number; count: number }[] {
  const sends = app.db
    .prepare("SELECT phone, sending_at FROM sends WHERE number_id = ? AND state IN ('sending', 'sent', 'delivered', 'read', 'in_doubt') ORDER BY sending_at, id")
    .all(numberId) as Send[];
  const firstWord = new Map(
    (app.db.prepare('SELECT phone, MIN(at) AS at FROM incoming WHERE number_id = ? GROUP BY phone').all(numberId) as { phone: string; at: number }[]).map((r) => [r.phone, r.at]),
  );
  const worst = new Map<number, number>();
  for (const [i, send] of sends.entries()) {
    const { start } = monthBounds(send.sending_at, ZONE);
    const count = sends.slice(0, i + 1).filter((s) => s.sending_at >= start && !((firstWord.get(s.phone) ?? Infinity) <= send.sending_at)).length;
    worst.set(start, Math.max(worst.get(start) ?? 0, count));
  }
  return [...worst].map(([month, count]) => ({ month, count }));
}

describe('number health over a simulated month (virtual time)', () => {
  it('a month of weekly campaigns never sends past a number\'s budget of unanswered messages; the rest waits for the next month, saying so', async () => {
    const f = await campaignFixture({ contacts: 150, numbers: 1, config: { simBehaviour: { replyRate: 0.3, readRate: 0.9, optOutShare: 0, doubtShare: 0 } } });
    t = f.t;
    const number = f.numbers[0]!;
    // A Mexican user: the budget's months are theirs (midnight in Mexico City), whatever the campaign's own zone.
    await f.t.call('settings.update', { timeZone: ZONE });
    await f.t.call('health.setBudget', { numberId: number.id, budget: 60 });
    const waits = new Set<string>();
    const campaigns: number[] = [];
    // Monday 30 November, 9:00, and each Monday of December: a campaign to the same 150 customers.
    for (let week = 0; week < 5; week++) {
      campaigns.push((await f.launch({ name: `Semana ${week + 1}` })).id);
      for (let hour = 0; hour < 24 * 7; hour++) {
        await f.clock.advance(3_600_000);
        const progress = await f.t.call<Progress>('campaigns.progress', { id: campaigns.at(-1)! });
        if (progress.waiting) waits.add(progress.waiting.why);
      }
    }
    expect(waits).toContain('monthly_budget');
    // 4 January: December's sends never passed the budget at any moment; January's have begun.
    const months = worstMonthCount(f.t.app, number.id);
    expect(months.map((m) => new Date(m.month).toISOString().slice(0, 7))).toEqual(['2026-11', '2026-12', '2027-01']);
    for (const m of months) expect(m.count, new Date(m.month).toISOString()).toBeLessThanOrEqual(60);
    // Replies take people off the count, so the month sent more than its budget in all, as WhatsApp counts it.
    const december = f.t.app.db.prepare("SELECT COUNT(*) FROM sends WHERE sending_at >= ? AND sending_at < ? AND state != 'queued'").pluck().get(Date.parse('2026-12-01T06:00:00Z'), Date.parse('2027-01-01T06:00:00Z')) as number;
    expect(december).toBeGreaterThan(60);
    const health = (await f.t.call<NumberHealth[]>('health.get', {}))[0]!;
    expect(health.month).toMatchObject({ budget: 60, ownBudget: true });
    expect(health.month.unanswered).toBeLessThanOrEqual(60);
    // Nobody got the same campaign twice.
    expect(f.t.app.db.prepare('SELECT COUNT(*) FROM (SELECT campaign_id, phone FROM sends GROUP BY campaign_id, phone HAVING COUNT(*) > 1)').pluck().get()).toBe(0);
  }, 240_000);

  it('trips the brake when the contacts start to block the number, and its health shows why', async () => {
    const f = await campaignFixture({ contacts: 400, numbers: 1, config: { simBehaviour: { replyRate: 0.1, optOutShare: 0 } } });
    t = f.t;
    const number = f.numbers[0]!;
    // The careful pace (about 10 a minute), so the campaign is still going when the blocks begin.
    const campaign = await f.launch({ settings: { ...f.input().settings, pace: { preset: 'careful' } } });
    // Twenty minutes of healthy sending: receipts arrive, no brake.
    for (let i = 0; i < 20; i++) await f.clock.advance(60_000);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('running');
    await f.t.call('numbers.simulateFault', { id: number.id, fault: 'contacts_block' });
    let view: CampaignView | undefined;
    let minutes = 0;
    for (; minutes < 60; minutes++) {
      await f.clock.advance(60_000);
      view = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
      if (view.state !== 'running') break;
    }
    expect(view).toMatchObject({ state: 'paused', needsConfirmation: true });
    expect(view?.pauseReason).toBe('brake_blocks');
    // The ten minutes a send needs to count as settled, and the few more for enough of them to be blocked ones.
    expect(minutes).toBeLessThan(30);
    // An hour later the number's own health counts the blocks, and says what to do.
    await f.clock.advance(60 * 60_000);
    const health = (await f.t.call<NumberHealth[]>('health.get', {}))[0]!;
    const oneTick = health.last7.factors.find((x) => x.key === 'one_tick');
    expect(oneTick?.penalty).toBeGreaterThan(0);
    expect(health.last7.score).not.toBeNull();
  }, 120_000);
});
