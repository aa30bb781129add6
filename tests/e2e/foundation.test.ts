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
      expect(await page.locator('body').innerText()).toContain('missing or invalid token');
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
});
