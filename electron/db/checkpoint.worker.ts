import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/**
 * Checkpoints the app's WAL from a thread of its own, for long writes (an import's merge): a PASSIVE checkpoint
 * by another connection copies what it can without blocking the writer, where SQLite's automatic one would stop
 * the main thread for a few hundred milliseconds every 32 MB. Answers each request when done.
 */
const port = parentPort;
if (!port) throw new Error('the checkpointer must run in a worker thread');
const db = new Database((workerData as { file: string }).file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
port.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    port.postMessage({ ok: true });
  } catch (error) {
    port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
