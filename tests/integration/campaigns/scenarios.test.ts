import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld, type SimStep, type SimulatedDriver } from '../../../electron/whatsapp';
import type { CampaignView } from '../../../shared/campaigns';
import { campaignFixture } from '../../helpers/campaign-fixture';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function twoNumbers(contacts = 80) {
  const f = await campaignFixture({ contacts, numbers: 2, config: { simBehaviour: { replyRate: 0 } } });
  t = f.t;
  const campaign = await f.launch();
  await f.clock.advance(10_000);
  const driver = (i: number) => f.t.app.sessions.driver(f.numbers[i]!.id) as SimulatedDriver;
  const play = async (i: number, steps: SimStep[]) => {
    const done = driver(i).script(steps);
    await f.clock.advance(1);
    await done;
    await f.clock.advance(1);
  };
  const view = () => f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
  const delivered = () => SimWorld.readRecord(path.join(f.t.dataDir, 'simulator', 'deliveries.jsonl')).filter((r) => !r.text.startsWith('Listo'));
  const exactlyOnce = () => {
    const chats = delivered().map((r) => r.chatId);
    expect(new Set(chats).size).toBe(chats.length);
  };
  return { f, campaign, driver, play, view, delivered, exactlyOnce };
}

describe('mid-campaign troubles on the simulator', () => {
  it('a lost connection: that number waits, the other goes on, and it resumes when back (no pause, no duplicates)', async () => {
    const s = await twoNumbers();
    await s.play(0, [{ afterMs: 0, do: 'disconnect' }]);
    const before = s.delivered().filter((r) => r.numberId === s.f.numbers[0]!.id).length;
    await s.f.clock.advance(30_000);
    expect(s.delivered().filter((r) => r.numberId === s.f.numbers[0]!.id).length).toBe(before);
    expect((await s.view()).state).toBe('running');
    await s.play(0, [{ afterMs: 0, do: 'reconnect' }]);
    await s.f.clock.advance(10 * 60_000);
    expect((await s.view()).state).toBe('completed');
    expect(s.delivered().filter((r) => r.numberId === s.f.numbers[0]!.id).length).toBeGreaterThan(before);
    s.exactlyOnce();
    expect(s.delivered()).toHaveLength(80);
  });

  it.each([
    ['logout', 'logged_out'],
    ['conflict', 'conflict'],
    ['ban', 'banned'],
  ] as const)('a %s: that number stops, its contacts move to the other, and the campaign pauses saying why', async (step, state) => {
    const s = await twoNumbers();
    await s.play(0, [{ afterMs: 0, do: step }]);
    const paused = await s.view();
    expect(paused).toMatchObject({ state: 'paused', pauseReason: 'number_lost', needsConfirmation: true });
    // The reason names the number (its label, never its id); the event keeps which state it went to.
    expect(paused.pauseDetail).toBe(s.f.numbers[0]!.label);
    const progress = await s.f.t.call<{ events: { kind: string; name: string | null; detail: string | null }[] }>('campaigns.progress', { id: s.campaign.id });
    expect(progress.events.find((e) => e.kind === 'number_lost')).toMatchObject({ name: s.f.numbers[0]!.label, detail: state });
    expect(paused.numbers.find((n) => n.id === s.f.numbers[0]!.id)?.lost).toBe(true);
    const lostOnes = s.f.t.app.db
      .prepare("SELECT COUNT(*) FROM sends WHERE campaign_id = ? AND state = 'queued' AND number_id = ?")
      .pluck()
      .get(s.campaign.id, s.f.numbers[0]!.id);
    expect(lostOnes).toBe(0);
    await expect(s.f.t.call('campaigns.resume', { id: s.campaign.id })).rejects.toMatchObject({ code: 'needs_confirmation' });
    await s.f.t.call('campaigns.resume', { id: s.campaign.id, confirm: true });
    await s.f.clock.advance(15 * 60_000);
    expect((await s.view()).state).toBe('completed');
    s.exactlyOnce();
    expect(s.delivered()).toHaveLength(80);
  });

  it('when the last number is lost the campaign pauses with no number left, and cannot resume until one is back', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch();
    await f.clock.advance(5_000);
    const driver = f.t.app.sessions.driver(f.numbers[0]!.id) as SimulatedDriver;
    const done = driver.script([{ afterMs: 0, do: 'logout' }]);
    await f.clock.advance(1);
    await done;
    await f.clock.advance(1);
    expect(await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).toMatchObject({ state: 'paused', pauseReason: 'no_numbers' });
    await expect(f.t.call('campaigns.resume', { id: campaign.id, confirm: true })).rejects.toMatchObject({ code: 'no_numbers' });
  });
});
