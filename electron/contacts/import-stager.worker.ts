import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../core/app-error';
import { isDiskFull } from '../core/storage-guard';
import type { StagerMessage, StagerTask, StagerTaskMessage } from './import-batch';
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
  const task = workerData as StagerTask;
  let writer: StagingWriter | undefined;
  const fail = (error: unknown) => {
    writer?.close();
    const code = isDiskFull(error) ? 'disk_full' : error instanceof AppError ? error.code : 'file_corrupt';
    port.postMessage({ kind: 'failed', code, message: error instanceof Error ? error.message : String(error) } satisfies StagerMessage);
    port.close();
  };
  try {
    writer = new StagingWriter(task.staging);
  } catch (error) {
    fail(error);
    return;
  }
  const staged = writer;
  port.on('message', (message: StagerTaskMessage) => {
    try {
      if (message.kind === 'batch') {
        staged.add(message.batch);
        port.postMessage({ kind: 'written' } satisfies StagerMessage);
      } else {
        staged.finish(message.counts, message.sortByPhone);
        port.postMessage({ kind: 'finished' } satisfies StagerMessage);
        port.close();
      }
    } catch (error) {
      fail(error);
    }
  });
}

main();
