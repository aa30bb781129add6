import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NumberView } from '../../shared/numbers';
import type { UpdateStatus } from '../../shared/types';
import { suiteTempDir } from '../helpers/temp-dir';
import { apiOf, linkedDemoNumber, until } from './support/api';
import { launchBrowser, screenshot } from './support/browser';
import { pageProblems } from './support/page-checks';
import { startWebApp, type WebApp } from './support/web-app';
import { ShellPage } from './pages/shell-page';

/** A feed as electron-builder publishes it, with a newer version than the app's (0.1.0). */
let feed: http.Server;
let checks = 0;
let web: WebApp;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
const api = apiOf(() => web);

beforeAll(async () => {
  const installer = crypto.randomBytes(1024);
  const sha512 = crypto.createHash('sha512').update(installer).digest('base64');
  feed = http.createServer((req, res) => {
    if (req.url === '/latest-linux.yml' || req.url === '/latest.yml' || req.url === '/latest-mac.yml') {
      checks += 1;
      res.writeHead(200).end(`version: 9.1.0\nfiles:\n  - url: WhatzMe-Desktop-9.1.0.AppImage\n    sha512: ${sha512}\n    size: 1024\npath: WhatzMe-Desktop-9.1.0.AppImage\nsha512: ${sha512}\nreleaseNotes: Compatible con el cambio de WhatsApp Web de diciembre.\n`);
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
  web = await startWebApp(suiteTempDir(), ['--demo', '--update-feed', `http://127.0.0.1:${(feed.address() as AddressInfo).port}/`]);
  browser = await launchBrowser();
  await new ShellPage(browser.page).open(web.url);
}, 60_000);
afterAll(async () => {
  await browser.close();
  await web.stop();
  await new Promise<void>((resolve) => feed.close(() => resolve()));
});

describe('updates and "WhatsApp cambió" in Chromium', () => {
  it('web mode says a new version exists, with its notes, on every page; it installs nothing', async () => {
    const page = browser.page;
    const banner = page.getByTestId('update-banner');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('Hay una versión nueva de WhatzMe Desktop (9.1.0)');
    await banner.locator('summary').click();
    expect(await page.getByTestId('update-notes').innerText()).toContain('WhatsApp Web de diciembre');
    // Restarting is the desktop app's: web mode offers none.
    expect(await page.getByTestId('update-restart').count()).toBe(0);
    expect(await page.getByTestId('update-waits').count()).toBe(0);
    await page.getByTestId('nav-settings').click();
    const panel = page.getByTestId('updates-panel');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('updates-state').getAttribute('data-state')).toBe('available');
    expect(await panel.innerText()).toContain('Versión instalada: 0.1.0');
    await page.getByTestId('updates-channel').selectOption('beta');
    await expect.poll(async () => (await api<{ updateChannel: string }>('settings.get')).updateChannel).toBe('beta');
    await page.getByTestId('updates-channel').selectOption('stable');
    const before = checks;
    await page.getByTestId('updates-check').click();
    await expect.poll(() => checks).toBeGreaterThan(before);
    expect(await pageProblems(page)).toEqual({ overflow: [], foreign: [], raw: [] });
    await panel.screenshot({ path: 'test-results/updates-settings.png' });
  });

  it('a WhatsApp Web change on a demo number shows the new state in words and checks for an update at once', async () => {
    const page = browser.page;
    const number = await linkedDemoNumber(api, 'Ventas');
    const before = checks;
    await api('numbers.simulateFault', { id: number.id, fault: 'whatsapp_changed' });
    await until(() => api<NumberView[]>('numbers.list'), (list) => list.some((n) => n.id === number.id && n.state === 'wa_changed'));
    await expect.poll(() => checks).toBeGreaterThan(before);
    expect((await api<UpdateStatus>('updates.status')).state).toBe('available');
    await page.getByTestId('nav-numbers').click();
    const card = page.getByTestId(`number-${number.id}`);
    await expect.poll(() => card.getAttribute('data-state')).toBe('wa_changed');
    expect(await card.innerText()).toContain('WhatsApp Web se actualizó y esta versión todavía no es compatible; buscando una actualización');
    expect(await pageProblems(page)).toEqual({ overflow: [], foreign: [], raw: [] });
    await screenshot(page, 'whatsapp-changed');
  });
});
