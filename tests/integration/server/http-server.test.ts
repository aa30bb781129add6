import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp, type App } from '../../../electron/app/create-app';
import { API_BODY_LIMIT, startServer, type RunningServer } from '../../../electron/server';
import { request } from '../../helpers/http';
import { tempDir } from '../../helpers/temp-dir';

let app: App;
let server: RunningServer;
let auth: Record<string, string>;
let rendererDir: string;

beforeEach(async () => {
  const dataDir = tempDir();
  rendererDir = path.join(dataDir, 'ui');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>ui</title>');
  fs.writeFileSync(path.join(dataDir, 'secret.txt'), 'do not serve');
  app = await createApp({ dataDir, version: '9.9.9', mode: 'web' });
  server = await startServer({ dispatcher: app.dispatcher, bus: app.bus, logger: app.logger, rendererDir });
  auth = { Authorization: `Bearer ${server.token}`, 'Content-Type': 'application/json' };
});

afterEach(async () => {
  await server.close();
  await app.close();
});

const post = (command: string, body: unknown, headers: Record<string, string> = auth) =>
  request(server.port, { method: 'POST', path: `/api/${command}`, headers, body: JSON.stringify(body) });

describe('web-mode HTTP server', () => {
  it('listens on 127.0.0.1 only and prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers a valid call with the envelope', async () => {
    const reply = await post('app.info', {});
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ ok: true, value: { version: '9.9.9', mode: 'web' } });
  });

  it('refuses a request without the token with 401', async () => {
    const reply = await post('app.info', {}, { 'Content-Type': 'application/json' });
    expect(reply.status).toBe(401);
    expect(reply.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a wrong token with 401, also through the X-WhatzMe-Token header', async () => {
    expect((await post('app.info', {}, { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await post('app.info', {}, { 'X-WhatzMe-Token': `${server.token}x` })).status).toBe(401);
    expect((await post('app.info', {}, { 'X-WhatzMe-Token': server.token })).status).toBe(200);
  });

  it('refuses a foreign Origin with 403 even with the token', async () => {
    const reply = await post('app.info', {}, { ...auth, Origin: 'https://evil.example' });
    expect(reply.status).toBe(403);
    expect(reply.json()).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await post('app.info', {}, { ...auth, Origin: `http://localhost:${server.port}` })).status).toBe(200);
    expect((await post('app.info', {}, { ...auth, Origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
  });

  it('refuses a foreign Host (DNS rebinding) with 403', async () => {
    const reply = await post('app.info', {}, { ...auth, Host: `attacker.example:${server.port}` });
    expect(reply.status).toBe(403);
  });

  it('refuses a body over the limit with 413 and writes nothing', async () => {
    const big = JSON.stringify({ language: 'en', pad: 'x'.repeat(API_BODY_LIMIT) });
    const reply = await request(server.port, { method: 'POST', path: '/api/settings.update', headers: auth, body: big });
    expect(reply.status).toBe(413);
    expect(reply.json()).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    expect(app.settings.get().language).toBe('es');
  });

  it('answers an invalid input with 400 naming the field', async () => {
    const reply = await post('settings.update', { language: 'klingon' });
    expect(reply.status).toBe(400);
    expect(reply.json()).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'language' } });
  });

  it('answers malformed JSON with 400', async () => {
    const reply = await request(server.port, { method: 'POST', path: '/api/settings.update', headers: auth, body: '{nope' });
    expect(reply.status).toBe(400);
  });

  it('answers an unknown command with 404', async () => {
    expect((await post('no.such', {})).status).toBe(404);
  });

  it('turns the printed link into a same-site HttpOnly cookie and drops the token from the address', async () => {
    const reply = await request(server.port, { path: `/?token=${server.token}` });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('/');
    const cookie = String(reply.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0] ?? '';
    const page = await request(server.port, { path: '/', headers: { Cookie: session } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).toContain('<title>ui</title>');
    expect((await request(server.port, { path: '/?token=wrong' })).status).toBe(401);
  });

  it('sends the UI files compressed when the browser takes it, and plain when it does not', async () => {
    const script = `console.log(${JSON.stringify('WhatzMe '.repeat(5000))});`;
    const dir = path.join(rendererDir, 'assets');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'app.js'), script);
    const get = (encoding: string) => fetch(`http://127.0.0.1:${server.port}/assets/app.js`, { headers: { ...auth, 'Accept-Encoding': encoding } });
    for (const [accepted, used] of [['gzip, deflate, br, zstd', 'br'], ['gzip', 'gzip'], ['identity', null]] as const) {
      const reply = await get(accepted);
      expect(reply.headers.get('content-encoding'), accepted).toBe(used);
      expect(reply.headers.get('vary')).toBe('Accept-Encoding');
      expect(await reply.text(), accepted).toBe(script);
      if (used) expect(Number(reply.headers.get('content-length'))).toBeLessThan(script.length / 10);
    }
  });

  it('needs the token for the UI files too, and never serves outside its folder', async () => {
    expect((await request(server.port, { path: '/' })).status).toBe(401);
    // Outside the folder: the UI (the router handles the path), never the file, and never an error page.
    for (const escaped of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2Fsecret.txt']) {
      const reply = await request(server.port, { path: escaped, headers: auth });
      expect(reply.status, escaped).toBe(200);
      expect(reply.headers['content-type'], escaped).toBe('text/html; charset=utf-8');
      expect(reply.body, escaped).toBe('<!doctype html><title>ui</title>');
    }
  });
});

describe('web-mode event socket', () => {
  const open = (headers: Record<string, string> = {}) =>
    new WebSocket(`ws://127.0.0.1:${server.port}/api/events`, { headers });

  const firstMessage = (ws: WebSocket) =>
    new Promise<unknown>((resolve, reject) => {
      ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString())));
      ws.once('close', (code: number) => reject(new Error(`closed ${code}`)));
      ws.once('error', reject);
    });

  it('pushes events to a client authenticated by header', async () => {
    const ws = open({ Authorization: `Bearer ${server.token}` });
    expect(await firstMessage(ws)).toEqual({ type: 'ready' });
    const next = firstMessage(ws);
    await post('settings.update', { language: 'en' });
    expect(await next).toMatchObject({ event: 'settings.changed', payload: { language: 'en' } });
    ws.close();
  });

  it('accepts the token as the first message', async () => {
    const ws = open();
    await new Promise((resolve) => ws.once('open', resolve));
    const ready = firstMessage(ws);
    ws.send(JSON.stringify({ token: server.token }));
    expect(await ready).toEqual({ type: 'ready' });
    ws.close();
  });

  it('closes a socket whose first message has the wrong token', async () => {
    const ws = open();
    await new Promise((resolve) => ws.once('open', resolve));
    const closed = new Promise<number>((resolve) => ws.once('close', resolve));
    ws.send(JSON.stringify({ token: 'guess' }));
    expect(await closed).toBe(4401);
  });

  it('closes at once a socket that came with another run\'s token (a tab of before --new-token), not after the wait for a first message', async () => {
    const ws = open({ Authorization: 'Bearer an-old-token' });
    const started = Date.now();
    const closed = await new Promise<number>((resolve) => ws.once('close', resolve));
    expect(closed).toBe(4401);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('refuses the upgrade from a foreign Origin', async () => {
    const ws = open({ Authorization: `Bearer ${server.token}`, Origin: 'https://evil.example' });
    const status = await new Promise<number | undefined>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.once('error', () => resolve(undefined));
    });
    expect(status).toBe(403);
  });
});
