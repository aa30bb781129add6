import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../electron/core/clock';
import { silentLogger } from '../../../electron/core/logger';
import { WwebDriver, type DriverEvents } from '../../../electron/whatsapp';
import { processesMentioning } from '../../helpers/processes';
import { tempDir } from '../../helpers/temp-dir';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('the real whatsapp-web.js driver on this offline machine', () => {
  it(
    'fails to start within a bounded time with a clear error and leaves no browser process',
    async () => {
      expect(fs.existsSync(CHROMIUM), `Debian's Chromium at ${CHROMIUM}`).toBe(true);
      const dataDir = tempDir();
      const driver = new WwebDriver({
        numberId: 'n_offline1',
        sessionsDir: path.join(dataDir, 'sessions'),
        cacheDir: path.join(dataDir, 'wwebjs-cache'),
        clock: systemClock,
        logger: silentLogger(),
        browserPath: () => CHROMIUM,
        startTimeoutMs: 45_000,
      });
      const states: DriverEvents['state'][] = [];
      driver.on('state', (s) => states.push(s));
      const began = Date.now();
      const error = await driver.start().catch((e: unknown) => e);
      const took = Date.now() - began;

      expect(error).toMatchObject({ code: expect.stringMatching(/^(network|timeout)$/) });
      expect(took).toBeLessThan(50_000);
      expect(states.at(-1)).toMatchObject({ state: 'error' });
      // The browser ran with the session folder as its profile: nothing may still run with it.
      await new Promise((r) => setTimeout(r, 500));
      expect(processesMentioning(path.join(dataDir, 'sessions'))).toEqual([]);
      // Nothing leaks into the working directory.
      expect(fs.existsSync(path.join(process.cwd(), '.wwebjs_auth'))).toBe(false);
      expect(fs.existsSync(path.join(process.cwd(), '.wwebjs_cache'))).toBe(false);
      await driver.stop();
    },
    60_000,
  );
});
