import Database from 'better-sqlite3';
import { migrate, migrations, registerFunctions } from '../db';

/** Table → its columns, in order: the app's own schema at one version, as its migrations build it. */
export type Schema = Map<string, string[]>;

const built = new Map<number, Schema>();

/** The tables and columns the app's migrations make up to `version`, built once in memory (never from a backup). */
export function schemaAt(version: number): Schema {
  let schema = built.get(version);
  if (!schema) {
    const db = new Database(':memory:');
    try {
      registerFunctions(db);
      migrate(db, migrations.filter((m) => m.version <= version));
      schema = tablesOf(db, 'main');
    } finally {
      db.close();
    }
    built.set(version, schema);
  }
  return schema;
}

/**
 * The contacts' search index and its mark (#34): built from the contacts, never copied — a restore empties it and
 * the indexer builds it again from the restored contacts.
 */
export const isSearchIndex = (table: string) => table.startsWith('contact_search');

/** Real tables only (no views, no SQLite internals, no search index), with their columns: what a file holds as data. */
export function tablesOf(db: Database.Database, schemaName: string): Schema {
  const names = (db.prepare(`SELECT name FROM ${schemaName}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[]).filter(
    (name) => !isSearchIndex(name),
  );
  return new Map(names.map((name) => [name, (db.prepare(`SELECT name FROM pragma_table_info(?, ?)`).pluck().all(name, schemaName) as string[])]));
}

/** What a backup lacks of the schema its version promises: tables or columns; empty when it has them all. */
export function missingFrom(backup: Schema, expected: Schema): string[] {
  const missing: string[] = [];
  for (const [table, columns] of expected) {
    const has = backup.get(table);
    if (!has) missing.push(table);
    else for (const column of columns) if (!has.includes(column)) missing.push(`${table}.${column}`);
  }
  return missing;
}

/** A name as SQL quotes it (table and column names come from our own schema, quoted all the same). */
export const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
