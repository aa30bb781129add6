import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WEB_ACCESS_FILE, loadWebAccess, saveWebAccess } from '../../../electron/server/web-access';
import { startWebApp, type WebApp } from '../../e2e/support/web-app';
import { request } from '../../helpers/http';
import { tempDir } from '../../helpers/temp-dir';

let running: WebApp[] = [];
afterEach(async () => {
  await Promise.all(running.map((web) => web.stop()));
  running = [];
});

async function start(dataDir: string, args: string[]): Promise<WebApp> {
  const web = await startWebApp(dataDir, args);
  running.push(web);
  return web;
}

async function stop(web: WebApp): Promise<void> {
  await web.stop();
  running = running.filter((w) => w !== web);
}

/** A port nothing listens on now (taken and given back by the OS). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Follows the printed link once, as the browser does, and returns the cookie it sets. */
async function signIn(web: WebApp): Promise<string> {
  const link = new URL(web.url);
  const reply = await request(web.port, { path: `/${link.search}` });
  expect(reply.status).toBe(302);
  const cookie = String(reply.headers['set-cookie']);
  expect(cookie).toMatch(/Max-Age=34560000/);
  return cookie.split(';')[0] ?? '';
}

const page = (web: WebApp, cookie: string) => request(web.port, { path: '/', headers: { Cookie: cookie } });
/** The cookie opens the app: its API answers (the UI files may not be built in this phase of the tests). */
const admitted = async (web: WebApp, cookie: string) => (await request(web.port, { method: 'POST', path: '/api/app.info', headers: { Cookie: cookie }, body: '{}' })).status === 200;
const token = (web: WebApp) => new URL(web.url).searchParams.get('token');

describe('web mode keeps its address from one run to the next', () => {
  it('stores the token and port owner-only; renews on request or when the file is unreadable', () => {
    const dir = tempDir();
    const first = loadWebAccess(dir);
    expect(first.port).toBe(47_800);
    saveWebAccess(dir, { ...first, port: 51_234 });
    const file = path.join(dir, WEB_ACCESS_FILE);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadWebAccess(dir)).toEqual({ token: first.token, port: 51_234 });
    expect(loadWebAccess(dir, true).token).not.toBe(first.token);
    fs.chmodSync(file, 0o644);
    saveWebAccess(dir, { token: first.token, port: 51_234 });
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.writeFileSync(file, '{"token": "short", "port": 1}');
    expect(loadWebAccess(dir).token).toMatch(/^[\w-]{32}$/);
  });

  it('after a restart the same link and the same cookie work; --new-token turns them into a page in words, not JSON', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    let web = await start(dataDir, ['--port', String(port)]);
    const link = web.url;
    const cookie = await signIn(web);
    expect(await admitted(web, cookie)).toBe(true);
    await stop(web);

    web = await start(dataDir, ['--port', String(port)]);
    expect(web.url).toBe(link);
    expect(web.output()).toContain('guárdala en tus favoritos');
    expect(await admitted(web, cookie)).toBe(true);
    expect((await page(web, cookie)).status).not.toBe(401);
    await stop(web);

    web = await start(dataDir, ['--port', String(port), '--new-token']);
    expect(token(web)).not.toBe(new URL(link).searchParams.get('token'));
    for (const reply of [await page(web, cookie), await request(web.port, { path: new URL(link).pathname + new URL(link).search })]) {
      expect(reply.status).toBe(401);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
      expect(reply.body).toContain('Esta pestaña no tiene acceso a WhatzMe');
      expect(reply.body).toContain('This tab has no access to WhatzMe');
      expect(reply.body).not.toContain('"unauthorized"');
      expect(reply.body).not.toContain('<script');
    }
    // The API still answers scripts in JSON.
    const api = await request(web.port, { method: 'POST', path: '/api/app.info', headers: { Cookie: cookie }, body: '{}' });
    expect(api.status).toBe(401);
    expect(api.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  }, 90_000);

  it('started without --port it takes the port it kept; if another program holds it, any free one, and says so', async () => {
    const dataDir = tempDir();
    const kept = await freePort();
    const { token: keptToken } = loadWebAccess(dataDir);
    saveWebAccess(dataDir, { token: keptToken, port: kept });
    let web = await start(dataDir, ['--kept-port']);
    expect(web.port).toBe(kept);
    expect(token(web)).toBe(keptToken);
    await stop(web);

    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(kept, '127.0.0.1', resolve));
    try {
      web = await start(dataDir, ['--kept-port']);
      expect(web.port).not.toBe(kept);
      expect(web.output()).toContain(`El puerto ${kept} está ocupado por otro programa`);
      expect(token(web)).toBe(keptToken);
      // The kept port stays the one to try next time.
      expect(loadWebAccess(dataDir).port).toBe(kept);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 90_000);
});
