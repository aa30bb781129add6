import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContactsRepo } from '../electron/contacts';
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
    const repo = new ContactsRepo(db, () => Date.now());
    const plain = db.prepare('SELECT * FROM contacts ORDER BY id LIMIT 200');
    const idsOnly = db.prepare('SELECT id FROM contacts ORDER BY id LIMIT 200 OFFSET ?').pluck();
    report('contacts (1M): first block with its count', median(5, () => repo.query({}, 0, 200)), 'ms', `≤ 15 ms; floor (plain SQL) ${median(5, () => plain.all()).toFixed(2)} ms`);
    report('contacts (1M): the block at 500,000 as the table asks it (no count)', median(5, () => repo.query({}, 500_000, 200, false)), 'ms');
    report('contacts (1M): the block at 500,000 with its count', median(5, () => repo.query({}, 500_000, 200)), 'ms', `floor (the ids alone, no count) ${median(5, () => idsOnly.all(500_000)).toFixed(2)} ms`);
    report('contacts (1M): active only, first block with its count', median(5, () => repo.query({ status: 'active' }, 0, 200)), 'ms');
    report('contacts (1M): search a surname ("ramírez")', median(3, () => repo.query({ search: 'ramírez' }, 0, 200)), 'ms', '≤ 25 ms');
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
