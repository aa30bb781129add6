import fs from 'node:fs';
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { TESTDATA } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { fillUp, tmpfsMounts } from '../helpers/tmpfs';
import { CHROMIUM, launchBrowser, screenshot } from './support/browser';
import { stoppedAfterEach } from './support/suite';
import { startWebApp } from './support/web-app';
import { ContactsPage } from './pages/contacts-page';
import { ShellPage } from './pages/shell-page';

/**
 * The app's own states around the pages: loading, a first load that fails and is retried, a slow upload, a full
 * disk that comes back, and the desktop app's browser setting (its renderer, driven through a stand-in for the
 * preload bridge: the Electron binary cannot run here).
 */
const mounts = tmpfsMounts();
afterEach(() => mounts.unmountAll()); // registered first, so it runs after the app on it has stopped (hooks stack)
const track = stoppedAfterEach();

async function open(dataDir: string, args: string[] = []): Promise<Page> {
  const browser = track(await launchBrowser());
  const web = track(await startWebApp(dataDir, args));
  await new ShellPage(browser.page).open(web.url);
  return browser.page;
}

/** Holds a request until `release` is called: how a slow machine or a slow disk looks from the page. */
type Held = { release(): Promise<void>; fail(body: unknown): Promise<void> };

/**
 * Holds every request matching `pattern` until released or failed: how a slow machine or a slow disk looks from
 * the page. `hit` settles with the first one (React's strict mode may ask twice; all are held alike).
 */
async function hold(page: Page, pattern: RegExp): Promise<{ hit: Promise<Held> }> {
  const routes: Route[] = [];
  let holding = true;
  let hit: (held: Held) => void = () => undefined;
  const first = new Promise<Held>((resolve) => (hit = resolve));
  const settle = async (each: (route: Route) => Promise<void>) => {
    holding = false;
    await Promise.all(routes.splice(0).map(each));
  };
  await page.route(pattern, (route: Route) => {
    if (!holding) return route.continue();
    routes.push(route);
    hit({
      release: () => settle((r) => r.continue()),
      fail: (body) => settle((r) => r.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify(body) })),
    });
    return undefined;
  });
  return { hit: first }; // wrapped: an async function would wait for the promise it returns
}

describe('app states in Chromium', () => {
  it('says it is loading, and a first load that fails says so in Spanish with a retry that works', async () => {
    const page = await open(tempDir());
    const held = await hold(page, /\/api\/app\.info$/);
    await page.reload();
    const loading = page.getByTestId('loading');
    await loading.waitFor();
    expect(await loading.innerText()).toBe('Cargando…');
    await (await held.hit).fail({ ok: false, error: { code: 'internal', message: 'internal error' } });
    const failed = page.getByTestId('load-failed');
    await failed.waitFor();
    expect(await failed.innerText()).toContain('Algo salió mal. Vuelve a intentarlo');
    expect(await failed.innerText()).not.toContain('internal');
    await screenshot(page, 'app-load-failed');
    await failed.getByRole('button', { name: 'Reintentar' }).click();
    await page.getByTestId('page-home').waitFor();
  });

  it('a slow upload says what it is doing while it waits', async () => {
    const page = await open(tempDir());
    const contacts = new ContactsPage(page);
    await contacts.openImport();
    const held = await hold(page, /\/api\/upload\?/);
    await page.getByTestId('import-file').setInputFiles(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    const busy = page.getByTestId('import-busy');
    await busy.waitFor();
    expect(await busy.innerText()).toBe('Subiendo clientes_utf8_bom_coma.csv…');
    await (await held.hit).release();
    await page.getByTestId('import-columns').waitFor();
    expect(await busy.count()).toBe(0);
  });

  it('a disk that fills up shows the banner on every page, and it goes when room returns, with nothing sending', async () => {
    const mount = mounts.mount('48m');
    const page = await open(path.join(mount, 'datos'));
    const filler = path.join(mount, 'relleno.bin');
    fillUp(filler);
    // The next write meets the full disk: the upload is refused and the app says the disk is full, not "error".
    const contacts = new ContactsPage(page);
    await contacts.openImport();
    await page.getByTestId('import-file').setInputFiles(path.join(TESTDATA, 'contacts', 'clientes_utf8_bom_coma.csv'));
    const banner = page.getByTestId('disk-full');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.innerText()).toContain(`El disco de tu carpeta de datos (${path.join(mount, 'datos')}) está lleno`);
    expect(await page.getByTestId('import-error').innerText()).toContain('El disco de tu carpeta de datos está lleno');
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('page-campaigns').waitFor();
    expect(await banner.isVisible()).toBe(true);
    await screenshot(page, 'app-disk-full');
    fs.rmSync(filler);
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('the desktop app resets the browser for WhatsApp Web to the automatic search', async () => {
    const page = await open(tempDir(), ['--browser', CHROMIUM]);
    // The preload's two functions, as Electron's main process answers them (here: the same contract over HTTP).
    await page.addInitScript(() => {
      const call = async (command: string, input: unknown) => {
        const response = await fetch(`/api/${command}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input ?? {}) });
        const result = (await response.json()) as { ok: boolean; value?: { mode?: string } };
        if (command === 'app.info' && result.ok && result.value) result.value.mode = 'electron';
        return result;
      };
      const listeners = new Set<(envelope: { event: string; payload: unknown }) => void>();
      const socket = new WebSocket(`ws://${location.host}/api/events`);
      socket.onmessage = (message: MessageEvent<string>) => {
        const data = JSON.parse(message.data) as { event?: string; payload?: unknown };
        if (data.event) for (const listener of listeners) listener({ event: data.event, payload: data.payload });
      };
      (window as unknown as { api: unknown }).api = {
        call,
        on: (event: string, listener: (payload: unknown) => void) => {
          const wrapped = (envelope: { event: string; payload: unknown }) => envelope.event === event && listener(envelope.payload);
          listeners.add(wrapped);
          return () => listeners.delete(wrapped);
        },
      };
    });
    await page.reload();
    await new ShellPage(page).goToSettings();
    expect(await page.getByTestId('settings-browser-path').innerText()).toBe(CHROMIUM);
    expect(await page.getByTestId('settings-browser-web').count()).toBe(0);
    await page.getByTestId('settings-browser-choose').waitFor();
    await screenshot(page, 'settings-desktop-browser');
    await page.getByTestId('settings-browser-reset').click();
    await expect.poll(() => page.getByTestId('settings-browser-path').innerText()).toBe('Buscar automáticamente');
    await page.getByTestId('settings-browser-reset').waitFor({ state: 'detached' });
    expect(await page.getByTestId('settings-browser-choose').isVisible()).toBe(true);
  });
});
