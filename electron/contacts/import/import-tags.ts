import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Db } from '../../db';
import { logTagged, RETURNING_TAGGED, type Tagged } from '../../segments/tag-log';

const TAG_BATCH = 2000;

/** What the tag pass needs of an import's run: its staged rows (by id or by phone), and a way to wait for disk room. */
export type TagPass = {
  db: Db;
  /** The file's tags column, if the user chose one. */
  field: string | undefined;
  key: 'id' | 'phone';
  now: number;
  stopped: () => boolean;
  withRoom: <T>(write: () => T) => Promise<T | 'stopped'>;
};

/** The tags' column, split into tags on each contact of the file, TAG_BATCH rows a transaction. */
export async function applyImportTags(run: TagPass): Promise<'stopped' | undefined> {
const { db, field, key, now } = run;
  if (!field) return undefined;
  const page = db.prepare(`SELECT ${key} AS k, phone, json_extract(fields, ?) AS tags FROM staging.rows WHERE ${key} > ? ORDER BY ${key} LIMIT ${TAG_BATCH}`);
  const makeTag = db.prepare('INSERT OR IGNORE INTO tags (name, created_at) VALUES (?, ?)');
  const tagId = db.prepare('SELECT id FROM tags WHERE name = ?').pluck();
  const link = db.prepare(`INSERT OR IGNORE INTO contact_tags (tag_id, contact_id, source, added_at) SELECT ?, id, 'import', ? FROM contacts WHERE phone = ? ${RETURNING_TAGGED}`);
  const ids = new Map<string, number>();
  const idOf = (name: string) => {
    const known = ids.get(name.toLowerCase());
    if (known !== undefined) return known;
    makeTag.run(name, now);
    const id = tagId.get(name) as number;
    ids.set(name.toLowerCase(), id);
    return id;
  };
  const path = `$."${field.replace(/"/g, '')}"`;
  let after: string | number = key === 'phone' ? '' : 0;
  for (;;) {
    if (run.stopped()) return 'stopped';
    const rows = page.all(path, after) as { k: string | number; phone: string; tags: string | null }[];
    if (rows.length === 0) return undefined;
    const done = await run.withRoom(() =>
      db.transaction(() => {
        for (const row of rows) {
          for (const name of new Set((row.tags ?? '').split(/[,;|]/).map((x) => x.trim().slice(0, 60)).filter((x) => x !== ''))) {
            logTagged(db, link.get(idOf(name), now, row.phone) as Tagged | undefined);
          }
        }
      })(),
    );
    if (done === 'stopped') return 'stopped';
    after = rows[rows.length - 1]!.k;
    await yieldToLoop();
  }
}
