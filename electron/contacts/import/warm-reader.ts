import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../core/worker';
import { sameRead, type ReaderMessage, type ReaderWarmUp, type ReadRequest } from './import-batch';
import { removeStagingSoon } from './staging-files';
import type { Preview } from './inspect';

/**
 * A reader thread's heap: its live data is small (the phone table lives outside it), and without a bound V8 lets a
 * worker's heap fill with hundreds of MB of parsing garbage before collecting. A young generation of 64 MB: a
 * batch's rows then die young instead of being promoted and marked again (a million rows read ~0.4 s faster, for
 * ~40 MB more at the peak; see the bench).
 */
const READER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 64 };

/** An unused warm thread goes after this long: a preview the user walked away from holds no memory for long. */
const IDLE_MS = 5 * 60_000;

/** Starts a reader thread; without a task it waits for one by message (a warm thread), warming up on a file if given. */
export function startReader(task: unknown): Worker {
  return startWorker('import-reader', () => new URL('./import-reader.worker.ts', import.meta.url), { workerData: task, resourceLimits: READER_LIMITS });
}

/**
 * One reader thread (and its stager) started ahead of an import, at the file's preview: the user spends seconds on
 * the mapping, and the import then neither waits ~0.1 s for two threads to load nor reads its first rows on cold
 * code — together about a third of a 100,000-row import. Taken once; one left unused ends after five minutes, or when the app closes.
 */
export class WarmReader {
  private idle: { worker: Worker; ready: Promise<number>; gone: Promise<void>; timer: NodeJS.Timeout; warmUp: ReadRequest | null } | null = null;

  /**
   * Starts a thread unless one is already waiting on the same reading. Given the previewed file with its suggested
   * mapping, the thread reads its first rows before it says it is ready: the import then runs on code V8 has
   * already compiled (the mapping the user picks may differ; the code is the same). Given `staging` too, it stages
   * them there: an import with the suggested mapping of a file the warm-up read whole then reads nothing again.
   * A thread waiting on another preview (the user picked another sheet, or file) is ended first.
   */
  warm(warmUp?: ReadRequest, staging?: string): void {
    if (this.idle) {
      const same = warmUp && this.idle.warmUp ? sameRead(warmUp, this.idle.warmUp) : !warmUp && !this.idle.warmUp;
      if (same) return;
      void this.drop();
    }
    const start: ReaderWarmUp | null = warmUp ? { warmUp, staging: staging ?? null } : null;
    const worker = startReader(start);
    worker.unref();
    const ready = new Promise<number>((resolve) => {
      worker.once('message', (message: ReaderMessage) => message.kind === 'ready' && resolve(message.warmedRows));
      worker.once('exit', () => resolve(0));
    });
    // A warm-up's staging file that no import took goes with its thread (one an import took was renamed: nothing to do).
    const gone = new Promise<void>((resolve) => worker.once('exit', () => void (start?.staging ? removeStagingSoon(start.staging) : Promise.resolve()).then(resolve)));
    const forget = () => {
      if (this.idle?.worker !== worker) return;
      clearTimeout(this.idle.timer);
      this.idle = null;
    };
    worker.once('error', forget);
    worker.once('exit', forget);
    const timer = setTimeout(() => void this.drop(), IDLE_MS);
    timer.unref();
    this.idle = { worker, ready, gone, timer, warmUp: warmUp ?? null };
  }

  /** Whether a thread is waiting for an import. */
  get waiting(): boolean {
    return this.idle !== null;
  }

  /**
   * Resolves once the waiting thread (if any) has loaded and warmed up, with the rows it warmed up on (0 without a
   * file, or for one it could not read); benchmarks wait on it as a user's time on the mapping.
   */
  whenReady(): Promise<number> {
    return this.idle?.ready ?? Promise.resolve(0);
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

  /** Ends a waiting thread (idle too long, another preview, or the app closing), and removes what it staged. */
  async drop(): Promise<void> {
    const idle = this.idle;
    if (!idle) return;
    clearTimeout(idle.timer);
    this.idle = null;
    void idle.worker.terminate();
    await idle.gone;
  }
}

/** The previewed file as the wizard first maps it (suggested columns, the rest as fields): what a warm-up reads. */
export function warmUpRequest(file: string, preview: Preview): ReadRequest {
  const { phoneColumn, nameColumn } = preview.suggested;
  return {
    file,
    sheet: preview.sheet,
    headerRow: preview.headerRow,
    headers: preview.headers,
    phoneColumn: phoneColumn ?? 0,
    nameColumn: nameColumn === phoneColumn ? null : nameColumn,
    fieldColumns: preview.headers.map((_, i) => i).filter((i) => i !== phoneColumn && i !== nameColumn),
    defaultCountry: 'MX',
  };
}

/** The app's one warm reader (one import runs at a time). */
export const warmReader = new WarmReader();
