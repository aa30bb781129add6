import type { Worker } from 'node:worker_threads';
import type { Contact } from '../../shared/contacts';
import { startWorker } from '../core/worker';
import type { Logger } from '../core/logger';
import type { ContactsRepo, ResolvedFilter } from './contacts-repo';

/** Contacts from which the table's queries go to their own thread (a search of 50,000 takes ~10 ms here). */
const THREAD_FROM = 50_000;

export type QueryRequest = { id: number; filter: ResolvedFilter; offset: number; limit: number; withTotal: boolean };
export type QueryAnswer = { id: number; ok: true; value: { total?: number; rows: Contact[] } } | { id: number; ok: false; message: string };

/**
 * The contacts table's blocks, read off the main thread (contacts-query.worker.ts), started at the first one. A
 * thread that cannot start or stops answers nothing more: the queries then run here, as before.
 */
export class ContactQueries {
  private worker: Worker | null = null;
  private failed = false;
  private next = 1;
  private readonly pending = new Map<number, { request: QueryRequest; resolve(value: { total?: number; rows: Contact[] }): void; reject(error: unknown): void }>();

  constructor(
    private readonly file: string,
    private readonly repo: ContactsRepo,
    private readonly logger: Logger,
  ) {}

  query(filter: ResolvedFilter, offset: number, limit: number, withTotal: boolean): Promise<{ total?: number; rows: Contact[] }> {
    // A few thousand contacts are read in a millisecond or two: the thread starts once there are many.
    const worker = this.worker ?? (this.repo.largestId() >= THREAD_FROM ? this.thread() : null);
    if (!worker) return Promise.resolve(this.repo.query(filter, offset, limit, withTotal));
    const id = this.next++;
    const request: QueryRequest = { id, filter, offset, limit, withTotal };
    return new Promise((resolve, reject) => {
      // Held while it has a question: an idle thread keeps no process alive.
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { request, resolve, reject });
      worker.postMessage(request);
    });
  }

  /** Whether the queries go to the thread now (tests, diagnostics). */
  get threaded(): boolean {
    return this.worker !== null;
  }

  /**
   * Ended at once, not asked to close: it only reads, and one still loading its code would hold the app's exit until
   * it could hear the request (a quit waited over a second on a loaded machine).
   */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.failed = true;
    await worker?.terminate();
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of waiting) reject(new Error('the app is closing'));
  }

  private thread(): Worker | null {
    if (this.worker || this.failed) return this.worker;
    try {
      const worker = startWorker('contacts-query', () => new URL('./contacts-query.worker.ts', import.meta.url), { workerData: { file: this.file } });
      worker.on('message', (answer: QueryAnswer) => {
        const waiting = this.pending.get(answer.id);
        if (!waiting) return;
        this.pending.delete(answer.id);
        if (this.pending.size === 0) worker.unref();
        if (answer.ok) waiting.resolve(answer.value);
        else waiting.reject(new Error(answer.message));
      });
      const lost = (error?: Error) => {
        if (this.worker !== worker) return;
        this.logger.warn({ err: error }, 'contacts query thread stopped: queries run on the main thread');
        this.worker = null;
        this.failed = true;
        // What it had not answered is read here instead.
        const waiting = [...this.pending.values()];
        this.pending.clear();
        for (const { request: r, resolve, reject } of waiting) {
          try {
            resolve(this.repo.query(r.filter, r.offset, r.limit, r.withTotal));
          } catch (failure) {
            reject(failure);
          }
        }
      };
      worker.on('error', lost);
      worker.on('exit', () => lost());
      worker.unref();
      this.worker = worker;
    } catch (error) {
      this.logger.warn({ err: error }, 'contacts query thread not started: queries run on the main thread');
      this.failed = true;
    }
    return this.worker;
  }
}
