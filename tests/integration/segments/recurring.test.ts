import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import { nextRun } from '../../../electron/campaigns';
import type { CampaignView, RecurringPlan } from '../../../shared/campaigns';
import type { Segment } from '../../../shared/segments';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const DAY = 86_400_000;
const phoneOf = (i: number) => `+5255${String(20000000 + i * 37)}`;

describe('recurring campaigns', () => {
  it('run every week to a segment read again each time, each run its own campaign and report, skipping who got a run within the cap', async () => {
    const f = await campaignFixture({ contacts: 6, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    // "Nuevos clientes": contacts added in the last 30 days (everyone now).
    const segment = await t.call<Segment>('segments.save', { name: 'Nuevos clientes', match: 'all', rules: [{ kind: 'added', withinDays: 30 }] });
    const input = f.input({ name: 'Semanal', includeListIds: [], segmentIds: [segment.id], body: 'Hola {{nombre}}, el pan de la semana ya salió. Si no deseas recibir más mensajes, responde CANCELAR' });
    const plan = await settle(f.clock, t.call<RecurringPlan>('recurring.create', { input, every: 'week', capDays: 10 }));
    expect(plan).toMatchObject({ name: 'Semanal', every: 'week', capDays: 10, active: true });
    const runs = async () => (await t!.call<RecurringPlan[]>('recurring.list', {}))[0]!.runs;
    const finish = async (id: number) => {
      for (let i = 0; i < 30 && (await t!.call<CampaignView>('campaigns.get', { id })).state !== 'completed'; i++) await f.clock.advance(60_000);
      return t!.call<CampaignView>('campaigns.get', { id });
    };
    await f.clock.advance(60_000);
    expect(await runs()).toHaveLength(1);
    const first = await finish((await runs())[0]!.id);
    expect(first).toMatchObject({ state: 'completed', recurringId: plan.id, total: 6, name: 'Semanal · 30 nov 2026' });
    expect(first.counts.skipped).toBe(0);

    // Two new customers during the week.
    const csv = path.join(tempDir(), 'nuevos.csv');
    fs.writeFileSync(csv, ['Nombre,Telefono', `Nueva 1,${phoneOf(50).slice(3)}`, `Nueva 2,${phoneOf(51).slice(3)}`].join('\n'));
    await t.importFile(csv, { list: { name: 'Nuevos' }, consent: { source: 'customers', agreed: true } });

    // A week later: a second run, its own campaign; those written to 7 days ago are within the 10-day cap.
    await f.clock.advance(7 * DAY);
    await f.clock.advance(60_000);
    expect(await runs()).toHaveLength(2);
    const second = await finish((await runs())[0]!.id);
    expect(second.id).not.toBe(first.id);
    expect(second.total).toBe(8);
    expect(second.counts.skipped).toBe(6);
    const reasons = t.app.db.prepare("SELECT DISTINCT reason FROM sends WHERE campaign_id = ? AND state = 'skipped'").pluck().all(second.id);
    expect(reasons).toEqual(['frequency_cap']);
    const record = SimWorld.readRecord(path.join(t.dataDir, 'simulator', 'deliveries.jsonl')).filter((d) => d.text.includes('el pan de la semana'));
    const world = t.app.world;
    expect(record).toHaveLength(8);
    expect(record.slice(6).map((d) => d.chatId).sort()).toEqual([phoneOf(50), phoneOf(51)].map((p) => world.chatIdFor(p)).sort());

    // Two weeks after the first: the first six are past the cap again; the two new ones (a week ago) are not.
    await f.clock.advance(7 * DAY);
    await f.clock.advance(60_000);
    const third = await finish((await runs())[0]!.id);
    expect(third.counts.skipped).toBe(2);
    expect(third.total - third.counts.skipped).toBe(6);

    // Paused: no run comes; ended: its runs stay with their reports.
    await t.call('recurring.setActive', { id: plan.id, active: false });
    await f.clock.advance(8 * DAY);
    expect(await runs()).toHaveLength(3);
    await t.call('recurring.delete', { id: plan.id });
    expect(await t.call('recurring.list', {})).toEqual([]);
    expect((await t.call<CampaignView>('campaigns.get', { id: first.id })).state).toBe('completed');
  }, 120_000);

  it('is refused before anything is kept when a segment is gone or contacts lack consent without the confirmation; the next run is a week or a calendar month on', async () => {
    const f = await campaignFixture({ contacts: 3, numbers: 1 });
    t = f.t;
    await expect(t.call('recurring.create', { input: f.input({ includeListIds: [], segmentIds: [999] }), every: 'month', capDays: 20 })).rejects.toMatchObject({ code: 'not_found' });
    t.app.db.prepare('UPDATE contacts SET consent = NULL').run();
    await expect(t.call('recurring.create', { input: f.input(), every: 'month', capDays: 20 })).rejects.toMatchObject({ code: 'needs_confirmation' });
    expect(await t.call('recurring.list', {})).toEqual([]);
    expect(new Date(nextRun(Date.UTC(2026, 0, 31, 15), 'month')).toISOString()).toBe('2026-02-28T15:00:00.000Z');
    expect(new Date(nextRun(Date.UTC(2026, 11, 7, 15), 'month')).toISOString()).toBe('2027-01-07T15:00:00.000Z');
    expect(nextRun(0, 'week')).toBe(7 * DAY);
  });
});
