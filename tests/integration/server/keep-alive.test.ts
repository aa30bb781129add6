import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/contacts-app';
import { SERVER_TIMEOUTS } from '../../../electron/server/http-server';
import { campaignFixture, contactsCsv } from '../../helpers/campaign-fixture';
import { settle } from '../../helpers/clock';

/**
 * The spurious "Algo salió mal" of #30: Node counts a new connection's headers timeout from the connect, and the
 * server answered a spare connection that had sent nothing with a 400. Chromium keeps an unused spare 10 s (and its
 * pool sweeps it up to 10 s later: net/socket/client_socket_pool.cc), so it could write a command into the socket as
 * the 400 arrived: it read the 400 as the answer while the command ran behind it.
 */

let t: TestApp;
afterEach(async () => t.close());

type Raw = { socket: net.Socket; received(): string; closedAt(): number | null };

function rawConnection(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let closedAt: number | null = null;
    socket.on('data', (d: Buffer) => (received += d.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => (closedAt = Date.now()));
    socket.once('connect', () => resolve({ socket, received: () => received, closedAt: () => closedAt }));
    socket.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function command(t: TestApp, name: string, body: unknown, requestId?: string): string {
  const json = JSON.stringify(body);
  return [
    `POST /api/${name} HTTP/1.1`,
    `Host: 127.0.0.1:${t.server.port}`,
    `Authorization: Bearer ${t.server.token}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(json)}`,
    ...(requestId ? [`X-Request-Id: ${requestId}`] : []),
    '',
    json,
  ].join('\r\n');
}

describe('keep-alive connections as Chromium uses them', () => {
  it('a spare connection idle past Chromium\'s sweep gets no unsolicited answer; a command written into it then is answered once', async () => {
    t = await startTestApp();
    expect(SERVER_TIMEOUTS.headersTimeout).toBeGreaterThan(20_000); // Chromium's unused spare lives at most 10 + 10 s
    const spare = await rawConnection(t.server.port);
    const unused = await rawConnection(t.server.port);
    const stalled = await rawConnection(t.server.port);
    stalled.socket.write(`POST /api/lists.create HTTP/1.1\r\nHost: 127.0.0.1:${t.server.port}\r\n`); // headers begun, never finished
    const opened = Date.now();

    // Past the old 10 s timeout and its 2 s check, inside Chromium's sweep window: the spare still holds nothing.
    await sleep(13_000);
    expect(spare.received()).toBe('');
    expect(spare.closedAt()).toBeNull();
    spare.socket.write(command(t, 'lists.create', { name: 'Escrita en la conexión de repuesto' }));
    await sleep(500);
    expect(spare.received()).toMatch(/^HTTP\/1\.1 200 /);

    // A request whose headers never finish is answered 408 and closed before 30 s; what it writes after never runs.
    const deadline = opened + SERVER_TIMEOUTS.headersTimeout + 2 * SERVER_TIMEOUTS.connectionsCheckingInterval + 1000;
    while (stalled.closedAt() === null && Date.now() < deadline) await sleep(200);
    expect(stalled.closedAt()).not.toBeNull();
    expect((stalled.closedAt() ?? 0) - opened).toBeLessThan(30_000);
    expect(stalled.received()).toMatch(/^HTTP\/1\.1 408 /);
    // A spare that never sends a byte is closed at the timeout without a word a browser could take for an answer.
    expect(unused.closedAt()).not.toBeNull();
    expect(unused.received()).toBe('');
    const lists = await t.call<{ name: string }[]>('lists.list');
    expect(lists.map((l) => l.name)).toEqual(['Escrita en la conexión de repuesto']);
  }, 40_000);
});

describe('an idle keep-alive connection', () => {
  it('outlives a client that keeps its own 5 s or more: the next request reuses it instead of racing the server\'s close', async () => {
    t = await startTestApp();
    const agent = new http.Agent({ keepAlive: true, timeout: 20_000 });
    const send = () =>
      new Promise<boolean>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: t.server.port, method: 'POST', path: '/api/app.info', agent, headers: { Authorization: `Bearer ${t.server.token}`, 'Content-Type': 'application/json' } }, (res) => {
          res.resume();
          res.on('end', () => resolve(req.reusedSocket));
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await send()).toBe(false);
    await sleep(6000); // past Node's default 5 s, where the server used to close as the client wrote
    expect(await send()).toBe(true);
    agent.destroy();
  }, 20_000);
});

describe('a request id sent again', () => {
  /** The UI's call with its request id, as the web transport sends it. */
  const caller = (app: TestApp) => async (name: string, input: unknown, requestId: string) => {
    const reply = await fetch(`http://127.0.0.1:${app.server.port}/api/${name}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${app.server.token}`, 'Content-Type': 'application/json', 'X-Request-Id': requestId },
      body: JSON.stringify(input),
    });
    return (await reply.json()) as { ok: boolean; value?: Record<string, unknown>; error?: { code: string } };
  };
  /** The same id twice at once (a retry while the first still runs) and once more after: one answer, three times. */
  const thrice = async (call: ReturnType<typeof caller>, name: string, input: unknown, id: string) => {
    const [a, b] = await Promise.all([call(name, input, id), call(name, input, id)]);
    const c = await call(name, input, id);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a.ok).toBe(true);
    return a.value ?? {};
  };

  it('an import, a campaign saved, launched, paused and resumed each run once', async () => {
    const f = await campaignFixture({ contacts: 30, numbers: 1 });
    t = f.t;
    const call = caller(t);
    const uploadId = await t.upload(contactsCsv(12));
    const imported = new Promise<void>((resolve) => t.app.bus.subscribe((e) => e.event === 'contacts.importFinished' && resolve()));
    const input = { uploadId, sheet: null, headerRow: 1, phoneColumn: 1, nameColumn: 0, fieldColumns: [], defaultCountry: 'MX', list: { name: 'Segunda' }, consent: { source: 'customers', agreed: true } };
    await thrice(call, 'contacts.import', input, 'req-import-0001');
    await imported;
    expect((await t.call<{ name: string }[]>('lists.list')).filter((l) => l.name === 'Segunda')).toHaveLength(1);
    expect(await t.call('contacts.importHistory')).toHaveLength(2); // the fixture's and this one

    const draft = await thrice(call, 'campaigns.create', f.input({ name: 'Una vez' }), 'req-create-0001');
    expect((await t.call<{ name: string }[]>('campaigns.list')).filter((c) => c.name === 'Una vez')).toHaveLength(1);
    await settle(f.clock, thrice(call, 'campaigns.launch', { id: draft.id }, 'req-launch-0001'));
    const sends = () => t.app.db.prepare('SELECT COUNT(*) FROM sends WHERE campaign_id = ?').pluck().get(draft.id);
    expect(sends()).toBe(30);
    await thrice(call, 'campaigns.pause', { id: draft.id }, 'req-pause-0001');
    expect((await thrice(call, 'campaigns.resume', { id: draft.id }, 'req-resume-0001')).state).toBe('running');
    expect(sends()).toBe(30);
  });

  it('another command under a used id is refused; a refusal is not kept, so the id may run once the cause is gone', async () => {
    t = await startTestApp();
    const call = caller(t);
    await thrice(call, 'lists.create', { name: 'Una sola vez' }, 'req-list-0001');
    expect(await call('lists.create', { name: 'Otra' }, 'req-list-0001')).toMatchObject({ ok: false, error: { code: 'request_reused' } });
    expect((await t.call<unknown[]>('lists.list')).length).toBe(1);
    const taken = await t.call<{ id: number }>('lists.create', { name: 'Ocupado' });
    expect(await call('lists.create', { name: 'Ocupado' }, 'req-list-0002')).toMatchObject({ ok: false, error: { code: 'list_exists' } });
    await t.call('lists.rename', { id: taken.id, name: 'Renombrada' });
    expect(await call('lists.create', { name: 'Ocupado' }, 'req-list-0002')).toMatchObject({ ok: true });
    expect((await t.call<unknown[]>('lists.list')).length).toBe(3);
  });

  it('a data-changing answer outlives a restart of the app: the retry after it is answered, not run', async () => {
    t = await startTestApp();
    const dataDir = t.dataDir;
    const first = await caller(t)('lists.create', { name: 'Antes del cierre' }, 'req-restart-0001');
    await t.close();
    t = await startTestApp({}, dataDir);
    expect(await caller(t)('lists.create', { name: 'Antes del cierre' }, 'req-restart-0001')).toEqual(first);
    expect((await t.call<unknown[]>('lists.list')).length).toBe(1);
  });
});
