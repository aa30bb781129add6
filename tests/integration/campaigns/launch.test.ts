import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localTime } from '../../../shared/time-zone';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignInput, CampaignView, Estimate } from '../../../shared/campaigns';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';
import { tempDir } from '../../helpers/temp-dir';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const ZONE = 'America/Mexico_City';
const phoneOf = (i: number) => `+5255${String(20000000 + i * 37)}`; // as contactsCsvIn writes contact i
const deliveries = (app: TestApp) => SimWorld.readRecord(path.join(app.dataDir, 'simulator', 'deliveries.jsonl')).filter((r) => !r.text.startsWith('Listo'));

async function listOf(f: Awaited<ReturnType<typeof campaignFixture>>, name: string, indexes: number[]): Promise<number> {
  const file = path.join(tempDir(), `${name}.csv`);
  fs.writeFileSync(file, ['Nombre,Telefono,Ciudad', ...indexes.map((i) => `Cliente ${i},${phoneOf(i).slice(3)},CDMX`)].join('\n'));
  const done = await f.t.importFile(file, { list: { name }, consent: { source: 'customers', agreed: true } });
  return done.summary?.listId as number;
}

async function runToEnd(f: Awaited<ReturnType<typeof campaignFixture>>, input: CampaignInput): Promise<CampaignView> {
  const created = await f.t.call<CampaignView>('campaigns.create', input);
  await settle(f.clock, f.t.call('campaigns.launch', { id: created.id }));
  for (let i = 0; i < 60 && (await f.t.call<CampaignView>('campaigns.get', { id: created.id })).state === 'running'; i++) await f.clock.advance(60_000);
  return f.t.call<CampaignView>('campaigns.get', { id: created.id });
}

describe('launching a campaign', () => {
  it('skips, for the right reason each, opted-out, not-on-WhatsApp, missing-field and messaged-in-24-h contacts; leaves out excluded lists; keeps each contact with the number that wrote before', async () => {
    const f = await campaignFixture({ contacts: 20, numbers: 2, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const [one, two] = f.numbers.map((n) => n.id) as [string, string];
    const excluded = await listOf(f, 'Excluir', [0, 1]);
    // Contact 5 was written to by number two more than a day ago; contact 6 by number one an hour ago.
    await runToEnd(f, f.input({ name: 'Antes', includeListIds: [await listOf(f, 'Solo5', [5])], numberIds: [two] }));
    await f.clock.advance(25 * 3_600_000);
    await runToEnd(f, f.input({ name: 'Reciente', includeListIds: [await listOf(f, 'Solo6', [6])], numberIds: [one] }));
    await f.clock.advance(3_600_000);
    const id = (i: number) => f.t.app.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(phoneOf(i)) as number;
    await f.t.call('contacts.optOut', { id: id(2) });
    f.t.app.contacts.setWaStatus(id(3), 'not_on_whatsapp');
    f.t.app.db.prepare("UPDATE contacts SET fields = '{}' WHERE id = ?").run(id(4));

    const input = f.input({ name: 'Buen Fin', body: 'Hola {{nombre}}, de Tacos Luis en {{Ciudad}}. Responde BAJA si no quieres más.', excludeListIds: [excluded] });
    const estimate = await f.t.call<Estimate>('campaigns.estimate', input);
    expect(estimate).toMatchObject({ contacts: 18, toSend: 14, skipped: { opted_out: 1, not_on_whatsapp: 1, missing_field: 1, recent_24h: 1, excluded: 0, cancelled: 0 } });

    const before = deliveries(f.t).length;
    const done = await runToEnd(f, input);
    expect(done).toMatchObject({ state: 'completed', total: 18 });
    const reasons = f.t.app.db.prepare("SELECT phone, reason FROM sends WHERE campaign_id = ? AND state = 'skipped' ORDER BY phone").all(done.id);
    expect(reasons).toEqual(
      [
        { phone: phoneOf(2), reason: 'opted_out' },
        { phone: phoneOf(3), reason: 'not_on_whatsapp' },
        { phone: phoneOf(4), reason: 'missing_field' },
        { phone: phoneOf(6), reason: 'recent_24h' },
      ].sort((a, b) => a.phone.localeCompare(b.phone)),
    );
    const sent = deliveries(f.t).slice(before);
    expect(sent).toHaveLength(14);
    expect(sent.map((d) => d.chatId)).not.toContain(f.t.app.world.chatIdFor(phoneOf(0)));
    // The number that wrote before keeps the contact.
    expect(sent.find((d) => d.chatId === f.t.app.world.chatIdFor(phoneOf(5)))?.numberId).toBe(two);
    expect(sent.find((d) => d.text.includes('Cliente 7'))?.text).toBe('Hola Cliente 7, de Tacos Luis en CDMX. Responde BAJA si no quieres más.');
  });

  it('the 24-hour skip is judged from the start (a campaign for tomorrow includes those messaged this morning), and can be turned off', async () => {
    const f = await campaignFixture({ contacts: 4, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const list = await listOf(f, 'Cuatro', [0, 1, 2, 3]);
    await runToEnd(f, f.input({ name: 'Hoy', includeListIds: [await listOf(f, 'Dos', [0, 1])] }));
    const now = f.clock.now();
    const skippedFor = async (settings: Partial<CampaignInput['settings']>) =>
      (await f.t.call<Estimate>('campaigns.estimate', f.input({ includeListIds: [list], settings: { pace: { preset: 'careful' }, window: null, timeZone: ZONE, startAt: null, ...settings } }))).skipped.recent_24h;
    expect(await skippedFor({})).toBe(2);
    expect(await skippedFor({ startAt: now + 12 * 3_600_000 })).toBe(2); // still within 24 h of the start
    expect(await skippedFor({ startAt: now + 25 * 3_600_000 })).toBe(0); // starts when the day has passed
    expect(await skippedFor({ skipRecent: false })).toBe(0);
    // And its end is reckoned from its start, not from now.
    const finish = (await f.t.call<Estimate>('campaigns.estimate', f.input({ includeListIds: [list], settings: { pace: { preset: 'careful' }, window: null, timeZone: ZONE, startAt: now + 25 * 3_600_000 } }))).estimatedFinish;
    expect(finish).toBeGreaterThan(now + 25 * 3_600_000);
    // Launched with the skip off, the two messaged this morning get this one too.
    const before = deliveries(f.t).length;
    const done = await runToEnd(f, f.input({ name: 'Otra vez', includeListIds: [list], settings: { pace: { preset: 'careful' }, window: null, timeZone: ZONE, startAt: null, skipRecent: false } }));
    expect(done.counts.skipped).toBe(0);
    expect(deliveries(f.t).length - before).toBe(4);
  });

  it('refuses a campaign with nobody to send to, and a message that does not render, writing nothing', async () => {
    const f = await campaignFixture({ contacts: 4, numbers: 1 });
    t = f.t;
    const excluded = await listOf(f, 'Todos', [0, 1, 2, 3]);
    const none = await f.t.call<CampaignView>('campaigns.create', f.input({ excludeListIds: [excluded] }));
    await expect(settle(f.clock, f.t.call('campaigns.launch', { id: none.id }))).rejects.toMatchObject({ code: 'nothing_to_send' });
    expect((await f.t.call<CampaignView>('campaigns.get', { id: none.id })).state).toBe('draft');
    await expect(f.t.call('campaigns.create', f.input({ body: 'Hola {{nombre' }))).rejects.toMatchObject({ code: 'template_invalid' });
    expect(f.t.app.db.prepare('SELECT COUNT(*) FROM campaigns').pluck().get()).toBe(1);
    expect(deliveries(f.t)).toEqual([]);
  });

  it('sends only inside the window (days and hours, in the campaign zone), and a cancel stops what waits', async () => {
    const f = await campaignFixture({ contacts: 40, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    // 20:50 on a Monday; the window is 09:00–21:00 on weekdays: ten minutes today, then Tuesday morning.
    await f.clock.advance(Date.parse('2026-11-30T20:50:00-06:00') - f.clock.now());
    const window = { days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 21 * 60 };
    const created = await f.t.call<CampaignView>('campaigns.create', f.input({ settings: { pace: { preset: 'careful' }, window, timeZone: ZONE, startAt: null } }));
    await settle(f.clock, f.t.call('campaigns.launch', { id: created.id }));
    await f.clock.advance(15 * 60_000); // to 21:05
    const tonight = deliveries(f.t);
    expect(tonight.length).toBeGreaterThan(10);
    expect(tonight.length).toBeLessThan(40);
    for (const d of tonight) {
      const local = localTime(d.at, ZONE);
      expect(local.hour * 60 + local.minute, new Date(d.at).toISOString()).toBeLessThan(21 * 60);
      expect(local.day).toBe(30);
    }
    await f.clock.advance(Date.parse('2026-12-01T08:59:00-06:00') - f.clock.now());
    expect(deliveries(f.t)).toHaveLength(tonight.length); // nothing through the night
    await f.clock.advance(3 * 60_000); // Tuesday 09:02
    const morning = deliveries(f.t).slice(tonight.length);
    expect(morning.length).toBeGreaterThan(0);
    for (const d of morning) expect(localTime(d.at, ZONE)).toMatchObject({ day: 1, hour: 9 });

    const cancelled = await f.t.call<CampaignView>('campaigns.cancel', { id: created.id });
    expect(cancelled.state).toBe('cancelled');
    const atCancel = deliveries(f.t).length;
    await f.clock.advance(3_600_000);
    expect(deliveries(f.t).length).toBeLessThanOrEqual(atCancel + 1); // one may have been in flight
    const view = await f.t.call<CampaignView>('campaigns.get', { id: created.id });
    expect(view.counts.queued).toBe(0);
    expect(f.t.app.db.prepare("SELECT COUNT(*) FROM sends WHERE campaign_id = ? AND reason = 'cancelled'").pluck().get(created.id)).toBe(40 - view.counts.sent - view.counts.delivered - view.counts.read - view.counts.sending);
  });

  it('a campaign the monthly budget holds for years says the month it ends, counted, not replayed month by month (#30 item 9)', async () => {
    const f = await campaignFixture({ contacts: 1500, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await f.t.call('health.setBudget', { numberId: f.numbers[0]!.id, budget: 50 });
    const estimate = await f.t.call<Estimate>('campaigns.estimate', f.input());
    // 1,500 people, 50 a month: 29 more months after this one.
    // The budget's months are the user's (Settings' zone).
    const zone = (await f.t.call<{ timeZone: string }>('settings.get')).timeZone;
    const end = localTime(estimate.estimatedFinish!, zone);
    const start = localTime(f.clock.now(), zone);
    expect((end.year - start.year) * 12 + (end.month - start.month)).toBe(29);
    expect(estimate.risk.reasons).toContain('over_unanswered_budget');
  });
});
