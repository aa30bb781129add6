import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/app-error';
import { migrations, openDatabase, schemaVersion } from '../../../electron/db';
import { tempDir } from '../../helpers/temp-dir';

const latest = Math.max(...migrations.map((m) => m.version));

describe('openDatabase', () => {
  it('creates a fresh file with WAL, foreign keys, a busy timeout and the latest schema', () => {
    const file = path.join(tempDir(), 'whatzme.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name='settings'").get()).toBeTruthy();
    db.close();
  });

  it('rewrites serialized message ids to the key id WhatsApp keeps (0006), leaving other ids alone', () => {
    const file = path.join(tempDir(), 'whatzme.db');
    const db = openDatabase(file, migrations.filter((m) => m.version <= 5));
    db.exec("INSERT INTO campaigns (id, name, state, body, seed, settings, created_at, updated_at) VALUES (1, 'a', 'draft', 'b', 1, '{}', 0, 0)");
    const ids = ['true_5215512345678@c.us_3EB0ABC', 'true_123456@lid_3EB0DEF_out', 'SIM1_abc', 'false_1@c.us_XYZ_999@c.us'];
    for (const [i, id] of ids.entries()) db.prepare("INSERT INTO sends (campaign_id, contact_id, phone, text, state, message_id, updated_at) VALUES (1, ?, 'p', 't', 'sent', ?, 0)").run(i, id);
    db.close();
    const migrated = openDatabase(file);
    expect(migrated.prepare('SELECT message_id FROM sends ORDER BY id').pluck().all()).toEqual(['3EB0ABC', '3EB0DEF', 'SIM1_abc', 'XYZ']);
    expect(migrated.prepare("SELECT name FROM sqlite_master WHERE name = 'wa_chats'").pluck().get()).toBe('wa_chats');
    migrated.close();
  });

  it('folds the names already stored into the search key (0007), with the app\'s own fold', () => {
    const file = path.join(tempDir(), 'whatzme.db');
    const db = openDatabase(file, migrations.filter((m) => m.version <= 6));
    db.exec("INSERT INTO contacts (phone, name, fields, created_at, updated_at) VALUES ('+525512345678', 'José Pérez', '{}', 0, 0), ('+525512345679', NULL, '{}', 0, 0)");
    db.close();
    const migrated = openDatabase(file);
    expect(migrated.prepare('SELECT name_key FROM contacts ORDER BY id').pluck().all()).toEqual(['jose perez', '']);
    migrated.close();
  });

  it('is idempotent: reopening runs nothing again', () => {
    const file = path.join(tempDir(), 'whatzme.db');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(latest);
    db.close();
  });

  it('leaves the database exactly as it was when a migration fails', () => {
    const file = path.join(tempDir(), 'whatzme.db');
    openDatabase(file, migrations.slice(0, 1)).close();
    const before = new Database(file);
    before.prepare("INSERT INTO settings (key, value) VALUES ('language', '\"en\"')").run();
    before.close();

    const broken = [
      ...migrations.slice(0, 1),
      { version: 2, name: 'good', sql: 'CREATE TABLE fine (id INTEGER PRIMARY KEY);' },
      { version: 3, name: 'bad', sql: 'CREATE TABLE oops (id INTEGER PRIMARY KEY); INSERT INTO missing_table VALUES (1);' },
    ];
    let thrown: unknown;
    try {
      openDatabase(file, broken);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('migration_failed');
    expect((thrown as AppError).message).toMatch(/migration 3 \(bad\)/);

    const after = new Database(file);
    expect(schemaVersion(after)).toBe(1);
    const tables = after.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").all();
    expect(tables).toEqual([{ name: 'settings' }]);
    expect(after.prepare('SELECT value FROM settings').get()).toEqual({ value: '"en"' });
    after.close();
  });

  it('refuses a database from a newer version and does not touch it', () => {
    const file = path.join(tempDir(), 'whatzme.db');
    const db = new Database(file);
    db.pragma(`user_version = ${latest + 5}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'db_too_new' }));
    const again = new Database(file);
    expect(schemaVersion(again)).toBe(latest + 5);
    again.close();
  });

  it('has migrations numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });
});
