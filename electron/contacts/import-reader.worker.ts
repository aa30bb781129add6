import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../core/app-error';
import { isDiskFull } from '../core/storage-guard';
import { readForImport, type ReaderMessage, type ReaderTask } from './import-reader';
import { StagingWriter } from './import-staging';

/**
 * The import's reader thread: parses and normalises the file and writes its rows to the run's staging file, so
 * the main thread does nothing for an import while it reads — a million rows neither stall the app nor cross
 * between threads. The main thread hears only progress, then done or why not.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('import reader must run in a worker thread');
  const say = (message: ReaderMessage) => port.postMessage(message);
  const task = workerData as ReaderTask;
  let writer: StagingWriter | undefined;
  try {
    writer = new StagingWriter(task.staging);
    const staged = writer;
    const counts = await readForImport(task.request, async (batch) => {
      staged.add(batch);
      say({ kind: 'progress', counts: batch.counts, fraction: batch.fraction });
    });
    staged.finish(counts, counts.valid > task.sortedFrom);
    say({ kind: 'done', counts });
  } catch (error) {
    writer?.close();
    const code = isDiskFull(error) ? 'disk_full' : error instanceof AppError ? error.code : 'file_corrupt';
    say({ kind: 'failed', code, message: error instanceof Error ? error.message : String(error) });
  }
}

void main();
