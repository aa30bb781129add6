import type { Logger } from './logger';

/**
 * Process-wide last resorts, for web mode and Electron's main process alike. A rejection nobody awaited, or a throw
 * from an event handler, is logged and the app stays up: every send is durable in the outbox, so going on is safe,
 * and a crash (with a restart that meets the same input) is what turned one bad row into a bricked data folder.
 */
export function installProcessGuards(logger: () => Logger | undefined, write: (line: string) => void = (l) => process.stderr.write(l)): () => void {
  const onRejection = (reason: unknown) => {
    const log = logger();
    if (log) log.error({ err: reason }, 'unhandled rejection');
    else write(`unhandled rejection: ${String(reason)}\n`);
  };
  const onException = (error: Error) => {
    const log = logger();
    if (log) log.fatal({ err: error }, 'uncaught exception');
    else write(`uncaught exception: ${error.stack ?? String(error)}\n`);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
