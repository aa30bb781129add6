import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignView, RecurringPlan } from '../../shared/campaigns';
import type { NumberView } from '../../shared/numbers';
import type { ReportRow } from '../../shared/reports';
import { SimWorld } from '../../electron/whatsapp/sim-world';
import { suiteTempDir } from '../helpers/temp-dir';
import { launchBrowser, screenshot } from './support/browser';
import { apiOf, importedList, until } from './support/api';
import { startWebApp, type WebApp } from './support/web-app';
import { CampaignPages } from './pages/campaign-pages';
import { ShellPage } from './pages/shell-page';

/**
 * #35's campaigns over time, on the demo with its clock 20,000 times faster (a day in about four seconds): an A/B
 * test with a follow-up the next day to who read or replied, walked through the wizard, checked against what the
 * simulator delivered; then a weekly campaign whose second run skips who got the first within its cap.
 */
const SPEED = 20_000;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let web: WebApp;
let dataDir: string;
const api = apiOf(() => web);
const A = 'Hola {{nombre}}, 2x1 en pan dulce hoy. Si no deseas recibir más mensajes, responde CANCELAR';
const B = '{{nombre}}, te guardamos una concha gratis con tu compra de hoy. Si no deseas recibir más mensajes, responde CANCELAR';
const FOLLOW = '¿Pudiste pasar, {{nombre}}? La promoción sigue hasta el viernes. Si no deseas recibir más mensajes, responde CANCELAR';
const WEEKLY = 'Hola {{nombre}}, ya salió el pan de la semana. Si no deseas recibir más mensajes, responde CANCELAR';

function people(file: string, from: number, count: number): string {
  fs.writeFileSync(file, `Nombre,Teléfono\n${Array.from({ length: count }, (_, i) => `Cliente ${from + i},55${String(51_000_000 + (from + i) * 7919)}`).join('\n')}\n`);
  return file;
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = suiteTempDir();
  web = await startWebApp(dataDir, ['--demo', '--demo-speed', String(SPEED), '--demo-reply-rate', '0.4']);
  await new ShellPage(browser.page).open(web.url);
});
afterAll(async () => {
  await web.stop();
  await browser.close();
});

describe('campaigns over time in Chromium (demo clock sped up)', () => {
  it('an A/B test with a follow-up reaches only who read or replied, and the report shows each version and the pick', async () => {
    const page = browser.page;
    const [demo] = await until(() => api<NumberView[]>('numbers.list'), (list) => list.some((n) => n.state === 'qr'));
    await api('numbers.simulateScan', { id: demo!.id });
    await until(() => api<NumberView[]>('numbers.list'), (list) => list.some((n) => n.state === 'connected'));
    await importedList(web, api, people(path.join(dataDir, 'clientes.csv'), 0, 16), 'Panadería', 16);

    const wizard = new CampaignPages(page);
    await wizard.startWizard();
    await page.getByTestId('campaign-name').fill('Expo pan');
    await wizard.next();
    await page.getByTestId('campaign-body').fill(A);
    await page.getByTestId('ab-test').getByTestId('ab-on').check();
    // An empty version holds the step back, and says why.
    expect(await page.getByTestId('ab-empty').innerText()).toContain('Escribe cada versión');
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true);
    await page.getByTestId('ab-version-body').fill(B);
    await page.getByTestId('ab-version-add').click();
    await page.getByTestId('ab-version-remove').last().click();
    await page.getByTestId('ab-share').selectOption('50');
    await page.getByTestId('ab-wait').selectOption('2');
    await page.getByTestId('ab-metric').selectOption('replied');
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await wizard.next();
    await page.locator('[data-list-name="Panadería"]').check();
    await wizard.next();
    await page.getByTestId('campaign-number').first().check();
    await wizard.next(); // pace
    await wizard.next(); // when
    await page.getByTestId('follow-up-on').check();
    await page.getByTestId('follow-up-days').fill('1');
    await page.getByTestId('follow-up-who').selectOption('read_or_replied');
    expect(await page.getByTestId('follow-up-empty').isVisible()).toBe(true);
    await page.getByTestId('follow-up-body').fill(FOLLOW);
    await wizard.next(); // summary
    expect(await page.getByTestId('review-ab').innerText()).toContain('2 versiones');
    expect(await page.getByTestId('review-follow-up').innerText()).toContain('El día 1');
    await screenshot(page, 'over-time-review');
    await wizard.launch();
    await wizard.waitForState('completed');
    await expect.poll(() => page.getByTestId('campaign-ab').innerText()).toMatch(/fue a los demás|se elige/);

    // The follow-up, part of the campaign's page, goes a day later to who engaged.
    const item = page.getByTestId('follow-ups').getByTestId('follow-up-item');
    await page.locator('[data-testid="follow-up-item"][data-state="completed"]').waitFor({ timeout: 60_000 });
    expect(await item.getByTestId('follow-up-figures').innerText()).toMatch(/Enviados: \d+/);
    const campaigns = await api<CampaignView[]>('campaigns.list');
    const expo = campaigns.find((c) => c.name === 'Expo pan') as CampaignView;
    const rows = (await api<{ rows: ReportRow[] }>('reports.rows', { id: expo.id, state: null, offset: 0, limit: 100 })).rows;
    const engaged = new Set(rows.filter((r) => r.readAt !== null || (r.replied && !r.optedOut)).map((r) => r.phone));
    const silent = rows.filter((r) => r.readAt === null && !r.replied).map((r) => r.phone);
    expect(silent.length).toBeGreaterThan(0);
    const record = SimWorld.readRecord(path.join(dataDir, 'simulator', 'deliveries.jsonl'));
    const chatOf = (phone: string) => `521${phone.slice(3)}@c.us`;
    const followUps = record.filter((d) => d.text.startsWith('¿Pudiste pasar'));
    expect(followUps.length).toBeGreaterThan(0);
    for (const d of followUps) expect([...engaged].map(chatOf)).toContain(d.chatId);
    for (const phone of silent) expect(followUps.map((d) => d.chatId)).not.toContain(chatOf(phone));
    // Its first message a day before is no reason to leave anyone out ("recibió un mensaje en 24 h"): only opt-outs are.
    const followUpReport = await api<{ skippedBy: Record<string, number> }>('reports.get', { id: expo.followUps[0]!.id });
    expect(Object.keys(followUpReport.skippedBy).filter((reason) => reason !== 'opted_out')).toEqual([]);
    await screenshot(page, 'over-time-campaign');
    await item.getByTestId('follow-up-open').click();
    await page.getByTestId('follow-up-of').waitFor();

    // The report: each version's rates with their margins, and which went to the rest and how sure that was.
    await page.goto(`${web.origin}/#/campanas/${expo.id}/reporte`);
    await expect.poll(() => page.getByTestId('report-versions').getByTestId('report-version').count()).toBe(2);
    expect(await page.getByTestId('report-version-replied').first().innerText()).toMatch(/%.*\(.*–.*%\)/);
    expect(await page.getByTestId('report-ab-choice').innerText()).toMatch(/La versión [AB] fue a los demás: más respuestas, con [\d.,]+ % de seguridad/);
    await screenshot(page, 'over-time-report');
  });

  it('a weekly campaign makes its second run a week later, skipping who got the first within the cap; it pauses and ends', async () => {
    const page = browser.page;
    const wizard = new CampaignPages(page);
    await wizard.startWizard();
    await page.getByTestId('campaign-name').fill('Pan de la semana');
    await wizard.next();
    await page.getByTestId('campaign-body').fill(WEEKLY);
    await page.locator('[data-testid="wizard-next"]:not([disabled])').waitFor();
    await wizard.next();
    await page.locator('[data-list-name="Panadería"]').check();
    await wizard.next();
    await page.getByTestId('campaign-number').first().check();
    await wizard.next();
    await wizard.next();
    await page.getByTestId('repeat-every').selectOption('week');
    await page.getByTestId('repeat-cap').fill('10');
    await wizard.next();
    expect(await page.getByTestId('review-repeat').innerText()).toContain('cada semana');
    await wizard.launch();
    await page.getByTestId('recurring-plans').waitFor();
    const plan = page.getByTestId('recurring-plan');
    await expect.poll(() => plan.getByTestId('recurring-run').count()).toBe(1);
    // Two new customers join the list during the week.
    const nuevos = await importedList(web, api, people(path.join(dataDir, 'nuevos.csv'), 100, 2), 'Nuevos', 2);
    const panaderia = (await api<{ id: number; name: string }[]>('lists.list')).find((l) => l.name === 'Panadería')!;
    const joined = (await api<{ rows: { id: number }[] }>('contacts.query', { offset: 0, limit: 10, listId: nuevos.id })).rows.map((r) => r.id);
    await api('lists.addMembers', { listId: panaderia.id, contactIds: joined });
    // A week of the demo's clock later: the second run.
    const plans = await until(() => api<RecurringPlan[]>('recurring.list'), (all) => (all[0]?.runs.length ?? 0) >= 2 && all[0]?.runs[0]?.state === 'completed', 90_000);
    const [second, first] = plans[0]!.runs as [RecurringPlan['runs'][number], RecurringPlan['runs'][number]];
    // Everyone the first run reached is within the 10-day cap: skipped for it, and nobody gets both runs; the two new
    // customers are in the second (the rest, left out of the first for a message the day before, may be too).
    const rowsOf = async (id: number) => (await api<{ rows: ReportRow[] }>('reports.rows', { id, state: null, offset: 0, limit: 100 })).rows;
    const firstSent = new Set((await rowsOf(first.id)).filter((r) => r.sentAt !== null).map((r) => r.phone));
    const secondRows = await rowsOf(second.id);
    // (One who answered the first with BAJA is skipped as an opt-out, which comes first.)
    for (const phone of firstSent) {
      const row = secondRows.find((r) => r.phone === phone);
      expect(row?.sentAt ?? null, phone).toBeNull();
      expect(['frequency_cap', 'opted_out']).toContain(row?.reason);
    }
    expect(secondRows.filter((r) => r.reason === 'frequency_cap').length).toBeGreaterThan(0);
    const newPhones = (await api<{ rows: { phone: string }[] }>('contacts.query', { offset: 0, limit: 10, listId: nuevos.id })).rows.map((r) => r.phone);
    for (const phone of newPhones) expect(secondRows.some((r) => r.phone === phone && r.reason !== 'frequency_cap')).toBe(true);
    await expect.poll(() => plan.getByTestId('recurring-run').count()).toBe(2);
    await screenshot(page, 'over-time-recurring');
    await page.goto(`${web.origin}/#/campanas/${second.id}/reporte`);
    expect(await page.getByTestId('reasons-skipped').innerText()).toContain('Recibió esta campaña recurrente hace poco');
    await page.getByTestId('nav-campaigns').click();
    await plan.getByTestId('recurring-toggle').click();
    await expect.poll(() => plan.getByTestId('recurring-next').innerText()).toContain('En pausa');
    await plan.getByTestId('recurring-end').click();
    await plan.getByTestId('recurring-end-confirm').click();
    await expect.poll(() => page.getByTestId('recurring-plans').count()).toBe(0);
  });
});
