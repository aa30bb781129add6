import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { request } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';
import { launchBrowser, screenshot } from './support/browser';
import { startWebApp, type WebApp } from './support/web-app';
import { ShellPage } from './pages/shell-page';

let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = browser.page;
});
afterAll(async () => {
  await browser.close();
});

describe('web mode in Chromium', () => {
  it('shows the Spanish home, navigates to Settings, and keeps English across a restart', async () => {
    const dataDir = tempDir();
    let web: WebApp = await startWebApp(dataDir);
    const shell = new ShellPage(page);
    try {
      await shell.open(web.url);
      expect(page.url()).not.toContain('token='); // the token left the address bar
      expect(await shell.heading().innerText()).toBe('Bienvenido a WhatzMe Desktop');
      expect(await page.locator('html').getAttribute('lang')).toBe('es');
      expect(await shell.navLabels()).toEqual(expect.arrayContaining([expect.stringContaining('Inicio'), expect.stringContaining('Ajustes')]));
      await screenshot(page, 'home-es');

      await shell.goToSettings();
      expect(await page.getByTestId('settings-data-dir').innerText()).toBe(dataDir);
      expect(await page.getByTestId('settings-version').innerText()).toMatch(/^\d+\.\d+\.\d+/);
      await screenshot(page, 'settings-es');

      await shell.chooseLanguage('en');
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      await shell.goHome();
      expect(await shell.heading().innerText()).toBe('Welcome to WhatzMe Desktop');
    } finally {
      await web.stop();
    }

    web = await startWebApp(dataDir);
    try {
      await shell.open(web.url);
      expect(await shell.heading().innerText()).toBe('Welcome to WhatzMe Desktop');
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await screenshot(page, 'home-en');
      await shell.goToSettings();
      await shell.chooseLanguage('es');
      await page.getByRole('heading', { name: 'Ajustes' }).waitFor();
    } finally {
      await web.stop();
    }
  });

  it('refuses requests without the token, with a bad Origin, and invalid input', async () => {
    const web = await startWebApp(tempDir());
    try {
      const token = new URL(web.url).searchParams.get('token') ?? '';
      const noToken = await request(web.port, { method: 'POST', path: '/api/app.info', body: '{}' });
      expect(noToken.status).toBe(401);
      const badOrigin = await request(web.port, {
        method: 'POST',
        path: '/api/app.info',
        headers: { Authorization: `Bearer ${token}`, Origin: 'http://evil.example' },
        body: '{}',
      });
      expect(badOrigin.status).toBe(403);
      const invalid = await request(web.port, {
        method: 'POST',
        path: '/api/settings.update',
        headers: { Authorization: `Bearer ${token}` },
        body: JSON.stringify({ timeZone: 42 }),
      });
      expect(invalid.status).toBe(400);
      expect(invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'timeZone' } });

      // A page opened without the link's token says what to do instead of showing a broken app.
      await page.context().clearCookies();
      await page.goto(`${web.origin}/`);
      const body = await page.locator('body').innerText();
      expect(body).toContain('Esta pestaña no tiene acceso a WhatzMe');
      expect(body).toContain('Abre la dirección que muestra la ventana donde iniciaste WhatzMe');
      expect(body).not.toContain('missing or invalid token');
    } finally {
      await web.stop();
    }
  });

  it('pushes a settings change from one tab to another live', async () => {
    const web = await startWebApp(tempDir());
    const other = await browser.context.newPage();
    try {
      const shell = new ShellPage(page);
      await shell.open(web.url);
      await other.goto(`${web.origin}/#/ajustes`);
      await other.getByTestId('page-settings').waitFor();
      await shell.goToSettings();
      await shell.chooseLanguage('en');
      await other.getByRole('heading', { name: 'Settings' }).waitFor({ timeout: 5000 });
    } finally {
      await other.close();
      await web.stop();
    }
  });

  it('an open tab finds the app again after a restart by itself; after --new-token it says where the new address is', async () => {
    const dataDir = tempDir();
    const probe = await startWebApp(dataDir);
    const port = probe.port + 1 === 65_536 ? probe.port - 1 : probe.port + 1;
    await probe.stop();
    let web = await startWebApp(dataDir, ['--port', String(port)]);
    const shell = new ShellPage(page);
    try {
      await shell.open(web.url);
      await shell.goToSettings();
      await web.stop();
      await page.getByTestId('connection-lost').waitFor();
      expect(await page.getByTestId('connection-lost').innerText()).toContain('Si cerraste WhatzMe, vuelve a iniciarlo');
      web = await startWebApp(dataDir, ['--port', String(port)]);
      await page.getByTestId('connection-lost').waitFor({ state: 'detached', timeout: 15_000 });
      await shell.goHome();
      await page.reload(); // the browser's cookie still opens it: the token is the one it kept
      await page.getByTestId('page-home').waitFor();
      await web.stop();

      web = await startWebApp(dataDir, ['--port', String(port), '--new-token']);
      const lost = page.getByTestId('access-lost');
      await lost.waitFor({ timeout: 20_000 });
      expect(await lost.innerText()).toBe('Esta pestaña ya no tiene acceso: la dirección de WhatzMe cambió. Abre la que muestra la ventana donde lo iniciaste.');
      expect(await page.getByTestId('connection-lost').count()).toBe(0);
      await screenshot(page, 'web-access-lost');
      await page.reload();
      const text = await page.locator('body').innerText();
      expect(text).toContain('Esta pestaña no tiene acceso a WhatzMe');
      expect(text).not.toMatch(/[{}]|unauthorized/);
      await screenshot(page, 'web-access-page');
      await page.goto(web.url);
      await page.getByTestId('page-home').waitFor();
    } finally {
      await web.stop();
    }
  }, 90_000);
});
