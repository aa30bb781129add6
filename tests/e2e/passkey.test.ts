import { afterAll, describe, expect, it } from 'vitest';
import type { NumberView } from '../../shared/numbers';
import { suiteTempDir } from '../helpers/temp-dir';
import { launchBrowser, screenshot } from './support/browser';
import { apiOf, linkedDemoNumber, until } from './support/api';
import { startWebApp, type WebApp } from './support/web-app';
import { ShellPage } from './pages/shell-page';

let web: WebApp | undefined;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
afterAll(async () => {
  await web?.stop();
  await browser?.close();
});

/**
 * #32 item 4, as a user meets it in the demo: linking again, WhatsApp asks for a passkey. The number says so in its
 * own words with what to do — not a timeout — and "Mostrar la ventana de WhatsApp" finishes the link (a real number
 * shows WhatsApp Web's window for the browser's own passkey prompt; the demo takes it as given).
 */
describe('a passkey asked for while linking, in Chromium', () => {
  it('is said as "WhatsApp pide una llave de acceso" with what to do, and the window button links the number', async () => {
    web = await startWebApp(suiteTempDir());
    const app = web;
    const api = apiOf(() => app);
    const number = await linkedDemoNumber(api, 'Mostrador');
    browser = await launchBrowser({ width: 1280, height: 720 });
    const page = browser.page;
    await new ShellPage(page).open(app.url);
    await page.goto(`${app.origin}/#/numeros`);
    const card = page.getByRole('article', { name: 'Mostrador' });
    await card.getByTestId('demo-faults').locator('summary').click();
    await card.getByTestId('demo-fault-select').selectOption('passkey');
    await card.getByTestId('demo-fault-run').click();
    await card.getByTestId('relink').click();
    await until(() => api<NumberView[]>('numbers.list'), (list) => list[0]?.state === 'qr');
    await api('numbers.simulateScan', { id: number.id });

    await page.locator('article[aria-label="Mostrador"][data-state="passkey"]').waitFor();
    expect(await card.getByTestId('number-state').innerText()).toBe('WhatsApp pide una llave de acceso');
    expect(await card.innerText()).toContain('«Mostrar la ventana de WhatsApp»');
    await screenshot(page, 'numbers-passkey');
    await card.getByTestId('show-window').click();
    await page.locator('article[aria-label="Mostrador"][data-state="connected"]').waitFor();
    expect(await card.getByTestId('number-state').innerText()).toBe('Conectado');
  }, 90_000);
});
