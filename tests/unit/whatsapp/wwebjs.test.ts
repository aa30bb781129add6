import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import { silentLogger } from '../../../electron/core/logger';
import { DriverError, WwebDriver, type DriverEvents, type WwebDriverConfig } from '../../../electron/whatsapp';
import { FakeWwebClient, message } from './fake-wweb-client';
import { pageError } from '../../helpers/page-error';

function setup(over: Partial<WwebDriverConfig> & { pid?: number } = {}) {
  let client: FakeWwebClient | undefined;
  const killed: number[] = [];
  const driver = new WwebDriver({
    numberId: 'n_abc123',
    sessionsDir: '/data/sessions',
    cacheDir: '/data/wwebjs-cache',
    clock: systemClock,
    logger: silentLogger(),
    browserPath: () => '/usr/bin/chromium',
    createClient: async (opts) => (client = new FakeWwebClient(opts, over.pid)),
    createMedia: async (file, mimeType, fileName) => ({ media: file, mimeType, fileName }),
    killProcess: (pid) => killed.push(pid),
    stopTimeoutMs: 50,
    startTimeoutMs: 200,
    ...over,
  });
  const events: { event: string; payload: unknown }[] = [];
  for (const event of ['qr', 'ready', 'state', 'disconnected', 'ack', 'incoming'] as const) {
    driver.on(event, (payload) => events.push({ event, payload }));
  }
  const of = <E extends keyof DriverEvents>(event: E) => events.filter((e) => e.event === event).map((e) => e.payload as DriverEvents[E]);
  return { driver, client: () => client as FakeWwebClient, events, of, killed };
}

/** Lets the driver's async listeners run (ready applies the shim first; incoming resolves LIDs). */
const flush = () => new Promise((resolve) => setImmediate(resolve));

async function connected(over: Parameters<typeof setup>[0] = {}) {
  const s = setup(over);
  await s.driver.start();
  s.client().info = { wid: { user: '5215512345678' }, pushname: 'Tacos Don Luis' };
  s.client().emit('ready');
  await flush();
  return s;
}

describe('whatsapp-web.js driver (against a fake Client)', () => {
  it('creates the client with LocalAuth per number, the cache under the data folder and the found browser', async () => {
    const { driver, client } = setup();
    await driver.start();
    expect(client().options).toMatchObject({
      numberId: 'n_abc123',
      sessionsDir: '/data/sessions',
      cacheDir: '/data/wwebjs-cache',
      executablePath: '/usr/bin/chromium',
      headless: true,
    });
  });

  it('shows the browser window when asked (a passkey to complete while linking), and only then', async () => {
    const shown = setup({ visible: true });
    await shown.driver.start();
    expect(shown.client().options).toMatchObject({ headless: false });
  });

  it('reports a clear browser_not_found when no browser is installed, without creating a client', async () => {
    const { driver, client, of } = setup({ browserPath: () => null });
    await expect(driver.start()).rejects.toMatchObject({ code: 'browser_not_found' });
    expect(client()).toBeUndefined();
    expect(of('state').at(-1)).toEqual({ state: 'error', error: 'browser_not_found' });
  });

  it('passes QRs on and becomes connected with phone and name on ready (a Mexican mobile as +52…, without the 1 of its id)', async () => {
    const { driver, client, of } = setup();
    await driver.start();
    client().emit('qr', '2@abc');
    client().emit('qr', '2@def');
    expect(of('qr')).toEqual([{ qr: '2@abc' }, { qr: '2@def' }]);
    expect(of('state').at(-1)?.state).toBe('qr');
    client().info = { wid: { user: '5215512345678' }, pushname: 'Tacos Don Luis' };
    client().emit('ready');
    await flush();
    expect(of('ready')).toEqual([{ phone: '+525512345678', name: 'Tacos Don Luis' }]);
    expect(of('state').at(-1)?.state).toBe('connected');
  });

  it.each([
    ['CONNECTED', 'connected'],
    ['OPENING', 'connecting'],
    ['PAIRING', 'connecting'],
    ['TIMEOUT', 'phone_offline'],
    ['CONFLICT', 'conflict'],
    ['UNPAIRED', 'logged_out'],
    ['UNPAIRED_IDLE', 'logged_out'],
    ['TOS_BLOCK', 'banned'],
    ['SMB_TOS_BLOCK', 'banned'],
    ['PROXYBLOCK', 'error'],
    ['DEPRECATED_VERSION', 'error'],
  ])('maps change_state %s to %s', async (raw, state) => {
    const { client, of } = await connected();
    client().emit('change_state', raw);
    expect(of('state').at(-1)).toMatchObject({ state, detail: raw });
  });

  it.each([
    ['LOGOUT', 'logout', 'logged_out'],
    ['UNPAIRED', 'unpaired', 'logged_out'],
    ['CONFLICT', 'conflict', 'conflict'],
    ['TOS_BLOCK', 'banned', 'banned'],
    ['SMB_TOS_BLOCK', 'banned', 'banned'],
    ['TIMEOUT', 'network', 'error'],
    ['PROXYBLOCK', 'network', 'error'],
    ['NAVIGATION', 'network', 'error'],
    ['SOMETHING_NEW', 'other', 'error'],
  ])('maps disconnected %s to reason %s and state %s', async (raw, reason, state) => {
    const { client, of } = await connected();
    client().emit('disconnected', raw);
    expect(of('disconnected').at(-1)).toEqual({ reason, raw });
    expect(of('state').at(-1)?.state).toBe(state);
  });

  it.each([
    [-1, 'error'],
    [0, 'pending'],
    [1, 'sent'],
    [2, 'delivered'],
    [3, 'read'],
    [4, 'played'],
  ])('maps message_ack %i to %s', async (ack, state) => {
    const { client, of } = await connected();
    const msg = message('5215512345678@c.us', 'hola');
    client().emit('message_ack', msg, ack);
    // The key's own id: the part that stays the same whichever chat id (phone or LID) names the message.
    expect(of('ack').at(-1)).toMatchObject({ messageId: msg.id.id, ack: state });
  });

  it('passes on replies from people, not from groups, status or itself', async () => {
    const { client, of } = await connected();
    client().emit('message', message('5215511112222@c.us', 'CANCELAR', { fromMe: false }));
    client().emit('message', message('120363@g.us', 'hola grupo', { fromMe: false }));
    client().emit('message', message('status@broadcast', 'estado', { fromMe: false }));
    client().emit('message', message('5215511112222@c.us', 'mío', { fromMe: true }));
    client().emit('message', message('123456789@lid', 'desde lid', { fromMe: false }));
    await flush();
    expect(of('incoming').map((m) => m.body)).toEqual(['CANCELAR', 'desde lid']);
  });

  it('resolves through getNumberId once and caches it; null when not on WhatsApp', async () => {
    const { driver, client } = await connected();
    client().numberIds.set('525512345678', '5215512345678@c.us');
    expect(await driver.resolve('+525512345678')).toBe('5215512345678@c.us');
    expect(await driver.resolve('+525512345678')).toBe('5215512345678@c.us');
    expect(client().getNumberIdCalls).toEqual(['525512345678']);
    expect(await driver.resolve('+525500000000')).toBeNull();
  });

  it('sends text without marking the chat as seen', async () => {
    const { driver, client } = await connected();
    const result = await driver.send('5215512345678@c.us', { text: 'Hola Ana' });
    expect(client().sent).toEqual([{ chatId: '5215512345678@c.us', content: 'Hola Ana', options: { sendSeen: false } }]);
    expect(result.messageId).toMatch(/^3EB0/);
    expect(result.chatId).toBe('5215512345678@c.us');
    expect(result.at).toBeGreaterThan(1_700_000_000_000);
  });

  it('sends media with the text as caption, voice notes as voice (text right after), documents as documents', async () => {
    const { driver, client } = await connected();
    const media = (kind: 'image' | 'voice' | 'document') => ({ path: `/m/${kind}`, mimeType: 'x/y', fileName: `${kind}.bin`, kind });
    await driver.send('a@c.us', { text: 'Mira', media: media('image') });
    const voice = await driver.send('a@c.us', { text: 'Escucha', media: media('voice') });
    await driver.send('a@c.us', { text: 'Catálogo', media: media('document') });
    expect(client().sent.map((s) => [s.content, s.options])).toEqual([
      [{ media: '/m/image', mimeType: 'x/y', fileName: 'image.bin' }, { sendSeen: false, caption: 'Mira' }],
      // WhatsApp shows no caption on a voice note: the text is its own message, and the one the outbox tracks.
      [{ media: '/m/voice', mimeType: 'x/y', fileName: 'voice.bin' }, { sendSeen: false, sendAudioAsVoice: true }],
      ['Escucha', { sendSeen: false }],
      [{ media: '/m/document', mimeType: 'x/y', fileName: 'document.bin' }, { sendSeen: false, caption: 'Catálogo', sendMediaAsDocument: true }],
    ]);
    expect(client().server.delivered.find((d) => d.id === voice.messageId)?.body).toBe('Escucha');
  });

  it('handles "No LID for user" with the LID from WhatsApp\'s contact store, as the library keeps it, and retries there', async () => {
    const { driver, client } = await connected();
    client().numberIds.set('525512345678', '5215512345678@c.us');
    expect(await driver.resolve('+525512345678')).toBe('5215512345678@c.us');
    // getNumberId answers with the same phone id (the library's existence query, Client.js getNumberId): the LID
    // is only in the contact store, which getContactLidAndPhone reads.
    client().server.lids.set('5215512345678', '98765@lid');
    let calls = 0;
    client().sendImpl = async (chatId, content) => {
      calls += 1;
      if (chatId.endsWith('@c.us')) throw pageError('Error', 'No LID for user');
      return message(chatId, String(content));
    };
    const result = await driver.send('5215512345678@c.us', { text: 'Hola' });
    expect(calls).toBe(2);
    expect(result.chatId).toBe('98765@lid'); // the outbox records the chat the message really went to
    // The next send to that contact goes straight to the LID.
    expect(await driver.resolve('+525512345678')).toBe('98765@lid');
  });

  it('without a LID from WhatsApp, the message did not go out and is retried later: never "not on WhatsApp"', async () => {
    const { driver, client } = await connected();
    client().sendImpl = async () => {
      throw pageError('Error', 'No LID for user');
    };
    const error = await driver.send('5215512345678@c.us', { text: 'Hola' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'no_lid', maybeSent: false });
    expect(error).not.toMatchObject({ code: 'not_on_whatsapp' });
  });

  it('marks other send errors as maybe-sent, so the outbox reconciles before any retry', async () => {
    const { driver, client } = await connected();
    client().sendImpl = async () => {
      throw pageError('t', 't');
    };
    const error = await driver.send('a@c.us', { text: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DriverError);
    expect(error).toMatchObject({ code: 'send_failed', maybeSent: true });
  });

  it('stops in "WhatsApp changed" when the injected functions are gone, as whatsapp-web.js users see it: two in a row, not one', async () => {
    const { driver, client, of } = await connected();
    // The failure as users report it after a WhatsApp Web change: wwebjs/whatsapp-web.js#15120, #78571
    // (puppeteer 24 gives `{ name: "TypeError", message: "e.isLid is not a function" }` from sendMessage).
    client().sendImpl = async () => {
      throw pageError('TypeError', 'e.isLid is not a function');
    };
    await expect(driver.send('a@c.us', { text: 'x' })).rejects.toMatchObject({ code: 'send_failed', maybeSent: true });
    expect(of('state').at(-1)).toMatchObject({ state: 'connected' });
    await expect(driver.send('a@c.us', { text: 'y' })).rejects.toMatchObject({ maybeSent: true });
    expect(of('state').at(-1)).toMatchObject({ state: 'wa_changed', detail: expect.stringContaining('isLid is not a function') });
    // And nothing more is sent from it.
    await expect(driver.send('a@c.us', { text: 'z' })).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('a page error of another kind, or one sign followed by a success, is not a WhatsApp change', async () => {
    const { driver, client, of } = await connected();
    let calls = 0;
    client().sendImpl = async (chatId, content) => {
      calls += 1;
      if (calls % 2 === 1) throw pageError('TypeError', "Cannot read properties of undefined (reading 'serialize')");
      return client().deliver(chatId, String(content));
    };
    for (let i = 0; i < 4; i++) await driver.send('a@c.us', { text: `m${i}` }).catch(() => undefined);
    expect(of('state').some((s) => s.state === 'wa_changed')).toBe(false);
  });

  it('does not call a number connected when the compatibility shim meets a page it does not know', async () => {
    const s = setup();
    await s.driver.start();
    s.client().pupPage = { evaluate: async () => ({ build: '2.3000.1099999999', patches: [{ name: 'msgkey-serialized', outcome: 'unknown_shape', detail: 'WAWebMsgKey not found' }] }) };
    s.client().emit('ready');
    await flush();
    expect(s.of('state').at(-1)).toMatchObject({ state: 'wa_changed', detail: 'shim: msgkey-serialized (WAWebMsgKey not found)' });
    expect(s.of('ready')).toEqual([]);
  });

  it('reports a detached frame as a crash so the session is restarted', async () => {
    const { driver, client, of } = await connected();
    client().sendImpl = async () => {
      throw new Error('Attempted to use detached Frame 3F2A.');
    };
    await expect(driver.send('a@c.us', { text: 'x' })).rejects.toMatchObject({ maybeSent: true });
    expect(of('state').at(-1)).toMatchObject({ state: 'error', error: 'crashed' });
  });

  it('a send cut by WhatsApp Web reloading itself (context destroyed, browser alive) is maybe sent and waits for ready: no crash, no findSent meanwhile', async () => {
    const { driver, client, of } = await connected();
    client().sendImpl = async () => {
      throw new Error('Execution context was destroyed, most likely because of a navigation.');
    };
    await expect(driver.send('a@c.us', { text: 'x' })).rejects.toMatchObject({ maybeSent: true });
    expect(of('state').at(-1)).toMatchObject({ state: 'connecting' });
    expect(of('state').some((s) => s.error === 'crashed')).toBe(false);
    // Asked again once WhatsApp Web is ready, not now (a reloading page cannot say): the row stays "sending".
    await expect(driver.findSent('a@c.us', { text: 'x', after: 0, sendId: 1 })).rejects.toMatchObject({ code: 'not_connected' });
  });

  it.each([['LOGOUT', 'logged_out'], ['CONFLICT', 'conflict'], ['PROXYBLOCK', 'error']])('a call in flight when the library closes its browser after %s is no crash: the number stays %s', async (raw, state) => {
    const { driver, client, of } = await connected();
    let fail: (error: Error) => void = () => undefined;
    client().sendImpl = () => new Promise((_, reject) => (fail = reject));
    const sending = driver.send('a@c.us', { text: 'x' });
    await flush();
    client().emit('disconnected', raw);
    fail(new Error('Protocol error (Runtime.callFunctionOn): Target closed'));
    await expect(sending).rejects.toBeDefined();
    expect(of('state').at(-1)).toMatchObject({ state });
    expect(of('state').some((s) => s.error === 'crashed')).toBe(false);
  });

  it('reports a browser that dies on its own as a crash, but not one we stopped', async () => {
    const crashed = await connected({ pid: 4242 });
    crashed.client().pupBrowser?.emitter.emit('disconnected');
    expect(crashed.of('state').at(-1)).toMatchObject({ state: 'error', error: 'crashed' });

    const stopped = await connected({ pid: 4243 });
    const browser = stopped.client().pupBrowser;
    await stopped.driver.stop();
    browser?.emitter.emit('disconnected');
    expect(stopped.of('state').at(-1)).toEqual({ state: 'stopped' });
  });

  it('finds a sent message in the chat by its text and time; null when absent; unknown when it cannot read', async () => {
    const { driver, client } = await connected();
    const sent = message('a@c.us', 'Hola Ana', { timestamp: 1_700_000_100 });
    client().history = [message('a@c.us', 'Hola Ana', { timestamp: 1_600_000_000 }), sent, message('a@c.us', 'Hola Ana', { fromMe: false })];
    expect(await driver.findSent('a@c.us', { text: 'Hola Ana', after: 1_700_000_099_000 })).toEqual({ messageId: sent.id.id });
    expect(await driver.findSent('a@c.us', { text: 'Hola Beto', after: 0 })).toBeNull();
    expect(await driver.findSent('a@c.us', { text: 'Hola Ana', after: 1_700_000_200_000 })).toBeNull();
    client().historyError = new Error('Evaluation failed');
    await expect(driver.findSent('a@c.us', { text: 'Hola Ana', after: 0 })).rejects.toMatchObject({ code: 'unknown' });
  });

  it('refuses to send while not connected', async () => {
    const { driver } = setup();
    await driver.start();
    await expect(driver.send('a@c.us', { text: 'x' })).rejects.toMatchObject({ code: 'not_connected' });
  });

  it('stopped while showing a QR: destroy hangs, the browser process is killed', async () => {
    const { driver, client, killed } = setup({ pid: process.pid + 100000 });
    await driver.start();
    client().emit('qr', '2@abc');
    client().destroy = () => new Promise(() => undefined);
    const alive = vi.spyOn(process, 'kill').mockImplementation(() => true);
    await driver.stop();
    alive.mockRestore();
    expect(killed).toEqual([process.pid + 100000]);
  });

  it('a start that hangs fails with timeout within its limit and destroys the client', async () => {
    let destroyed = false;
    const { driver, of } = setup({
      startTimeoutMs: 50,
      createClient: async (opts) => {
        const c = new FakeWwebClient(opts);
        c.initialize = () => new Promise(() => undefined);
        c.destroy = async () => {
          destroyed = true;
        };
        return c;
      },
    });
    const began = Date.now();
    await expect(driver.start()).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - began).toBeLessThan(2000);
    expect(destroyed).toBe(true);
    expect(of('state').at(-1)).toMatchObject({ state: 'error', error: 'timeout' });
  });

  it('maps start failures to clear codes: network, browser_failed', async () => {
    const net = setup({
      createClient: async (opts) => {
        const c = new FakeWwebClient(opts);
        c.initialize = async () => {
          throw new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/');
        };
        return c;
      },
    });
    await expect(net.driver.start()).rejects.toMatchObject({ code: 'network' });
    expect(net.of('state').at(-1)).toMatchObject({ state: 'error', error: 'network' });

    const launch = setup({
      createClient: async (opts) => {
        const c = new FakeWwebClient(opts);
        c.initialize = async () => {
          throw new Error('Failed to launch the browser process! spawn /opt/chrome ENOENT');
        };
        return c;
      },
    });
    await expect(launch.driver.start()).rejects.toMatchObject({ code: 'browser_failed' });

    const classify = (await import('../../../electron/whatsapp/wwebjs-mapping')).classifyStartError;
    expect(classify(new Error('net::ERR_TIMED_OUT at https://web.whatsapp.com/'))).toBe('network');
    expect(classify(new Error('getaddrinfo EAI_AGAIN web.whatsapp.com'))).toBe('network');
    expect(classify(new Error('The browser is already running for /data/sessions/session-n_1. Use a different `userDataDir` or stop the running browser first.'))).toBe('browser_failed');
  });

  it('logout logs out of WhatsApp and deletes the LocalAuth session folder', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const sessionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wz-sess-'));
    fs.mkdirSync(path.join(sessionsDir, 'session-n_abc123', 'Default'), { recursive: true });
    const { driver, client, of } = await connected({ sessionsDir });
    let loggedOut = false;
    client().logout = async () => {
      loggedOut = true;
    };
    await driver.logout();
    expect(loggedOut).toBe(true);
    expect(fs.existsSync(path.join(sessionsDir, 'session-n_abc123'))).toBe(false);
    expect(of('state').at(-1)).toEqual({ state: 'logged_out' });
    fs.rmSync(sessionsDir, { recursive: true, force: true });
  });
});
