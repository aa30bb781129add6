import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView, Estimate, Progress } from '../../../shared/campaigns';
import { campaignFixture, MONDAY_9AM } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { ManualClock } from '../../../electron/core/clock';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const deliveries = (app: TestApp) => SimWorld.readRecord(path.join(app.dataDir, 'simulator', 'deliveries.jsonl')).filter((r) => !r.text.startsWith('Listo'));
const MARS = { pace: { preset: 'standard' }, window: null, timeZone: 'Mars/Olympus', startAt: null } as const;

describe('a campaign time zone (hardening item 1)', () => {
  it('is checked against the zone database where it enters: create and estimate refuse an unknown zone', async () => {
    const f = await campaignFixture({ contacts: 5, numbers: 1 });
    t = f.t;
    await expect(f.t.call('campaigns.create', f.input({ settings: MARS }))).rejects.toMatchObject({ code: 'invalid_input', field: 'settings.timeZone' });
    await expect(f.t.call('campaigns.estimate', f.input({ settings: MARS }))).rejects.toMatchObject({ code: 'invalid_input', field: 'settings.timeZone' });
    expect(f.t.app.db.prepare('SELECT COUNT(*) FROM campaigns').pluck().get()).toBe(0);
  });

  it('stored unknown by an older version, it reads as the app zone: the campaign sends, and a restart on that folder works', async () => {
    const f = await campaignFixture({ contacts: 20, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const draft = await f.t.call<CampaignView>('campaigns.create', f.input());
    // What 0.1.0 let through: any string as the zone.
    f.t.app.db.prepare("UPDATE campaigns SET settings = json_set(settings, '$.timeZone', 'Mars/Olympus') WHERE id = ?").run(draft.id);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: draft.id })).settings.timeZone).toBe(f.t.app.settings.get().timeZone);
    const launched = await settle(f.clock, f.t.call<CampaignView>('campaigns.launch', { id: draft.id }));
    expect(launched.state).toBe('running');
    await f.clock.advance(5_000);
    const progress = await f.t.call<Progress>('campaigns.progress', { id: draft.id });
    expect(progress.state).toBe('running');
    expect(progress.eta).not.toBeNull();
    const sentBefore = deliveries(f.t).length;
    expect(sentBefore).toBeGreaterThan(0);

    // The same folder, started again: it must not die on the stored zone, and it finishes the campaign.
    const dataDir = f.t.dataDir;
    await f.t.close();
    const clock = new ManualClock(f.clock.now());
    t = await startTestApp({ clock, simSeed: 11, simBehaviour: { replyRate: 0, notOnWhatsAppPercent: 0, transientFailureRate: 0 } }, dataDir);
    await clock.advance(10 * 60_000);
    const done = await t.call<CampaignView>('campaigns.get', { id: draft.id });
    expect(done.state).toBe('completed');
    const record = deliveries(t);
    expect(record).toHaveLength(20);
    expect(new Set(record.map((r) => r.chatId)).size).toBe(20);
  });
});

describe('a start past JavaScript\'s date range (#29 item 8)', () => {
  it('is refused where it enters; one stored by an older version reads as the latest start, and its views answer', async () => {
    const f = await campaignFixture({ contacts: 5, numbers: 1 });
    t = f.t;
    const far = { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt: 8.7e15 } as const;
    await expect(f.t.call('campaigns.create', f.input({ settings: far }))).rejects.toMatchObject({ code: 'invalid_input', field: 'settings.startAt' });
    await expect(f.t.call('campaigns.estimate', f.input({ settings: far }))).rejects.toMatchObject({ code: 'invalid_input', field: 'settings.startAt' });
    const draft = await f.t.call<CampaignView>('campaigns.create', f.input());
    f.t.app.db.prepare("UPDATE campaigns SET settings = json_set(settings, '$.startAt', 8.7e15) WHERE id = ?").run(draft.id);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: draft.id })).settings.startAt).toBe(Date.UTC(2100, 0, 1));
    await f.t.call('campaigns.progress', { id: draft.id });
  });
});

describe('campaign state changes (hardening item 7)', () => {
  it('refuses to resume a draft: it stays a draft with nothing sent, and can still be launched', async () => {
    const f = await campaignFixture({ contacts: 5, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const draft = await f.t.call<CampaignView>('campaigns.create', f.input());
    await expect(f.t.call('campaigns.resume', { id: draft.id })).rejects.toMatchObject({ code: 'illegal_transition' });
    expect((await f.t.call<CampaignView>('campaigns.get', { id: draft.id })).state).toBe('draft');
    const launched = await settle(f.clock, f.t.call<CampaignView>('campaigns.launch', { id: draft.id }));
    expect(launched).toMatchObject({ state: 'running', total: 5 });
  });

  it('a scheduled campaign is not "resumed" into running before its start; paused before it, it waits for it again', async () => {
    const f = await campaignFixture({ contacts: 5, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const startAt = MONDAY_9AM + 3 * 3_600_000;
    const draft = await f.t.call<CampaignView>('campaigns.create', f.input({ settings: { pace: { preset: 'standard' }, window: null, timeZone: 'America/Mexico_City', startAt } }));
    expect((await settle(f.clock, f.t.call<CampaignView>('campaigns.launch', { id: draft.id }))).state).toBe('scheduled');
    await expect(f.t.call('campaigns.resume', { id: draft.id })).rejects.toMatchObject({ code: 'illegal_transition' });
    expect((await f.t.call<CampaignView>('campaigns.pause', { id: draft.id })).state).toBe('paused');
    expect((await f.t.call<CampaignView>('campaigns.resume', { id: draft.id })).state).toBe('scheduled');
    await f.clock.advance(60 * 60_000);
    expect(deliveries(f.t)).toHaveLength(0);
    await f.clock.advance(2 * 60 * 60_000 + 60_000);
    expect(deliveries(f.t)).toHaveLength(5);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: draft.id })).state).toBe('completed');
  });
});

describe('campaign drafts (hardening item 9)', () => {
  it('refuse list ids that do not exist, naming the field, and write nothing', async () => {
    const f = await campaignFixture({ contacts: 3, numbers: 1 });
    t = f.t;
    await expect(f.t.call('campaigns.create', f.input({ includeListIds: [f.listId, 999] }))).rejects.toMatchObject({ code: 'not_found', field: 'includeListIds' });
    await expect(f.t.call('campaigns.create', f.input({ excludeListIds: [998] }))).rejects.toMatchObject({ code: 'not_found', field: 'excludeListIds' });
    expect(f.t.app.db.prepare('SELECT COUNT(*) FROM campaigns').pluck().get()).toBe(0);
    const estimate = await f.t.call<Estimate>('campaigns.estimate', f.input());
    expect(estimate.toSend).toBe(3);
  });
});

describe('removing a campaign number (hardening item 5)', () => {
  it('pauses the campaign with the reason and the number by its name, instead of leaving it "running" forever', async () => {
    const f = await campaignFixture({ contacts: 200, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch();
    await f.clock.advance(10_000);
    await settle(f.clock, f.t.call('numbers.remove', { id: f.numbers[0]!.id }));
    const view = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(view).toMatchObject({ state: 'paused', pauseReason: 'no_numbers', needsConfirmation: true });
    expect(view.numbers).toEqual([{ id: f.numbers[0]!.id, label: 'Demo 1', lost: true }]);
    const progress = await f.t.call<Progress>('campaigns.progress', { id: campaign.id });
    expect(progress.perNumber).toMatchObject([{ label: 'Demo 1', lost: true, state: 'logged_out' }]);
    expect(progress.events[0]).toMatchObject({ kind: 'number_lost', name: 'Demo 1' });
    const sent = deliveries(f.t).length;
    await expect(f.t.call('campaigns.resume', { id: campaign.id, confirm: true })).rejects.toMatchObject({ code: 'no_numbers' });
    await f.clock.advance(60_000);
    expect(deliveries(f.t)).toHaveLength(sent);
    expect(view.counts.queued).toBe(200 - sent - view.counts.in_doubt);
  });
});
