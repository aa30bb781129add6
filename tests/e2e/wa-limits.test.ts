import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CampaignView } from '../../shared/campaigns';
import { TESTDATA } from '../helpers/paths';
import { suiteTempDir } from '../helpers/temp-dir';
import { launchBrowser, screenshot } from './support/browser';
import { startWebApp, type WebApp } from './support/web-app';
import { apiOf, importedList, linkedDemoNumber } from './support/api';
import type { Locator } from 'playwright-core';
import { ShellPage } from './pages/shell-page';
import { CampaignPages } from './pages/campaign-pages';

type Api = ReturnType<typeof apiOf>;

/** The demo's button on a number's card: WhatsApp's limit played on that number. */
async function play(card: Locator, fault: string, open = true): Promise<void> {
  if (open) await card.getByTestId('demo-faults').locator('summary').click();
  await card.getByTestId('demo-fault-select').selectOption(fault);
  await card.getByTestId('demo-fault-run').click();
}

let web: WebApp | undefined;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
afterAll(async () => {
  await web?.stop();
  await browser?.close();
});

/** A slow campaign (careful pace) from the demo list to people who never wrote to the number. */
async function launch(api: Api, listId: number, numberId: string, name: string): Promise<CampaignView> {
  const campaign = await api<CampaignView>('campaigns.create', {
    name,
    templateId: null,
    body: 'Hola {{nombre}}, te saluda Luis de La Espiga. Si no deseas más mensajes, responde CANCELAR',
    mediaId: null,
    includeListIds: [listId],
    excludeListIds: [],
    numberIds: [numberId],
    settings: { pace: { preset: 'careful' }, window: null, timeZone: 'America/Mexico_City', startAt: null },
  });
  await api('campaigns.launch', { id: campaign.id });
  return campaign;
}

/**
 * #32 item 3, as a user would meet it in the demo: WhatsApp's own limits on reaching new people shown on Números
 * (the cap with its level and renewal, the timelock with its end), on Inicio, and on the campaign page (who waits,
 * why, and until when). Screenshots at 1280×720.
 */
describe("WhatsApp's limits on new people, in Chromium", () => {
  it('a timelock and a reached cap are said on Números, Inicio and the campaign page, with what waits and until when', async () => {
    web = await startWebApp(suiteTempDir());
    const app = web;
    const api = apiOf(() => app);
    const locked = await linkedDemoNumber(api, 'Mostrador');
    const capped = await linkedDemoNumber(api, 'Sucursal');
    const list = await importedList(app, api, path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'), 'Clientes', 6);

    browser = await launchBrowser({ width: 1280, height: 720 });
    const page = browser.page;
    await new ShellPage(page).open(app.url);
    await page.goto(`${app.origin}/#/numeros`);

    // Números: the demo's buttons play WhatsApp's limits; each card says what WhatsApp stated.
    const lockedCard = page.getByRole('article', { name: 'Mostrador' });
    await play(lockedCard, 'timelock');
    await lockedCard.getByTestId('wa-timelock').waitFor();
    expect(await lockedCard.getByTestId('wa-timelock').innerText()).toContain('no deja a este número iniciar chats nuevos hasta');
    const cappedCard = page.getByRole('article', { name: 'Sucursal' });
    await play(cappedCard, 'cap_warning');
    await cappedCard.locator('[data-testid="wa-cap"][data-level="first_warning"]').waitFor();
    expect(await cappedCard.getByTestId('wa-cap').innerText()).toContain('76 de 100');
    await screenshot(page, 'numbers-wa-limits-warning');
    await play(cappedCard, 'cap_reached', false);
    await cappedCard.locator('[data-testid="wa-cap"][data-level="capped"]').waitFor();
    expect(await cappedCard.getByTestId('wa-limits').innerText()).toContain('Se renueva');
    // Its health card counts WhatsApp's cap, not the app's own monthly estimate; the lock says what WhatsApp said.
    expect(await page.getByTestId('health-wa-cap').innerText()).toContain('100 de 100');
    expect(await page.getByTestId('health-month').count()).toBe(1);
    expect(await lockedCard.getByTestId('wa-timelock').innerText()).toContain('Tu cuenta está restringida.');
    await screenshot(page, 'numbers-wa-limits');

    // The campaigns: people who never wrote wait, with the reason and the time they go on by themselves.
    const first = await launch(api, list.id, locked.id, 'Con candado');
    const second = await launch(api, list.id, capped.id, 'Con tope');
    await page.goto(`${app.origin}/#/campanas/${first.id}`);
    const lockHeld = page.getByTestId('held-timelock');
    await lockHeld.waitFor({ timeout: 60_000 });
    expect(await lockHeld.innerText()).toMatch(/esperan y siguen solos .+, cuando termina la restricción/);
    // WhatsApp said it before any message went: none was left at one tick.
    expect(await page.getByTestId('limit-undelivered').count()).toBe(0);
    await screenshot(page, 'campaign-held-timelock');
    await page.goto(`${app.origin}/#/campanas/${second.id}`);
    const capHeld = page.getByTestId('held-new_chat_cap');
    await capHeld.waitFor({ timeout: 60_000 });
    expect(await capHeld.innerText()).toContain('cuando WhatsApp lo renueva');
    await screenshot(page, 'campaign-held-cap');
    const progress = await api<{ held: { count: number }[]; counts: CampaignView['counts'] }>('campaigns.progress', { id: second.id });
    expect(progress.counts.failed).toBe(0);

    // The wizard: what WhatsApp's limit means for a new campaign, and the option to write first to who wrote.
    const wizard = new CampaignPages(page);
    await wizard.toPace({ name: 'Otra con tope', body: 'Hola {{nombre}}, te saluda Luis de La Espiga. Si no deseas más mensajes, responde CANCELAR', lists: ['Clientes'], numbers: ['Sucursal'] });
    await wizard.next();
    await page.getByTestId('warm-first').check();
    await wizard.next();
    const newPeople = page.getByTestId('summary-new-people');
    await newPeople.waitFor();
    expect(await newPeople.innerText()).toMatch(/nunca te han escrito: con tu límite actual de WhatsApp les llegará en 2 periodos/);
    await screenshot(page, 'wizard-new-people');

    // Inicio: each number's cap as WhatsApp counts it, in place of the app's own estimate, and the timelock.
    await page.goto(`${app.origin}/#/`);
    await page.getByTestId('dash-wa-cap').waitFor();
    expect(await page.getByTestId('dash-wa-cap').count()).toBe(1);
    expect(await page.getByTestId('wa-timelock').count()).toBe(1);
    await screenshot(page, 'home-wa-limits');
  }, 180_000);
});
