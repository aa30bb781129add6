import type { z } from 'zod';
import type { InboxFilterSchema, Reply } from '../../shared/inbox';
import type { Db } from '../db';

type Filter = z.output<typeof InboxFilterSchema>;
type DbReply = {
  id: number;
  at: number;
  body: string;
  type: string;
  opt_out: number;
  doubt: string | null;
  handled: number;
  phone: string | null;
  contact_id: number | null;
  contact_name: string | null;
  campaign_id: number | null;
  campaign_name: string | null;
  number_id: string;
  number_label: string | null;
};

/** Every message contacts sent back, newest first, with the campaign it answered and opt-outs flagged. */
export class Inbox {
  constructor(private readonly db: Db) {}

  list(filter: Filter, offset: number, limit: number): { total: number; rows: Reply[] } {
    const where: string[] = [];
    const params: Record<string, unknown> = { offset, limit };
    if (filter.campaignId) {
      where.push('i.campaign_id = @campaign');
      params.campaign = filter.campaignId;
    }
    if (filter.numberId) {
      where.push('i.number_id = @number');
      params.number = filter.numberId;
    }
    if (filter.show === 'unhandled') where.push('i.handled = 0');
    if (filter.show === 'opt_out') where.push('i.opt_out = 1');
    if (filter.show === 'doubtful') where.push('i.doubt IS NOT NULL');
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare(`SELECT COUNT(*) FROM incoming i ${clause}`).pluck().get(params) as number;
    const rows = this.db
      .prepare(
        `SELECT i.id, i.at, i.body, i.type, i.opt_out, i.doubt, i.handled, i.phone, i.contact_id, c.name AS contact_name,
                i.campaign_id, k.name AS campaign_name, i.number_id, n.label AS number_label
         FROM incoming i LEFT JOIN contacts c ON c.id = i.contact_id LEFT JOIN campaigns k ON k.id = i.campaign_id
         LEFT JOIN numbers n ON n.id = i.number_id ${clause} ORDER BY i.at DESC, i.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all(params) as DbReply[];
    return {
      total,
      rows: rows.map((r) => ({
        id: r.id,
        at: r.at,
        body: r.body,
        type: r.type,
        optOut: r.opt_out === 1,
        doubt: r.doubt,
        handled: r.handled === 1,
        phone: r.phone,
        contactId: r.contact_id,
        contactName: r.contact_name,
        campaignId: r.campaign_id,
        campaignName: r.campaign_name,
        numberId: r.number_id,
        numberLabel: r.number_label,
      })),
    };
  }

  setHandled(ids: number[], handled: boolean): number {
    const update = this.db.prepare('UPDATE incoming SET handled = ? WHERE id = ?');
    return this.db.transaction(() => ids.reduce((n, id) => n + update.run(handled ? 1 : 0, id).changes, 0))();
  }

  /** Replies waiting for the user to say whether they are opt-outs. */
  doubtful(): number {
    return this.db.prepare('SELECT COUNT(*) FROM incoming WHERE doubt IS NOT NULL').pluck().get() as number;
  }

  unhandled(): number {
    return this.db.prepare('SELECT COUNT(*) FROM incoming WHERE handled = 0').pluck().get() as number;
  }
}
