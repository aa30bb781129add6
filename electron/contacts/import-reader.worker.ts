import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../core/app-error';
import { readForImport, type ReaderMessage, type ReadRequest } from './import-reader';

/** Batches posted and not yet staged: the reader runs ahead of SQLite by at most this many. */
const IN_FLIGHT = 2;

/**
 * The import's reader thread: parses and normalises the file while the main thread only writes SQLite, so a
 * million-row import neither takes twice as long nor stalls the app. The main thread says "more" per batch staged.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('import reader must run in a worker thread');
  const say = (message: ReaderMessage) => port.postMessage(message);
  let credits = IN_FLIGHT;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credits += 1;
    wake?.();
    wake = null;
  });
  try {
    await readForImport(workerData as ReadRequest, async (batch) => {
      while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits -= 1;
      say(batch);
    });
    say({ kind: 'done' });
  } catch (error) {
    const known = error instanceof AppError;
    say({ kind: 'failed', code: known ? error.code : 'file_corrupt', message: error instanceof Error ? error.message : String(error) });
  }
}

void main();
