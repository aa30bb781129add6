import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Result } from '../../shared/errors';

/** A caller's id for one request: letters, digits and `._:-`, as a UUID or a script's own key. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{8,100}$/;

const KEEP_MS = 24 * 3600 * 1000;
const MEMORY_KEEP_MS = 15 * 60 * 1000;
const MEMORY_MAX = 2000;

type Entry = { fingerprint: string; answer: Promise<Result<unknown>>; at: number };

/**
 * Answers a request id seen before with the first answer, so a retry after a lost answer never does the work
 * twice. A request still running is awaited; a finished one is answered from memory (any command) or, for a
 * command that changed data and succeeded, from `command_results`, which outlives a restart. A failed command did
 * nothing (the app refuses before it writes), so its id may run again. The same id with another command or input
 * is refused: it is a caller's bug, and answering it with another command's result would be worse.
 */
export class RequestLedger {
  private readonly recent = new Map<string, Entry>();
  private inserts = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  async run(scope: string, requestId: string, command: string, input: unknown, changesData: boolean, work: () => Promise<Result<unknown>>): Promise<Result<unknown>> {
    const key = `${scope}:${requestId}`;
    const fingerprint = fingerprintOf(command, input);
    const fresh = this.recent.get(key);
    const seen = fresh && fresh.at >= this.now() - MEMORY_KEEP_MS ? fresh : this.stored(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) return reused();
      return seen.answer;
    }
    const answer = work();
    this.remember(key, { fingerprint, answer, at: this.now() });
    const result = await answer;
    if (!result.ok) this.recent.delete(key);
    else if (changesData) this.store(key, command, fingerprint, result);
    return result;
  }

  private stored(key: string): Entry | undefined {
    const row = this.db.prepare('SELECT input_hash, result, at FROM command_results WHERE request_id = ?').get(key) as
      | { input_hash: string; result: string; at: number }
      | undefined;
    if (!row || row.at < this.now() - KEEP_MS) return undefined;
    return { fingerprint: row.input_hash, answer: Promise.resolve(JSON.parse(row.result) as Result<unknown>), at: row.at };
  }

  private store(key: string, command: string, fingerprint: string, result: Result<unknown>): void {
    const at = this.now();
    this.db
      .prepare('INSERT OR REPLACE INTO command_results (request_id, command, input_hash, result, at) VALUES (?, ?, ?, ?, ?)')
      .run(key, command, fingerprint, JSON.stringify(result), at);
    if (++this.inserts % 200 === 1) this.db.prepare('DELETE FROM command_results WHERE at < ?').run(at - KEEP_MS);
  }

  private remember(key: string, entry: Entry): void {
    this.recent.delete(key);
    this.recent.set(key, entry);
    // A Map iterates in insertion order: the first keys are the oldest.
    for (const k of this.recent.keys()) {
      if (this.recent.size <= MEMORY_MAX) break;
      this.recent.delete(k);
    }
  }
}

/** The command and its input, keys sorted, so `{a,b}` and `{b,a}` are one request. */
function fingerprintOf(command: string, input: unknown): string {
  return crypto.createHash('sha256').update(command).update('\0').update(canonical(input)).digest('base64url');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function reused(): Result<never> {
  return { ok: false, error: { code: 'request_reused', message: 'this request id was already used for another command or input' } };
}
