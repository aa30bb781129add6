import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CALL } from '../../../shared/bridge';
import { tempDir } from '../../helpers/temp-dir';
import { createFakeElectron } from './fake-electron';

let fake: ReturnType<typeof createFakeElectron>;

async function loadMain(lock = true) {
  const userData = tempDir();
  const appPath = tempDir();
  fs.mkdirSync(path.join(appPath, 'dist', 'renderer'), { recursive: true });
  fs.writeFileSync(path.join(appPath, 'dist', 'renderer', 'index.html'), '<title>app</title>');
  fake = createFakeElectron({ userData, appPath, lock });
  vi.doMock('electron', () => fake.electron);
  await import('../../../electron/shell/main');
  if (lock) await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
  return { userData, appPath };
}

const ipcCall = (url: string, name: unknown, input: unknown) =>
  (fake.ipcHandlers.get(IPC_CALL) as (e: unknown, n: unknown, i: unknown) => Promise<unknown>)({ senderFrame: { url } }, name, input);

beforeEach(() => vi.resetModules());
const quit = async () => {
  const event = { preventDefault: vi.fn() };
  for (const fn of fake.appHandlers.get('before-quit') ?? []) (fn as (e: unknown) => void)(event);
  // Exit comes once the whole app has closed (servers, workers, the database): what is tested is that it comes after
  // that, not how fast — on a loaded CI machine the close took past vi.waitFor's default second.
  await vi.waitFor(() => expect(fake.electron.app.exit).toHaveBeenCalled(), { timeout: 10_000 });
  return event;
};

afterEach(async () => {
  if (fake.windows.length > 0 && fake.electron.app.exit.mock.calls.length === 0) await quit();
  vi.doUnmock('electron');
});

describe('Electron main process', () => {
  it('serves the automation API on 127.0.0.1 for API keys, as web mode does, and stops it on quit', async () => {
    await loadMain();
    const info = (await ipcCall('app://whatzme/index.html', 'app.info', {})) as { ok: boolean; value: { apiUrl: string | null } };
    const apiUrl = info.value.apiUrl;
    expect(apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const made = (await ipcCall('app://whatzme/index.html', 'apiKeys.create', { name: 'CRM', scope: 'send' })) as { value: { secret: string } };
    const reply = await fetch(`${apiUrl}/api/messages.list`, { method: 'POST', headers: { Authorization: `Bearer ${made.value.secret}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(await reply.json()).toEqual({ ok: true, value: { total: 0, rows: [] } });
    expect((await fetch(`${apiUrl}/api/openapi.json`)).status).toBe(200);
    await quit();
    await expect(fetch(`${apiUrl}/api/openapi.json`)).rejects.toThrow();
  });

  it('quits when another instance holds the lock', async () => {
    await loadMain(false);
    expect(fake.electron.app.quit).toHaveBeenCalled();
    expect(fake.windows).toHaveLength(0);
  });

  it('opens one isolated, sandboxed window on the bundled app', async () => {
    await loadMain();
    const [win] = fake.windows;
    expect(win?.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String((win?.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(win?.url).toBe('app://whatzme/index.html');
    expect(fake.electron.app.requestSingleInstanceLock).toHaveBeenCalled();
  });

  it('denies navigation away from the app and new windows; https links go to the system browser', async () => {
    await loadMain();
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const contents = {
      on: (event: string, fn: (...args: unknown[]) => unknown) => (handlers[event] = fn),
      setWindowOpenHandler: (fn: typeof openHandler) => (openHandler = fn),
    };
    for (const fn of fake.appHandlers.get('web-contents-created') ?? []) (fn as (e: unknown, c: unknown) => void)({}, contents);

    const away = { preventDefault: vi.fn() };
    handlers['will-navigate']?.(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    handlers['will-navigate']?.(inside, 'app://whatzme/index.html#/ajustes');
    expect(inside.preventDefault).not.toHaveBeenCalled();

    expect(openHandler?.({ url: 'https://faq.whatsapp.com/' })).toEqual({ action: 'deny' });
    expect(fake.electron.shell.openExternal).toHaveBeenCalledWith('https://faq.whatsapp.com/');
    expect(openHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    // Only the sites the app links to: any other https page is not opened from a (possibly compromised) renderer.
    for (const url of ['https://evil.example/', 'https://whatsapp.com.evil.example/', 'https://user@faq.whatsapp.com/', 'https://wa.me:8443/x']) {
      expect(openHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('serves the UI with the CSP header and refuses paths outside it', async () => {
    await loadMain();
    const serve = fake.protocolHandlers.get('app');
    const page = await serve?.(new Request('app://whatzme/index.html'));
    expect(page?.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page?.text()).toContain('<title>app</title>');
    // Dots are normalised by the URL parser; an encoded slash survives it and must be refused here.
    const dotted = await serve?.(new Request('app://whatzme/%2e%2e/%2e%2e/etc/passwd'));
    expect(await dotted?.text()).toContain('<title>app</title>');
    const escape = await serve?.(new Request('app://whatzme/..%2F..%2F..%2Fetc%2Fpasswd'));
    expect(escape?.status).toBe(403);
  });

  it('serves uploads, downloads and attachments on app:// at the same paths as web mode', async () => {
    await loadMain();
    const serve = fake.protocolHandlers.get('app');
    const upload = await serve?.(new Request('app://whatzme/api/upload?name=clientes.csv', { method: 'POST', body: 'Nombre,Tel\nAna,5512345678\n', duplex: 'half' } as RequestInit));
    const uploaded = (await upload?.json()) as { ok: boolean; value: { uploadId: string; fileName: string; size: number } };
    expect(uploaded).toMatchObject({ ok: true, value: { fileName: 'clientes.csv', size: 26 } });
    const preview = (await ipcCall('app://whatzme/index.html', 'contacts.preview', { uploadId: uploaded.value.uploadId })) as { ok: boolean; value: { headers: string[] } };
    expect(preview).toMatchObject({ ok: true, value: { headers: ['Nombre', 'Tel'] } });

    const exported = (await ipcCall('app://whatzme/index.html', 'backup.create', {})) as { value: { url: string; fileName: string } };
    const download = await serve?.(new Request(`app://whatzme${exported.value.url}`));
    expect(download?.headers.get('content-disposition')).toContain(exported.value.fileName);
    expect(Buffer.from(await (download as Response).arrayBuffer()).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(download?.headers.get('x-content-type-options')).toBe('nosniff');
    expect(upload?.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await serve?.(new Request('app://whatzme/index.html')))?.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await serve?.(new Request('app://whatzme/%E0%A4%A')))?.status).toBe(400);
    expect((await serve?.(new Request('app://whatzme/api/download/0000')))?.status).toBe(404);
    expect((await serve?.(new Request(`app://whatzme/api/media/${'a'.repeat(64)}`)))?.status).toBe(404);
  });

  it('validates IPC calls and refuses senders that are not the app', async () => {
    await loadMain();
    expect(await ipcCall('app://whatzme/index.html', 'settings.get', {})).toMatchObject({ ok: true, value: { language: 'es' } });
    expect(await ipcCall('app://whatzme/index.html', 'settings.update', { language: 'de' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', field: 'language' },
    });
    expect(await ipcCall('https://evil.example/', 'settings.get', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ipcCall('app://whatzme/index.html', 42, {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
  });

  it('takes the browser to run only from the native dialog, and only a Chrome/Edge/Chromium', async () => {
    const { userData } = await loadMain();
    await expect(ipcCall('app://whatzme/index.html', 'settings.update', { browserPath: '/bin/sh' })).resolves.toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const chrome = path.join(userData, 'Google', 'chrome');
    fs.mkdirSync(path.dirname(chrome), { recursive: true });
    fs.writeFileSync(chrome, '#!/bin/sh\n', { mode: 0o755 });
    fake.dialogAnswers.push({ canceled: false, filePaths: ['/bin/sh'] });
    expect(await ipcCall('app://whatzme/index.html', 'settings.chooseBrowser', {})).toMatchObject({ ok: false, error: { code: 'browser_invalid' } });
    fake.dialogAnswers.push({ canceled: false, filePaths: [chrome] });
    expect(await ipcCall('app://whatzme/index.html', 'settings.chooseBrowser', {})).toMatchObject({ ok: true, value: { browserPath: chrome } });
    expect(fake.electron.dialog.showOpenDialog).toHaveBeenCalledTimes(2);
    fake.dialogAnswers.push({ canceled: true, filePaths: [] });
    expect(await ipcCall('app://whatzme/index.html', 'settings.chooseBrowser', {})).toMatchObject({ ok: true, value: { browserPath: chrome } });
    expect(await ipcCall('app://whatzme/index.html', 'settings.chooseBrowser', { reset: true })).toMatchObject({ ok: true, value: { browserPath: null } });
  });

  it('brings the window back when its renderer process dies', async () => {
    await loadMain();
    const [win] = fake.windows;
    const gone = win?.contentsListeners.get('render-process-gone') as ((e: unknown, d: { reason: string; exitCode: number }) => void) | undefined;
    gone?.({}, { reason: 'crashed', exitCode: 139 });
    expect(win?.loads).toEqual(['app://whatzme/index.html', 'app://whatzme/index.html']);
    gone?.({}, { reason: 'clean-exit', exitCode: 0 });
    expect(win?.loads).toHaveLength(2);
  });

  it('builds the menu in the UI language and rebuilds it when the language changes', async () => {
    await loadMain();
    const labels = () => (fake.menus.at(-1) as { label?: string }[]).map((m) => m.label).filter(Boolean);
    expect(labels()).toContain('Archivo');
    await ipcCall('app://whatzme/index.html', 'settings.update', { language: 'en' });
    expect(labels()).toContain('File');
    expect(fake.windows[0]?.webContents.send).toHaveBeenCalledWith('whatzme:event', expect.objectContaining({ event: 'settings.changed' }));
  });

  it('waits for the WhatsApp sessions to stop before the app exits', async () => {
    const { userData } = await loadMain();
    // A linked demo number: a session that must be stopped (and recorded so) before the process may exit.
    const added = (await ipcCall('app://whatzme/index.html', 'numbers.add', { kind: 'demo', label: 'Tienda' })) as { value: { id: string } };
    await vi.waitFor(async () => expect(((await ipcCall('app://whatzme/index.html', 'numbers.list', {})) as { value: { state: string }[] }).value[0]?.state).toBe('qr'));
    await ipcCall('app://whatzme/index.html', 'numbers.simulateScan', { id: added.value.id });
    const event = await quit();
    expect(event.preventDefault).toHaveBeenCalled();
    expect(fake.electron.app.exit).toHaveBeenCalledWith(0);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(userData, 'whatzme.db'), { readonly: true });
    expect(db.prepare('SELECT state FROM numbers WHERE id = ?').pluck().get(added.value.id)).toBe('stopped');
    db.close();
    // The data folder is free again: the app released it before exiting.
    expect(fs.existsSync(path.join(userData, 'whatzme.lock.json'))).toBe(false);
  });

  it('denies every permission request (camera, microphone, …) but notifications from the app\'s own page', async () => {
    await loadMain();
    const ask = (permission: string, requestingUrl: string) => {
      const callback = vi.fn();
      (fake.permissionHandlers[0] as (c: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string }) => void)({}, permission, callback, { requestingUrl });
      return callback.mock.calls[0]?.[0] as boolean;
    };
    expect(ask('media', 'app://whatzme/index.html')).toBe(false);
    expect(ask('geolocation', 'app://whatzme/index.html')).toBe(false);
    expect(ask('notifications', 'app://whatzme/index.html')).toBe(true);
    expect(ask('notifications', 'https://web.whatsapp.com/')).toBe(false);
  });
});
