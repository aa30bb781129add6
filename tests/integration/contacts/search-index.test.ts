import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContactQueries, ContactSearchIndexer, ContactsRepo } from '../../../electron/contacts';
import { createLogger } from '../../../electron/core/logger';
import { openDatabase, type Db } from '../../../electron/db';
import { searchKey } from '../../../shared/search-key';
import { tempDir } from '../../helpers/temp-dir';

/**
 * The contacts' trigram search index (#34) on a real SQLite file: a contact is found from the moment it exists
 * (read from the table until the background indexer reaches it, from the index after), and deletions, edits and a
 * reused id are kept in step by the triggers.
 */
let db: Db | undefined;
afterEach(() => db?.close());

function add(d: Db, name: string, phone: string): number {
  return Number(d.prepare('INSERT INTO contacts (phone, name, name_key, fields, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)').run(phone, name, searchKey(name), '{}').lastInsertRowid);
}

describe('searching contacts through the trigram index', () => {
  it('finds new, indexed, edited and reused-id contacts by any part of the name or phone, and never a deleted one', async () => {
    db = openDatabase(path.join(tempDir(), 'whatzme.db'));
    const repo = new ContactsRepo(db, () => 0);
    const indexer = new ContactSearchIndexer(db);
    const names = (search: string) => repo.query({ search }, 0, 50).rows.map((c) => c.name);
    for (let i = 0; i < 4500; i++) add(db, `Cliente ${i} Pérez`, `+52${String(5500000000 + i)}`);
    const maria = add(db, 'María Ñúñez Ramírez', '+528123456789');
    // Not indexed yet: found from the table.
    expect(indexer.upto()).toBe(0);
    expect(names('ramirez')).toEqual(['María Ñúñez Ramírez']);
    await indexer.settled();
    expect(indexer.upto()).toBe(maria);
    expect(db.prepare("SELECT rowid FROM contact_search WHERE name_key LIKE '%ramirez%'").pluck().all()).toEqual([maria]);
    for (const typed of ['RAMÍREZ', 'ñuñez', 'maria n', '8123 456', '528123']) expect(names(typed), typed).toEqual(['María Ñúñez Ramírez']);
    expect(repo.query({ search: 'pérez' }, 0, 10).total).toBe(4500);
    // "Cliente 449" and 4490–4499 by name; 1449, 2449 and 3449 by the digits in their phones.
    expect(repo.query({ search: 'cliente 449' }, 0, 50).total).toBe(15);
    // Short searches and LIKE's own characters read the table, as before.
    expect(names('ñu')).toEqual(['María Ñúñez Ramírez']);
    expect(repo.query({ search: 'pé%_' }, 0, 10).total).toBe(0);
    // An edit: the new name is found, the old one no longer.
    repo.update(maria, { name: 'María Ñúñez Solís' }, 'MX');
    expect(names('ramirez')).toEqual([]);
    expect(names('solis')).toEqual(['María Ñúñez Solís']);
    // Deleted: never found; the highest id, once deleted, is given again by SQLite — and found under its new name.
    db.prepare('DELETE FROM contacts WHERE id = ?').run(maria);
    expect(names('solis')).toEqual([]);
    const reused = add(db, 'Rogelio Treviño', '+528111112222');
    expect(reused).toBe(maria);
    expect(names('trevino')).toEqual(['Rogelio Treviño']);
    expect(db.prepare("SELECT rowid FROM contact_search WHERE name_key LIKE '%trevino%'").pluck().all()).toEqual([reused]);
    // The search reads the index: the query plan says so.
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT rowid FROM contact_search WHERE name_key LIKE '%trevino%'").all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toContain('VIRTUAL TABLE');
    // The index agrees with the table, row for row.
    expect(db.prepare("INSERT INTO contact_search (contact_search, rank) VALUES ('integrity-check', 1)").run().changes).toBeGreaterThanOrEqual(0);
  });

  it('counts contacts by status from the few opted out or not on WhatsApp, as the rows say', () => {
    db = openDatabase(path.join(tempDir(), 'whatzme.db'));
    const repo = new ContactsRepo(db, () => 0);
    const ids = Array.from({ length: 300 }, (_, i) => add(db as Db, `Cliente ${i}`, `+52${String(5500000000 + i)}`));
    for (const id of ids.filter((_, i) => i % 7 === 0)) db.prepare("UPDATE contacts SET wa_status = 'not_on_whatsapp' WHERE id = ?").run(id);
    for (const id of ids.filter((_, i) => i % 5 === 0)) db.prepare("INSERT INTO opt_outs (phone, source, created_at) SELECT phone, 'manual', 0 FROM contacts WHERE id = ?").run(id);
    // An opt-out of a phone no contact has counts for nobody.
    db.prepare("INSERT INTO opt_outs (phone, source, created_at) VALUES ('+529999999999', 'reply', 0)").run();
    for (const status of ['active', 'opted_out', 'not_on_whatsapp', 'all'] as const) {
      const walked = repo.query({ status }, 0, 500).rows.length;
      expect(repo.query({ status }, 0, 10).total, status).toBe(walked);
    }
    expect(repo.query({ status: 'active' }, 0, 10).total).toBe(300 - 60 - 43 + 9);
  });

  it("answers the table from a thread of its own once there are many contacts, the same rows as here", async () => {
    const dir = tempDir();
    db = openDatabase(path.join(dir, 'whatzme.db'));
    const repo = new ContactsRepo(db, () => 0);
    const logs = createLogger(dir);
    const queries = new ContactQueries(path.join(dir, 'whatzme.db'), repo, logs.logger);
    try {
      add(db, 'Ana Pérez', '+525511112222');
      // Few contacts: read here, no thread.
      expect((await queries.query({ search: 'pérez' }, 0, 10, true)).total).toBe(1);
      expect(queries.threaded).toBe(false);
      const insert = db.prepare('INSERT INTO contacts (phone, name, name_key, fields, created_at, updated_at) VALUES (?, ?, ?, ?, 0, 0)');
      db.transaction(() => {
        for (let i = 0; i < 50_000; i++) insert.run(`+52${String(5600000000 + i)}`, `Cliente ${i}`, `cliente ${i}`, '{}');
      })();
      for (const [filter, offset] of [[{ search: 'cliente 4242' }, 0], [{}, 30_000], [{ status: 'active' as const }, 10]] as const) {
        expect(await queries.query(filter, offset, 50, true)).toEqual(repo.query(filter, offset, 50, true));
      }
      expect(queries.threaded).toBe(true);
      // What the main connection commits next is what the thread reads.
      add(db, 'Zoila Ríos', '+525533334444');
      expect((await queries.query({ search: 'zoila' }, 0, 10, true)).rows.map((c) => c.name)).toEqual(['Zoila Ríos']);
    } finally {
      await queries.close();
      logs.close();
    }
  }, 60_000);
});
