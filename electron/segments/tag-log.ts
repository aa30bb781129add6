import { statement, type Db } from '../db';

/** A tag put on a contact: what an `INSERT … RETURNING` into contact_tags gives back. */
export type Tagged = { tag_id: number; contact_id: number; source: string; added_at: number };

/** What every insert into contact_tags returns: the row only when it was new (an `OR IGNORE` returns nothing). */
export const RETURNING_TAGGED = 'RETURNING tag_id, contact_id, source, added_at';

/** Records tags newly put on contacts, in the caller's transaction, for the webhooks' `contact.tagged`. */
export function logTagged(db: Db, tagged: Tagged | undefined): void {
  if (!tagged) return;
  statement(db, 'INSERT INTO tag_log (tag_id, contact_id, source, at) VALUES (?, ?, ?, ?)').run(tagged.tag_id, tagged.contact_id, tagged.source, tagged.added_at);
}
