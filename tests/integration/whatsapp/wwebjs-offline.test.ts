import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import { silentLogger } from '../../../electron/core/logger';
import { WwebDriver, type DriverEvents } from '../../../electron/whatsapp';
import { processesMentioning } from '../../helpers/processes';
import { tempDir } from '../../helpers/temp-dir';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const servers: net.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A local server where WhatsApp Web should be: one that accepts and never answers (a network that hangs). */
async function hangingServer(): Promise<number> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => sockets.push(socket));
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

/** The real driver in Debian's Chromium, with web.whatsapp.com mapped to a local address: no test depends on the network. */
function realDriver(target: string, over: { startTimeoutMs?: number } = {}) {
  const dataDir = tempDir();
  const driver = new WwebDriver({
    numberId: 'n_offline1',
    sessionsDir: path.join(dataDir, 'sessions'),
    cacheDir: path.join(dataDir, 'wwebjs-cache'),
    clock: systemClock,
    logger: silentLogger(),
    browserPath: () => CHROMIUM,
    startTimeoutMs: over.startTimeoutMs ?? 45_000,
    stopTimeoutMs: 3_000,
    extraBrowserArgs: [`--host-resolver-rules=MAP web.whatsapp.com ${target}, MAP *.whatsapp.net ${target}`],
  });
  const states: DriverEvents['state'][] = [];
  driver.on('state', (s) => states.push(s));
  const sessions = path.join(dataDir, 'sessions');
  const browsers = () => processesMentioning(sessions);
  return { driver, states, dataDir, browsers };
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('the real whatsapp-web.js driver in Chromium, WhatsApp Web unreachable', () => {
  it('a refused connection: a clear network error fast, and no browser process left', async () => {
    expect(fs.existsSync(CHROMIUM), `Debian's Chromium at ${CHROMIUM}`).toBe(true);
    const { driver, states, browsers } = realDriver('127.0.0.1:1');
    const began = Date.now();
    const error = await driver.start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network' });
    expect(Date.now() - began).toBeLessThan(30_000);
    expect(states.at(-1)).toMatchObject({ state: 'error', error: 'network' });
    expect(await until(() => browsers().length === 0, 3000)).toBe(true);
    // Nothing leaks into the working directory.
    expect(fs.existsSync(path.join(process.cwd(), '.wwebjs_auth'))).toBe(false);
    expect(fs.existsSync(path.join(process.cwd(), '.wwebjs_cache'))).toBe(false);
    await driver.stop();
  }, 60_000);

  it('a network that hangs: the start gives up within its limit (timeout), and no browser process is left', async () => {
    const port = await hangingServer();
    const { driver, states, browsers } = realDriver(`127.0.0.1:${port}`, { startTimeoutMs: 6_000 });
    const began = Date.now();
    const error = await driver.start().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'timeout' });
    expect(Date.now() - began).toBeLessThan(20_000);
    expect(states.at(-1)).toMatchObject({ state: 'error', error: 'timeout' });
    expect(await until(() => browsers().length === 0, 3000)).toBe(true);
  }, 60_000);

  it('stopped while it hangs, and after its browser was killed: nothing survives either', async () => {
    const port = await hangingServer();
    const stopped = realDriver(`127.0.0.1:${port}`);
    const starting = stopped.driver.start().catch((e: unknown) => e);
    expect(await until(() => stopped.browsers().length > 0, 15_000)).toBe(true);
    await stopped.driver.stop();
    expect(await until(() => stopped.browsers().length === 0, 5000)).toBe(true);
    expect(stopped.states.at(-1)).toEqual({ state: 'stopped' });
    await starting;

    const crashed = realDriver(`127.0.0.1:${port}`);
    const start = crashed.driver.start().catch((e: unknown) => e);
    expect(await until(() => crashed.browsers().length > 0, 15_000)).toBe(true);
    // The browser's main process dies (a crash, or the user ending it): its children must not linger.
    const main = crashed.browsers().map((line) => Number(line.trim().split(/\s+/)[0])).sort((a, b) => a - b)[0]!;
    process.kill(main, 'SIGKILL');
    await crashed.driver.stop();
    expect(await until(() => crashed.browsers().length === 0, 5000)).toBe(true);
    await start;
  }, 90_000);
});
