import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../electron/db';
import { report, timed } from './report';

/** SQLite figures the outbox design relies on: single-row commits at FULL and NORMAL, and a bulk insert. */
export async function benchDb(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-db-'));
  try {
    const db = openDatabase(path.join(dir, 'bench.db'));
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, state TEXT NOT NULL, at INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO t (state, at) VALUES (?, ?)');

    for (const mode of ['FULL', 'NORMAL'] as const) {
      db.pragma(`synchronous = ${mode}`);
      const n = mode === 'FULL' ? 2_000 : 20_000;
      const ms = timed(() => {
        for (let i = 0; i < n; i++) insert.run('queued', i);
      });
      report(`db: single-row commits, synchronous=${mode}`, (n / ms) * 1000, 'commits/s');
    }

    db.pragma('synchronous = NORMAL');
    const ms = timed(() =>
      db.transaction(() => {
        for (let i = 0; i < 100_000; i++) insert.run('queued', i);
      })(),
    );
    report('db: 100k rows in one transaction', ms, 'ms');
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
