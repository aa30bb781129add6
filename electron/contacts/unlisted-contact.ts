import type { Db } from '../db';
import { searchKey } from '../../shared/search-key';

/**
 * The contact id of a phone, made a contact (in no list) when the app did not know it — someone messaged from the
 * user's systems or answered in a chat — so their replies and opt-out are kept like anyone's. Another write may have
 * made it meanwhile (a download in between): that one is used.
 */
export function unlistedContactId(db: Db, phone: string, now: number): number {
  db.prepare("INSERT INTO contacts (phone, name, name_key, fields, created_at, updated_at) VALUES (?, NULL, ?, '{}', ?, ?) ON CONFLICT (phone) DO NOTHING").run(phone, searchKey(null), now, now);
  return db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck().get(phone) as number;
}
