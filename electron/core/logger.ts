import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';

export type Logger = pino.Logger;

/** The app's one logger: JSON lines in `<dataDir>/logs/whatzme.log`. */
export function createLogger(dataDir: string, level: pino.Level = 'info'): { logger: Logger; close(): void } {
  const dir = path.join(dataDir, 'logs');
  fs.mkdirSync(dir, { recursive: true });
  const destination = pino.destination({ dest: path.join(dir, 'whatzme.log'), sync: true, mkdir: true });
  // A log write that fails (disk full) must not end the app: SonicBoom emits 'error', fatal without a listener.
  destination.on('error', () => undefined);
  const logger = pino({ level, base: undefined }, destination);
  return {
    logger,
    close: () => {
      destination.flushSync();
      destination.end();
    },
  };
}

/** A logger that writes nothing, for pure unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
