import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatedDriver } from '../../../electron/whatsapp';
import type { Dashboard, Reply } from '../../../shared/inbox';
import type { Progress } from '../../../shared/campaigns';
import type { Report } from '../../../shared/reports';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('replies inbox and dashboard', () => {
  it('stores every reply with its campaign, flags opt-outs, filters and marks as handled', async () => {
    const f = await campaignFixture({ contacts: 12, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const campaign = await f.launch();
    await f.clock.advance(60_000);
    const id = f.numbers[0]!.id;
    await settle(f.clock, f.t.call('numbers.simulateReply', { id, phone: '+525520000000', body: 'Me interesa, ¿precio?' }));
    await settle(f.clock, f.t.call('numbers.simulateReply', { id, phone: '+525520000037', body: 'BAJA' }));
    await f.clock.advance(1000);

    const all = await f.t.call<{ total: number; rows: Reply[] }>('inbox.list', { offset: 0, limit: 50 });
    expect(all.total).toBe(2);
    expect(all.rows.map((r) => [r.body, r.optOut, r.campaignName, r.contactName])).toEqual([
      ['BAJA', true, 'Promo', 'Cliente 1'],
      ['Me interesa, ¿precio?', false, 'Promo', 'Cliente 0'],
    ]);
    const optOuts = await f.t.call<{ rows: Reply[] }>('inbox.list', { show: 'opt_out', offset: 0, limit: 50 });
    expect(optOuts.rows.map((r) => r.body)).toEqual(['BAJA']);
    await f.t.call('inbox.setHandled', { ids: [all.rows[1]!.id], handled: true });
    const unhandled = await f.t.call<{ rows: Reply[] }>('inbox.list', { show: 'unhandled', campaignId: campaign.id, offset: 0, limit: 50 });
    expect(unhandled.rows.map((r) => r.body)).toEqual(['BAJA']);

    const dashboard = await f.t.call<Dashboard>('dashboard.get');
    expect(dashboard).toMatchObject({ unhandledReplies: 1, optOutsToday: 1, hasContacts: true });
    expect(dashboard.numbers[0]).toMatchObject({ sentToday: 12, dailyCap: 6000 });
  });

  it('warns about a braked campaign and a number in trouble', async () => {
    const f = await campaignFixture({ contacts: 20, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    await f.launch();
    await f.clock.advance(3000);
    const driver = f.t.app.sessions.driver(f.numbers[0]!.id) as SimulatedDriver;
    const done = driver.script([{ afterMs: 0, do: 'ban' }]);
    await f.clock.advance(1);
    await done;
    await f.clock.advance(1);
    const dashboard = await f.t.call<Dashboard>('dashboard.get');
    expect(dashboard.warnings.map((w) => w.kind).sort()).toEqual(['braked', 'number']);
    expect(dashboard.warnings.find((w) => w.kind === 'number')).toMatchObject({ state: 'banned' });
  });

  it('one figure per number per day on the campaign page, the report and Inicio: messages that went out, not attempts (#30 item 3)', async () => {
    // Failures and retries on the way: attempts outnumber what went out.
    const f = await campaignFixture({ contacts: 60, numbers: 2, config: { simBehaviour: { replyRate: 0, transientFailureRate: 0.15, ackErrorRate: 0.05 } } });
    t = f.t;
    const campaign = await f.launch();
    for (let i = 0; i < 40 && (await f.t.call<{ state: string }>('campaigns.get', { id: campaign.id })).state !== 'completed'; i++) await f.clock.advance(30_000);
    const progress = await f.t.call<Progress>('campaigns.progress', { id: campaign.id });
    const report = await f.t.call<Report>('reports.get', { id: campaign.id });
    const dashboard = await f.t.call<Dashboard>('dashboard.get');
    const attempts = f.t.app.db.prepare("SELECT COUNT(*) FROM sends WHERE state != 'queued'").pluck().get() as number;
    const wentOut = f.t.app.db.prepare("SELECT COUNT(*) FROM sends WHERE state IN ('sent', 'delivered', 'read')").pluck().get() as number;
    expect(attempts).toBeGreaterThan(wentOut);
    for (const n of f.numbers) {
      const page = progress.perNumber.find((p) => p.numberId === n.id)!.sentToday;
      const home = dashboard.numbers.find((d) => d.id === n.id)!.sentToday;
      const reported = report.perNumber.find((r) => r.numberId === n.id)!.sent;
      expect({ number: n.id, page, home }).toEqual({ number: n.id, page: reported, home: reported });
    }
    expect(report.perNumber.reduce((sum, r) => sum + r.sent, 0)).toBe(wentOut);
  }, 120_000);
});
