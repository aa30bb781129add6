import type { Db } from './open';

/** How often the WAL is folded back into the database and truncated, whatever the write load. */
export const CHECKPOINT_EVERY_MS = 5 * 60_000;

/**
 * Keeps the WAL bounded: SQLite only checkpoints on commits past `wal_autocheckpoint` and never shrinks the file
 * by itself, so after a burst (an import) it stays tens of MB — which a restart on a nearly full disk then needs
 * again. A TRUNCATE checkpoint at start and on a schedule returns that space. Errors (a full disk) are left to the
 * next try.
 */
export function scheduleCheckpoints(db: Db, onError: (error: unknown) => void): () => void {
  const checkpoint = () => {
    try {
      if (db.open) db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      onError(error);
    }
  };
  checkpoint();
  const timer = setInterval(checkpoint, CHECKPOINT_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
