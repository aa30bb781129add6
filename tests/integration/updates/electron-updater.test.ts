import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updaterFailure } from '../../../electron/updates';
import { tempDir } from '../../helpers/temp-dir';

/**
 * electron-updater itself, as far as it runs without Electron: its own updater class (the deb one, as on a Linux
 * install), with the app adapter its constructor takes instead of Electron's `app`, and Node's HTTP in place of
 * Electron's `net` (the one thing here that needs the binary). The feed parsing, the version rule, the download to
 * its cache and the SHA-512 check are the library's own code.
 */
const require = createRequire(import.meta.url);
const { DebUpdater } = require('electron-updater/out/DebUpdater') as { DebUpdater: new (options: unknown, app: unknown) => Updater };
const runtime = require('builder-util-runtime') as { configureRequestUrl(url: URL, options: object): void; configureRequestOptions(options: object): void };
const { NodeHttpExecutor } = require('builder-util/out/nodeHttpExecutor') as { NodeHttpExecutor: new () => Executor };

type Updater = {
  httpExecutor: Executor;
  forceDevUpdateConfig: boolean;
  autoDownload: boolean;
  logger: null;
  setFeedURL(options: object): void;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: { version: string; releaseNotes?: unknown } } | null>;
  downloadUpdate(): Promise<string[]>;
};
type Executor = { doDownload(requestOptions: object, task: object, redirects: number): void };

/** ElectronHttpExecutor.download, with Node's requests under it (electron-updater calls it for every download). */
class NodeDownloads extends NodeHttpExecutor {
  download(url: URL, destination: string, options: { headers?: object; cancellationToken: { createPromise<T>(fn: (resolve: (v: T) => void, reject: (e: unknown) => void, onCancel: (f: () => void) => void) => void): Promise<T> } }) {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions = { headers: options.headers ?? undefined, redirect: 'manual' };
      runtime.configureRequestUrl(url, requestOptions);
      runtime.configureRequestOptions(requestOptions);
      this.doDownload(requestOptions, { destination, options, onCancel, callback: (error: unknown) => (error == null ? resolve(destination) : reject(error)), responseHandler: null }, 0);
    });
  }
}

const installer = crypto.randomBytes(200 * 1024);
const good = crypto.createHash('sha512').update(installer).digest('base64');
const yml = (version: string, sha512 = good) =>
  `version: ${version}\nfiles:\n  - url: whatzme-desktop_${version}_amd64.deb\n    sha512: ${sha512}\n    size: ${installer.length}\npath: whatzme-desktop_${version}_amd64.deb\nsha512: ${sha512}\nreleaseDate: '2026-12-01T18:00:00.000Z'\nreleaseNotes: Compatible con el cambio de WhatsApp Web.\n`;
let server: http.Server;
let base = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const [, scenario, file] = new URL(req.url ?? '/', 'http://x').pathname.split('/');
    if (file === 'latest-linux.yml') {
      const version = scenario === 'same' ? '0.1.0' : '0.2.0';
      return void res.end(yml(version, scenario === 'bad-hash' ? crypto.createHash('sha512').update('otro').digest('base64') : good));
    }
    if (file?.endsWith('.deb')) {
      res.writeHead(200, { 'Content-Length': installer.length });
      if (scenario !== 'truncated') return void res.end(installer);
      res.write(installer.subarray(0, 50 * 1024));
      setTimeout(() => res.destroy(), 30);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function updater(scenario: string) {
  const dir = tempDir();
  const url = `${base}/${scenario}`;
  fs.writeFileSync(path.join(dir, 'app-update.yml'), `provider: generic\nurl: ${url}\nupdaterCacheDirName: whatzme-desktop-updater\n`);
  const app = { version: '0.1.0', name: 'WhatzMe Desktop', isPackaged: true, appUpdateConfigPath: path.join(dir, 'app-update.yml'), userDataPath: dir, baseCachePath: dir, whenReady: () => Promise.resolve(), quit() {}, relaunch() {}, onQuit() {} };
  const u = new DebUpdater(null, app);
  u.httpExecutor = new NodeDownloads();
  u.forceDevUpdateConfig = true;
  u.autoDownload = false;
  u.logger = null;
  u.setFeedURL({ provider: 'generic', url });
  const cached = () => fs.readdirSync(path.join(dir, 'whatzme-desktop-updater'), { recursive: true }).map(String).filter((f) => f.endsWith('.deb'));
  return { u, cached };
}

describe('electron-updater on the feed electron-builder publishes', () => {
  it('finds the newer version, downloads it to its cache and accepts it by its SHA-512', async () => {
    const { u, cached } = updater('newer');
    const result = await u.checkForUpdates();
    expect(result).toMatchObject({ isUpdateAvailable: true, updateInfo: { version: '0.2.0', releaseNotes: 'Compatible con el cambio de WhatsApp Web.' } });
    const [file] = await u.downloadUpdate();
    expect(fs.readFileSync(file!).equals(installer)).toBe(true);
    expect(cached()).toEqual([expect.stringMatching(/whatzme-desktop_0\.2\.0_amd64\.deb$/)]);
  });

  it('says the same version is no update', async () => {
    expect((await updater('same').u.checkForUpdates())?.isUpdateAvailable).toBe(false);
  });

  it('refuses a download whose hash does not match, and one cut short; the app words them as it shows them', async () => {
    const bad = updater('bad-hash');
    await bad.u.checkForUpdates();
    const hashError = await bad.u.downloadUpdate().then(() => null, (e: unknown) => e);
    expect(updaterFailure(hashError, 'download').code).toBe('update_bad_hash');
    expect(bad.cached()).toEqual([]);
    const cut = updater('truncated');
    await cut.u.checkForUpdates();
    const cutError = await cut.u.downloadUpdate().then(() => null, (e: unknown) => e);
    expect(cutError).not.toBeNull();
    expect(updaterFailure(cutError, 'download').code).not.toBe('update_feed_down');
    expect(cut.cached()).toEqual([]);
    const down = await updater('nothing').u.checkForUpdates().then(() => null, (e: unknown) => e);
    expect(updaterFailure(down, 'check').code).toBe('update_feed_down');
  });
});
