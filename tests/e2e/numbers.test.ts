import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMentioning } from '../helpers/processes';
import { tempDir } from '../helpers/temp-dir';
import { launchBrowser, screenshot } from './support/browser';
import { startWebApp, type WebApp } from './support/web-app';
import { NumbersPage } from './pages/numbers-page';
import { ShellPage } from './pages/shell-page';

let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});

describe('Números in Chromium', () => {
  it('links demo numbers by QR, survives reload and restart, shows a real number failing cleanly, and unlinks', async () => {
    const page = browser.page;
    const dataDir = tempDir();
    let web: WebApp = await startWebApp(dataDir);
    const shell = new ShellPage(page);
    const numbers = new NumbersPage(page);
    try {
      await shell.open(web.url);
      await page.getByTestId('home-step-1-link').click();
      await page.getByTestId('page-numbers').waitFor();
      await page.getByTestId('numbers-empty').waitFor();
      expect(await page.getByTestId('link-warnings').first().innerText()).toContain('WhatsApp Web');

      await numbers.add('demo');
      const demo = numbers.card('Número de demostración');
      await numbers.waitForState(demo, 'qr');
      const qr = demo.getByTestId('qr-image');
      await qr.waitFor();
      expect(await qr.getAttribute('data-qr')).toMatch(/^whatzme-sim:/);
      expect(await demo.getByTestId('qr-panel').innerText()).toContain('Dispositivos vinculados');
      expect(await demo.getByTestId('demo-badge').innerText()).toBe('DEMO');
      await screenshot(page, 'numbers-qr');

      await demo.getByTestId('simulate-scan').click();
      await numbers.waitForState(demo, 'connected');
      expect(await numbers.stateText(demo)).toBe('Conectado');
      const phone = await demo.getByTestId('number-phone').innerText();
      expect(phone).toMatch(/^\+52 \d{2,3} \d{3,4} \d{4}$/); // grouped for reading
      expect(await demo.getByTestId('qr-panel').count()).toBe(0);

      await page.reload();
      await numbers.waitForState(numbers.card('Número de demostración'), 'connected');
    } finally {
      await web.stop();
    }

    web = await startWebApp(dataDir);
    try {
      await shell.open(web.url);
      await numbers.open();
      const demo = numbers.card('Número de demostración');
      await numbers.waitForState(demo, 'connected');
      expect(await demo.getByTestId('number-phone').innerText()).toMatch(/^\+52 \d{2,3} \d{3,4} \d{4}$/);
      expect(await demo.getByTestId('qr-panel').count()).toBe(0);

      await numbers.add('demo', 'Sucursal Norte');
      const second = numbers.card('Sucursal Norte');
      await numbers.waitForState(second, 'qr');
      await second.getByTestId('simulate-scan').click();
      await numbers.waitForState(second, 'connected');
      expect(await numbers.cards().count()).toBe(2);

      await numbers.add('real', 'Mi celular');
      const real = numbers.card('Mi celular');
      await numbers.waitForState(real, 'error', 60_000);
      expect(await real.getByTestId('number-advice').innerText()).toMatch(/internet|conexión/);
      expect(await real.getByTestId('demo-badge').count()).toBe(0);
      await screenshot(page, 'numbers-linked');
      expect(processesMentioning(path.join(dataDir, 'sessions'))).toEqual([]);

      const secondId = (await second.getAttribute('data-testid'))?.replace('number-', '') ?? '';
      expect(fs.existsSync(path.join(dataDir, 'sessions', `session-${secondId}`))).toBe(true);
      await numbers.unlink(second);
      expect(fs.existsSync(path.join(dataDir, 'sessions', `session-${secondId}`))).toBe(false);
      expect(await numbers.cards().count()).toBe(2);
      await numbers.unlink(real);
      expect(await numbers.cards().count()).toBe(1);
    } finally {
      await web.stop();
    }
  });

  it('--demo starts a fresh data folder with a demo number ready to link, marked as demo', async () => {
    const web = await startWebApp(tempDir(), ['--demo']);
    try {
      const shell = new ShellPage(browser.page);
      const numbers = new NumbersPage(browser.page);
      await shell.open(web.url);
      expect(await browser.page.locator('.badge-demo').first().innerText()).toBe('Modo demostración');
      await numbers.open();
      const demo = numbers.card('Número de demostración');
      await numbers.waitForState(demo, 'qr');
      expect(await numbers.cards().count()).toBe(1);
    } finally {
      await web.stop();
    }
  });

  it('links a number by phone instead of the QR: the 8-character code, then connected to that phone', async () => {
    const web = await startWebApp(tempDir(), ['--demo']);
    try {
      const page = browser.page;
      const shell = new ShellPage(page);
      const numbers = new NumbersPage(page);
      await shell.open(web.url);
      await numbers.open();
      const demo = numbers.card('Número de demostración');
      await numbers.waitForState(demo, 'qr');
      await demo.getByTestId('pairing-open').click();
      // A number too short: the button waits and says why (#30 item 9).
      await demo.getByTestId('pairing-phone').fill('55 1234');
      expect(await demo.getByTestId('pairing-request').isDisabled()).toBe(true);
      expect(await demo.getByTestId('pairing-short').innerText()).toContain('10 dígitos');
      // A wrong number first; with its code shown, the user changes it, and the new code is the one that links.
      await demo.getByTestId('pairing-phone').fill('55 9999 0000');
      await demo.getByTestId('pairing-request').click();
      const code = demo.getByTestId('pairing-code');
      await code.waitFor();
      const first = await code.innerText();
      await demo.getByTestId('pairing-change').click();
      await demo.getByTestId('pairing-phone').fill('55 1234 5678');
      await demo.getByTestId('pairing-request').click();
      await expect.poll(() => code.innerText()).not.toBe(first);
      expect(await code.innerText()).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(await demo.getByTestId('pairing-panel').innerText()).toContain('Vincular con el número de teléfono');
      expect(await demo.getByTestId('pairing-panel').innerText()).toContain('Dispositivos vinculados → Vincular un dispositivo');
      await screenshot(page, 'numbers-pairing-code');
      // The demo "phone" types the code after a few seconds.
      await numbers.waitForState(demo, 'connected', 20_000);
      expect(await demo.getByTestId('number-phone').innerText()).toBe('+52 55 1234 5678');
    } finally {
      await web.stop();
    }
  });

  it('WhatsApp Web opened elsewhere waits for Reintentar; a session closed from the phone warns on the home and links again by QR', async () => {
    const web = await startWebApp(tempDir(), ['--demo']);
    try {
      const page = browser.page;
      const numbers = new NumbersPage(page);
      await new ShellPage(page).open(web.url);
      const demo = await numbers.linkDemo();
      const fault = async (name: string) => {
        await demo.getByTestId('demo-faults').locator('summary').click();
        await demo.getByTestId('demo-fault-select').selectOption(name);
        await demo.getByTestId('demo-fault-run').click();
      };

      await fault('opened_elsewhere');
      await numbers.waitForState(demo, 'conflict');
      expect(await numbers.stateText(demo)).toBe('Abierto en otro lugar');
      expect(await demo.getByTestId('number-advice').innerText()).toContain('Ciérralo allí y pulsa Reintentar');
      expect(await demo.getByTestId('relink').count()).toBe(0);
      await screenshot(page, 'numbers-conflict');
      await demo.getByTestId('reconnect').click();
      await numbers.waitForState(demo, 'connected');
      expect(await demo.getByTestId('reconnect').count()).toBe(0);

      await fault('unlinked');
      await numbers.waitForState(demo, 'logged_out');
      expect(await numbers.stateText(demo)).toBe('Desvinculado');
      expect(await demo.getByTestId('reconnect').count()).toBe(0);
      // The home says which number is in trouble and what to do before linking it again.
      await page.getByTestId('nav-home').click();
      const warnings = page.getByTestId('dashboard-warnings');
      await warnings.waitFor();
      expect(await warnings.locator('li').first().innerText()).toContain('Número de demostración');
      expect(await warnings.locator('li').first().innerText()).toContain('Desvinculado');
      // Unlinked is not banned: how to link again, not how to appeal a ban (#30 item 8).
      expect(await page.getByTestId('logged-out-guide').innerText()).toContain('No es un bloqueo');
      expect(await page.getByTestId('blocked-guide').count()).toBe(0);
      await screenshot(page, 'home-number-unlinked');
      await warnings.getByRole('link').first().click();
      await page.getByTestId('page-numbers').waitFor();
      await demo.getByTestId('relink').click();
      await numbers.waitForState(demo, 'qr');
      await demo.getByTestId('simulate-scan').click();
      await numbers.waitForState(demo, 'connected');
      await page.getByTestId('nav-home').click();
      await page.getByTestId('dashboard').waitFor();
      expect(await page.getByTestId('dashboard-warnings').count()).toBe(0);
    } finally {
      await web.stop();
    }
  });
});
