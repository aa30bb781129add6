/** An import's list and its record: the list it fills (found or made), and the record written once every contact is in. */
import { AppError } from '../../core/app-error';
import type { Db } from '../../db';
import type { ImportCounts } from './import-reader';
import { otherValuesField } from './multi-value';

/** What the import's record keeps of its request. */
type RecordRequest = {
  fileName: string;
  headers: string[];
  phoneColumn: number;
  fieldColumns: number[];
  existing?: string | undefined;
  runKey?: string | undefined;
  consent?: { source: string; agreed: boolean } | undefined;
};

/** The import's list: an existing one by id, or a new one by name (refused if the name is taken). */
export function resolveList(db: Db, list: { id: number } | { name: string }, now: number): number {
  if ('id' in list) {
    const found = db.prepare('SELECT id FROM lists WHERE id = ?').pluck().get(list.id) as number | undefined;
    if (found === undefined) throw new AppError('not_found', `no list ${list.id}`, 'list.id');
    return found;
  }
  const taken = db.prepare('SELECT id FROM lists WHERE name = ?').pluck().get(list.name);
  if (taken !== undefined) throw new AppError('list_exists', `a list named ${list.name} exists`, 'list.name');
  return Number(db.prepare('INSERT INTO lists (name, created_at) VALUES (?, ?)').run(list.name, now).lastInsertRowid);
}

/**
 * The import's record and its fields, written once every contact is in; the run names it, which keeps it out of
 * the user's sight (history, summary) until its refused rows are all copied.
 */
export function openImportRecord(db: Db, r: RecordRequest, counts: ImportCounts, merge: { listId: number; runId: number; updated: number }, now: number): number {
  const fieldNames = r.fieldColumns.map((c) => r.headers[c]).filter((h): h is string => h !== undefined);
  if (counts.multiValue > 0) fieldNames.push(otherValuesField(r.headers[r.phoneColumn] ?? ''));
  const addField = db.prepare('INSERT OR IGNORE INTO contact_fields (name, created_at) VALUES (?, ?)');
  for (const name of fieldNames) addField.run(name, now);
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO imports (file_name, list_id, headers, total_rows, imported, updated, duplicates, rejected, repaired_lines, created_at, existing, run_key, consent_source, consent)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.fileName, merge.listId, JSON.stringify(r.headers), counts.rowsRead, counts.valid - merge.updated, merge.updated, counts.duplicates, counts.rejected, counts.repairedLines, now,
      r.existing ?? 'update', r.runKey ?? null, r.consent?.source ?? null, r.consent ? (r.consent.agreed ? 'yes' : 'no') : null,
    );
  const importId = Number(lastInsertRowid);
  db.prepare('UPDATE import_runs SET import_id = ? WHERE id = ?').run(importId, merge.runId);
  return importId;
}
