import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimWorld } from '../../../electron/whatsapp';
import type { CampaignView } from '../../../shared/campaigns';
import type { Report } from '../../../shared/reports';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';
import type { TestApp } from '../../helpers/contacts-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const A = 'Hola {{nombre}}, 2x1 en pan dulce hoy. Si no deseas recibir más mensajes, responde CANCELAR';
const B = '{{nombre}}, te guardamos una concha gratis con tu compra de hoy. Si no deseas recibir más mensajes, responde CANCELAR';

describe('A/B tests', () => {
  it('send each version to a seeded share, wait, pick the version with more replies for the rest, and report each version with its uncertainty and how sure the pick was', async () => {
    const f = await campaignFixture({ contacts: 60, numbers: 1, config: { simBehaviour: { readRate: 0.6, replyRate: 0 } } });
    t = f.t;
    const settings = { pace: { preset: 'standard' as const }, window: null, timeZone: 'America/Mexico_City', startAt: null, abTest: { variants: [B], testShare: 50, waitHours: 4, metric: 'replied' as const } };
    const launched = await f.launch({ name: 'Pan dulce', body: A, settings });
    const db = t.app.db;
    const test = db.prepare('SELECT contact_id, phone, variant, text FROM sends WHERE campaign_id = ? ORDER BY contact_id').all(launched.id) as { contact_id: number; phone: string; variant: number; text: string }[];
    // About half the audience, split between the two versions; each send carries its version's text.
    expect(test.length).toBeGreaterThan(18);
    expect(test.length).toBeLessThan(42);
    const byVersion = (v: number) => test.filter((s) => s.variant === v);
    expect(byVersion(0).length).toBeGreaterThan(3);
    expect(byVersion(1).length).toBeGreaterThan(3);
    for (const s of byVersion(0)) expect(s.text).toMatch(/^Hola .*2x1/);
    for (const s of byVersion(1)) expect(s.text).toMatch(/concha gratis/);

    // The test share sent, the campaign waits for the choice rather than completing.
    for (let i = 0; i < 30; i++) await f.clock.advance(60_000);
    const waiting = await t.call<CampaignView>('campaigns.get', { id: launched.id });
    expect(waiting.state).toBe('running');
    expect(waiting.counts.queued).toBe(0);
    // Version B's readers answer; A's do not.
    // (A demo reply waits on the app's clock: settled while the manual clock moves.)
    for (const s of byVersion(1)) await settle(f.clock, t.call('numbers.simulateReply', { id: f.numbers[0]!.id, phone: s.phone, body: '¡Me interesa! ¿Hasta qué hora?' }));
    await f.clock.advance(4 * 3_600_000);
    for (let i = 0; i < 60 && (await t.call<CampaignView>('campaigns.get', { id: launched.id })).state === 'running'; i++) await f.clock.advance(60_000);
    const done = await t.call<CampaignView>('campaigns.get', { id: launched.id });
    expect(done).toMatchObject({ state: 'completed', total: 60 });
    expect(done.settings.abTest).toMatchObject({ winner: 1 });
    const rest = db.prepare('SELECT variant, text FROM sends WHERE campaign_id = ? AND contact_id NOT IN (' + test.map((s) => s.contact_id).join(',') + ')').all(launched.id) as { variant: number; text: string }[];
    expect(rest.length).toBe(60 - test.length);
    for (const s of rest) {
      expect(s.variant).toBe(1);
      expect(s.text).toMatch(/concha gratis/);
    }
    // Every contact got exactly one message, of its own version.
    const delivered = SimWorld.readRecord(path.join(t.dataDir, 'simulator', 'deliveries.jsonl')).filter((d) => /2x1|concha/.test(d.text));
    expect(new Set(delivered.map((d) => d.chatId)).size).toBe(60);
    expect(delivered).toHaveLength(60);

    const report = await t.call<Report>('reports.get', { id: launched.id });
    expect(report.versions).toHaveLength(2);
    const [va, vb] = report.versions!;
    expect(va!.replied.rate).toBe(0);
    expect(vb!.replied.count).toBe(byVersion(1).length);
    // The rest went to B: its count grew past its test share; intervals hold their rates.
    expect(vb!.sent).toBe(60 - byVersion(0).length);
    for (const v of report.versions!) for (const r of [v.read, v.replied, v.optedOut, v.blocked]) expect(r.low <= r.rate && r.rate <= r.high).toBe(true);
    expect(report.abChoice).toMatchObject({ winner: 1, metric: 'replied' });
    expect(report.abChoice!.confidence).toBeGreaterThan(0.95);
  });

  it('with the whole audience in the test there is no wait and no choice; versions are drawn the same on a repeated fill', async () => {
    const f = await campaignFixture({ contacts: 30, numbers: 1, config: { simBehaviour: { replyRate: 0 } } });
    t = f.t;
    const settings = { pace: { preset: 'standard' as const }, window: null, timeZone: 'America/Mexico_City', startAt: null, abTest: { variants: [B, 'Buen día {{nombre}}: pan recién hecho. Si no deseas recibir más mensajes, responde CANCELAR'], testShare: 100, waitHours: 1, metric: 'read' as const } };
    const launched = await f.launch({ name: 'Todo', body: A, settings });
    const db = t.app.db;
    const drawn = db.prepare('SELECT contact_id, variant FROM sends WHERE campaign_id = ? ORDER BY contact_id').all(launched.id);
    expect(drawn).toHaveLength(30);
    expect(new Set((drawn as { variant: number }[]).map((d) => d.variant))).toEqual(new Set([0, 1, 2]));
    // A fill repeated (after a crash) draws the same versions and adds nobody.
    await t.app.campaigns.fillOutbox(launched.id);
    expect(db.prepare('SELECT contact_id, variant FROM sends WHERE campaign_id = ? ORDER BY contact_id').all(launched.id)).toEqual(drawn);
    for (let i = 0; i < 60 && (await t.call<CampaignView>('campaigns.get', { id: launched.id })).state === 'running'; i++) await f.clock.advance(60_000);
    const report = await t.call<Report>('reports.get', { id: launched.id });
    expect(report.state).toBe('completed');
    expect(report.versions?.map((v) => v.sent).reduce((a, b) => a + b, 0)).toBe(30);
    expect(report.abChoice).toBeNull();
    // A version that does not parse is refused before anything is saved.
    await expect(t.call('campaigns.create', f.input({ name: 'Mal', settings: { ...settings, abTest: { ...settings.abTest, variants: ['Hola {{nombre'] } } }))).rejects.toMatchObject({ code: 'template_invalid' });
  });
});
