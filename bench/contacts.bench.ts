import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ContactQueries, ContactSearchIndexer, ContactsRepo } from '../electron/contacts';
import { createLogger } from '../electron/core/logger';
import { openDatabase, type Db } from '../electron/db';
import { searchKey } from '../shared/search-key';
import { report } from './report';

const COUNT = 1_000_000;
const SURNAMES = ['García', 'Hernández', 'Martínez', 'López', 'González', 'Pérez', 'Rodríguez', 'Sánchez', 'Ramírez', 'Cruz', 'Flores', 'Gómez'];

/** The median of `runs` timings of `fn`, in ms (one warm-up run first). */
function median(runs: number, fn: () => unknown): number {
  fn();
  const times = Array.from({ length: runs }, () => {
    const started = performance.now();
    fn();
    return performance.now() - started;
  });
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/**
 * A million contacts (2 % opted out) as the table reads them (#34): its first block with the count, a block at
 * 500,000, a later block without the count, and a surname search — each beside its floor from the same run.
 */
export async function benchContacts(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'whatzme-bench-contacts-'));
  try {
    const db = openDatabase(path.join(dir, 'whatzme.db'));
    fill(db);
    // The search index catches up in the background after an import: how long, and the longest it held the loop.
    const indexer = new ContactSearchIndexer(db);
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    await indexer.settled();
    const indexing = performance.now() - started;
    delay.disable();
    report('contacts (1M): search index built in the background', indexing, 'ms');
    report('contacts (1M): longest the indexing held the event loop', delay.max / 1e6, 'ms', '≤ 20 ms');
    const repo = new ContactsRepo(db, () => Date.now());
    const plain = db.prepare('SELECT * FROM contacts ORDER BY id LIMIT 200');
    const idsOnly = db.prepare('SELECT id FROM contacts ORDER BY id LIMIT 200 OFFSET ?').pluck();
    report('contacts (1M): first block with its count', median(5, () => repo.query({}, 0, 200)), 'ms', `≤ 15 ms; floor (plain SQL) ${median(5, () => plain.all()).toFixed(2)} ms`);
    report('contacts (1M): the block at 500,000 as the table asks it (no count)', median(5, () => repo.query({}, 500_000, 200, false)), 'ms');
    report('contacts (1M): the block at 500,000 with its count', median(5, () => repo.query({}, 500_000, 200)), 'ms', `floor (the ids alone, no count) ${median(5, () => idsOnly.all(500_000)).toFixed(2)} ms`);
    report('contacts (1M): active only, first block with its count', median(5, () => repo.query({ status: 'active' }, 0, 200)), 'ms');
    const like = db.prepare("SELECT id FROM contacts WHERE name_key LIKE '%ramirez%' ORDER BY id LIMIT 200").pluck();
    const likeAll = db.prepare("SELECT COUNT(*) FROM contacts WHERE name_key LIKE '%cliente 4242%'").pluck();
    report('contacts (1M): search a name ("cliente 4242", 111 people) with its count', median(3, () => repo.query({ search: 'cliente 4242' }, 0, 200)), 'ms', `≤ 25 ms; LIKE on the table ${median(3, () => likeAll.get()).toFixed(2)} ms`);
    report('contacts (1M): search a phone ("5500987654")', median(3, () => repo.query({ search: '5500987654' }, 0, 200)), 'ms', '≤ 25 ms');
    // A surname one contact in twelve has: every match is read to count them.
    report('contacts (1M): search a surname 83,333 people have, with its count', median(3, () => repo.query({ search: 'ramírez' }, 0, 200)), 'ms', `LIKE on the table, first 200 only: ${median(3, () => like.all()).toFixed(2)} ms`);
    // The table's queries run on a thread of their own: the main thread's loop, held by the search above when run
    // here, is free while the thread answers.
    const queries = new ContactQueries(path.join(dir, 'whatzme.db'), repo, createLogger(dir).logger);
    await queries.query({}, 0, 200, true);
    // The longest gap between ticks of a 1 ms timer while the search runs: how long the loop was held.
    const held = async (run: () => Promise<unknown>) => {
      let last = performance.now();
      let longest = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
      }, 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
      await run();
      await new Promise((resolve) => setTimeout(resolve, 10));
      clearInterval(ticker);
      return longest;
    };
    const onThread = await held(() => queries.query({ search: 'ramírez' }, 0, 200, true));
    const here = await held(async () => repo.query({ search: 'ramírez' }, 0, 200, true));
    report('contacts (1M): longest loop hold during that surname search', onThread, 'ms', `≤ 20 ms; run on the main thread ${here.toFixed(0)} ms`);
    await queries.close();
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function fill(db: Db): void {
  const insert = db.prepare('INSERT INTO contacts (phone, name, name_key, fields, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)');
  const optOut = db.prepare("INSERT INTO opt_outs (phone, source, created_at) VALUES (?, 'reply', 0)");
  db.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      const name = `Cliente ${i} ${SURNAMES[i % SURNAMES.length]}`;
      const phone = `+52${String(5500000000 + i)}`;
      insert.run(phone, name, searchKey(name), '{"Ciudad":"Monterrey"}');
      if (i % 50 === 0) optOut.run(phone);
    }
  })();
}
