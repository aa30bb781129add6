import { performance } from 'node:perf_hooks';
import { SegmentRulesSchema, type Segment, type SegmentInput, type SegmentRules } from '../../shared/segments';
import { AppError } from '../core/app-error';
import { statement, type Db } from '../db';
import { segmentWhere } from './segment-sql';

type DbSegment = { id: number; name: string; rules: string; created_at: number; updated_at: number };

function fromDb(row: DbSegment): Segment {
  const rules = SegmentRulesSchema.parse(JSON.parse(row.rules));
  return { id: row.id, name: row.name, match: rules.match, rules: rules.rules, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Saved audiences (#35 item 2): rules kept as JSON, judged against the contacts whenever they are counted or used. */
export class SegmentsRepo {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  list(): Segment[] {
    return (statement(this.db, 'SELECT * FROM segments ORDER BY name COLLATE NOCASE').all() as DbSegment[]).map(fromDb);
  }

  get(id: number): Segment {
    const row = statement(this.db, 'SELECT * FROM segments WHERE id = ?').get(id) as DbSegment | undefined;
    if (!row) throw new AppError('not_found', `no segment ${id}`, 'id');
    return fromDb(row);
  }

  /** The segment, or null when there is none (deleted). */
  find(id: number): Segment | null {
    const row = statement(this.db, 'SELECT * FROM segments WHERE id = ?').get(id) as DbSegment | undefined;
    return row ? fromDb(row) : null;
  }

  /** The segment if its rules still mean something (every tag and list they name is there), null when it is gone. */
  valid(id: number): Segment | null {
    const segment = this.find(id);
    if (segment) this.check(segment);
    return segment;
  }

  /** Saving the same segment again (same name, same rules) answers it; another segment's name is refused. */
  save(input: SegmentInput & { id?: number }): Segment {
    this.check(input);
    const rules = JSON.stringify({ match: input.match, rules: input.rules });
    const now = this.now();
    const named = statement(this.db, 'SELECT id FROM segments WHERE name = ?').pluck().get(input.name.trim()) as number | undefined;
    if (input.id === undefined) {
      if (named !== undefined) {
        if (statement(this.db, 'SELECT rules FROM segments WHERE id = ?').pluck().get(named) === rules) return this.get(named);
        throw new AppError('segment_exists', `a segment named ${input.name} exists`, 'name');
      }
      return this.get(Number(statement(this.db, 'INSERT INTO segments (name, rules, created_at, updated_at) VALUES (?, ?, ?, ?)').run(input.name.trim(), rules, now, now).lastInsertRowid));
    }
    this.get(input.id);
    if (named !== undefined && named !== input.id) throw new AppError('segment_exists', `a segment named ${input.name} exists`, 'name');
    statement(this.db, 'UPDATE segments SET name = ?, rules = ?, updated_at = ? WHERE id = ?').run(input.name.trim(), rules, now, input.id);
    return this.get(input.id);
  }

  delete(id: number): { id: number } {
    this.get(id);
    statement(this.db, 'DELETE FROM segments WHERE id = ?').run(id);
    return { id };
  }

  /** How many contacts the rules take now, and how many of them opted out (a campaign never writes to those). */
  count(rules: SegmentRules): { total: number; optedOut: number; ms: number } {
    this.check(rules);
    const started = performance.now();
    const where = segmentWhere(rules, this.now());
    const row = this.db
      .prepare(`SELECT COUNT(*) AS total, COUNT(o.phone) AS optedOut FROM contacts c LEFT JOIN opt_outs o ON o.phone = c.phone WHERE ${where.sql}`)
      .get(where.params) as { total: number; optedOut: number };
    return { ...row, ms: Math.round(performance.now() - started) };
  }

  /** Rules that name a tag, list or campaign that is gone are refused before anything is saved or counted. */
  check(rules: SegmentRules): void {
    rules.rules.forEach((rule, index) => {
      const gone = (table: string, id: number) => statement(this.db, `SELECT 1 FROM ${table} WHERE id = ?`).pluck().get(id) === undefined;
      const field = `rules.${index}`;
      if (rule.kind === 'tag' && gone('tags', rule.tagId)) throw new AppError('not_found', `no tag ${rule.tagId}`, field);
      if (rule.kind === 'list' && gone('lists', rule.listId)) throw new AppError('not_found', `no list ${rule.listId}`, field);
      if ((rule.kind === 'replied' || rule.kind === 'read_no_reply') && rule.campaignId !== null && gone('campaigns', rule.campaignId)) {
        throw new AppError('not_found', `no campaign ${rule.campaignId}`, field);
      }
      if (rule.kind === 'field' && (rule.op === 'is' || rule.op === 'is_not' || rule.op === 'contains') && !rule.value?.trim()) {
        throw new AppError('invalid_input', 'the rule needs a value', field);
      }
    });
  }
}
