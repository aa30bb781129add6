import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld, type SimulatedDriver } from '../../../electron/whatsapp';
import type { CampaignView, Progress } from '../../../shared/campaigns';
import type { Dashboard, Reply } from '../../../shared/inbox';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const deliveries = (app: TestApp) => SimWorld.readRecord(path.join(app.dataDir, 'simulator', 'deliveries.jsonl'));

describe('a campaign on two demo numbers', () => {
  it('sends everyone exactly one message, paced per number, with receipts, then completes', async () => {
    const f = await campaignFixture({ contacts: 120, numbers: 2 });
    t = f.t;
    const campaign = await f.launch();
    expect(campaign.state).toBe('running');
    expect(campaign.total).toBe(120);
    await f.clock.advance(10 * 60_000);
    const view = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(view.state).toBe('completed');
    expect(view.counts.queued + view.counts.sending + view.counts.failed).toBe(0);
    expect(view.counts.sent + view.counts.delivered + view.counts.read).toBe(120);
    expect(view.counts.read).toBeGreaterThan(0);

    const record = deliveries(f.t).filter((r) => !r.text.startsWith('Listo'));
    expect(record).toHaveLength(120);
    expect(new Set(record.map((r) => r.chatId)).size).toBe(120);
    const perNumber = new Map<string, number>();
    for (const r of record) perNumber.set(r.numberId, (perNumber.get(r.numberId) ?? 0) + 1);
    expect([...perNumber.values()].every((n) => n > 20)).toBe(true);
    // Each number on its own never passes 60 in a sliding minute.
    for (const numberId of perNumber.keys()) {
      const times = record.filter((r) => r.numberId === numberId).map((r) => r.at);
      for (const [i, at] of times.entries()) expect(times.filter((x) => x > at - 60_000 && x <= at).length, `at ${i}`).toBeLessThanOrEqual(60);
    }
  });

  it('honours an opt-out reply at once: the contact gets nothing more, in any campaign', async () => {
    const f = await campaignFixture({ contacts: 30, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch({ settings: { pace: { preset: 'careful' }, window: null, timeZone: 'America/Mexico_City', startAt: null } });
    await f.clock.advance(20_000);
    const driver = f.t.app.sessions.driver(f.numbers[0]!.id) as SimulatedDriver;
    // Someone who has not been written to yet answers CANCELAR (e.g. to an earlier message).
    const last = f.t.app.db.prepare("SELECT phone FROM sends WHERE campaign_id = ? AND state = 'queued' ORDER BY id DESC LIMIT 1").pluck().get(campaign.id) as string;
    const chatId = `521${last.slice(3)}@c.us`;
    const scripted = driver.script([{ afterMs: 0, do: 'reply', chatId, body: ' ¡Cancelar! ' }]);
    await f.clock.advance(1);
    await scripted;
    await f.clock.advance(1);
    expect(f.t.app.db.prepare('SELECT state, reason FROM sends WHERE phone = ?').get(last)).toEqual({ state: 'skipped', reason: 'opted_out' });
    const inbox = f.t.app.db.prepare('SELECT body, opt_out FROM incoming').all();
    expect(inbox).toEqual([{ body: ' ¡Cancelar! ', opt_out: 1 }]);
    // The confirmation went back to them.
    await f.clock.advance(1000);
    expect(deliveries(f.t).filter((r) => r.chatId === chatId).map((r) => r.text)).toEqual(['Listo, ya no recibirás más mensajes de nosotros. Gracias.']);
    await f.clock.advance(60 * 60_000);
    expect(deliveries(f.t).filter((r) => r.chatId === chatId && !r.text.startsWith('Listo'))).toEqual([]);
  });

  it('pauses and resumes; illegal transitions are refused and change nothing', async () => {
    // No replies: an opt-out arriving during the pause would be answered with a confirmation, which is no campaign send.
    const f = await campaignFixture({ contacts: 50, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch();
    await f.clock.advance(5_000);
    const paused = await f.t.call<CampaignView>('campaigns.pause', { id: campaign.id });
    expect(paused.state).toBe('paused');
    const sentAtPause = deliveries(f.t).length;
    await f.clock.advance(5 * 60_000);
    expect(deliveries(f.t).length).toBeLessThanOrEqual(sentAtPause + 1);
    await expect(f.t.call('campaigns.pause', { id: campaign.id })).rejects.toMatchObject({ code: 'illegal_transition' });
    await expect(f.t.call('campaigns.launch', { id: campaign.id })).rejects.toMatchObject({ code: 'illegal_transition' });
    expect((await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('paused');
    await f.t.call('campaigns.resume', { id: campaign.id });
    await f.clock.advance(10 * 60_000);
    expect((await f.t.call<CampaignView>('campaigns.get', { id: campaign.id })).state).toBe('completed');
    // Replies may bring opt-out confirmations; the campaign itself wrote to each contact once.
    const sent = deliveries(f.t).filter((r) => !r.text.startsWith('Listo'));
    expect(new Set(sent.map((r) => r.chatId)).size).toBe(sent.length);
    const view = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(sent).toHaveLength(view.counts.sent + view.counts.delivered + view.counts.read);
    expect(view.counts.sent + view.counts.delivered + view.counts.read + view.counts.skipped).toBe(50);
    await expect(f.t.call('campaigns.cancel', { id: campaign.id })).rejects.toMatchObject({ code: 'illegal_transition' });
  });

  it('brakes itself when opt-outs pile up, and resuming asks for a conscious confirmation', async () => {
    const f = await campaignFixture({ contacts: 200, numbers: 1, config: { simBehaviour: { replyRate: 1, optOutShare: 1, readRate: 1, readAfterMs: [500, 1000], replyAfterMs: [500, 1000] } } });
    t = f.t;
    const campaign = await f.launch();
    await f.clock.advance(5 * 60_000);
    const view = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(view).toMatchObject({ state: 'paused', pauseReason: 'brake_opt_outs', needsConfirmation: true });
    expect(view.counts.queued).toBeGreaterThan(100);
    await expect(f.t.call('campaigns.resume', { id: campaign.id })).rejects.toMatchObject({ code: 'needs_confirmation' });
    const progress = await f.t.call<Progress>('campaigns.progress', { id: campaign.id });
    expect(progress).toMatchObject({ pauseReason: 'brake_opt_outs', needsConfirmation: true });
    expect(progress.events.some((e) => e.kind === 'opt_out')).toBe(true);
    // The count is live with the reason, as opt-outs of the sends judged (#30 item 4).
    expect(progress.pauseDetail).toMatch(/^\d+\/\d+$/);
    const sentBefore = deliveries(f.t).filter((r) => !r.text.startsWith('Listo')).length;
    expect((await f.t.call<CampaignView>('campaigns.resume', { id: campaign.id, confirm: true })).state).toBe('running');
    // After going on, the brake judges what is sent from then on: the opt-outs that tripped it do not trip it again
    // at once; new ones do (here everyone opts out), after at least as many sends as the brake needs.
    await f.clock.advance(5 * 60_000);
    const again = await f.t.call<CampaignView>('campaigns.get', { id: campaign.id });
    expect(again).toMatchObject({ state: 'paused', pauseReason: 'brake_opt_outs' });
    expect(deliveries(f.t).filter((r) => !r.text.startsWith('Listo')).length - sentBefore).toBeGreaterThanOrEqual(5);
  });
});

describe('pacing of a fresh lane', () => {
  it('spaces the first messages by the pace, not by an end-of-batch pause', async () => {
    const f = await campaignFixture({ contacts: 10, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await f.launch();
    await f.clock.advance(20_000);
    // Estándar: 0.7–1.5 s between messages (plus the send itself, 80–400 ms), pauses only after 50–100 of them.
    const times = deliveries(f.t).map((d) => d.at);
    expect(times).toHaveLength(10);
    const gaps = times.slice(1).map((at, i) => at - (times[i] as number));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(700);
      expect(gap).toBeLessThanOrEqual(1500 + 400 + 200); // + the number lookup of the next contact
    }
  });
});

describe('a custom pace that ends before it starts (#30 item 7)', () => {
  it('is refused before anything is saved, naming the range', async () => {
    const f = await campaignFixture({ contacts: 2, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const pace = { preset: 'custom' as const, perMinute: 20, gapMs: [10_000, 3_000] as [number, number], batch: [20, 40] as [number, number], pauseMs: [60_000, 180_000] as [number, number], dailyCap: 1000 };
    const base = f.input();
    await expect(f.t.call('campaigns.create', { ...base, settings: { ...base.settings, pace } })).rejects.toMatchObject({ code: 'invalid_input', field: 'settings.pace.gapMs' });
    expect(await f.t.call<CampaignView[]>('campaigns.list')).toEqual([]);
    await f.t.call('campaigns.create', { ...base, settings: { ...base.settings, pace: { ...pace, gapMs: [3_000, 10_000] } } });
  });
});

describe('opt-out words from Settings, and replies in people\'s own words', () => {
  it('adds the words the user set to the matcher, and sends no confirmation when it is turned off', async () => {
    const f = await campaignFixture({ contacts: 5, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await f.t.call('settings.update', { optOutWords: ['QUITAR', 'NO GRACIAS'], optOutReplyEnabled: false });
    await expect(f.t.call('settings.update', { optOutWords: [] })).rejects.toMatchObject({ code: 'invalid_input', field: 'optOutWords' });
    const id = f.numbers[0]!.id;
    await settleReply(f, id, '+525520000000', 'No, gracias.'); // the user's own phrase
    await settleReply(f, id, '+525520000037', 'cancelar'); // the matcher's
    await settleReply(f, id, '+525520000074', 'quitar'); // the user's word, any case
    await settleReply(f, id, '+525520000111', 'Ya no me manden mensajes por favor'); // a phrase
    await settleReply(f, id, '+525520000148', 'cancelar mi pedido 123?'); // about something else
    const optedOut = f.t.app.db.prepare('SELECT phone FROM opt_outs ORDER BY phone').pluck().all();
    expect(optedOut).toEqual(['+525520000000', '+525520000037', '+525520000074', '+525520000111']);
    expect(deliveries(f.t).filter((r) => r.text.startsWith('Listo'))).toEqual([]);
  });

  it('confirms an opt-out once: the same person writing another stop word later gets no second confirmation (#30 item 9)', async () => {
    const f = await campaignFixture({ contacts: 5, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const id = f.numbers[0]!.id;
    await settleReply(f, id, '+525520000037', 'BAJA');
    await settleReply(f, id, '+525520000037', 'cancelar');
    await settleReply(f, id, '+525520000037', 'STOP');
    await settleReply(f, id, '+525520000074', 'baja');
    expect(deliveries(f.t).filter((r) => r.text.startsWith('Listo')).map((r) => r.chatId)).toEqual(['5215520000037@c.us', '5215520000074@c.us']);
    expect(f.t.app.db.prepare('SELECT phone FROM opt_outs ORDER BY phone').pluck().all()).toEqual(['+525520000037', '+525520000074']);
  });

  it('keeps a doubtful reply for the user, who opts the contact out (queued sends skipped) or not, in one click', async () => {
    const f = await campaignFixture({ contacts: 5, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const id = f.numbers[0]!.id;
    await settleReply(f, id, '+525520000000', '¿Quién es?');
    await settleReply(f, id, '+525520000037', 'no gracias');
    const listed = await f.t.call<{ total: number; rows: Reply[] }>('inbox.list', { show: 'doubtful', offset: 0, limit: 50 });
    expect(listed.rows.map((r) => [r.phone, r.doubt, r.optOut])).toEqual([
      ['+525520000037', 'no', false],
      ['+525520000000', 'quien_es', false],
    ]);
    expect((await f.t.call<Dashboard>('dashboard.get', {})).doubtfulReplies).toBe(2);
    expect(f.t.app.db.prepare('SELECT COUNT(*) FROM opt_outs').pluck().get()).toBe(0);

    // A campaign queued to both (scheduled for later); the user decides: "no gracias" is an opt-out, "¿quién es?" not.
    const campaign = await f.launch({ settings: { ...f.input().settings, startAt: f.clock.now() + 3_600_000 } });
    const [no, who] = [listed.rows[0]!, listed.rows[1]!];
    await f.t.call('inbox.decide', { id: no.id, optOut: true });
    await f.t.call('inbox.decide', { id: who.id, optOut: false });
    await expect(f.t.call('inbox.decide', { id: 999_999, optOut: true })).rejects.toMatchObject({ code: 'not_found' });
    expect(f.t.app.db.prepare('SELECT phone, source FROM opt_outs').all()).toEqual([{ phone: '+525520000037', source: 'reply' }]);
    expect(f.t.app.db.prepare("SELECT state, reason FROM sends WHERE campaign_id = ? AND phone = '+525520000037'").get(campaign.id)).toEqual({ state: 'skipped', reason: 'opted_out' });
    const after = await f.t.call<{ total: number; rows: Reply[] }>('inbox.list', { show: 'doubtful', offset: 0, limit: 50 });
    expect(after.total).toBe(0);
    expect((await f.t.call<{ total: number; rows: Reply[] }>('inbox.list', { show: 'opt_out', offset: 0, limit: 50 })).rows.map((r) => r.phone)).toEqual(['+525520000037']);
  });
});

async function settleReply(f: Awaited<ReturnType<typeof campaignFixture>>, numberId: string, phone: string, body: string) {
  await settle(f.clock, f.t.call('numbers.simulateReply', { id: numberId, phone, body }));
  await f.clock.advance(1000);
}
