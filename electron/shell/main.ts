import fs from 'node:fs';
import path from 'node:path';
import { keychainBox } from './keychain-box';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import { createApp, type App } from '../app/create-app';
import { serveApp, type ServedApp } from '../app/serve-app';
import { updaterFailure, type UpdateBackend } from '../updates';
import { registerIpc } from './ipc';
import { menuTemplate } from './menu';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { CONTENT_SECURITY_POLICY, MEDIA_CONTENT_SECURITY_POLICY } from '../server';
import { contentDisposition, downloadType, UploadTooLarge, type FileStore } from '../files';
import { startupErrorText } from '../app/startup-error';
import { isDiskFull } from '../core/storage-guard';
import { installProcessGuards } from '../core/process-guards';
import { APP_ORIGIN, APP_SCHEME, isAppUrl, isExternalLink, windowWebPreferences } from './window-security';

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let core: App | undefined;
let served: ServedApp | undefined;
/** Installs a downloaded update as the app quits (electron-updater's quitAndInstall), when there is one. */
let installUpdate: (() => void) | undefined;
let mainWindow: BrowserWindow | undefined;
installProcessGuards(() => core?.logger);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isExternalLink(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.on('window-all-closed', () => app.quit());
  // Quitting waits for every WhatsApp session to stop, so no browser outlives the app.
  let closing = false;
  app.on('before-quit', (event) => {
    if (!core || closing) return;
    event.preventDefault();
    closing = true;
    const ready = core.updates.status().state === 'ready';
    // A downloaded update installs now, after everything stopped (never while sending: nothing sends any more).
    void (served?.close() ?? Promise.resolve())
      .then(() => core?.close())
      .finally(() => (ready && installUpdate ? installUpdate() : app.exit(0)));
  });
  app.whenReady().then(start, fail);
}

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  try {
    // A packaged app updates itself with electron-updater; a development run only checks the feed.
    const updater = app.isPackaged ? await electronUpdaterBackend(() => core?.settings.get().updateChannel ?? 'stable') : undefined;
    installUpdate = updater?.installOnQuit;
    core = await createApp({ dataDir, version: app.getVersion(), mode: 'electron', pickBrowserFile, updates: updater ? { backend: updater, mode: 'install' } : undefined, secretBox: keychainBox(safeStorage) });
  } catch (error) {
    dialog.showErrorBox(startupErrorText(error, dataDir, 'es'), startupErrorText(error, dataDir, 'en'));
    app.quit();
    return;
  }
  const services = core;
  services.updates.start();
  // Every permission is refused, except desktop notifications asked by the app's own page (a new reply, #33).
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permission === 'notifications' && isAppUrl(details.requestingUrl)));
  serveRenderer(path.join(app.getAppPath(), 'dist', 'renderer'), services.files, (id) => services.media.file(id));
  registerIpc(ipcMain, services.dispatcher, services.bus, () => (mainWindow ? [mainWindow.webContents] : []));
  // The automation API (and the web UI) on 127.0.0.1 as in web mode, so the user's systems reach the desktop app
  // too; without it the app still works, and Settings say the API is not serving.
  served = await serveApp(services, { dataDir, rendererDir: path.join(app.getAppPath(), 'dist', 'renderer'), version: app.getVersion(), askedPort: null }).catch((error: unknown) => {
    services.logger.error({ err: error }, 'automation API not served');
    return undefined;
  });

  const applyMenu = () => {
    const actions = {
      openDataFolder: () => void shell.openPath(dataDir),
      openLogs: () => void shell.openPath(path.join(dataDir, 'logs')),
    };
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(services.settings.get().language, process.platform, actions)));
  };
  applyMenu();
  services.bus.subscribe((envelope) => {
    if (envelope.event === 'settings.changed') applyMenu();
  });

  mainWindow = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'WhatzMe Desktop',
    webPreferences: windowWebPreferences(path.join(__dirname, 'preload.cjs')),
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  // A renderer that crashed or was killed comes back on its own; the main process (and any campaign) never stopped.
  mainWindow.webContents.on('render-process-gone', (_event, details) => {
    services.logger.error({ reason: details.reason, exitCode: details.exitCode }, 'renderer gone');
    if (details.reason !== 'clean-exit' && mainWindow && !mainWindow.isDestroyed()) void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
  });
  mainWindow.on('closed', () => (mainWindow = undefined));
  await mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

/** The browser for WhatsApp Web, chosen in the OS's own dialog: the renderer never names a program to run. */
async function pickBrowserFile(): Promise<string | null> {
  const options = { properties: ['openFile' as const], defaultPath: process.platform === 'darwin' ? '/Applications' : undefined };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  const [file] = result.filePaths;
  if (result.canceled || !file) return null;
  // A macOS app bundle is a folder: the program is inside it, named after the app.
  if (process.platform === 'darwin' && file.endsWith('.app')) return path.join(file, 'Contents', 'MacOS', path.basename(file, '.app'));
  return file;
}

/** Every response of app:// is read for what it says it is, never sniffed into something else. */
const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' };

/**
 * `app://whatzme/…` serves the built UI with the CSP header (paths outside the folder are refused), and the same
 * upload and download routes as web mode, so the renderer uses one path in both.
 */
function serveRenderer(rootDir: string, files: FileStore, media: (id: string) => { path: string; mime: string } | undefined): void {
  const root = path.resolve(rootDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const { pathname } = url;
    if (pathname === '/api/upload' && request.method === 'POST' && request.body) {
      try {
        const body = Readable.fromWeb(request.body as unknown as NodeReadableStream<Uint8Array>);
        const stored = await files.saveUpload(body, url.searchParams.get('name') ?? 'archivo');
        return Response.json({ ok: true, value: { uploadId: stored.id, fileName: stored.fileName, size: stored.size } }, { headers: NOSNIFF });
      } catch (error) {
        const code = error instanceof UploadTooLarge ? 'payload_too_large' : isDiskFull(error) ? 'disk_full' : 'internal';
        const status = code === 'payload_too_large' ? 413 : code === 'disk_full' ? 507 : 500;
        return Response.json({ ok: false, error: { code, message: 'upload failed' } }, { status, headers: NOSNIFF });
      }
    }
    if (pathname.startsWith('/api/media/')) {
      const file = media(pathname.slice('/api/media/'.length));
      if (!file) return new Response('not found', { status: 404, headers: NOSNIFF });
      return new Response(await fs.promises.readFile(file.path), { headers: { 'Content-Type': file.mime, 'Content-Security-Policy': MEDIA_CONTENT_SECURITY_POLICY, ...NOSNIFF } });
    }
    if (pathname.startsWith('/api/download/')) {
      try {
        const file = files.download(pathname.slice('/api/download/'.length));
        return new Response(await fs.promises.readFile(file.path), { headers: { 'Content-Type': downloadType(file.fileName), 'Content-Disposition': contentDisposition(file.fileName), ...NOSNIFF } });
      } catch {
        return new Response('not found', { status: 404, headers: NOSNIFF });
      }
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return new Response('bad path', { status: 400, headers: NOSNIFF });
    }
    let file = path.resolve(root, '.' + decoded);
    if (!file.startsWith(root + path.sep)) return new Response('forbidden', { status: 403, headers: NOSNIFF });
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(root, 'index.html');
    const body = await fs.promises.readFile(file);
    return new Response(body, {
      headers: {
        'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        ...NOSNIFF,
      },
    });
  });
}

function fail(error: unknown): void {
  dialog.showErrorBox('WhatzMe Desktop', String(error));
  app.quit();
}

/**
 * electron-updater behind the app's update interface: it reads the feed electron-builder published (app-update.yml),
 * checks the SHA-512 of what it downloads, uses differential (blockmap) downloads where the platform has them, and
 * installs on quit. Loaded only in a packaged app: it needs Electron's own `app`.
 */
async function electronUpdaterBackend(channel: () => 'stable' | 'beta'): Promise<UpdateBackend & { installOnQuit: () => void }> {
  const { autoUpdater } = await import('electron-updater');
  autoUpdater.autoDownload = false;
  // Installed by us after the app closed its sessions (see before-quit), never by the updater mid-campaign.
  autoUpdater.autoInstallOnAppQuit = false;
  return {
    async check() {
      autoUpdater.channel = channel() === 'beta' ? 'beta' : 'latest';
      autoUpdater.allowPrerelease = channel() === 'beta';
      let result;
      try {
        result = await autoUpdater.checkForUpdates();
      } catch (error) {
        throw updaterFailure(error, 'check');
      }
      if (!result?.isUpdateAvailable) return null;
      const info = result.updateInfo;
      const file = info.files[0];
      const notes = typeof info.releaseNotes === 'string' ? info.releaseNotes : (info.releaseNotes ?? []).map((n) => n.note ?? '').join('\n') || null;
      return { version: info.version, releaseDate: info.releaseDate ?? null, releaseNotes: notes, file: { url: file?.url ?? info.path, sha512: file?.sha512 ?? info.sha512, size: file?.size ?? null } };
    },
    async download(_release, onProgress) {
      const listener = (progress: { percent: number }) => onProgress(progress.percent / 100);
      autoUpdater.on('download-progress', listener);
      try {
        await autoUpdater.downloadUpdate();
      } catch (error) {
        throw updaterFailure(error, 'download');
      } finally {
        autoUpdater.off('download-progress', listener);
      }
    },
    install: () => autoUpdater.quitAndInstall(false, true),
    installOnQuit: () => autoUpdater.quitAndInstall(true, false),
  };
}
