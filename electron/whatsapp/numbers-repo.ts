import type { WaLimits } from '../../shared/wa-limits';
import type { NumberView } from '../../shared/numbers';
import type { Db } from '../db';
import type { DriverErrorCode, NumberState } from './driver';

/** A `numbers` row as SQLite returns it. */
export type DbNumber = {
  id: string;
  label: string;
  kind: 'real' | 'demo' | 'cloud';
  phone: string | null;
  wa_name: string | null;
  state: NumberState;
  state_error: DriverErrorCode | null;
  state_detail: string | null;
  linked_at: number | null;
  created_at: number;
  updated_at: number;
  removed_at: number | null;
};

export function fromDb(row: DbNumber, qr: string | null, pairingCode: string | null = null, limits: WaLimits | null = null): NumberView {
  return {
    id: row.id,
    label: row.label,
    kind: row.kind,
    phone: row.phone,
    name: row.wa_name,
    state: row.state,
    error: row.state_error,
    detail: row.state_detail,
    qr: row.state === 'qr' ? qr : null,
    pairingCode: row.state === 'qr' ? pairingCode : null,
    linkedAt: row.linked_at,
    createdAt: row.created_at,
    limits,
  };
}

/** Persistence of linked numbers; a removed number keeps its row (campaign history points at it). */
export class NumbersRepo {
  constructor(private readonly db: Db) {}

  active(): DbNumber[] {
    return this.db.prepare('SELECT * FROM numbers WHERE removed_at IS NULL ORDER BY created_at, rowid').all() as DbNumber[];
  }

  get(id: string): DbNumber | undefined {
    return this.db.prepare('SELECT * FROM numbers WHERE id = ? AND removed_at IS NULL').get(id) as DbNumber | undefined;
  }

  insert(row: Pick<DbNumber, 'id' | 'label' | 'kind'>, now: number): DbNumber {
    this.db
      .prepare("INSERT INTO numbers (id, label, kind, state, created_at, updated_at) VALUES (?, ?, ?, 'stopped', ?, ?)")
      .run(row.id, row.label, row.kind, now, now);
    return this.get(row.id) as DbNumber;
  }

  setState(id: string, state: NumberState, error: DriverErrorCode | null, detail: string | null, now: number): void {
    this.db
      .prepare('UPDATE numbers SET state = ?, state_error = ?, state_detail = ?, updated_at = ? WHERE id = ?')
      .run(state, error, detail, now, id);
  }

  setLinked(id: string, phone: string, name: string | null, now: number): void {
    this.db
      .prepare('UPDATE numbers SET phone = ?, wa_name = ?, linked_at = COALESCE(linked_at, ?), updated_at = ? WHERE id = ?')
      .run(phone || null, name, now, now, id);
  }

  clearLink(id: string, now: number): void {
    this.db.prepare('UPDATE numbers SET linked_at = NULL, updated_at = ? WHERE id = ?').run(now, id);
  }

  rename(id: string, label: string, now: number): void {
    this.db.prepare('UPDATE numbers SET label = ?, updated_at = ? WHERE id = ?').run(label, now, id);
  }

  markRemoved(id: string, now: number): void {
    this.db.prepare("UPDATE numbers SET removed_at = ?, state = 'stopped', updated_at = ? WHERE id = ?").run(now, now, id);
  }
}
