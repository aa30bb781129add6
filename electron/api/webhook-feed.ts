import type { Statement } from 'better-sqlite3';
import type { WebhookEvent } from '../../shared/api';
import type { EventBus } from '../core/event-bus';
import { statement, type Db } from '../db';
import type { ApiSends } from './api-sends';
import type { Webhooks } from './webhooks';

/** States a message of the API can still leave; once read or failed nothing more is told. */
const FINAL = new Set(['read', 'failed']);

/**
 * Turns what happens in the app into webhook events. Each source is read from the app's own durable tables
 * against a stored cursor (replies, opt-outs, finished campaigns) or a stored "last told" state (API messages),
 * so an event the app crashed before queueing is queued at the next start, and none is queued twice.
 */
export class WebhookFeed {
  /** API campaigns whose message may still change (kept in memory so campaigns' changes cost nothing here). */
  private open = new Set<number>();
  private numberStates = new Map<string, string>();
  private offs: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
    private readonly hooks: Webhooks,
    private readonly sends: ApiSends,
  ) {}

  start(): void {
    for (const id of this.db.prepare("SELECT campaign_id FROM chat_answers WHERE notified IS NULL OR notified NOT IN ('read', 'failed')").pluck().all() as number[]) {
      this.answers.add(id);
    }
    for (const id of this.answers) this.campaignChanged(id);
    for (const id of this.db.prepare("SELECT a.campaign_id FROM api_messages a JOIN sends s ON s.id = a.send_id WHERE a.notified IS NULL OR a.notified NOT IN ('read', 'failed')").pluck().all() as number[]) {
      this.open.add(id);
    }
    for (const id of this.open) this.campaignChanged(id);
    this.offs.push(
      this.bus.subscribe((envelope) => {
        if (envelope.event === 'inbox.changed' || envelope.event === 'contacts.changed') this.readTables();
        if (envelope.event === 'numbers.changed') {
          const { id, state, label } = envelope.payload;
          if (this.numberStates.get(id) === state) return;
          const first = !this.numberStates.has(id);
          this.numberStates.set(id, state);
          // The first state heard after a start is told too, except the "connecting" every start goes through.
          if (!(first && state === 'connecting')) this.emit('number.state', { numberId: id, label, state });
        }
      }),
    );
    this.readTables();
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
  }

  /** A message was queued through the API: it is followed from now on. */
  track(campaignId: number): void {
    this.open.add(campaignId);
    this.campaignChanged(campaignId);
  }

  // Asked at every change of every campaign (each send, each batch of receipts): prepared once.
  private apiRow: Statement | undefined;
  private campaignState: Statement | undefined;

  /** Answers from chats (#33) whose state may still change, as API messages are followed. */
  private answers = new Set<number>();
  private answerRow: Statement | undefined;

  /** An answer was queued from a chat: followed from now on (`conversation.answer`). */
  trackAnswer(campaignId: number): void {
    this.answers.add(campaignId);
    this.campaignChanged(campaignId);
  }

  private answerChanged(campaignId: number): void {
    this.answerRow ??= this.db.prepare(
      `SELECT a.id, a.client_id, a.phone, a.number_id, a.auto_rule, a.notified, a.created_at, s.state, s.reason, s.contact_id, s.text, s.sent_at, s.delivered_at, s.read_at
       FROM chat_answers a JOIN sends s ON s.id = a.send_id WHERE a.campaign_id = ?`,
    );
    const row = this.answerRow.get(campaignId) as
      | { id: number; client_id: string; phone: string; number_id: string; auto_rule: string | null; notified: string | null; created_at: number; state: string; reason: string | null; contact_id: number; text: string; sent_at: number | null; delivered_at: number | null; read_at: number | null }
      | undefined;
    if (!row) return;
    // As API messages say it: skipped is failed, in doubt is still sending.
    const state = row.state === 'skipped' ? 'failed' : row.state === 'in_doubt' ? 'sending' : row.state;
    if (state !== row.notified && state !== 'queued') {
      this.db.transaction(() => {
        this.db.prepare('UPDATE chat_answers SET notified = ? WHERE id = ?').run(state, row.id);
        this.emit('conversation.answer', {
          answerId: row.id,
          clientId: row.client_id,
          phone: row.phone,
          contactId: row.contact_id,
          numberId: row.number_id,
          automatic: row.auto_rule !== null,
          state,
          reason: row.reason,
          text: row.text,
          createdAt: row.created_at,
          sentAt: row.sent_at,
          deliveredAt: row.delivered_at,
          readAt: row.read_at,
        });
      })();
    }
    if (FINAL.has(state)) this.answers.delete(campaignId);
  }

  /** Told by the engine of every change of a campaign: API messages say their new state; campaigns that ended say so. */
  campaignChanged(campaignId: number): void {
    if (this.answers.has(campaignId)) return this.answerChanged(campaignId);
    if (this.open.has(campaignId)) {
      this.apiRow ??= this.db.prepare('SELECT a.id, a.notified, s.state FROM api_messages a JOIN sends s ON s.id = a.send_id WHERE a.campaign_id = ?');
      const row = this.apiRow.get(campaignId) as
        | { id: number; notified: string | null; state: string }
        | undefined;
      if (!row) return;
      const message = this.sends.get(row.id);
      const told = message.state === 'sending' && message.reason === 'in_doubt' ? 'in_doubt' : message.state;
      if (told !== row.notified) {
        this.db.transaction(() => {
          this.db.prepare('UPDATE api_messages SET notified = ? WHERE id = ?').run(told, row.id);
          this.emit('message.status', message);
        })();
        this.bus.emit('messages.apiChanged', { id: row.id });
      }
      if (FINAL.has(message.state)) this.open.delete(campaignId);
      return;
    }
    this.campaignState ??= this.db.prepare('SELECT state FROM campaigns WHERE id = ?').pluck();
    const state = this.campaignState.get(campaignId);
    if (state === 'completed' || state === 'cancelled') this.readCampaigns();
    if (state === 'running') this.readStarted();
    // Reads and replies tag contacts as they come (#35): told with the change that brought them.
    this.readTags();
  }

  private emit(event: WebhookEvent, data: unknown): void {
    this.hooks.enqueue(event, data);
  }

  /** The cursor of one table: first met, it starts at the table's end (nothing from before webhooks existed floods in). */
  private cursor(name: string, max: () => number): number {
    // Read at every change of every campaign (the tags a read receipt brings): from the statement cache.
    const stored = statement(this.db, 'SELECT value FROM webhook_cursors WHERE name = ?').pluck().get(name) as number | undefined;
    if (stored !== undefined) return stored;
    const start = max();
    this.setCursor(name, start);
    return start;
  }

  private setCursor(name: string, value: number): void {
    statement(this.db, 'INSERT INTO webhook_cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, value);
  }

  private readTables(): void {
    this.readReplies();
    this.readOptOuts();
    this.readCampaigns();
    this.readTags();
    this.readStarted();
  }

  /** `contact.tagged`: each tag put on a contact (by hand, an import, a report, or the app on an event). */
  private readTags(): void {
    const after = this.cursor('tag_log', () => statement(this.db, 'SELECT COALESCE(MAX(id), 0) FROM tag_log').pluck().get() as number);
    const rows = statement(
      this.db,
      `SELECT l.id, l.tag_id, t.name AS tag, l.contact_id, c.phone, l.source, l.at
       FROM tag_log l LEFT JOIN tags t ON t.id = l.tag_id LEFT JOIN contacts c ON c.id = l.contact_id WHERE l.id > ? ORDER BY l.id LIMIT 500`,
    ).all(after) as { id: number; tag_id: number; tag: string | null; contact_id: number; phone: string | null; source: string; at: number }[];
    if (rows.length === 0) return;
    this.db.transaction(() => {
      for (const r of rows) {
        // A tag deleted since (or a contact) is no news any more.
        if (r.tag !== null && r.phone !== null) this.emit('contact.tagged', { tagId: r.tag_id, tag: r.tag, contactId: r.contact_id, phone: r.phone, source: r.source, at: r.at });
      }
      this.setCursor('tag_log', rows[rows.length - 1]!.id);
    })();
    if (rows.length === 500) this.readTags();
  }

  /** `campaign.started`: a campaign began sending — launched, or by itself (a follow-up, a recurring run, a scheduled start). */
  private readStarted(): void {
    const after = this.cursor('campaign_started', () => statement(this.db, "SELECT COALESCE(MAX(started_at), 0) FROM campaigns WHERE kind = 'campaign'").pluck().get() as number);
    const rows = statement(
      this.db,
      "SELECT id, name, started_at, parent_id, recurring_id FROM campaigns WHERE kind = 'campaign' AND started_at > ? ORDER BY started_at, id",
    ).all(after) as { id: number; name: string; started_at: number; parent_id: number | null; recurring_id: number | null }[];
    if (rows.length === 0) return;
    this.db.transaction(() => {
      for (const r of rows) {
        const kind = r.parent_id !== null ? 'follow_up' : r.recurring_id !== null ? 'recurring_run' : 'campaign';
        this.emit('campaign.started', { campaignId: r.id, name: r.name, kind, parentId: r.parent_id, recurringId: r.recurring_id, startedAt: r.started_at });
      }
      this.setCursor('campaign_started', rows[rows.length - 1]!.started_at);
    })();
  }

  private readReplies(): void {
    const after = this.cursor('incoming', () => this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM incoming').pluck().get() as number);
    const rows = this.db
      .prepare('SELECT id, number_id, phone, contact_id, campaign_id, message_id, body, type, opt_out, at FROM incoming WHERE id > ? ORDER BY id LIMIT 500')
      .all(after) as { id: number; number_id: string; phone: string | null; contact_id: number | null; campaign_id: number | null; message_id: string; body: string; type: string; opt_out: number; at: number }[];
    if (rows.length === 0) return;
    const apiOf = this.db.prepare('SELECT id FROM api_messages WHERE campaign_id = ?').pluck();
    this.db.transaction(() => {
      for (const r of rows) {
        const inReplyTo = r.campaign_id === null ? null : ((apiOf.get(r.campaign_id) as number | undefined) ?? null);
        this.emit('message.received', {
          numberId: r.number_id,
          phone: r.phone,
          contactId: r.contact_id,
          messageId: r.message_id,
          type: r.type,
          body: r.body,
          optOut: r.opt_out === 1,
          at: r.at,
          campaignId: inReplyTo === null ? r.campaign_id : null,
          apiMessageId: inReplyTo,
        });
      }
      this.setCursor('incoming', rows[rows.length - 1]!.id);
    })();
    if (rows.length === 500) this.readReplies();
  }

  private readOptOuts(): void {
    const after = this.cursor('opt_out_log', () => this.db.prepare('SELECT COALESCE(MAX(id), 0) FROM opt_out_log').pluck().get() as number);
    const rows = this.db.prepare('SELECT id, phone, action, source, at FROM opt_out_log WHERE id > ? ORDER BY id LIMIT 500').all(after) as { id: number; phone: string; action: string; source: string; at: number }[];
    if (rows.length === 0) return;
    const contact = this.db.prepare('SELECT id FROM contacts WHERE phone = ?').pluck();
    this.db.transaction(() => {
      for (const r of rows) {
        if (r.action === 'opt_out') this.emit('contact.opted_out', { phone: r.phone, contactId: (contact.get(r.phone) as number | undefined) ?? null, source: r.source, at: r.at });
      }
      this.setCursor('opt_out_log', rows[rows.length - 1]!.id);
    })();
  }

  private readCampaigns(): void {
    const after = this.cursor('campaign_finished', () => this.db.prepare("SELECT COALESCE(MAX(finished_at), 0) FROM campaigns WHERE kind = 'campaign'").pluck().get() as number);
    const rows = this.db
      .prepare("SELECT id, name, state, finished_at FROM campaigns WHERE kind = 'campaign' AND state IN ('completed', 'cancelled') AND finished_at > ? ORDER BY finished_at, id")
      .all(after) as { id: number; name: string; state: string; finished_at: number }[];
    if (rows.length === 0) return;
    const counts = this.db.prepare('SELECT state, COUNT(*) AS n FROM sends WHERE campaign_id = ? GROUP BY state');
    const more = this.db.prepare("SELECT parent_id, recurring_id, json_extract(settings, '$.abTest') AS ab FROM campaigns WHERE id = ?");
    this.db.transaction(() => {
      for (const r of rows) {
        const byState = Object.fromEntries((counts.all(r.id) as { state: string; n: number }[]).map((c) => [c.state, c.n]));
        const extra = more.get(r.id) as { parent_id: number | null; recurring_id: number | null; ab: string | null };
        const ab = extra.ab ? (JSON.parse(extra.ab) as { winner?: number; confidence?: number; metric: string; decidedAt?: number }) : null;
        this.emit('campaign.finished', {
          campaignId: r.id,
          name: r.name,
          state: r.state,
          finishedAt: r.finished_at,
          counts: byState,
          parentId: extra.parent_id,
          recurringId: extra.recurring_id,
          // An A/B test's pick for the rest of the audience, and how sure it was (null: one version, or no pick).
          abChoice: ab && ab.decidedAt !== undefined ? { winner: ab.winner ?? 0, confidence: ab.confidence ?? 0, metric: ab.metric } : null,
        });
      }
      this.setCursor('campaign_finished', rows[rows.length - 1]!.finished_at);
    })();
  }
}
