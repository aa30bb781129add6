import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ContactsRepo } from './contacts-repo';
import type { QueryRequest, QueryAnswer } from './contact-queries';

/**
 * Answers the contacts table's queries from a thread of its own, on a read-only connection to the app's database
 * (WAL: it reads what is committed while the main thread writes): a search of a common name among a million
 * contacts takes a fifth of a second, and the main thread's event loop — the campaigns' pacing, every other call —
 * never waits for it (#34).
 */
const port = parentPort;
if (!port) throw new Error('the contacts query thread must run in a worker thread');
const db = new Database((workerData as { file: string }).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const repo = new ContactsRepo(db, () => Date.now());
port.on('message', (request: QueryRequest) => {
  let answer: QueryAnswer;
  try {
    answer = { id: request.id, ok: true, value: repo.query(request.filter, request.offset, request.limit, request.withTotal) };
  } catch (error) {
    answer = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
