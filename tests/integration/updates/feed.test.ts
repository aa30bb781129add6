import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../../shared/types';
import { systemClock } from '../../../electron/core/clock';
import { EventBus } from '../../../electron/core/event-bus';
import { silentLogger } from '../../../electron/core/logger';
import { FeedUpdater, UpdateService, compareVersions, feedFileName, type UpdateBackend } from '../../../electron/updates';
import { tempDir } from '../../helpers/temp-dir';

/** An installer of 300 KB and its metadata, as electron-builder publishes them (sha512 in base64). */
const installer = crypto.randomBytes(300 * 1024);
const sha512 = crypto.createHash('sha512').update(installer).digest('base64');
const metadata = (version: string, over: { sha512?: string; url?: string; size?: number } = {}) =>
  [
    `version: ${version}`,
    'files:',
    `  - url: ${over.url ?? `WhatzMe-Desktop-${version}.AppImage`}`,
    `    sha512: ${over.sha512 ?? sha512}`,
    `    size: ${over.size ?? installer.length}`,
    `path: ${over.url ?? `WhatzMe-Desktop-${version}.AppImage`}`,
    `sha512: ${over.sha512 ?? sha512}`,
    "releaseDate: '2026-12-01T18:00:00.000Z'",
    'releaseNotes: |-',
    '  Compatible con el cambio de WhatsApp Web del 1 de diciembre.',
  ].join('\n');

/** The feed: one folder per scenario, each with its `latest-linux.yml` / `beta-linux.yml` and files. */
const routes = new Map<string, (res: http.ServerResponse) => void>();
let feed: http.Server;
let base = '';
beforeAll(async () => {
  feed = http.createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (route) route(res);
    else res.writeHead(404).end('no');
  });
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(feed.address() as AddressInfo).port}`;
  const file = (body: Buffer | string) => (res: http.ServerResponse) => res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) }).end(body);
  routes.set('/newer/latest-linux.yml', file(metadata('0.2.0')));
  routes.set('/newer/WhatzMe-Desktop-0.2.0.AppImage', file(installer));
  routes.set('/newer/beta-linux.yml', file(metadata('0.3.0-beta.1', { url: 'WhatzMe-Desktop-0.3.0-beta.1.AppImage' })));
  routes.set('/newer/WhatzMe-Desktop-0.3.0-beta.1.AppImage', file(installer));
  routes.set('/same/latest-linux.yml', file(metadata('0.1.0')));
  routes.set('/bad-hash/latest-linux.yml', file(metadata('0.2.0', { sha512: crypto.createHash('sha512').update('otra cosa').digest('base64') })));
  routes.set('/bad-hash/WhatzMe-Desktop-0.2.0.AppImage', file(installer));
  routes.set('/truncated/latest-linux.yml', file(metadata('0.2.0')));
  routes.set('/truncated/WhatzMe-Desktop-0.2.0.AppImage', (res) => {
    res.writeHead(200, { 'Content-Length': installer.length });
    res.write(installer.subarray(0, 100 * 1024));
    setTimeout(() => res.destroy(), 30);
  });
  routes.set('/garbled/latest-linux.yml', file('<html>mantenimiento</html>'));
});
afterAll(async () => {
  await new Promise<void>((resolve) => feed.close(() => resolve()));
});

function service(feedPath: string, opts: { mode?: UpdateStatus['mode']; sending?: () => boolean; channel?: 'stable' | 'beta'; backend?: UpdateBackend } = {}) {
  const downloadDir = tempDir();
  const bus = new EventBus();
  const seen: UpdateStatus[] = [];
  bus.subscribe((e) => e.event === 'updates.changed' && seen.push(e.payload));
  const installs: number[] = [];
  const feedUpdater = new FeedUpdater({ feedUrl: `${base}${feedPath}`, channel: () => opts.channel ?? 'stable', currentVersion: '0.1.0', platform: 'linux', downloadDir, allowHttpLoopback: true });
  const backend: UpdateBackend = opts.backend ?? { check: () => feedUpdater.check(), download: (r, p) => feedUpdater.download(r, p), install: () => installs.push(1) };
  const updates = new UpdateService({ backend, bus, clock: systemClock, logger: silentLogger(), currentVersion: '0.1.0', mode: opts.mode ?? 'install', isSending: opts.sending ?? (() => false) });
  return { updates, downloadDir, seen, installs, files: () => fs.readdirSync(downloadDir) };
}

describe('updates from a local feed, as electron-builder publishes them', () => {
  it('a newer version downloads in the background with progress, is checked by its SHA-512, and waits to install', async () => {
    const s = service('/newer');
    const status = await s.updates.check();
    expect(status).toMatchObject({ state: 'ready', version: '0.2.0', notes: 'Compatible con el cambio de WhatsApp Web del 1 de diciembre.', progress: 1, error: null });
    expect(s.seen.map((x) => x.state)).toEqual(expect.arrayContaining(['checking', 'available', 'downloading', 'ready']));
    expect(s.seen.filter((x) => x.state === 'downloading').length).toBeGreaterThan(2);
    expect(s.files()).toEqual(['WhatzMe-Desktop-0.2.0.AppImage']);
    expect(fs.readFileSync(path.join(s.downloadDir, 'WhatzMe-Desktop-0.2.0.AppImage')).equals(installer)).toBe(true);
    // Asked again, nothing is downloaded twice.
    expect((await s.updates.check()).state).toBe('ready');
    s.updates.restart();
    expect(s.installs).toEqual([1]);
  });

  it('the same version is up to date, and nothing is downloaded', async () => {
    const s = service('/same');
    expect(await s.updates.check()).toMatchObject({ state: 'up_to_date', version: null, error: null });
    expect(s.files()).toEqual([]);
    expect(() => s.updates.restart()).toThrow(expect.objectContaining({ code: 'illegal_transition' }));
  });

  it('a bad hash or a cut download ends in an error that says so, with nothing half-installed left', async () => {
    const bad = service('/bad-hash');
    expect(await bad.updates.check()).toMatchObject({ state: 'error', error: 'update_bad_hash' });
    expect(bad.files()).toEqual([]);
    const cut = service('/truncated');
    expect(await cut.updates.check()).toMatchObject({ state: 'error', error: 'update_truncated' });
    expect(cut.files()).toEqual([]);
    expect(() => cut.updates.restart()).toThrow(expect.objectContaining({ code: 'illegal_transition' }));
  });

  it('a feed that is down, missing or garbled is an error of the check; the running version goes on', async () => {
    for (const feedPath of ['/nothing-here', '/garbled']) expect(await service(feedPath).updates.check()).toMatchObject({ state: 'error', error: 'update_feed_down' });
    const closed = new FeedUpdater({ feedUrl: 'http://127.0.0.1:1/', channel: () => 'stable', currentVersion: '0.1.0', downloadDir: tempDir(), allowHttpLoopback: true });
    await expect(closed.check()).rejects.toMatchObject({ code: 'update_feed_down' });
    // Plain http from anywhere but this machine is refused.
    const plain = new FeedUpdater({ feedUrl: 'http://descargas.example/desktop', channel: () => 'stable', currentVersion: '0.1.0', downloadDir: tempDir() });
    await expect(plain.check()).rejects.toMatchObject({ code: 'update_feed_down' });
  });

  it('never restarts while a campaign is sending; web mode only says a new version exists', async () => {
    let sending = true;
    const s = service('/newer', { sending: () => sending });
    expect(await s.updates.check()).toMatchObject({ state: 'ready', sending: true });
    expect(() => s.updates.restart()).toThrow(expect.objectContaining({ code: 'busy_sending' }));
    expect(s.installs).toEqual([]);
    sending = false;
    s.updates.restart();
    expect(s.installs).toEqual([1]);
    const web = service('/newer', { mode: 'notify' });
    expect(await web.updates.check()).toMatchObject({ state: 'available', version: '0.2.0', mode: 'notify' });
    expect(web.files()).toEqual([]);
    expect(() => web.updates.restart()).toThrow(expect.objectContaining({ code: 'not_available' }));
  });

  it('the beta channel reads the beta metadata; versions compare as semver with prereleases first', async () => {
    expect(await service('/newer', { channel: 'beta' }).updates.check()).toMatchObject({ state: 'ready', version: '0.3.0-beta.1' });
    expect(feedFileName('stable', 'win32')).toBe('latest.yml');
    expect(feedFileName('stable', 'darwin')).toBe('latest-mac.yml');
    expect(feedFileName('beta', 'linux')).toBe('beta-linux.yml');
    expect(compareVersions('0.2.0', '0.1.9')).toBe(1);
    expect(compareVersions('0.2.0-beta.2', '0.2.0')).toBe(-1);
    expect(compareVersions('0.2.0-beta.10', '0.2.0-beta.2')).toBe(1);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
  });
});
