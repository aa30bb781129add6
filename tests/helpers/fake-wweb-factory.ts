import path from 'node:path';
import type { Clock } from '../../electron/core/clock';
import { silentLogger } from '../../electron/core/logger';
import { WwebDriver, type DriverFactory, type WwebClient, type WwebClientOptions } from '../../electron/whatsapp';
import { tempDir } from './temp-dir';

/** The app's numbers on the real WwebDriver over fake whatsapp-web.js clients: no browser is ever started. */
export function wwebOnFakes(clock: Clock, createClient: (opts: WwebClientOptions, numberId: string) => Promise<WwebClient>): DriverFactory {
  return ({ numberId, sessionDir }) =>
    new WwebDriver({
      numberId,
      sessionsDir: path.dirname(sessionDir),
      cacheDir: tempDir(),
      clock,
      logger: silentLogger(),
      browserPath: () => '/usr/bin/chromium',
      killProcess: () => undefined,
      createClient: (opts) => createClient(opts, numberId),
    });
}
