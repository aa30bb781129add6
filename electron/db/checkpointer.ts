import fs from 'node:fs';
import { startWorker } from '../core/worker';
import type { Db } from './open';

/** Past this much WAL, a checkpoint is asked for (SQLite's own default point, 8192 pages of 4 KB). */
const WAL_LIMIT = 32 * 1024 * 1024;

/**
 * For the length of a long write: the main connection's automatic checkpoint is off, and the WAL is checkpointed
 * from a worker thread whenever it has grown past 32 MB, so the event loop never stops for one. `done()` puts the
 * automatic checkpoint back.
 */
export class OffThreadCheckpoints {
  private readonly worker;
  private busy = false;
  /** Long writes that overlap (an import while the search index catches up): the first turns the automatic checkpoint off, the last back on. */
  private static holders = new WeakMap<Db, { count: number; autocheckpoint: number }>();

  constructor(private readonly db: Db) {
    const held = OffThreadCheckpoints.holders.get(db);
    if (held) held.count += 1;
    else OffThreadCheckpoints.holders.set(db, { count: 1, autocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }) as number });
    db.pragma('wal_autocheckpoint = 0');
    this.worker = startWorker('checkpoint', () => new URL('./checkpoint.worker.ts', import.meta.url), { workerData: { file: db.name } });
    this.worker.on('message', () => (this.busy = false));
    this.worker.on('error', () => (this.busy = false));
    this.worker.unref();
  }

  /** Called between batches: asks for a checkpoint if the WAL is past its limit and none is running. */
  tick(): void {
    if (this.busy) return;
    let size: number;
    try {
      size = fs.statSync(`${this.db.name}-wal`).size;
    } catch {
      return;
    }
    if (size < WAL_LIMIT) return;
    this.busy = true;
    this.worker.postMessage('checkpoint');
  }

  done(): void {
    const held = OffThreadCheckpoints.holders.get(this.db);
    if (held && --held.count === 0) {
      OffThreadCheckpoints.holders.delete(this.db);
      if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${held.autocheckpoint}`);
    }
    this.worker.postMessage('close');
  }
}
