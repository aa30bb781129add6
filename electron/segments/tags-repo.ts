import type { AutoTag, Tag } from '../../shared/segments';
import { AppError } from '../core/app-error';
import { statement, type Db } from '../db';
import { logTagged, RETURNING_TAGGED, type Tagged } from './tag-log';

type DbTag = { id: number; name: string; auto: AutoTag | null; created_at: number; count: number };

const fromDb = (row: DbTag): Tag => ({ id: row.id, name: row.name, auto: row.auto, count: row.count, createdAt: row.created_at });

const SELECT = 'SELECT t.id, t.name, t.auto, t.created_at, (SELECT COUNT(*) FROM contact_tags ct WHERE ct.tag_id = t.id) AS count FROM tags t';

/** Tags and who carries them. Names are unique whatever their capitals ("VIP" and "vip" are one tag). */
export class TagsRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  list(): Tag[] {
    return (statement(this.db, `${SELECT} ORDER BY t.name COLLATE NOCASE`).all() as DbTag[]).map(fromDb);
  }

  get(id: number): Tag {
    const row = statement(this.db, `${SELECT} WHERE t.id = ?`).get(id) as DbTag | undefined;
    if (!row) throw new AppError('not_found', `no tag ${id}`, 'tagId');
    return fromDb(row);
  }

  /** Creating a tag that exists (by name) answers it: a repeated click or an import's column finds the same tag. */
  create(name: string): Tag {
    const clean = name.trim();
    statement(this.db, 'INSERT OR IGNORE INTO tags (name, created_at) VALUES (?, ?)').run(clean, this.now());
    return this.get(statement(this.db, 'SELECT id FROM tags WHERE name = ?').pluck().get(clean) as number);
  }

  rename(id: number, name: string): Tag {
    this.get(id);
    const taken = statement(this.db, 'SELECT id FROM tags WHERE name = ? AND id != ?').pluck().get(name.trim(), id);
    if (taken !== undefined) throw new AppError('tag_exists', `a tag named ${name} exists`, 'name');
    statement(this.db, 'UPDATE tags SET name = ? WHERE id = ?').run(name.trim(), id);
    return this.get(id);
  }

  /** The tag and every contact's link to it go; the contacts stay. Segments that used it are told by their check. */
  delete(id: number): { id: number } {
    this.get(id);
    statement(this.db, 'DELETE FROM tags WHERE id = ?').run(id);
    return { id };
  }

  /** Tags contacts (unknown ids ignored; already tagged ones keep their first source and time). */
  add(tagId: number, contactIds: number[], source: string): number {
    this.get(tagId);
    const insert = statement(this.db, `INSERT OR IGNORE INTO contact_tags (tag_id, contact_id, source, added_at) SELECT ?, id, ?, ? FROM contacts WHERE id = ? ${RETURNING_TAGGED}`);
    const now = this.now();
    return this.db.transaction(() =>
      contactIds.reduce((n, id) => {
        const tagged = insert.get(tagId, source, now, id) as Tagged | undefined;
        logTagged(this.db, tagged);
        return n + (tagged ? 1 : 0);
      }, 0),
    )();
  }

  /** Tags the contact with this phone by the tag's name (made if new); no contact with that phone, nothing. */
  tagPhone(name: string, phone: string, source: string): boolean {
    const contact = statement(this.db, 'SELECT id FROM contacts WHERE phone = ?').pluck().get(phone) as number | undefined;
    return contact !== undefined && this.add(this.create(name).id, [contact], source) > 0;
  }

  remove(tagId: number, contactIds: number[]): number {
    this.get(tagId);
    const del = statement(this.db, 'DELETE FROM contact_tags WHERE tag_id = ? AND contact_id = ?');
    return this.db.transaction(() => contactIds.reduce((n, id) => n + del.run(tagId, id).changes, 0))();
  }

  /**
   * The tag the app sets on an event (per campaign for replies and reads), made at its first use with the name the
   * user reads; a name already taken by the user's own tag gets a number after it.
   */
  autoTag(auto: AutoTag, campaignId: number | null, name: string): number {
    const found = statement(this.db, 'SELECT id FROM tags WHERE auto = ? AND COALESCE(campaign_id, 0) = ?').pluck().get(auto, campaignId ?? 0) as number | undefined;
    if (found !== undefined) return found;
    const taken = statement(this.db, 'SELECT 1 FROM tags WHERE name = ?').pluck();
    let unique = name;
    for (let n = 2; taken.get(unique) !== undefined; n++) unique = `${name} (${n})`;
    return Number(statement(this.db, 'INSERT INTO tags (name, auto, campaign_id, created_at) VALUES (?, ?, ?, ?)').run(unique, auto, campaignId, this.now()).lastInsertRowid);
  }
}
