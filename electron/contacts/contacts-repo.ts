import type { Statement } from 'better-sqlite3';
import type { Contact, ContactFilter, ContactList } from '../../shared/contacts';
import { AppError } from '../core/app-error';
import { statement, type Db } from '../db';
import { normalizePhone, type CountryCode } from '../phones';
import { searchKey } from '../../shared/search-key';
import type { SegmentRules } from '../../shared/segments';
import { segmentWhere } from '../segments/segment-sql';

/** A filter as the queries read it: a segment named by id comes with its rules and the moment they are judged at. */
export type ResolvedFilter = Omit<ContactFilter, 'segmentId'> & { segment?: { rules: SegmentRules; now: number } };

/** A contacts row joined with its opt-out, as SQLite returns it. */
type DbContact = {
  id: number;
  phone: string;
  name: string | null;
  fields: string;
  wa_status: Contact['waStatus'];
  created_at: number;
  updated_at: number;
  opted_out_at: number | null;
  consent: Contact['consent'];
  consent_source: Contact['consentSource'];
  consent_at: number | null;
};

function fromDb(row: DbContact): Contact {
  return {
    id: row.id,
    phone: row.phone,
    name: row.name,
    fields: JSON.parse(row.fields) as Record<string, string>,
    waStatus: row.wa_status,
    optedOut: row.opted_out_at !== null,
    optedOutAt: row.opted_out_at,
    consent: row.consent,
    consentSource: row.consent_source,
    consentAt: row.consent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const COLUMNS = 'c.id, c.phone, c.name, c.fields, c.wa_status, c.created_at, c.updated_at, c.consent, c.consent_source, c.consent_at, o.created_at AS opted_out_at';
const SELECT = `SELECT ${COLUMNS} FROM contacts c LEFT JOIN opt_outs o ON o.phone = c.phone`;
const UNINDEXED = 'id > (SELECT upto FROM contact_search_state)';

/**
 * The contacts a filter reads from (`from`, always naming them `c`), what it joins and its WHERE clause, with their
 * parameters; shared by the table, its count and exports. A search of three letters and more (with no LIKE
 * wildcard in it) reads the matching ids from the trigram index (#34) — plus the rows above its mark from the table,
 * contacts not indexed yet (see ContactSearchIndexer) — and only then those contacts: the ids drive the query
 * (CROSS JOIN keeps them the outer loop), or SQLite walks the whole table in id order to fill a block.
 */
export function filterSql(filter: ResolvedFilter): { from: string; join: string; where: string; params: Record<string, unknown> } {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  let from = 'contacts c';
  let join = '';
  if (filter.listId) {
    join = ' JOIN list_members m ON m.contact_id = c.id AND m.list_id = @listId';
    params.listId = filter.listId;
  }
  const search = filter.search?.trim();
  if (search) {
    const digits = search.replace(/\D/g, '');
    const key = searchKey(search);
    // Case and accents do not matter: "maria", "MARÍA" and "María" find the same contacts (name_key is folded).
    params.name = `%${key.replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
    if (digits.length >= 3) params.digits = `%${digits}%`;
    if (key.length >= 3 && !/[%_\\]/.test(key)) {
      const byName = `SELECT rowid AS id FROM contact_search WHERE name_key LIKE @name UNION SELECT id FROM contacts WHERE ${UNINDEXED} AND name_key LIKE @name`;
      const byPhone = `SELECT rowid AS id FROM contact_search WHERE phone LIKE @digits UNION SELECT id FROM contacts WHERE ${UNINDEXED} AND phone LIKE @digits`;
      from = `(${digits.length >= 3 ? `${byName} UNION ${byPhone}` : byName}) AS hit CROSS JOIN contacts c ON c.id = hit.id`;
    } else {
      conditions.push(digits.length >= 3 ? "(c.name_key LIKE @name ESCAPE '\\' OR c.phone LIKE @digits)" : "c.name_key LIKE @name ESCAPE '\\'");
    }
  }
  if (filter.tagId) {
    conditions.push('c.id IN (SELECT contact_id FROM contact_tags WHERE tag_id = @tagId)');
    params.tagId = filter.tagId;
  }
  if (filter.segment) {
    const part = segmentWhere(filter.segment.rules, filter.segment.now);
    conditions.push(part.sql);
    Object.assign(params, part.params);
  }
  switch (filter.status) {
    case 'active':
      conditions.push("o.phone IS NULL AND c.wa_status != 'not_on_whatsapp'");
      break;
    case 'opted_out':
      conditions.push('o.phone IS NOT NULL');
      break;
    case 'not_on_whatsapp':
      conditions.push("c.wa_status = 'not_on_whatsapp'");
      break;
    default:
      break;
  }
  return { from, join, where: conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '', params };
}

/** The opt-outs joined only when the filter reads them (a million rows joined for nothing took 45 ms to count). */
const optOutJoin = (where: string) => (where.includes('o.phone') ? ' LEFT JOIN opt_outs o ON o.phone = c.phone' : '');

export class ContactsRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /**
   * One block of the table. The rows are found by id first (a walk of the id index only, then the block's rows
   * looked up: a block at 500,000 reads 200 contacts, not 500,200), and the count only when asked — the table asks
   * it once per filter, not again for every block it scrolls to (#34).
   */
  query(filter: ResolvedFilter, offset: number, limit: number, withTotal = true): { total?: number; rows: Contact[] } {
    const sql = filterSql(filter);
    const { from, join, where, params } = sql;
    const rows = statement(
      this.db,
      `${SELECT} WHERE c.id IN (SELECT c.id FROM ${from}${optOutJoin(where)}${join}${where} ORDER BY c.id LIMIT @limit OFFSET @offset) ORDER BY c.id`,
    ).all({ ...params, limit, offset }) as DbContact[];
    const page = rows.map(fromDb);
    return withTotal ? { total: this.count(sql, filter), rows: page } : { rows: page };
  }

  /** The ids matching a filter, the first `limit` of them, and how many match in all (the table's "select all"). */
  ids(filter: ResolvedFilter, limit: number): { total: number; ids: number[] } {
    const sql = filterSql(filter);
    const { from, join, where, params } = sql;
    const ids = this.db.prepare(`SELECT c.id FROM ${from}${optOutJoin(where)}${join}${where} ORDER BY c.id LIMIT @limit`).pluck().all({ ...params, limit }) as number[];
    return { total: this.count(sql, filter), ids };
  }

  /**
   * How many contacts match. All contacts by status (no search, no list) are counted from the few that are opted out
   * or not on WhatsApp, not by joining every contact with the opt-outs (195 ms on a million, #34).
   */
  private count({ from, join, where, params }: ReturnType<typeof filterSql>, filter: ResolvedFilter): number {
    if (!filter.listId && !filter.tagId && !filter.segment && !filter.search?.trim() && filter.status && filter.status !== 'all') {
      const optedOut = 'SELECT COUNT(*) FROM opt_outs o JOIN contacts c ON c.phone = o.phone';
      const notOnWhatsApp = "SELECT COUNT(*) FROM contacts c INDEXED BY contacts_not_on_whatsapp WHERE c.wa_status = 'not_on_whatsapp'";
      const counted = {
        opted_out: optedOut,
        not_on_whatsapp: notOnWhatsApp,
        active: `SELECT (SELECT COUNT(*) FROM contacts) - (${optedOut}) - (${notOnWhatsApp} AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = c.phone))`,
      }[filter.status];
      return statement(this.db, counted).pluck().get() as number;
    }
    return statement(this.db, `SELECT COUNT(*) FROM ${from}${optOutJoin(where)}${join}${where}`).pluck().get(params) as number;
  }

  /** The highest contact id: how many contacts there are, about (ids grow; a read of the index's last entry). */
  largestId(): number {
    return statement(this.db, 'SELECT COALESCE(MAX(id), 0) FROM contacts').pluck().get() as number;
  }

  /** The next page after a contact id (keyset paging), so long exports can yield between pages. */
  pageAfter(filter: ResolvedFilter, afterId: number, limit: number): Contact[] {
    const { from, join, where, params } = filterSql(filter);
    const after = where ? `${where} AND c.id > @afterId` : ' WHERE c.id > @afterId';
    return (this.db.prepare(`SELECT ${COLUMNS} FROM ${from} LEFT JOIN opt_outs o ON o.phone = c.phone${join}${after} ORDER BY c.id LIMIT @limit`).all({ ...params, afterId, limit }) as DbContact[]).map(fromDb);
  }

  get(id: number): Contact {
    const row = this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as DbContact | undefined;
    if (!row) throw new AppError('not_found', `no contact ${id}`, 'id');
    return fromDb(row);
  }

  detail(id: number) {
    const contact = this.get(id);
    const lists = this.db
      .prepare('SELECT l.id, l.name FROM lists l JOIN list_members m ON m.list_id = l.id WHERE m.contact_id = ? ORDER BY l.name')
      .all(id) as { id: number; name: string }[];
    const optOutLog = this.db
      .prepare('SELECT action, source, actor, at FROM opt_out_log WHERE phone = ? ORDER BY at DESC, id DESC')
      .all(contact.phone) as { action: 'opt_out' | 'undo'; source: string; actor: string | null; at: number }[];
    const tags = statement(this.db, 'SELECT t.id, t.name, t.auto FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY t.name COLLATE NOCASE').all(id) as {
      id: number;
      name: string;
      auto: string | null;
    }[];
    return { ...contact, lists, tags, optOutLog };
  }

  update(id: number, patch: { name?: string | null; phone?: string; fields?: Record<string, string> }, country: CountryCode): Contact {
    const current = this.get(id);
    let phone = current.phone;
    if (patch.phone !== undefined) {
      const normalized = normalizePhone(patch.phone, country);
      if (!normalized.ok) throw new AppError('invalid_input', `phone: ${normalized.reason}`, 'phone');
      phone = normalized.e164;
      const other = this.db.prepare('SELECT id FROM contacts WHERE phone = ? AND id != ?').pluck().get(phone, id);
      if (other !== undefined) throw new AppError('phone_taken', `another contact has ${phone}`, 'phone');
    }
    const name = patch.name === undefined ? current.name : patch.name?.trim() || null;
    const fields = patch.fields ?? current.fields;
    this.db.transaction(() => {
      this.db.prepare('UPDATE contacts SET phone = ?, name = ?, name_key = ?, fields = ?, updated_at = ? WHERE id = ?').run(phone, name, searchKey(name), JSON.stringify(fields), this.now(), id);
      // A field added by hand is a field like an imported one: in the editor's menu, the checks and the exports.
      const register = this.db.prepare('INSERT OR IGNORE INTO contact_fields (name, created_at) VALUES (?, ?)');
      for (const field of Object.keys(fields)) if (field.trim() !== '') register.run(field.trim(), this.now());
    })();
    return this.get(id);
  }

  delete(ids: number[]): number {
    const del = this.db.prepare('DELETE FROM contacts WHERE id = ?');
    return this.db.transaction(() => ids.reduce((n, id) => n + del.run(id).changes, 0))();
  }

  /** Records an opt-out by phone; it outlives the contact and every import. */
  /** Told of every opt-out and every undo, once recorded (the automatic tags listen). */
  readonly optOutListeners: ((phone: string, optedOut: boolean) => void)[] = [];

  optOut(phone: string, source: 'manual' | 'reply', actor: string | null, detail: string | null = null): boolean {
    const added = this.db.transaction(() => {
      const changes = this.db
        .prepare('INSERT OR IGNORE INTO opt_outs (phone, source, detail, created_at) VALUES (?, ?, ?, ?)')
        .run(phone, source, detail, this.now()).changes;
      if (changes) this.log(phone, 'opt_out', source, actor);
      return changes > 0;
    })();
    if (added) for (const listener of this.optOutListeners) listener(phone, true);
    return added;
  }

  undoOptOut(phone: string, actor: string): void {
    const undone = this.db.transaction(() => {
      const changes = this.db.prepare('DELETE FROM opt_outs WHERE phone = ?').run(phone).changes;
      if (changes) this.log(phone, 'undo', 'manual', actor);
      return changes > 0;
    })();
    if (undone) for (const listener of this.optOutListeners) listener(phone, false);
  }

  private optedOutStatement: Statement | undefined;

  /** Asked before every send of every campaign: prepared once. */
  isOptedOut(phone: string): boolean {
    this.optedOutStatement ??= this.db.prepare('SELECT 1 FROM opt_outs WHERE phone = ?');
    return this.optedOutStatement.get(phone) !== undefined;
  }

  fieldNames(): string[] {
    return this.db.prepare('SELECT name FROM contact_fields ORDER BY name COLLATE NOCASE').pluck().all() as string[];
  }

  setWaStatus(id: number, status: Contact['waStatus']): void {
    this.db.prepare('UPDATE contacts SET wa_status = ?, wa_checked_at = ? WHERE id = ?').run(status, this.now(), id);
  }

  // Lists -------------------------------------------------------------------------------------------

  lists(): ContactList[] {
    return (
      this.db
        .prepare('SELECT l.id, l.name, l.created_at, (SELECT COUNT(*) FROM list_members m WHERE m.list_id = l.id) AS count FROM lists l ORDER BY l.name COLLATE NOCASE')
        .all() as { id: number; name: string; created_at: number; count: number }[]
    ).map((l) => ({ id: l.id, name: l.name, count: l.count, createdAt: l.created_at }));
  }

  list(id: number): ContactList {
    const found = this.lists().find((l) => l.id === id);
    if (!found) throw new AppError('not_found', `no list ${id}`, 'id');
    return found;
  }

  createList(name: string): ContactList {
    this.assertListNameFree(name);
    const id = Number(this.db.prepare('INSERT INTO lists (name, created_at) VALUES (?, ?)').run(name, this.now()).lastInsertRowid);
    return this.list(id);
  }

  renameList(id: number, name: string): ContactList {
    this.list(id);
    this.assertListNameFree(name, id);
    this.db.prepare('UPDATE lists SET name = ? WHERE id = ?').run(name, id);
    return this.list(id);
  }

  /** Deletes the list, not its contacts. */
  deleteList(id: number): void {
    this.list(id);
    this.db.prepare('DELETE FROM lists WHERE id = ?').run(id);
  }

  addMembers(listId: number, contactIds: number[]): number {
    this.list(listId);
    const add = this.db.prepare('INSERT OR IGNORE INTO list_members (list_id, contact_id, added_at) SELECT ?, id, ? FROM contacts WHERE id = ?');
    return this.db.transaction(() => contactIds.reduce((n, id) => n + add.run(listId, this.now(), id).changes, 0))();
  }

  removeMembers(listId: number, contactIds: number[]): number {
    this.list(listId);
    const remove = this.db.prepare('DELETE FROM list_members WHERE list_id = ? AND contact_id = ?');
    return this.db.transaction(() => contactIds.reduce((n, id) => n + remove.run(listId, id).changes, 0))();
  }

  private assertListNameFree(name: string, except?: number): void {
    const taken = this.db.prepare('SELECT id FROM lists WHERE name = ?').pluck().get(name) as number | undefined;
    if (taken !== undefined && taken !== except) throw new AppError('list_exists', `a list named ${name} exists`, 'name');
  }

  private log(phone: string, action: 'opt_out' | 'undo', source: string, actor: string | null): void {
    this.db.prepare('INSERT INTO opt_out_log (phone, action, source, actor, at) VALUES (?, ?, ?, ?, ?)').run(phone, action, source, actor, this.now());
  }
}
