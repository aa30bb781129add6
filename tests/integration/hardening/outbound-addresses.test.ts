import https from 'node:https';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { TEST_META, metaSignature, startGraphMock } from '../../helpers/graph-mock';
import { startWebhookServer } from '../../../electron/cloud';
import net from 'node:net';
import { TEST_CA } from '../../helpers/https-media-server';
import { REPO_ROOT } from '../../helpers/paths';
import { until } from '../../helpers/until';
import type { WebhookDelivery } from '../../../shared/api';
import type { NumberView } from '../../../shared/numbers';

/**
 * #29 item 6: webhooks and the Cloud relay keep off the user's network. The probe registered 169.254.169.254, 10.x,
 * 192.168.x and [fd00::1] as webhooks and read per-target errors back (a port scanner), and a relay over plain http
 * sent the verify token in clear and read a 300 MB answer whole.
 */

let t: TestApp | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const close of closers.splice(0)) await close();
});

describe('webhook addresses', () => {
  it('refuses link-local, metadata and local-network addresses unless the user says it is their network, and http but to this machine', async () => {
    t = await startTestApp();
    const create = (url: string, allowLan?: boolean) => t!.call('webhooks.create', { url, events: ['message.status'], ...(allowLan === undefined ? {} : { allowLan }) }).then(() => 'ok', (e: { code: string }) => e.code);
    for (const url of ['https://169.254.169.254/latest', 'https://10.0.0.5/hook', 'https://192.168.1.20/hook', 'https://[fd00::1]/hook', 'https://[::ffff:a9fe:a9fe]/x', 'https://0.0.0.0/x']) {
      expect(await create(url), url).toBe('url_refused');
    }
    expect(await create('http://sistema.example/hook')).toBe('url_needs_https');
    expect(await create('https://169.254.169.254/latest', true)).toBe('url_refused'); // never, even on the user's say
    expect(await create('https://192.168.1.20/hook', true)).toBe('ok');
    expect(await create('http://127.0.0.1:9/hook')).toBe('ok');
    expect(await create('https://hooks.example.com/whatzme')).toBe('ok');
    expect((await t.call<{ allowLan: boolean }[]>('webhooks.list')).map((h) => h.allowLan)).toEqual([true, false, false]);
  });

  it('a delivery that gets no answer says only that, however the connection failed', async () => {
    t = await startTestApp();
    const closed = `http://127.0.0.1:9/hook`; // the discard port: nothing listens
    const hook = await t.call<{ webhook: { id: number } }>('webhooks.create', { url: closed, events: ['contact.opted_out'] });
    await t.call('webhooks.ping', { id: hook.webhook.id });
    const [delivery] = await until(() => t!.call<WebhookDelivery[]>('webhooks.deliveries', { limit: 10 }), (list) => list.some((d) => d.attempts.length > 0));
    expect(delivery?.attempts[0]).toMatchObject({ status: null, error: 'no_answer' });
  });
});

describe('the Cloud relay', () => {
  it('takes https on a public address only, and reads its answer up to a limit', async () => {
    const mock = await startGraphMock({ token: TEST_META.token, ...TEST_META.account, verifiedName: 'Panadería', templates: [] });
    closers.push(() => mock.close());
    t = await startTestApp({ cloud: { graphUrl: mock.url } });
    const number = await t.call<NumberView>('cloud.add', { phoneNumberId: TEST_META.account.phoneNumberId, wabaId: TEST_META.account.wabaId, token: TEST_META.token, appSecret: TEST_META.appSecret });
    const set = (url: string) => t!.call('cloud.setRelay', { numberId: number.id, url }).then(() => 'ok', (e: { code: string }) => e.code);
    expect(await set('http://relay.example/meta')).toBe('url_needs_https');
    for (const url of ['https://127.0.0.1:8443/meta', 'https://10.1.1.1/meta', 'https://[::ffff:7f00:1]/meta', 'https://169.254.169.254/meta']) expect(await set(url), url).toBe('url_refused');
    expect(await set('https://relay.example.com/meta')).toBe('ok');
  });

  it('a relay that answers hundreds of megabytes is cut off at the limit, and the app carries on', async () => {
    const mock = await startGraphMock({ token: TEST_META.token, ...TEST_META.account, verifiedName: 'Panadería', templates: [] });
    closers.push(() => mock.close());
    let sent = 0;
    const relay = https.createServer({ key: fs.readFileSync(path.join(REPO_ROOT, 'tests', 'fixtures', 'tls', 'key.pem')), cert: TEST_CA }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const more = () => {
        while (sent < 300 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => undefined);
      more();
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', () => resolve()));
    closers.push(() => new Promise((resolve) => { relay.closeAllConnections(); relay.close(() => resolve()); }));
    t = await startTestApp({ cloud: { graphUrl: mock.url }, relay: { rule: { loopback: true, lan: false }, ca: TEST_CA } });
    const number = await t.call<NumberView>('cloud.add', { phoneNumberId: TEST_META.account.phoneNumberId, wabaId: TEST_META.account.wabaId, token: TEST_META.token, appSecret: TEST_META.appSecret });
    await t.call('cloud.setRelay', { numberId: number.id, url: `https://127.0.0.1:${(relay.address() as AddressInfo).port}/meta` });
    const before = process.memoryUsage().rss;
    await t.app.cloud.relay.pollOnce();
    expect(sent).toBeLessThan(100 * 1024 * 1024); // it stopped reading long before the end
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    expect((await t.call<{ state: string }[]>('numbers.list'))[0]?.state).toBe('connected');
  });
});

describe('Meta\'s webhook port (#29 item 8)', () => {
  it('answers signed deliveries of unexpected shapes, and cuts a body trickled byte by byte', async () => {
    const mock = await startGraphMock({ token: TEST_META.token, ...TEST_META.account, verifiedName: 'Panadería', templates: [] });
    closers.push(() => mock.close());
    t = await startTestApp({ cloud: { graphUrl: mock.url } });
    await t.call('cloud.add', { phoneNumberId: TEST_META.account.phoneNumberId, wabaId: TEST_META.account.wabaId, token: TEST_META.token, appSecret: TEST_META.appSecret });
    const hooks = await startWebhookServer(t.app.cloud.webhooks, 0);
    closers.push(() => hooks.close());
    const metadata = { phone_number_id: TEST_META.account.phoneNumberId };
    const odd = [
      { object: 'whatsapp_business_account', entry: [null] },
      { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { metadata, statuses: 'x' } }] }] },
      { object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { metadata, statuses: [null, 7, { id: 5 }], messages: [{ id: [] }] } }] }] },
      { object: 'whatsapp_business_account', entry: [{ changes: 'x' }] },
    ];
    for (const payload of odd) {
      const body = JSON.stringify(payload);
      const reply = await fetch(hooks.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': metaSignature(body, TEST_META.appSecret) }, body, signal: AbortSignal.timeout(5000) });
      expect(reply.status, body).toBeLessThan(500);
    }
    const socket = net.connect(hooks.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = Date.now();
    socket.write('POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n');
    const drip = setInterval(() => socket.writable && socket.write('x'), 5000);
    socket.resume();
    await new Promise((resolve) => (socket.destroyed ? resolve(undefined) : socket.once('close', resolve)));
    clearInterval(drip);
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 40_000);
});
