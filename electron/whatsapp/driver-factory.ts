import path from 'node:path';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { SettingsStore } from '../settings';
import type { DriverFactory } from './sessions';
import { SimulatedDriver } from './simulator';
import type { SimWorld } from './sim-world';
import { findBrowser } from './browser-finder';
import { WwebDriver } from './wwebjs';

/** Demo numbers run on the simulator; real ones on whatsapp-web.js in a browser found on the machine. */
export function defaultDriverFactory(deps: {
  dataDir: string;
  world: SimWorld;
  clock: Clock;
  logger: Logger;
  settings: SettingsStore;
}): DriverFactory {
  return ({ numberId, kind, sessionDir, visible }) =>
    kind === 'demo'
      ? new SimulatedDriver(numberId, deps.world, sessionDir)
      : new WwebDriver({
          numberId,
          sessionsDir: path.dirname(sessionDir),
          cacheDir: path.join(deps.dataDir, 'wwebjs-cache'),
          clock: deps.clock,
          logger: deps.logger,
          browserPath: () => findBrowser({ preferred: deps.settings.get().browserPath }),
          ...(visible ? { visible } : {}),
        });
}
