import fs from 'node:fs';
import type { EventBus } from './event-bus';
import type { Logger } from './logger';

/** Below this much free space sending waits: SQLite and the logs need room to record every send before and after. */
export const LOW_SPACE_BYTES = 20 * 1024 * 1024;
/** And it goes on only above this much, so it does not flap at the edge. */
export const RESUME_SPACE_BYTES = 32 * 1024 * 1024;
const CHECK_EVERY_MS = 2000;

/** Whether an error means that the disk (or SQLite's file) is full. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * A full disk is a state, not a crash: sending waits (nothing half-recorded, nothing resent), the UI says so, and
 * everything goes on by itself when space returns. Free space is looked at every few seconds (real time), and any
 * write that fails with SQLITE_FULL or ENOSPC reports it at once. While full, the disk is also looked at on a timer,
 * so the banner goes away when space returns even when nothing is sending.
 */
export class StorageGuard {
  private full = false;
  private lastCheck = 0;
  private lastFree = Number.POSITIVE_INFINITY;
  private recovered = new Set<() => void>();
  private watch: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: { dataDir: string; bus: EventBus; logger: Logger; freeBytes?: (dir: string) => number },
  ) {}

  /** Looked at before each send: true while sending must wait. Cheap: the disk is asked at most every 2 s. */
  isFull(): boolean {
    if (Date.now() - this.lastCheck >= CHECK_EVERY_MS) this.check();
    return this.full;
  }

  /** An error from a write: true (and sending waits) when it means the disk is full. */
  report(error: unknown): boolean {
    if (!isDiskFull(error)) return false;
    this.lastCheck = Date.now();
    this.set(true, this.free());
    return true;
  }

  /** Runs when space has come back (receipts held in memory are written, lanes reconcile). */
  onRecovered(listener: () => void): () => void {
    this.recovered.add(listener);
    return () => this.recovered.delete(listener);
  }

  /** For long writes that can wait (an import's merge): a failure reported, then room awaited, looked at every 2 s. */
  waiter(): { report(error: unknown): boolean; whenRoom(): Promise<void> } {
    return {
      report: (error) => this.report(error),
      whenRoom: async () => {
        while (this.isFull()) await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
      },
    };
  }

  /** At close: no more looking at the disk. */
  stop(): void {
    clearInterval(this.watch);
    this.watch = undefined;
  }

  status(): { full: boolean; freeBytes: number | null } {
    return { full: this.full, freeBytes: Number.isFinite(this.lastFree) ? this.lastFree : null };
  }

  private check(): void {
    this.lastCheck = Date.now();
    const free = this.free();
    if (this.full && free >= RESUME_SPACE_BYTES) this.set(false, free);
    else if (!this.full && free < LOW_SPACE_BYTES) this.set(true, free);
  }

  private free(): number {
    try {
      this.lastFree = this.deps.freeBytes ? this.deps.freeBytes(this.deps.dataDir) : freeBytes(this.deps.dataDir);
    } catch {
      this.lastFree = Number.POSITIVE_INFINITY; // cannot tell: the writes themselves will say
    }
    return this.lastFree;
  }

  private set(full: boolean, free: number): void {
    if (this.full === full) return;
    this.full = full;
    if (full) {
      this.watch ??= setInterval(() => this.check(), CHECK_EVERY_MS);
      this.watch.unref();
    } else this.stop();
    this.deps.logger.warn({ full, free }, full ? 'disk full: sending waits' : 'disk space back: sending goes on');
    try {
      this.deps.bus.emit('app.storage', this.status());
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'storage event not sent');
    }
    if (!full) for (const listener of this.recovered) listener();
  }
}

function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}
