import type { Db } from '../db';
import { quoted, tablesOf } from './backup-schema';

/** Live tables a restore leaves as they are: the answers this computer's callers were given. */
const KEPT = new Set(['command_results']);
/** Kept by triggers on replies and answers (#33): copied after them, so the restored rows are what stays. */
const LAST = new Set(['conversations']);

/**
 * Puts a whole restored database (built aside, checked) in place of the live rows, in one transaction on the live
 * connection: every service keeps its connection and statements, and a failure rolls back to the live data. Both
 * files have the app's own schema at the same version, so the tables match column for column; foreign keys were
 * checked on the aside file, and are off meanwhile so deleting a parent cascades nothing.
 */
export function swapIn(db: Db, asideFile: string): void {
  db.prepare('ATTACH DATABASE ? AS aside').run(asideFile);
  db.pragma('foreign_keys = OFF');
  try {
    const live = tablesOf(db, 'main');
    const restored = tablesOf(db, 'aside');
    db.transaction(() => {
      // The search index (not a table `tablesOf` lists) is emptied first, so its triggers do nothing while the
      // contacts are replaced; the indexer reads them all again after.
      db.exec("UPDATE main.contact_search_state SET upto = 0; INSERT INTO main.contact_search (contact_search) VALUES ('delete-all')");
      const ordered = [...live].sort(([a], [b]) => Number(LAST.has(a)) - Number(LAST.has(b)));
      for (const [table, columns] of ordered) {
        if (KEPT.has(table)) continue;
        if (restored.get(table)?.join() !== columns.join()) throw new Error(`restored table ${table} differs from the live one`);
        const list = columns.map(quoted).join(', ');
        db.exec(`DELETE FROM main.${quoted(table)}`);
        db.exec(`INSERT INTO main.${quoted(table)} (${list}) SELECT ${list} FROM aside.${quoted(table)}`);
      }
    })();
  } finally {
    db.pragma('foreign_keys = ON');
    db.prepare('DETACH DATABASE aside').run();
  }
}
