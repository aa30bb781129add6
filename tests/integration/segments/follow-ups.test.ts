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

const DAY = 86_400_000;
const FOLLOW_UP = '¿Pudiste ver la promoción, {{nombre}}? Te la apartamos hasta el viernes. Si no deseas recibir más mensajes, responde CANCELAR';

async function runUntil(f: Awaited<ReturnType<typeof campaignFixture>>, id: number, states: string[], steps = 60, stepMs = 60_000): Promise<CampaignView> {
  for (let i = 0; i < steps; i++) {
    const view = await f.t.call<CampaignView>('campaigns.get', { id });
    if (states.includes(view.state)) return view;
    await f.clock.advance(stepMs);
  }
  return f.t.call<CampaignView>('campaigns.get', { id });
}

describe('follow-ups', () => {
  it('go N days after the first message only to who read or replied to it — checked against what the simulator delivered — never to an opt-out, paced as any campaign, and shown as part of the first', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1, config: { simBehaviour: { readRate: 0.5, replyRate: 0.3, optOutShare: 0.3, doubtShare: 0 } } });
    t = f.t;
    const first = await f.launch({ name: 'Expo', settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null, followUp: { afterDays: 2, who: 'read_or_replied', body: FOLLOW_UP, mediaId: null } } });
    const launched = await t.call<CampaignView>('campaigns.get', { id: first.id });
    expect(launched.followUps).toHaveLength(1);
    const plan = launched.followUps[0]!;
    expect(plan).toMatchObject({ state: 'scheduled', afterDays: 2, who: 'read_or_replied', total: 0, name: 'Expo · seguimiento' });
    expect(plan.startAt).toBe((launched.startedAt as number) + 2 * DAY);
    await runUntil(f, first.id, ['completed']);

    // A day later it still waits; at two days it is filled from who engaged by then, and runs.
    await f.clock.advance(DAY);
    expect((await t.call<CampaignView>('campaigns.get', { id: plan.id })).state).toBe('scheduled');
    const db = t.app.db;
    // A reader opts out before it goes (by hand here; replies may too).
    const reader = db.prepare('SELECT contact_id FROM sends WHERE campaign_id = ? AND read_at IS NOT NULL ORDER BY id LIMIT 1').pluck().get(first.id) as number;
    await t.call('contacts.optOut', { id: reader });
    // Who opted out before it went (some reply BAJA to the follow-up itself: those got it, and that is right).
    const optedOut = new Set(db.prepare('SELECT phone FROM opt_outs').pluck().all() as string[]);
    await f.clock.advance(DAY);
    const done = await runUntil(f, plan.id, ['completed']);
    expect(done.parentId).toBe(first.id);
    const engaged = new Set(
      db
        .prepare(
          `SELECT phone FROM sends WHERE campaign_id = ? AND read_at IS NOT NULL
           UNION SELECT phone FROM incoming WHERE campaign_id = ? AND opt_out = 0`,
        )
        .pluck()
        .all(first.id, first.id) as string[],
    );
    expect(optedOut.size).toBeGreaterThan(0);
    const reached = [...engaged].filter((p) => !optedOut.has(p));
    expect(reached.length).toBeGreaterThan(5);
    expect(reached.length).toBeLessThan(40);

    // What the simulator delivered: the follow-up went to exactly those, once each, and to no silent contact.
    const record = SimWorld.readRecord(path.join(t.dataDir, 'simulator', 'deliveries.jsonl'));
    const world = t.app.world;
    const followUps = record.filter((d) => d.text.startsWith('¿Pudiste ver la promoción'));
    expect(followUps.map((d) => d.chatId).sort()).toEqual(reached.map((p) => world.chatIdFor(p)).sort());
    const silent = db.prepare('SELECT phone FROM sends WHERE campaign_id = ? AND read_at IS NULL AND phone NOT IN (SELECT phone FROM incoming WHERE campaign_id = ?)').pluck().all(first.id, first.id) as string[];
    expect(silent.length).toBeGreaterThan(0);
    for (const phone of silent) expect(followUps.some((d) => d.chatId === world.chatIdFor(phone))).toBe(false);
    // Opted-out engaged contacts are in its outbox as skipped, never sent.
    expect(done.counts.skipped).toBe([...engaged].filter((p) => optedOut.has(p)).length);
    // Paced as any campaign: no two sends of it closer than the standard pace allows.
    const times = followUps.map((d) => d.at).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(500);
    // Part of the first campaign: its view lists it with its figures.
    const parent = await t.call<CampaignView>('campaigns.get', { id: first.id });
    expect(parent.followUps[0]).toMatchObject({ id: plan.id, state: 'completed', total: engaged.size });
  });

  it('is cancelled with its first campaign, and a bad follow-up is refused before anything is saved', async () => {
    const f = await campaignFixture({ contacts: 5, numbers: 1 });
    t = f.t;
    const settings = { pace: { preset: 'standard' as const }, window: null, timeZone: 'America/Mexico_City', startAt: null, followUp: { afterDays: 1, who: 'replied' as const, body: FOLLOW_UP, mediaId: null } };
    const draft = await t.call<CampaignView>('campaigns.create', f.input({ name: 'Uno', settings }));
    await t.call('campaigns.launch', { id: draft.id });
    const followUp = (await t.call<CampaignView>('campaigns.get', { id: draft.id })).followUps[0]!;
    await t.call('campaigns.cancel', { id: draft.id });
    expect((await t.call<CampaignView>('campaigns.get', { id: followUp.id })).state).toBe('cancelled');
    // A bad follow-up is refused before anything is saved.
    await expect(t.call('campaigns.create', f.input({ name: 'Dos', settings: { ...settings, followUp: { ...settings.followUp, body: 'Hola {{nombre' } } }))).rejects.toMatchObject({ code: 'template_invalid' });
  });

  it('a day after an A/B test whose rest went out hours later: the first message is no reason to skip anyone, and the follow-up is one message', async () => {
    const f = await campaignFixture({ contacts: 20, numbers: 1, config: { simBehaviour: { readRate: 1, replyRate: 0 } } });
    t = f.t;
    const first = await f.launch({
      name: 'Dos versiones',
      settings: {
        pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: null,
        abTest: { variants: ['Buen día {{nombre}}, hay pan caliente. Si no deseas recibir más mensajes, responde CANCELAR'], testShare: 50, waitHours: 6, metric: 'read' },
        followUp: { afterDays: 1, who: 'read_or_replied', body: FOLLOW_UP, mediaId: null },
      },
    });
    await runUntil(f, first.id, ['completed'], 60, 15 * 60_000);
    const followUp = (await t.call<CampaignView>('campaigns.get', { id: first.id })).followUps[0]!;
    const done = await runUntil(f, followUp.id, ['completed'], 60, 30 * 60_000);
    expect(done.settings.abTest).toBeUndefined();
    expect(done.counts.skipped).toBe(0);
    expect(done.total).toBe(20);
  });
});
