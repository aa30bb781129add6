import type { z } from 'zod';
import type { Chat, ChatItem, Conversation, ConversationFilterSchema } from '../../shared/conversations';
import { AppError } from '../core/app-error';
import type { Db } from '../db';
import type { MediaStore } from '../messages';
import { mediaView } from '../messages/templates-repo';

type Filter = z.output<typeof ConversationFilterSchema>;

type DbConversation = {
  phone: string;
  contact_id: number | null;
  name: string | null;
  number_id: string;
  number_label: string | null;
  campaign_id: number | null;
  campaign_name: string | null;
  last_at: number;
  last_in_at: number;
  last_out_at: number | null;
  preview: string;
  preview_type: string;
  preview_out: number;
  unread: number;
  waiting: number;
  mine: number;
  opted_out: number;
  doubt: string | null;
  doubt_id: number | null;
  label: string | null;
  note: string | null;
};

type DbItem = {
  key: string;
  kind: ChatItem['kind'];
  at: number;
  text: string;
  type: string;
  media_id: string | null;
  state: string | null;
  reason: string | null;
  number_id: string | null;
  number_label: string | null;
  campaign_id: number | null;
  campaign_name: string | null;
  opt_out: number;
  doubt: string | null;
  reply_id: number | null;
};

/** The columns of a conversation's row: its flags are read from the replies and opt-outs, not copied. */
const SELECT = `SELECT v.phone, COALESCE(v.contact_id, ct.id) AS contact_id, ct.name, v.number_id, n.label AS number_label,
    v.campaign_id, k.name AS campaign_name, v.last_at, v.last_in_at, v.last_out_at, v.preview, v.preview_type, v.preview_out,
    v.unread, v.mine, v.label, v.note,
    EXISTS (SELECT 1 FROM incoming w WHERE w.phone = v.phone AND w.handled = 0) AS waiting,
    EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = v.phone) AS opted_out,
    (SELECT d.doubt FROM incoming d WHERE d.phone = v.phone AND d.doubt IS NOT NULL ORDER BY d.at DESC LIMIT 1) AS doubt,
    (SELECT d.id FROM incoming d WHERE d.phone = v.phone AND d.doubt IS NOT NULL ORDER BY d.at DESC LIMIT 1) AS doubt_id
  FROM conversations v
  LEFT JOIN contacts ct ON ct.phone = v.phone
  LEFT JOIN numbers n ON n.id = v.number_id
  LEFT JOIN campaigns k ON k.id = v.campaign_id`;

const CHAT_PAGE = 200;

/**
 * The inbox as conversations: one per person who wrote (the `conversations` table, kept by triggers on replies and
 * answers), and each one's whole history with the business — campaign messages, test sends, API messages, answers
 * and their replies — in WhatsApp's order.
 */
export class ConversationsRepo {
  constructor(
    private readonly db: Db,
    private readonly media: MediaStore,
  ) {}

  list(filter: Filter): { total: number; rows: Conversation[] } {
    const where: string[] = [];
    const params: Record<string, unknown> = { offset: filter.offset, limit: filter.limit };
    if (filter.show === 'waiting') where.push('EXISTS (SELECT 1 FROM incoming w WHERE w.phone = v.phone AND w.handled = 0)');
    if (filter.show === 'mine') where.push('v.mine = 1');
    if (filter.show === 'opt_out') where.push('EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = v.phone)');
    if (filter.show === 'doubtful') where.push('EXISTS (SELECT 1 FROM incoming d WHERE d.phone = v.phone AND d.doubt IS NOT NULL)');
    if (filter.show === 'in_doubt') where.push("EXISTS (SELECT 1 FROM sends s WHERE s.phone = v.phone AND s.state = 'in_doubt')");
    if (filter.campaignId) {
      where.push('EXISTS (SELECT 1 FROM incoming c WHERE c.phone = v.phone AND c.campaign_id = @campaign)');
      params.campaign = filter.campaignId;
    }
    if (filter.numberId) {
      where.push('v.number_id = @number');
      params.number = filter.numberId;
    }
    if (filter.label) {
      where.push('v.label = @label');
      params.label = filter.label;
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare(`SELECT COUNT(*) FROM conversations v ${clause}`).pluck().get(params) as number;
    const rows = this.db.prepare(`${SELECT} ${clause} ORDER BY v.last_at DESC, v.phone LIMIT @limit OFFSET @offset`).all(params) as DbConversation[];
    return { total, rows: rows.map(view) };
  }

  get(phone: string): Conversation | null {
    const row = this.db.prepare(`${SELECT} WHERE v.phone = ?`).get(phone) as DbConversation | undefined;
    return row ? view(row) : null;
  }

  /** The chat the person last wrote from (a phone id or a LID one), for read receipts and typing. */
  chatIdOf(phone: string): string | null {
    return (this.db.prepare('SELECT chat_id FROM conversations WHERE phone = ?').pluck().get(phone) as string | undefined) ?? null;
  }

  /** The person an answer's campaign wrote to, null for any other campaign (its receipts refresh their chat). */
  phoneOfAnswerCampaign(campaignId: number): string | null {
    return (this.db.prepare('SELECT phone FROM chat_answers WHERE campaign_id = ?').pluck().get(campaignId) as string | undefined) ?? null;
  }

  /** The labels in use, for the inbox's filter. */
  labels(): string[] {
    return this.db.prepare('SELECT DISTINCT label FROM conversations WHERE label IS NOT NULL ORDER BY label').pluck().all() as string[];
  }

  /** A contact's phone from either way of naming them; not_found for an unknown contact. */
  phoneOf(ref: { phone?: string | undefined; contactId?: number | undefined }): string {
    if (ref.phone !== undefined) return ref.phone;
    const phone = this.db.prepare('SELECT phone FROM contacts WHERE id = ?').pluck().get(ref.contactId) as string | undefined;
    if (!phone) throw new AppError('not_found', `no contact ${ref.contactId}`, 'contactId');
    return phone;
  }

  /** The chat with one person: the latest messages both ways, oldest first (`before`: older than that time). */
  chat(phone: string, before: number | null, answerFrom: string | null): Chat {
    const contact = this.db.prepare('SELECT id, name, fields FROM contacts WHERE phone = ?').get(phone) as { id: number; name: string | null; fields: string } | undefined;
    const cutoff = before ?? Number.MAX_SAFE_INTEGER;
    const rows = this.db
      .prepare(
        `SELECT * FROM (
           SELECT 'in:' || i.id AS key, 'in' AS kind, i.at, i.body AS text, i.type, i.media_id, NULL AS state, NULL AS reason,
                  i.number_id, n.label AS number_label, i.campaign_id, k.name AS campaign_name, i.opt_out, i.doubt, i.id AS reply_id
           FROM incoming i LEFT JOIN numbers n ON n.id = i.number_id LEFT JOIN campaigns k ON k.id = i.campaign_id
           WHERE i.phone = @phone AND i.at < @cutoff
           UNION ALL
           SELECT 'send:' || s.id, CASE c.kind WHEN 'chat' THEN CASE WHEN a.auto_rule IS NULL THEN 'answer' ELSE 'auto' END ELSE c.kind END,
                  COALESCE(s.sent_at, s.sending_at, c.created_at), s.text, 'chat', s.media_id, s.state, s.reason,
                  s.number_id, n.label, CASE c.kind WHEN 'campaign' THEN c.id END, CASE c.kind WHEN 'campaign' THEN c.name END, 0, NULL, NULL
           FROM sends s JOIN campaigns c ON c.id = s.campaign_id LEFT JOIN numbers n ON n.id = s.number_id
           LEFT JOIN chat_answers a ON a.send_id = s.id
           WHERE s.phone = @phone AND (s.sending_at IS NOT NULL OR c.kind = 'chat') AND COALESCE(s.sent_at, s.sending_at, c.created_at) < @cutoff
           UNION ALL
           SELECT 'test:' || t.id, 'test', t.created_at, t.text, 'chat', t.media_id, t.status, t.error, t.number_id, n.label, NULL, NULL, 0, NULL, NULL
           FROM test_sends t LEFT JOIN numbers n ON n.id = t.number_id
           WHERE t.phone = @phone AND t.created_at < @cutoff
         ) ORDER BY at DESC, key DESC LIMIT @limit`,
      )
      .all({ phone, cutoff, limit: CHAT_PAGE + 1 }) as DbItem[];
    const more = rows.length > CHAT_PAGE;
    const items = rows.slice(0, CHAT_PAGE).reverse().map((r) => this.item(r));
    return {
      conversation: this.get(phone),
      phone,
      contactId: contact?.id ?? null,
      name: contact?.name ?? null,
      fields: contact ? (JSON.parse(contact.fields) as Record<string, string>) : {},
      optedOut: this.db.prepare('SELECT 1 FROM opt_outs WHERE phone = ?').get(phone) !== undefined,
      answerFrom,
      cloudWindow: null,
      noPromotions: this.db.prepare('SELECT 1 FROM marketing_opt_outs WHERE phone = ?').get(phone) !== undefined,
      username: (this.db.prepare('SELECT username FROM cloud_users WHERE (bsuid = ? OR phone = ?) AND username IS NOT NULL ORDER BY updated_at DESC LIMIT 1').pluck().get(phone, phone) as string | undefined) ?? null,
      items,
      more,
    };
  }

  private item(r: DbItem): ChatItem {
    let media: ChatItem['media'] = null;
    if (r.media_id) {
      try {
        media = mediaView(this.media, r.media_id);
      } catch {
        media = null; // a file removed from the data folder: the message stays, without it
      }
    }
    return {
      key: r.key,
      kind: r.kind,
      at: r.at,
      text: r.text,
      type: r.type,
      media,
      state: r.state,
      reason: r.reason,
      numberId: r.number_id,
      numberLabel: r.number_label,
      campaignId: r.campaign_id,
      campaignName: r.campaign_name,
      optOut: r.opt_out === 1,
      doubt: r.doubt,
      replyId: r.reply_id,
    };
  }

  /** The user opened the chat: nothing unread any more. True when something was. */
  markRead(phone: string): boolean {
    return this.db.prepare('UPDATE conversations SET unread = 0 WHERE phone = ? AND unread > 0').run(phone).changes > 0;
  }

  /** Marks every reply of the conversation handled (or the latest one not handled, to take it up again). */
  setHandled(phone: string, handled: boolean): number {
    if (handled) return this.db.prepare('UPDATE incoming SET handled = 1 WHERE phone = ? AND handled = 0').run(phone).changes;
    return this.db.prepare('UPDATE incoming SET handled = 0 WHERE id = (SELECT id FROM incoming WHERE phone = ? ORDER BY at DESC, id DESC LIMIT 1)').run(phone).changes;
  }

  /** A label (one word or two: "pedido", "cotización") and a note on the conversation. */
  update(phone: string, patch: { label?: string | null | undefined; note?: string | null | undefined }): Conversation {
    const found = this.get(phone);
    if (!found) throw new AppError('not_found', `no conversation with ${phone}`, 'phone');
    this.db.transaction(() => {
      if (patch.label !== undefined) this.db.prepare('UPDATE conversations SET label = ? WHERE phone = ?').run(patch.label?.trim() || null, phone);
      if (patch.note !== undefined) this.db.prepare('UPDATE conversations SET note = ? WHERE phone = ?').run(patch.note?.trim() || null, phone);
    })();
    return this.get(phone)!;
  }

  /** What the sidebar and the dashboard show: conversations waiting, unread messages, the median time to answer. */
  stats(now: number): { waiting: number; unread: number; medianAnswerMs: number | null } {
    const waiting = this.db.prepare('SELECT COUNT(DISTINCT phone) FROM incoming WHERE handled = 0 AND phone IS NOT NULL').pluck().get() as number;
    const unread = this.db.prepare('SELECT COALESCE(SUM(unread), 0) FROM conversations').pluck().get() as number;
    const times = this.db
      .prepare('SELECT created_at - replied_to FROM chat_answers WHERE auto_rule IS NULL AND replied_to IS NOT NULL AND created_at >= ? ORDER BY 1')
      .pluck()
      .all(now - 30 * 86_400_000) as number[];
    const middle = times.length === 0 ? null : times.length % 2 ? times[(times.length - 1) / 2]! : (times[times.length / 2 - 1]! + times[times.length / 2]!) / 2;
    return { waiting, unread, medianAnswerMs: middle };
  }
}

function view(r: DbConversation): Conversation {
  return {
    phone: r.phone,
    contactId: r.contact_id,
    name: r.name,
    numberId: r.number_id,
    numberLabel: r.number_label,
    campaignId: r.campaign_id,
    campaignName: r.campaign_name,
    lastAt: r.last_at,
    lastInAt: r.last_in_at,
    lastOutAt: r.last_out_at,
    preview: r.preview,
    previewType: r.preview_type,
    previewOut: r.preview_out === 1,
    unread: r.unread,
    waiting: r.waiting === 1,
    mine: r.mine === 1,
    optedOut: r.opted_out === 1,
    doubt: r.doubt,
    doubtReplyId: r.doubt_id,
    label: r.label,
    note: r.note,
  };
}
