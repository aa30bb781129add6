import { parentPort, workerData, type MessagePort, type Worker } from 'node:worker_threads';
import { AppError } from '../../core/app-error';
import { isDiskFull } from '../../core/storage-guard';
import { startWorker } from '../../core/worker';
import { removeStaging } from './staging-files';
import { readForImport, readWhile, sameRead, type ReadBatch, type ImportCounts, type ReaderMessage, type ReaderTask, type ReaderWarmUp, type StagerMessage, type StagerTaskMessage } from './import-reader';

/** Batches sent to the stager and not yet written: enough to keep both threads busy, few enough to bound memory. */
const IN_FLIGHT = 3;

/**
 * Cells a warm thread reads of the previewed file before it says it is ready (at most 100,000 rows), while the user
 * looks at the mapping: V8 compiles the parsing and normalising code and the thread's heap grows to what reading
 * needs (a cold thread reads 100,000 rows in about 1.6× the time of a warm one; warmed on 100,000 rows rather than
 * 20,000 it reads them ~25% faster again, measured A/B). Up to ~0.5 s of a spare core, and no more for a file
 * thousands of columns wide.
 */
const WARM_UP_CELLS = 600_000;
const WARM_UP_ROWS = 100_000;

/** Stops a warm-up at its next batch. */
class WarmUpOver extends Error {}

/**
 * The import's reader thread: parses and normalises the file, and hands its rows to a stager thread of its own
 * that writes them to the run's staging file meanwhile, so the main thread does nothing for an import while it
 * reads — a million rows neither stall the app nor cross to it. The main thread hears only progress, then done or
 * why not. Terminating this thread ends the stager with it.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('import reader must run in a worker thread');
  const say = (message: ReaderMessage) => port.postMessage(message);
  // The stager starts at once; a thread warmed ahead of its import (workerData not a task) then waits for its task.
  let stager: Stager | undefined;
  try {
    stager = new Stager();
    const start = workerData as ReaderTask | ReaderWarmUp | null;
    const warm = start !== null && 'request' in start ? { task: start, staged: null, stager } : await warmUp(port, say, stager, start);
    const { task } = warm;
    stager = warm.stager;
    const staged = stager;
    if (warm.staged) {
      // The warm-up staged this very reading of the whole file: its file becomes the run's, and nothing is read again.
      await staged.finish(warm.staged, warm.staged.valid > task.sortedFrom, task.staging);
      say({ kind: 'done', counts: warm.staged });
      return;
    }
    staged.open(task.staging);
    const counts = await readForImport(task.request, async (batch) => {
      await staged.add(batch);
      say({ kind: 'progress', counts: batch.counts, fraction: batch.fraction });
    });
    await staged.finish(counts, counts.valid > task.sortedFrom, null);
    say({ kind: 'done', counts });
  } catch (error) {
    const code = isDiskFull(error) ? 'disk_full' : error instanceof AppError ? error.code : 'file_corrupt';
    say({ kind: 'failed', code, message: error instanceof Error ? error.message : String(error) });
  } finally {
    await stager?.end();
  }
}

/**
 * Warms up on the previewed file (if given), says it is ready, and waits for the import's task. With a staging file
 * the warm-up stages the rows it reads: an import that reads the file the same way (the mapping as suggested) then
 * has them all if the warm-up read the whole file, and a task that comes meanwhile lets it finish. A task for
 * another reading ends the warm-up at its next batch; a file the warm-up cannot read is the import's to report.
 */
async function warmUp(port: MessagePort, say: (message: ReaderMessage) => void, stager: Stager, start: ReaderWarmUp | null): Promise<{ task: ReaderTask; staged: ImportCounts | null; stager: Stager }> {
  const warm = start?.warmUp ?? null;
  const speculative = warm ? (start?.staging ?? null) : null;
  let arrived = false;
  // A task that reads the file as the warm-up does (and stages it) makes the warm-up its read: to the end, its progress told.
  let taken = false;
  const task = new Promise<ReaderTask>((resolve) =>
    port.once('message', (message: ReaderTask) => {
      arrived = true;
      taken = speculative !== null && warm !== null && sameRead(message.request, warm);
      resolve(message);
    }),
  );
  let warmedRows = 0;
  let staged: ImportCounts | null = null;
  if (warm) {
    const limit = Math.min(WARM_UP_ROWS, Math.ceil(WARM_UP_CELLS / Math.max(1, warm.headers.length)));
    if (speculative) stager.open(speculative);
    const onBatch = async (batch: ReadBatch) => {
      warmedRows = batch.counts.rowsRead;
      if (arrived && !taken) throw new WarmUpOver();
      if (speculative) await stager.add(batch);
      if (taken) say({ kind: 'progress', counts: batch.counts, fraction: batch.fraction });
    };
    const read = await readWhile(warm, onBatch, (rowsRead) => rowsRead < limit || taken).catch(() => null);
    if (read) warmedRows = read.counts.rowsRead;
    // Staged whole (every batch written) before it says it is ready: the import then has nothing left to wait for.
    if (read?.whole && speculative && (await stager.written().then(() => true, () => false))) staged = read.counts;
  }
  say({ kind: 'ready', warmedRows });
  const next = await task;
  if (staged && taken) return { task: next, staged, stager };
  // Not taken: the import's own file replaces the warm-up's (removed as it is), on a fresh stager if that one failed.
  if (speculative && stager.broken) {
    await stager.end();
    removeStaging(speculative);
    return { task: next, staged: null, stager: new Stager() };
  }
  return { task: next, staged: null, stager };
}

/** The stager thread as the reader sees it: batches handed over with back-pressure, then the end awaited. */
class Stager {
  private readonly worker: Worker;
  private inFlight = 0;
  private failure: Error | null = null;
  private finished = false;
  private wake: (() => void) | null = null;

  constructor() {
    this.worker = startWorker('import-stager', () => new URL('./import-stager.worker.ts', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: 64 },
    });
    this.worker.on('message', (message: StagerMessage) => {
      if (message.kind === 'written') this.inFlight -= 1;
      else if (message.kind === 'finished') this.finished = true;
      else this.failure = message.code === 'disk_full' ? Object.assign(new Error(message.message), { code: 'ENOSPC' }) : new AppError(message.code, message.message);
      this.wake?.();
    });
    this.worker.on('error', (error) => {
      this.failure ??= error;
      this.wake?.();
    });
    this.worker.on('exit', () => {
      if (!this.finished) this.failure ??= new Error('the staging thread stopped');
      this.wake?.();
    });
  }

  open(staging: string): void {
    this.worker.postMessage({ kind: 'open', staging } satisfies StagerTaskMessage);
  }

  async add(batch: ReadBatch): Promise<void> {
    await this.until(() => this.inFlight < IN_FLIGHT);
    this.inFlight += 1;
    this.worker.postMessage({ kind: 'batch', batch } satisfies StagerTaskMessage);
  }

  /** Resolves once every batch handed over is written (throws the stager's failure). */
  written(): Promise<void> {
    return this.until(() => this.inFlight === 0);
  }

  /** Whether it failed (it takes nothing more). */
  get broken(): boolean {
    return this.failure !== null;
  }

  async finish(counts: ImportCounts, sortByPhone: boolean, moveTo: string | null): Promise<void> {
    this.worker.postMessage({ kind: 'finish', counts, sortByPhone, moveTo } satisfies StagerTaskMessage);
    await this.until(() => this.finished);
  }

  end(): Promise<number> {
    return this.worker.terminate();
  }

  /** Waits for a message until `ready`, or throws the stager's failure. */
  private async until(ready: () => boolean): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure;
      if (ready()) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}

void main();
