import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import { silentLogger } from '../../../electron/core/logger';
import { WwebDriver, type DriverEvents, type WwebDriverConfig } from '../../../electron/whatsapp';
import { readMessageKey } from '../../../electron/whatsapp/wweb/message-key';
import { clearStaleProfileLocks, removeWithRetry } from '../../../electron/whatsapp/wweb/process-tree';
import { tempDir } from '../../helpers/temp-dir';
import { FakeWhatsApp, FakeWwebClient, type FakeOptions } from './fake-wweb-client';

const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(fake: FakeOptions = {}, over: Partial<WwebDriverConfig> = {}) {
  const server = new FakeWhatsApp();
  const clients: FakeWwebClient[] = [];
  const sessionsDir = tempDir();
  const driver = new WwebDriver({
    numberId: 'n_today1',
    sessionsDir,
    cacheDir: tempDir(),
    clock: systemClock,
    logger: silentLogger(),
    browserPath: () => '/usr/bin/chromium',
    createClient: async (opts) => {
      const c = new FakeWwebClient(opts, 123_456, server, fake);
      c.everyoneOnWhatsApp = true;
      clients.push(c);
      return c;
    },
    killProcess: () => undefined,
    stopTimeoutMs: 50,
    startTimeoutMs: 500,
    ...over,
  });
  const events: { event: string; payload: unknown }[] = [];
  for (const event of ['ready', 'state', 'ack', 'incoming', 'lid', 'pairingCode'] as const) driver.on(event, (payload) => events.push({ event, payload }));
  const of = <E extends keyof DriverEvents>(event: E) => events.filter((e) => e.event === event).map((e) => e.payload as DriverEvents[E]);
  return { driver, server, client: () => clients.at(-1) as FakeWwebClient, of, sessionsDir };
}

async function connected(fake: FakeOptions = {}, over: Partial<WwebDriverConfig> = {}) {
  const s = setup({ autoReady: { phone: '+5215511110000', name: 'Tienda' }, ...fake }, over);
  await s.driver.start();
  await flush();
  await flush();
  return s;
}

describe('message keys in every shape WhatsApp Web has served', () => {
  it('reads the classic, the renamed (minified, with _out) and a rebuilt key to the same id', () => {
    expect(readMessageKey({ fromMe: true, remote: '5215512345678@c.us', id: '3EB0A', _serialized: 'true_5215512345678@c.us_3EB0A' })).toEqual({
      id: '3EB0A',
      remote: '5215512345678@c.us',
      fromMe: true,
      serialized: 'true_5215512345678@c.us_3EB0A',
    });
    // wwebjs/whatsapp-web.js#201857: `{ fromMe, remote, id, self: 'out', $1: 'true_…@lid_…_out' }`.
    expect(readMessageKey({ fromMe: true, remote: '141880100663303@lid', id: '3EB0DAE6', self: 'out', $1: 'true_141880100663303@lid_3EB0DAE6_out' })).toMatchObject({ id: '3EB0DAE6', remote: '141880100663303@lid' });
    // Only the minified property, under another name: the id comes from its value.
    expect(readMessageKey({ $Zq: 'false_5215511112222@c.us_3EB0BB' })).toMatchObject({ id: '3EB0BB', fromMe: false, remote: '5215511112222@c.us' });
    // No serialized form at all: rebuilt from the fields, `remote` as a Wid object.
    expect(readMessageKey({ fromMe: false, remote: { server: 'lid', user: '99' }, id: '3EB0CC' })).toEqual({ id: '3EB0CC', remote: '99@lid', fromMe: false, serialized: 'false_99@lid_3EB0CC' });
    expect(readMessageKey(undefined)).toBeNull();
    expect(readMessageKey({ fromMe: true })).toBeNull();
  });
});

describe('the whatsapp-web.js driver against WhatsApp Web as served since July 2026', () => {
  it('a sendMessage that resolves undefined is "maybe sent", and findSent then finds it by its text', async () => {
    const { driver, server } = await connected({ keys: 'renamed', sendReturnsUndefined: true });
    const error = await driver.send('5215512345678@c.us', { text: 'Hola Ana' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'send_failed', maybeSent: true });
    expect(server.delivered).toHaveLength(1);
    expect(await driver.findSent('5215512345678@c.us', { text: 'Hola Ana', after: 0 })).toEqual({ messageId: server.delivered[0]!.id });
  });

  it('a voice note whose send resolves undefined still gets its text, tracked and found by that text', async () => {
    const { driver, server } = await connected({ keys: 'renamed', sendReturnsUndefined: true }, { createMedia: async (file, mimeType, fileName) => ({ file, mimeType, fileName }) });
    const voice = { path: '/m/nota.ogg', mimeType: 'audio/ogg; codecs=opus', fileName: 'nota.ogg', kind: 'voice' as const };
    await expect(driver.send('5215512345678@c.us', { text: 'Escucha la promo', media: voice })).rejects.toMatchObject({ maybeSent: true });
    expect(server.delivered.map((d) => d.body)).toEqual(['', 'Escucha la promo']);
    expect(await driver.findSent('5215512345678@c.us', { text: 'Escucha la promo', after: 0 })).toEqual({ messageId: server.delivered[1]!.id });
  });

  it('acks with renamed keys move on the key id; a reply from a LID chat carries the phone WhatsApp maps it to', async () => {
    const { driver, server, client, of } = await connected({ keys: 'renamed', acks: true });
    server.lids.set('5215512345678', '777@lid');
    const sent = await driver.send('5215512345678@c.us', { text: 'Hola' });
    expect(sent.chatId).toBe('777@lid');
    await new Promise((r) => setTimeout(r, 20));
    expect(of('ack').map((a) => [a.messageId, a.ack])).toEqual([
      [sent.messageId, 'delivered'],
      [sent.messageId, 'read'],
    ]);
    client().receive('777@lid', 'CANCELAR');
    await flush();
    await flush();
    expect(of('incoming').at(-1)).toMatchObject({ chatId: '777@lid', body: 'CANCELAR', phone: '+525512345678' });
    expect(of('lid')).toEqual([{ lid: '777@lid', phone: '+525512345678' }]);
  });

  it('catches up: replies sent while the app was closed, and the receipts of earlier sends', async () => {
    const { driver, server, client } = await connected({ keys: 'renamed' });
    const sent = await driver.send('5215512345678@c.us', { text: 'Hola' });
    (server.chats.get('5215512345678@c.us')![0]!).ack = 3;
    const since = Date.now() - 1000;
    client().receive('5215512345678@c.us', 'Baja por favor');
    const replies = await driver.recentIncoming(since);
    expect(replies.map((r) => [r.chatId, r.body, r.phone])).toEqual([['5215512345678@c.us', 'Baja por favor', '+525512345678']]);
    expect(await driver.ackStates([{ chatId: '5215512345678@c.us', messageId: sent.messageId }])).toEqual(new Map([[sent.messageId, 'read']]));
  });

  it('a chat WhatsApp Web cannot read does not hide the others\' replies, and is named until it can be read', async () => {
    const { driver, server, client } = await connected({ keys: 'renamed' });
    const since = Date.now() - 1000;
    client().receive('5215512345678@c.us', '¿Qué precio tiene?');
    client().receive('5218187654321@c.us', 'CANCELAR');
    // July-2026 builds: one chat's broken key makes getChats() fail whole and that chat unreadable (OpenWA 757).
    server.brokenChats.add('5218187654321@c.us');
    const first = await driver.recentIncoming(since);
    expect(first.map((r) => r.body)).toEqual(['¿Qué precio tiene?']);
    expect(driver.unreadChats()).toEqual(['5218187654321@c.us', '+528187654321']);
    // Receipts go on chat by chat too.
    await expect(driver.ackStates([{ chatId: '5218187654321@c.us', messageId: 'x' }])).resolves.toEqual(new Map());
    server.brokenChats.clear();
    const next = await driver.recentIncoming(since);
    expect(next.map((r) => r.body)).toEqual(['¿Qué precio tiene?', 'CANCELAR']);
    expect(driver.unreadChats()).toEqual([]);
  });

  it('a hung page call ends in a timeout: maybe sent for a send, an error for a lookup — never a hang', async () => {
    const { driver, client } = await connected({}, { callTimeoutMs: 50 });
    client().hang.add('sendMessage');
    client().hang.add('getChatById');
    const began = Date.now();
    await expect(driver.send('a@c.us', { text: 'x' })).rejects.toMatchObject({ code: 'timeout', maybeSent: true });
    await expect(driver.findSent('a@c.us', { text: 'x', after: 0 })).rejects.toMatchObject({ code: 'unknown' });
    expect(Date.now() - began).toBeLessThan(2000);
  });

  it('a ready that never comes after authentication ends in ready_timeout (the manager restarts it)', async () => {
    const { driver, of } = setup({ readyNeverComes: true }, { readyTimeoutMs: 50 });
    await driver.start();
    await new Promise((r) => setTimeout(r, 120));
    expect(of('state').at(-1)).toMatchObject({ state: 'error', error: 'ready_timeout' });
  });

  it('a ban ends as banned: the library destroying its own browser afterwards is no crash', async () => {
    const { client, of } = await connected();
    client().ban();
    await flush();
    expect(of('state').map((s) => s.state).slice(-2)).toEqual(['banned', 'banned']);
    expect(of('state').some((s) => s.error === 'crashed')).toBe(false);
  });

  it('runs the compatibility shim before trusting ready, and links by phone with an 8-character code', async () => {
    const s = setup({});
    await s.driver.start();
    s.client().emit('qr', '2@abc');
    expect(await s.driver.requestPairingCode('+52 55 1234 5678')).toBe('WZ345678');
    s.client().info = { wid: { user: '5215511110000' }, pushname: 'Tienda' };
    s.client().emit('ready');
    expect(s.of('ready')).toEqual([]);
    await flush();
    expect(s.client().shimCalls).toBe(1);
    expect(s.of('ready')).toHaveLength(1);
  });

  it('clears stale Chrome profile locks left by a hard crash, before launching', async () => {
    const { driver, sessionsDir } = setup({});
    const profile = path.join(sessionsDir, 'session-n_today1');
    fs.mkdirSync(profile, { recursive: true });
    fs.symlinkSync('dead-host-4242', path.join(profile, 'SingletonLock')); // Chrome's lock: a dangling symlink
    fs.writeFileSync(path.join(profile, 'lockfile'), '');
    fs.writeFileSync(path.join(profile, 'Preferences'), '{}');
    await driver.start();
    expect(fs.readdirSync(profile)).toEqual(['Preferences']);
    expect(clearStaleProfileLocks(profile)).toEqual([]);
  });

  it('removes a session folder even when Windows holds it for a moment (EBUSY retried)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'Cookies'), 'x');
    const original = fs.rmSync;
    let calls = 0;
    (fs as { rmSync: typeof fs.rmSync }).rmSync = ((target: fs.PathLike, opts?: fs.RmOptions) => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
      return original(target, opts);
    }) as typeof fs.rmSync;
    try {
      await removeWithRetry(dir, 5, 1);
    } finally {
      (fs as { rmSync: typeof fs.rmSync }).rmSync = original;
    }
    expect(calls).toBe(3);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
