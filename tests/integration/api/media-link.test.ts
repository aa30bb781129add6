import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMessage } from '../../../shared/api';
import { download, isPublicAddress } from '../../../electron/api';
import { campaignFixture } from '../../helpers/campaign-fixture';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { TEST_CA, httpsMediaServer } from '../../helpers/https-media-server';
import { suiteTempDir } from '../../helpers/temp-dir';
import { until } from '../../helpers/until';

let server: Awaited<ReturnType<typeof httpsMediaServer>>;
beforeAll(async () => {
  server = await httpsMediaServer();
});
afterAll(async () => {
  await server.close();
});
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The test server is on 127.0.0.1: only these tests let it in (the default refuses loopback), and trust its CA. */
const downloads = suiteTempDir();
const local = { allowAddress: (a: string) => a === '127.0.0.1' || isPublicAddress(a), ca: TEST_CA, tempDir: downloads };
const limits = { limitBytes: 1024 * 1024, timeoutMs: 1500 };
/** Files a download left in its folder (this file's own folder: other tests download at the same time). */
const leftovers = () => (fs.existsSync(downloads) ? fs.readdirSync(downloads) : []);

describe('media from https links: fetched with limits, only from public https addresses, checked by their bytes', () => {
  it('refuses what the user\'s script must never make the app fetch, and says why', async () => {
    const refused = async (url: string, opts: object = {}) => download(url, { ...limits, ...local, ...opts }).then(() => 'fetched', (e: { code: string }) => e.code);
    // Loopback by default (no allowAddress): this machine is never reached through a link.
    expect(await refused(server.url('/promo.jpg'), { allowAddress: undefined })).toBe('media_url_refused');
    expect(await refused(server.url('/promo.jpg').replace('https:', 'http:'))).toBe('media_url_refused');
    expect(await refused(server.url('/ir-a-http'))).toBe('media_url_refused');
    expect(await refused(server.url('/ir-a-privada'))).toBe('media_url_refused');
    expect(await refused('https://localhost:1/x.jpg', { allowAddress: undefined })).toBe('media_url_refused');
    // The same server under IPv6 literals that embed 127.0.0.1 (the probe's `[::ffff:127.0.0.1]` reached it).
    const port = new URL(server.url('/promo.jpg')).port;
    for (const host of ['[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::7f00:1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::]']) {
      expect(await refused(`https://${host}:${port}/promo.jpg`, { allowAddress: undefined }), host).toBe('media_url_refused');
    }
    expect(await refused(server.url('/vueltas'))).toBe('media_fetch_failed');
    expect(await refused(server.url('/no-existe'))).toBe('media_fetch_failed');
    // Within the limits of time and size, counted on what arrives, not only on what the server says.
    expect(await refused(server.url('/lento.jpg'))).toBe('media_fetch_failed');
    expect(await refused(server.url('/enorme.bin'))).toBe('media_too_large');
    expect(await refused(server.url('/grande-declarado.jpg'))).toBe('media_too_large');
    expect(await refused(server.url('/foto_pesada.jpg'))).toBe('media_too_large');
    expect(await refused(server.url('/cortado.jpg'))).toBe('media_fetch_failed');
    // A self-signed certificate nobody trusts is refused.
    expect(await refused(server.url('/promo.jpg'), { ca: undefined })).toBe('media_fetch_failed');
    // A malformed %-escape in the path or in Content-Disposition is a name as written, not a failure (#29 item 8).
    const odd = await download(server.url('/mal%E0%A4%A.pdf'), { ...limits, ...local });
    expect(odd.fileName).toBe('mal%E0%A4%A.pdf');
    fs.rmSync(odd.file);
    const named = await download(server.url('/nombre-malo'), { ...limits, ...local });
    expect(named.fileName).toBe('precios%E0%A4%A.pdf');
    fs.rmSync(named.file);
    // Nothing half-downloaded is left behind.
    expect(leftovers()).toEqual([]);
  }, 30_000);

  it('knows which addresses are public', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.10', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:192.168.0.1']) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    // IPv6 forms that carry an IPv4 address, as the URL parser writes them (the probe of #29 item 5).
    for (const a of ['::ffff:7f00:1', '::ffff:a9fe:a9fe', '::7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '::ffff:0:7f00:1', 'not an address']) {
      expect(isPublicAddress(a), a).toBe(false);
    }
    for (const a of ['8.8.8.8', '172.32.0.1', '200.57.7.61', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isPublicAddress(a), a).toBe(true);
  });

  it('a download a crash cut short in the data folder\'s tmp/ is gone at the next start', async () => {
    const dataDir = suiteTempDir();
    fs.mkdirSync(path.join(dataDir, 'tmp'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'tmp', 'whatzme-link-0123456789abcdef'), Buffer.alloc(1024));
    t = await startTestApp({}, dataDir);
    expect(fs.readdirSync(path.join(dataDir, 'tmp'))).toEqual([]);
  });

  it('twenty sends at once to the same new phone with a link all go through, and make one contact (#29 item 8)', async () => {
    const f = await campaignFixture({ contacts: 1, numbers: 1, config: { simBehaviour: { replyRate: 0 }, mediaLinkOptions: local } });
    t = f.t;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => f.t.call<ApiMessage>('messages.send', { idempotencyKey: `simultaneo-${i}`, phone: '+525599990000', text: `Aviso ${i}`, mediaUrl: server.url('/catalogo.pdf') })),
    );
    expect(answers).toHaveLength(20);
    expect(f.t.app.db.prepare("SELECT COUNT(*) FROM contacts WHERE phone = '+525599990000'").pluck().get()).toBe(1);
  });

  it('sends a message with an image from a link, fetching each link once; a program named .jpg is refused', async () => {
    const f = await campaignFixture({ contacts: 2, numbers: 1, config: { simBehaviour: { replyRate: 0 }, mediaLinkOptions: local } });
    t = f.t;
    const first = await f.t.call<ApiMessage>('messages.send', { idempotencyKey: 'promo-a', phone: '+525520000000', text: 'Nuestra promo', mediaUrl: server.url('/ir-a-promo') });
    const second = await f.t.call<ApiMessage>('messages.send', { idempotencyKey: 'promo-b', phone: '+525520000037', text: 'Nuestra promo', mediaUrl: server.url('/ir-a-promo') });
    expect(first.hasMedia && second.hasMedia).toBe(true);
    expect(server.hits('/promo.jpg')).toBe(1);
    // Kept by content hash, as an upload of the same file would be.
    const ids = f.t.app.db.prepare("SELECT DISTINCT s.media_id FROM sends s JOIN campaigns c ON c.id = s.campaign_id AND c.kind = 'api'").pluck().all() as string[];
    expect(ids).toHaveLength(1);
    expect(f.t.app.media.get(ids[0]!)).toMatchObject({ kind: 'image', mime: 'image/jpeg', fileName: 'promo.jpg' });
    // Sent on the virtual clock, each after real work (the image read from disk): time moves on until both are there.
    const images = () => f.t.app.world.deliveriesOf(f.numbers[0]!.id).filter((d) => d.media?.kind === 'image');
    await until(async () => {
      await f.clock.advance(1000);
      return images().length;
    }, (n) => n >= 2);
    expect(images()).toHaveLength(2);
    // A named download keeps its name; a program is refused by its bytes, whatever its name and type say.
    const named = await f.t.call<ApiMessage>('messages.send', { idempotencyKey: 'lista', phone: '+525520000000', text: 'Lista', mediaUrl: server.url('/descarga') });
    expect(named.hasMedia).toBe(true);
    expect(f.t.app.db.prepare("SELECT m.file_name FROM media_links l JOIN media m ON m.id = l.media_id WHERE l.url LIKE '%/descarga'").pluck().get()).toBe('lista de precios.pdf');
    await expect(f.t.call('messages.send', { idempotencyKey: 'malo', phone: '+525520000000', text: 'x', mediaUrl: server.url('/no_es_imagen.jpg') })).rejects.toMatchObject({ code: 'media_unsupported' });
    // The limit is the user's setting: 1 MB refuses the 3 MB photo.
    await f.t.call('settings.update', { mediaLinkLimitMb: 1 });
    await expect(f.t.call('messages.send', { idempotencyKey: 'pesada', phone: '+525520000000', text: 'x', mediaUrl: server.url('/foto_pesada.jpg') })).rejects.toMatchObject({ code: 'media_too_large' });
    expect(f.t.app.db.prepare("SELECT COUNT(*) FROM api_messages WHERE idem_key IN ('malo', 'pesada')").pluck().get()).toBe(0);
    expect(leftovers()).toEqual([]);
  }, 60_000);
});
