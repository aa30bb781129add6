import { parentPort } from 'node:worker_threads';
import { AppError } from '../../core/app-error';
import { isDiskFull } from '../../core/storage-guard';
import type { StagerMessage, StagerTaskMessage } from './import-batch';
import { StagingWriter } from './import-staging';

/**
 * The import's second thread: writes the rows the reader thread normalised to the run's staging file while the
 * reader goes on parsing, so a large file's parsing and its writing share the machine's two cores instead of
 * taking turns. It hears batches, then the end; it answers each batch once written (the reader keeps only a few
 * in flight), then finished — or why not.
 */
function main(): void {
  const port = parentPort;
  if (!port) throw new Error('import stager must run in a worker thread');
  let writer: StagingWriter | undefined;
  let failed = false;
  const fail = (error: unknown) => {
    failed = true;
    writer?.close();
    const code = isDiskFull(error) ? 'disk_full' : error instanceof AppError ? error.code : 'file_corrupt';
    port.postMessage({ kind: 'failed', code, message: error instanceof Error ? error.message : String(error) } satisfies StagerMessage);
    port.close();
  };
  // Its file comes first by message (the thread may start before the import has one: see WarmReader).
  port.on('message', (message: StagerTaskMessage) => {
    if (failed) return;
    try {
      if (message.kind === 'open') {
        writer?.discard();
        writer = new StagingWriter(message.staging);
      } else if (!writer) {
        throw new Error('the staging file was not opened');
      } else if (message.kind === 'batch') {
        writer.add(message.batch);
        port.postMessage({ kind: 'written' } satisfies StagerMessage);
      } else {
        writer.finish(message.counts, message.sortByPhone, message.moveTo);
        port.postMessage({ kind: 'finished' } satisfies StagerMessage);
        port.close();
      }
    } catch (error) {
      fail(error);
    }
  });
}

main();
