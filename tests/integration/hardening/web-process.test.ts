import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApp, type WebApp } from '../../e2e/support/web-app';
import { request } from '../../helpers/http';
import { SERVER_TIMEOUTS } from '../../../electron/server/http-server';
import { REPO_ROOT } from '../../helpers/paths';
import { WEB_ENTRY } from '../../helpers/web-bundle';
import { suiteTempDir } from '../../helpers/temp-dir';

let web: WebApp;
let dataDir: string;
let token: string;

beforeAll(async () => {
  dataDir = suiteTempDir();
  web = await startWebApp(dataDir);
  token = new URL(web.url).searchParams.get('token') ?? '';
}, 60_000);
afterAll(() => web.stop());

const host = () => `127.0.0.1:${web.port}`;
const info = (headers: Record<string, string> = { Authorization: `Bearer ${token}` }) =>
  request(web.port, { method: 'POST', path: '/api/app.info', headers: { Host: host(), 'Content-Type': 'application/json', ...headers }, body: '{}' });

/** Opens /api/events without any token and resolves once the server has answered 101. */
function upgradedSocket(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(web.port, '127.0.0.1');
    socket.once('error', reject);
    socket.once('connect', () => {
      const key = crypto.randomBytes(16).toString('base64');
      socket.write(`GET /api/events HTTP/1.1\r\nHost: ${host()}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.once('data', (chunk: Buffer) => (chunk.toString().startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(chunk.toString()))));
  });
}

/** One WebSocket frame as RFC 6455 §5.2 lays it out; `masked: false` is what a client must never send. */
function frame(opcode: number, payload: Buffer, masked = true): Buffer {
  const length = payload.length;
  const head = length < 126 ? Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | length]) : Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | 126, length >> 8, length & 0xff]);
  if (!masked) return Buffer.concat([head, payload]);
  const mask = crypto.randomBytes(4);
  return Buffer.concat([head, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]);
}

const closed = (socket: net.Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

describe('web mode survives what any local client can send (hardening items 2 and 9)', () => {
  const badFrames: [string, Buffer][] = [
    ['a text frame over maxPayload', frame(0x1, Buffer.alloc(5000, 0x61))],
    ['invalid UTF-8', frame(0x1, Buffer.from([0xc3, 0x28, 0xff]))],
    ['a reserved opcode (3)', frame(0x3, Buffer.from('x'))],
    ['an unmasked frame', frame(0x1, Buffer.from('{"token":"x"}'), false)],
  ];
  for (const [what, bytes] of badFrames) {
    it(`a WebSocket frame with ${what}, without a token, closes that socket and nothing else`, async () => {
      const socket = await upgradedSocket();
      socket.on('error', () => undefined);
      socket.write(bytes);
      await closed(socket);
      expect(web.process.exitCode).toBeNull();
      expect((await info()).status).toBe(200);
    });
  }

  it('answers a malformed % escape in a static path with 400, not 500', async () => {
    const reply = await request(web.port, { path: '/%E0%A4%A', headers: { Host: host(), Authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(400);
    expect((await info()).status).toBe(200);
  });

  it('takes the Bearer scheme in any case', async () => {
    expect((await info({ Authorization: `bearer ${token}` })).status).toBe(200);
    expect((await info({ Authorization: `BEARER  ${token}` })).status).toBe(200);
    expect((await info({ Authorization: `bearer ${token}x` })).status).toBe(401);
  });

  it('never writes the token to its log, even from a URL that carries it', async () => {
    await request(web.port, { method: 'HEAD', path: `/?token=${token}`, headers: { Host: host() } });
    await request(web.port, { path: `/%E0%A4%A?token=${token}`, headers: { Host: host() } });
    await request(web.port, { path: `/api/app.info?token=${token}`, headers: { Host: host(), Authorization: `Bearer ${token}` } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = fs.readFileSync(path.join(dataDir, 'logs', 'whatzme.log'), 'utf8');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(token);
  });

  it('closes a socket whose headers never finish within seconds, not minutes', async () => {
    const socket = net.connect(web.port, '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = Date.now();
    socket.write(`GET / HTTP/1.1\r\nHost: ${host()}\r\n`);
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 1000);
    socket.resume(); // read the server's answer, or its end is never seen
    await closed(socket);
    clearInterval(drip);
    // Under 30 s, past the 20 s Chromium may keep a spare connection (see SERVER_TIMEOUTS).
    expect(Date.now() - started).toBeLessThan(SERVER_TIMEOUTS.headersTimeout + 2 * SERVER_TIMEOUTS.connectionsCheckingInterval + 1000);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect((await info()).status).toBe(200);
  }, 40_000);
});

describe('the demo flags of `npm run web`', () => {
  it.each([['--demo-reply-rate', '1.5'], ['--demo-failure-rate', '-0.1'], ['--demo-failure-rate', 'mucho']])('refuses %s %s in both languages, before the data folder is made', (flag, value) => {
    const dir = path.join(suiteTempDir(), 'never-made');
    const run = spawnSync(process.execPath, [WEB_ENTRY, '--no-open', '--data-dir', dir, '--demo', `${flag}=${value}`], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${flag} va de 0 a 1`);
    expect(run.stderr).toContain(`${flag} goes from 0 to 1`);
    expect(fs.existsSync(dir)).toBe(false);
  }, 40_000);
});
