import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import { silentLogger } from '../../../electron/core/logger';
import { WwebDriver } from '../../../electron/whatsapp';
import { isAlive } from '../../../electron/whatsapp/wweb/process-tree';
import { liveLockHolder, profileProcesses } from '../../../electron/whatsapp/wweb/orphans';
import { tempDir } from '../../helpers/temp-dir';

/**
 * #29 item 7: kill -9 of the app while a number connects leaves its Chromium running on the number's profile, and
 * the next start removed that live browser's SingletonLock and ran a second Chromium on the same session. Here the
 * orphan is Debian's Chromium started as puppeteer starts it (its own process group, the profile as
 * --user-data-dir), with WhatsApp Web unreachable, as everywhere on this machine.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** A browser left running on `profile`, detached as a killed app leaves it, once it holds its profile lock. */
async function orphanBrowser(profile: string): Promise<number> {
  fs.mkdirSync(profile, { recursive: true });
  const child = spawn(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', `--user-data-dir=${profile}`, 'about:blank'],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  started.push(child);
  for (let i = 0; i < 200 && liveLockHolder(profile) === undefined; i++) await new Promise((r) => setTimeout(r, 50));
  expect(liveLockHolder(profile), 'the orphan holds its profile lock').toBeDefined();
  return child.pid!;
}

describe('browsers left behind by a killed app', () => {
  it('are ended by the next start of that number, before any lock is touched; a browser on another profile is left alone', async () => {
    expect(fs.existsSync(CHROMIUM), `Debian's Chromium at ${CHROMIUM}`).toBe(true);
    const dataDir = tempDir();
    const sessions = path.join(dataDir, 'sessions');
    const profile = path.join(sessions, 'session-n_orphan1');
    const orphan = await orphanBrowser(profile);
    const other = await orphanBrowser(path.join(tempDir(), 'otro-perfil'));
    const orphanTree = profileProcesses(profile).map((p) => p.pid);
    expect(orphanTree.length).toBeGreaterThan(1); // the browser and its helpers

    const driver = new WwebDriver({
      numberId: 'n_orphan1',
      sessionsDir: sessions,
      cacheDir: path.join(dataDir, 'wwebjs-cache'),
      clock: systemClock,
      logger: silentLogger(),
      browserPath: () => CHROMIUM,
      startTimeoutMs: 30_000,
      stopTimeoutMs: 3_000,
      extraBrowserArgs: ['--host-resolver-rules=MAP web.whatsapp.com 127.0.0.1:1, MAP *.whatsapp.net 127.0.0.1:1'],
    });
    // Its own start fails (WhatsApp Web is unreachable here); what matters is what it did to the orphan first.
    await driver.start().catch(() => undefined);
    await driver.stop();
    expect(orphanTree.filter((pid) => profileProcesses(profile).some((p) => p.pid === pid))).toEqual([]);
    expect(isAlive(orphan) && profileProcesses(profile).some((p) => p.pid === orphan)).toBe(false);
    for (let i = 0; i < 60 && profileProcesses(profile).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(profileProcesses(profile)).toEqual([]);
    expect(isAlive(other)).toBe(true);
  }, 60_000);
});
