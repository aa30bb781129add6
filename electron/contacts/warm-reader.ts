import type { Worker } from 'node:worker_threads';
import { startWorker } from '../core/worker';
import type { ReaderMessage } from './import-batch';

/**
 * A reader thread's heap: its live data is small (the phone table lives outside it), and without a bound V8 lets a
 * worker's heap fill with hundreds of MB of parsing garbage before collecting. A young generation of 64 MB: a
 * batch's rows then die young instead of being promoted and marked again (a million rows read ~0.4 s faster, for
 * ~40 MB more at the peak; see the bench).
 */
const READER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 64 };

/** An unused warm thread goes after this long: a preview the user walked away from holds no memory for long. */
const IDLE_MS = 5 * 60_000;

/** Starts a reader thread; without a task it waits for one by message (a warm thread). */
export function startReader(task: unknown): Worker {
  return startWorker('import-reader', () => new URL('./import-reader.worker.ts', import.meta.url), { workerData: task, resourceLimits: READER_LIMITS });
}

/**
 * One reader thread (and its stager) started ahead of an import, at the file's preview: the user spends seconds on
 * the mapping, and the import then does not wait ~0.1 s for two threads to load — a fifth of a 100,000-row
 * import. Taken once; one left unused ends after five minutes, or when the app closes.
 */
export class WarmReader {
  private idle: { worker: Worker; ready: Promise<void>; timer: NodeJS.Timeout } | null = null;

  /** Starts a thread unless one is already waiting. */
  warm(): void {
    if (this.idle) return;
    const worker = startReader(null);
    worker.unref();
    const ready = new Promise<void>((resolve) => {
      worker.once('message', (message: ReaderMessage) => message.kind === 'ready' && resolve());
      worker.once('exit', () => resolve());
    });
    const forget = () => {
      if (this.idle?.worker !== worker) return;
      clearTimeout(this.idle.timer);
      this.idle = null;
    };
    worker.once('error', forget);
    worker.once('exit', forget);
    const timer = setTimeout(() => this.drop(), IDLE_MS);
    timer.unref();
    this.idle = { worker, ready, timer };
  }

  /** Whether a thread is waiting for an import. */
  get waiting(): boolean {
    return this.idle !== null;
  }

  /** Resolves once the waiting thread (if any) has loaded (benchmarks: the user's time on the mapping). */
  whenReady(): Promise<void> {
    return this.idle?.ready ?? Promise.resolve();
  }

  /** The waiting thread, given its task; null when none is waiting (the caller starts one). */
  take(task: unknown): Worker | null {
    const idle = this.idle;
    if (!idle) return null;
    clearTimeout(idle.timer);
    this.idle = null;
    idle.worker.ref();
    idle.worker.postMessage(task);
    return idle.worker;
  }

  /** Ends a waiting thread (idle too long, or the app closing). */
  drop(): void {
    const idle = this.idle;
    if (!idle) return;
    clearTimeout(idle.timer);
    this.idle = null;
    void idle.worker.terminate();
  }
}

/** The app's one warm reader (one import runs at a time). */
export const warmReader = new WarmReader();
