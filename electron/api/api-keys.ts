import crypto from 'node:crypto';
import type { ApiKey, ApiRequestLog } from '../../shared/api';
import { AppError } from '../core/app-error';
import type { Db } from '../db';

/** Every API key starts so: a log scanner (or a person) can tell one at a glance, and the server routes on it. */
export const KEY_PREFIX = 'wzm_';

/** What a `send` key may call: sending and reading what it sent, nothing of the contacts or the settings. */
export const SEND_SCOPE = new Set(['messages.send', 'messages.sendBatch', 'messages.status', 'messages.list', 'app.info']);

/** Requests kept in the log (the newest); older ones go as new ones come. */
const LOG_KEEP = 5000;

type DbKey = { id: number; name: string; scope: ApiKey['scope']; prefix: string; created_at: number; last_used_at: number | null; revoked_at: number | null };

const hashOf = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');

function fromDb(row: DbKey): ApiKey {
  return { id: row.id, name: row.name, scope: row.scope, prefix: row.prefix, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

export type KeyHolder = { id: number; name: string; scope: ApiKey['scope'] };

/**
 * Keys for the user's automation, apart from the UI's per-run token: made with a name and a scope, shown once,
 * kept only as a SHA-256 (a copy of the database gives no key away), revoked for good.
 */
export class ApiKeys {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  create(name: string, scope: ApiKey['scope']): { key: ApiKey; secret: string } {
    const secret = KEY_PREFIX + crypto.randomBytes(24).toString('base64url');
    const id = Number(
      this.db.prepare('INSERT INTO api_keys (name, scope, prefix, hash, created_at) VALUES (?, ?, ?, ?, ?)').run(name, scope, secret.slice(0, KEY_PREFIX.length + 6), hashOf(secret), this.now()).lastInsertRowid,
    );
    return { key: this.get(id), secret };
  }

  get(id: number): ApiKey {
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as DbKey | undefined;
    if (!row) throw new AppError('not_found', `no API key ${id}`, 'id');
    return fromDb(row);
  }

  list(): ApiKey[] {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC').all() as DbKey[]).map(fromDb);
  }

  revoke(id: number): ApiKey {
    this.get(id);
    this.db.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?').run(this.now(), id);
    return this.get(id);
  }

  /** The key's holder, or undefined for an unknown or revoked key (compared by hash: no timing to learn from). */
  authenticate(secret: string): KeyHolder | undefined {
    if (!secret.startsWith(KEY_PREFIX)) return undefined;
    const row = this.db.prepare('SELECT id, name, scope FROM api_keys WHERE hash = ? AND revoked_at IS NULL').get(hashOf(secret)) as KeyHolder | undefined;
    if (row) this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(this.now(), row.id);
    return row;
  }

  allows(holder: KeyHolder, command: string): boolean {
    return holder.scope === 'all' || SEND_SCOPE.has(command);
  }

  /** One request made with a key: which command and how it ended, never the key or the body. */
  log(entry: { keyId: number | null; command: string; status: number; code: string | null; ms: number }): void {
    const id = Number(this.db.prepare('INSERT INTO api_log (at, key_id, command, status, code, ms) VALUES (?, ?, ?, ?, ?, ?)').run(this.now(), entry.keyId, entry.command.slice(0, 80), entry.status, entry.code, entry.ms).lastInsertRowid);
    if (id % 100 === 0) this.db.prepare('DELETE FROM api_log WHERE id <= ?').run(id - LOG_KEEP);
  }

  recentLog(limit: number): ApiRequestLog[] {
    return (
      this.db
        .prepare('SELECT l.at, k.name AS keyName, l.command, l.status, l.code, l.ms FROM api_log l LEFT JOIN api_keys k ON k.id = l.key_id ORDER BY l.id DESC LIMIT ?')
        .all(limit) as ApiRequestLog[]
    ).map((r) => ({ ...r, ms: Math.round(r.ms * 10) / 10 }));
  }
}
