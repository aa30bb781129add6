import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CampaignView, Progress } from '../../shared/campaigns';
import type { Contact } from '../../shared/contacts';
import type { NumberHealth } from '../../shared/health';
import { suiteTempDir } from '../helpers/temp-dir';
import { screenshot } from './support/browser';
import { apiOf, importedList, linkedDemoNumber, until } from './support/api';
import { webAppSuite } from './support/suite';

/**
 * Number health as a user meets it, in Chromium: the month's budget of unanswered messages set in Settings (with
 * the warning above the suggested one), a campaign that stops at it, the dashboard's bars and its WhatsApp-style
 * warning near the limit, replies that may be opt-outs settled in the inbox with one click, and the Numbers page's
 * score with every factor in words.
 */
// The demo's contacts stay quiet (their own replies are drawn at random): the three replies below are the only ones.
const suite = webAppSuite(['--demo-reply-rate', '0']);
const api = apiOf(() => suite.web);
const BODY = 'Hola {{nombre}}, te saluda Luis de La Espiga. Si no deseas recibir más mensajes, responde CANCELAR';

describe('number health in Chromium', () => {
  it('keeps a number under its monthly budget, says so everywhere, and lets the user settle doubtful opt-outs', async () => {
    const page = suite.browser.page;
    const number = await linkedDemoNumber(api, 'Tienda Salud');
    const csv = path.join(suiteTempDir(), 'clientes-salud.csv');
    fs.writeFileSync(csv, `Nombre,Teléfono\n${Array.from({ length: 70 }, (_, i) => `Cliente ${i + 1},55${String(20_000_000 + i * 7919)}`).join('\n')}\n`);
    const list = await importedList(suite.web, api, csv, 'Salud', 70);

    // Settings: the suggested budget, a warning above it, then a lower one of the user's own.
    await page.getByTestId('nav-settings').click();
    const row = page.getByTestId('settings-budgets').getByTestId('budget-row');
    await row.waitFor();
    expect(await page.getByTestId('settings-budgets').innerText()).toContain('WhatsApp limita cada mes');
    const input = row.getByTestId('budget-input');
    expect(await input.inputValue()).toBe('3000');
    await input.fill('5000');
    expect(await row.getByTestId('budget-high').innerText()).toContain('más de lo que la app considera seguro');
    await input.fill('50');
    expect(await row.getByTestId('budget-high').count()).toBe(0);
    await row.getByRole('button', { name: 'Guardar' }).click();
    await row.getByTestId('budget-default').waitFor();
    await screenshot(page, 'health-settings-budget');
    expect((await api<NumberHealth[]>('health.get'))[0]?.month).toMatchObject({ budget: 50, ownBudget: true });

    // A fast campaign to 70 people: it stops at the budget and says why.
    const pace = { preset: 'custom', perMinute: 100, gapMs: [200, 400], batch: [100, 100], pauseMs: [0, 0], dailyCap: 6000 };
    const created = await api<CampaignView>('campaigns.create', {
      name: 'Salud', templateId: null, body: BODY, mediaId: null, includeListIds: [list.id], excludeListIds: [], numberIds: [number.id],
      settings: { pace, window: null, timeZone: 'America/Mexico_City', startAt: null },
    });
    await api('campaigns.launch', { id: created.id });
    const waiting = await until(() => api<Progress>('campaigns.progress', { id: created.id }), (p) => p.waiting?.why === 'monthly_budget', 90_000);
    expect(waiting.waiting?.why).toBe('monthly_budget');
    await page.goto(`${suite.web.url}#/campanas/${created.id}`);
    expect(await page.getByTestId('waiting').innerText()).toContain('límite mensual de mensajes sin respuesta');
    await screenshot(page, 'health-campaign-waits');

    // Three people write back: one asks to stop in their own words, two may mean no.
    const { rows } = await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 5, listId: list.id });
    const [a, b, c] = rows as [Contact, Contact, Contact];
    await api('numbers.simulateReply', { id: number.id, phone: a.phone, body: 'Ya no me manden mensajes por favor' });
    await api('numbers.simulateReply', { id: number.id, phone: b.phone, body: 'no gracias' });
    await api('numbers.simulateReply', { id: number.id, phone: c.phone, body: '¿Quién es?' });

    // The dashboard: the month's bar with the budget, the WhatsApp-style warning, the replies to decide.
    await page.getByTestId('nav-home').click();
    const dash = page.getByTestId('dashboard');
    await dash.getByTestId('dash-doubtful').waitFor({ timeout: 15_000 });
    const bar = dash.getByTestId('dash-budget');
    expect(Number(await bar.getAttribute('max'))).toBe(50);
    expect(Number(await bar.getAttribute('value'))).toBeGreaterThanOrEqual(40);
    expect(await page.getByTestId('budget-near').innerText()).toMatch(/Estás cerca de tu límite mensual[\s\S]*«Tienda Salud» lleva \d+ de 50 mensajes sin respuesta este mes/);
    expect(await dash.getByTestId('dash-health').innerText()).toMatch(/^Salud: \d+/);
    expect(await dash.getByTestId('dash-doubtful').innerText()).toContain('2 respuestas podrían ser bajas');
    await screenshot(page, 'health-dashboard');

    // The inbox, opened on the replies that wait for a decision: one is an opt-out, the other is not.
    await dash.getByTestId('dash-doubtful').getByRole('link').click();
    await page.getByTestId('page-inbox').waitFor();
    expect(await page.getByTestId('inbox-show').inputValue()).toBe('doubtful');
    await expect.poll(() => page.getByTestId('reply-doubt').count()).toBe(2);
    const noThanks = page.locator('[data-testid="reply"][data-doubt="no"]');
    expect(await noThanks.getByTestId('reply-doubt').innerText()).toContain('Respondió con un «no».');
    expect(await page.locator('[data-testid="reply"][data-doubt="quien_es"]').getByTestId('reply-doubt').innerText()).toContain('Pregunta quién le escribe.');
    await screenshot(page, 'health-inbox-doubtful');
    await noThanks.getByTestId('doubt-opt-out').click();
    await page.locator('[data-testid="reply"][data-doubt="quien_es"]').getByTestId('doubt-keep').click();
    await expect.poll(() => page.getByTestId('reply-doubt').count()).toBe(0);
    const optedOut = await api<{ rows: Contact[] }>('contacts.query', { offset: 0, limit: 5, search: b.name ?? '' });
    expect(optedOut.rows[0]?.optedOut).toBe(true);
    await page.getByTestId('inbox-show').selectOption('opt_out');
    await expect.poll(() => page.locator('[data-testid="reply"][data-opt-out="true"]').count()).toBe(2);
    expect(await page.locator('[data-testid="reply"][data-opt-out="false"]').count()).toBe(0);
    const shown = await page.getByTestId('replies').innerText();
    expect(shown).toContain('Ya no me manden mensajes por favor');
    expect(shown).toContain('no gracias');

    // Numbers: the score over 7 and 30 days, what to do, the month against the budget, every factor in words.
    await page.getByTestId('nav-numbers').click();
    const health = page.getByTestId('number-health');
    await health.waitFor();
    expect(await health.getByTestId('health-last7').innerText()).toMatch(/^\d+\/100 últimos 7 días$/);
    expect(await health.getByTestId('health-last30').innerText()).toMatch(/^\d+\/100 últimos 30 días$/);
    expect(await health.getByTestId('health-advice').innerText()).toMatch(/^Lo que toca: /);
    expect(await health.getByTestId('health-month').innerText()).toMatch(/Sin respuesta este mes: \d+ de 50/);
    await health.locator('summary').click();
    const factors = health.getByTestId('health-factor');
    expect(await factors.count()).toBe(6);
    expect(await health.locator('[data-factor="opt_outs"]').innerText()).toMatch(/^Bajas: pidió la baja el [\d.]+ % de las personas/);
    // A factor that takes nothing off says so, never "−0 de 20" (#30 item 9).
    for (const text of await factors.allInnerTexts()) expect(text).not.toMatch(/−0 de/);
    expect((await factors.allInnerTexts()).some((text) => /(−\d+ de \d+|sin descuento \(de \d+\))$/.test(text))).toBe(true);
    await screenshot(page, 'health-numbers');

    // Back to the suggested budget; the campaign goes on under it.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('budget-default').click();
    await expect.poll(async () => (await api<NumberHealth[]>('health.get'))[0]?.month.budget).toBe(3000);
    await until(() => api<Progress>('campaigns.progress', { id: created.id }), (p) => p.waiting?.why !== 'monthly_budget', 30_000);
  }, 180_000);
});
