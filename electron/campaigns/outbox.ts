import type { Statement } from 'better-sqlite3';
import { statement, type Db } from '../db';

export type SendState = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'skipped' | 'in_doubt';
export type OutboxRow = {
  id: number;
  campaign_id: number;
  contact_id: number;
  phone: string;
  name: string | null;
  number_id: string | null;
  text: string;
  media_id: string | null;
  state: SendState;
  chat_id: string | null;
  message_id: string | null;
  attempts: number;
  sending_at: number | null;
  /** Cloud API sends: the template's parameters for this contact (JSON array), fixed at launch. */
  params?: string | null;
  /** Why it is where it is; `restored` on a queued row: its campaign came from a backup and WhatsApp is asked first. */
  reason?: string | null;
  /** `next` says it: an answer from a chat (#33), which goes at once (only the minute's ceiling holds it). */
  chat?: boolean;
};

/** Automation messages in a row on one number before a waiting campaign's next message goes. */
export const API_STREAK = 3;

/** How far along a send is; receipts only ever move a row forward. */
export const RANK: Record<SendState, number> = { queued: 0, sending: 1, in_doubt: 1, sent: 2, delivered: 3, read: 4, failed: 5, skipped: 5 };
const RANK_SQL = "CASE state WHEN 'queued' THEN 0 WHEN 'sending' THEN 1 WHEN 'in_doubt' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE 5 END";

/** A delivery or read receipt (a `sent` one never moves a row: it gets its message id as it becomes `sent`). */
export type Receipt = { messageId: string; state: 'delivered' | 'read'; at: number };
/**
 * A receipt once written: the campaign whose row it moved, or undefined when no row has that message id yet;
 * `readBy`: the contact whose message it first marked read.
 */
export type WrittenReceipt = Receipt & { campaignId: number | undefined; readBy?: number };

/** How long after it was started a send may be recorded as gone out, at most, for counting by day. */
const WENT_OUT_WITHIN_MS = 3_600_000;

/** Receipts written together at most this many at a time. */
const RECEIPT_BATCH = 256;

/** Every state change of a send, each one statement; `sending` is written with a full sync before the driver runs. */
export class Outbox {
  private receipts: Receipt[] = [];
  private receiptsScheduled = false;
  /** Told what each batch of receipts did (the engine keeps early ones and refreshes progress). */
  onReceipts: ((written: WrittenReceipt[]) => void) | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Prepared once (the database's statement cache): this runs for every send. */
  private sql(text: string): Statement {
    return statement(this.db, text);
  }

  /**
   * The next send this number may take: its own first, then an unassigned one, of the running campaigns it
   * serves: messages from the user's systems (expected one-to-one messages) before campaigns, then oldest first. Each lookup walks the queue index from its first row, not the whole queue.
   */
  next(numberId: string, opts: { warmOnly?: boolean } = {}): OutboxRow | undefined {
    const running = this.sql(
      `SELECT c.id, c.kind = 'api' AS api, c.kind = 'chat' AS chat, COALESCE(json_extract(c.settings, '$.warmFirst'), 0) AS warm_first
       FROM campaigns c JOIN campaign_numbers cn ON cn.campaign_id = c.id AND cn.number_id = ? AND cn.lost = 0
       WHERE c.state = 'running' ORDER BY c.kind = 'chat' DESC, c.kind = 'api' DESC, c.started_at, c.id`,
    ).all(numberId) as { id: number; api: number; chat: number; warm_first: number }[];
    // Automation messages go first, but never starve a campaign: after API_STREAK of them in a row on this number,
    // a campaign's next message goes (about 960 queued API sends held a campaign at 0 for twelve minutes).
    const streak = this.apiStreak.get(numberId) ?? 0;
    // Answers typed by the user in a chat (#33) go before both: one person waits for each, and they are few.
    const ordered = streak >= API_STREAK ? [...running.filter((c) => c.chat), ...running.filter((c) => !c.api && !c.chat), ...running.filter((c) => c.api)] : running;
    // While WhatsApp limits the number's messages to new people (#32), it takes only people who wrote to it; the others
    // stay free for the campaign's other numbers, or wait for the limit's end.
    const warm = opts.warmOnly ? ' AND EXISTS (SELECT 1 FROM incoming i WHERE i.number_id = ? AND i.phone = s.phone)' : '';
    const own = this.sql(
      `SELECT * FROM sends s WHERE campaign_id = ? AND state = 'queued' AND number_id = ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)${warm} ORDER BY id LIMIT 1`,
    );
    const free = this.sql(
      `SELECT * FROM sends s WHERE campaign_id = ? AND state = 'queued' AND number_id IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= ?)${warm} ORDER BY id LIMIT 1`,
    );
    // Rows still assigned to a number that was lost (a send that failed as it went) belong to nobody now.
    const orphan = this.sql(
      `SELECT s.* FROM sends s JOIN campaign_numbers cn ON cn.campaign_id = s.campaign_id AND cn.number_id = s.number_id AND cn.lost = 1
       WHERE s.campaign_id = ? AND s.state = 'queued' AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= ?)${warm} ORDER BY s.id LIMIT 1`,
    );
    const now = this.now();
    const extra = opts.warmOnly ? [numberId] : [];
    for (const { id, api, chat, warm_first } of ordered) {
      // "People who wrote first": theirs go before the rest, while any is left (remembered, so the queue is not
      // walked whole for each send once none is).
      const first = warm_first && !opts.warmOnly && !this.noWarmLeft.has(`${id}|${numberId}`) ? this.nextWarm(id, numberId, now) : undefined;
      if (warm_first && !opts.warmOnly && !first) this.noWarmLeft.add(`${id}|${numberId}`);
      const row = (first ?? own.get(id, numberId, now, ...extra) ?? free.get(id, now, ...extra) ?? orphan.get(id, now, ...extra)) as OutboxRow | undefined;
      if (row) {
        if (!chat) this.apiStreak.set(numberId, api ? streak + 1 : 0);
        return { ...row, chat: chat === 1 };
      }
    }
    return undefined;
  }

  private readonly apiStreak = new Map<string, number>();
  private readonly noWarmLeft = new Set<string>();

  /** Someone wrote to a number: "people who wrote first" may have someone again. */
  warmChanged(): void {
    this.noWarmLeft.clear();
  }

  private nextWarm(campaignId: number, numberId: string, now: number): OutboxRow | undefined {
    return this.sql(
      `SELECT s.* FROM sends s WHERE s.campaign_id = ? AND s.state = 'queued' AND (s.number_id IS NULL OR s.number_id = ?) AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= ?)
         AND EXISTS (SELECT 1 FROM incoming i WHERE i.number_id = ? AND i.phone = s.phone) ORDER BY s.id LIMIT 1`,
    ).get(campaignId, numberId, now, numberId) as OutboxRow | undefined;
  }

  /** The earliest retry time among this number's waiting sends, to know when to look again. */
  nextRetryAt(numberId: string): number | null {
    // Only rows this number may take (as `next` does: its own, nobody's, or a lost number's): another number's retry
    // due now would wake this lane at once, again and again, while `next` gives it nothing.
    return this.sql(
        `SELECT MIN(s.next_attempt_at) FROM sends s JOIN campaigns c ON c.id = s.campaign_id
         JOIN campaign_numbers cn ON cn.campaign_id = s.campaign_id AND cn.number_id = ? AND cn.lost = 0
         WHERE c.state = 'running' AND s.state = 'queued' AND s.next_attempt_at IS NOT NULL
           AND (s.number_id IS NULL OR s.number_id = cn.number_id
                OR EXISTS (SELECT 1 FROM campaign_numbers l WHERE l.campaign_id = s.campaign_id AND l.number_id = s.number_id AND l.lost = 1))`,
      )
      .pluck()
      .get(numberId) as number | null;
  }

  /**
   * Committed durably before the driver is called: after a crash, this row is reconciled, never resent blindly.
   * Only while its campaign runs: a pause (or cancel) that came while the lane looked the contact up wins.
   */
  markSending(id: number, numberId: string, chatId: string): boolean {
    this.sql('PRAGMA synchronous = FULL').run();
    try {
      const now = this.now();
      return (
        this.sql(
            "UPDATE sends SET state = 'sending', number_id = ?, chat_id = ?, sending_at = ?, attempts = attempts + 1, next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state = 'queued' AND EXISTS (SELECT 1 FROM campaigns c WHERE c.id = sends.campaign_id AND c.state = 'running')",
          )
          .run(numberId, chatId, now, now, id).changes === 1
      );
    } finally {
      this.sql('PRAGMA synchronous = NORMAL').run();
    }
  }

  /** `chatId`: the chat it really went to, when WhatsApp moved the contact to a LID on the way. */
  markSent(id: number, messageId: string, at: number, chatId: string | null = null): void {
    this.sql("UPDATE sends SET state = 'sent', message_id = ?, sent_at = ?, chat_id = COALESCE(?, chat_id), reason = NULL, updated_at = ? WHERE id = ? AND state IN ('sending', 'in_doubt')")
      .run(messageId, at, chatId, this.now(), id);
  }

  /** A queued row WhatsApp already has (a restored campaign's row that went out after its backup): sent, not sent again. */
  markFoundSent(id: number, messageId: string, at: number, chatId: string): void {
    this.sql("UPDATE sends SET state = 'sent', message_id = ?, sent_at = ?, chat_id = ?, reason = NULL, updated_at = ? WHERE id = ? AND state = 'queued'")
      .run(messageId, at, chatId, this.now(), id);
  }

  /** A restored row WhatsApp does not have: from now on it is sent like any other. */
  clearRestored(id: number): void {
    this.sql("UPDATE sends SET reason = NULL, updated_at = ? WHERE id = ? AND state = 'queued' AND reason = 'restored'").run(this.now(), id);
  }

  /** A receipt: moves the row forward only (an early ack for an unknown id returns false). */
  ack(messageId: string, state: Receipt['state'], at: number): { campaignId: number; readBy?: number } | undefined {
    const rank = RANK[state];
    // One statement for the usual case (the row moves forward); the lookup only when it did not.
    const moved = this.sql(
        `UPDATE sends SET state = @state,
           reason = CASE WHEN reason = 'wa_limit' THEN NULL ELSE reason END,
           delivered_at = CASE WHEN @rank >= 3 THEN COALESCE(delivered_at, @at) ELSE delivered_at END,
           read_at = CASE WHEN @rank >= 4 THEN COALESCE(read_at, @at) ELSE read_at END,
           updated_at = @now
         WHERE message_id = @messageId AND ${RANK_SQL} < @rank AND state NOT IN ('failed', 'skipped')
         RETURNING campaign_id, contact_id`,
      )
      .get({ state, rank, at, now: this.now(), messageId }) as { campaign_id: number; contact_id: number } | undefined;
    if (moved !== undefined) return state === 'read' ? { campaignId: moved.campaign_id, readBy: moved.contact_id } : { campaignId: moved.campaign_id };
    const known = this.sql('SELECT campaign_id FROM sends WHERE message_id = ?').pluck().get(messageId) as number | undefined;
    return known === undefined ? undefined : { campaignId: known };
  }

  /**
   * Receipts come in bursts (a phone coming back online acknowledges dozens at once) and matter less than the send
   * itself, so they are queued and written in one transaction at the end of this turn of the event loop, or at once
   * when many wait. Whatever reads them (counts, the live view, reports) flushes first. A crash loses at most one
   * turn's receipts: those rows stay `sent`, never sent again.
   */
  receipt(receipt: Receipt): void {
    this.receipts.push(receipt);
    if (this.receipts.length >= RECEIPT_BATCH) this.flushReceipts();
    else if (!this.receiptsScheduled) {
      this.receiptsScheduled = true;
      setImmediate(() => this.flushReceipts());
    }
  }

  flushReceipts(): void {
    this.receiptsScheduled = false;
    if (this.receipts.length === 0) return;
    const batch = this.receipts.splice(0);
    let written: WrittenReceipt[];
    try {
      written = this.db.transaction(() => batch.map((r) => ({ ...r, ...this.ack(r.messageId, r.state, r.at) }) as WrittenReceipt))();
    } catch (error) {
      // Kept for the next flush (a full disk): a receipt is never worth a crash, and is not lost either.
      this.receipts.unshift(...batch.slice(0, 10_000));
      this.onWriteError?.(error);
      return;
    }
    this.onReceipts?.(written);
  }

  /** Told when queued receipts could not be written (they stay queued). */
  onWriteError: ((error: unknown) => void) | null = null;

  /** Back in the queue: the message did not go out. `uncount` when it was never really attempted (no connection). */
  requeue(id: number, retryAt: number | null, reason: string | null, uncount = false): void {
    this.sql(
        "UPDATE sends SET state = 'queued', next_attempt_at = ?, reason = ?, attempts = attempts - ?, updated_at = ? WHERE id = ? AND state IN ('sending', 'in_doubt')",
      )
      .run(retryAt, reason, uncount ? 1 : 0, this.now(), id);
  }

  /** Sent to someone new as WhatsApp's limit showed: at one tick it is the limit's (a receipt that comes clears it). */
  markLimitUndelivered(id: number): void {
    this.sql("UPDATE sends SET reason = 'wa_limit', updated_at = ? WHERE id = ? AND state = 'sent'").run(this.now(), id);
  }

  /** A campaign's messages left at one tick while WhatsApp limited their number (WhatsApp did not deliver them). */
  limitUndelivered(campaignId: number): number {
    return this.sql("SELECT COUNT(*) FROM sends WHERE campaign_id = ? AND state = 'sent' AND reason = 'wa_limit'").pluck().get(campaignId) as number;
  }

  /** A campaign's queued sends to people who never wrote to any of these numbers (what WhatsApp's limits hold). */
  queuedCold(campaignId: number, numberIds: string[]): number {
    const marks = numberIds.map(() => '?').join(', ');
    return this.db
      .prepare(`SELECT COUNT(*) FROM sends s WHERE s.campaign_id = ? AND s.state = 'queued' AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.number_id IN (${marks}) AND i.phone = s.phone)`)
      .pluck()
      .get(campaignId, ...numberIds) as number;
  }

  postpone(id: number, retryAt: number): void {
    this.sql("UPDATE sends SET next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'queued'").run(retryAt, this.now(), id);
  }

  finish(id: number, state: 'failed' | 'skipped' | 'in_doubt', reason: string, numberId: string | null = null): void {
    this.sql('UPDATE sends SET state = ?, reason = ?, number_id = COALESCE(?, number_id), updated_at = ? WHERE id = ?').run(state, reason, numberId, this.now(), id);
  }

  /**
   * The user's answer for a send in doubt, after looking at the chat on their phone: it arrived (sent), or it did
   * not (queued for any number of the campaign, or failed when the campaign will send nothing more). False when
   * the row is not in doubt (any more).
   */
  settleDoubt(id: number, received: boolean, campaignOver: boolean): SendState | false {
    const now = this.now();
    const state: SendState = received ? 'sent' : campaignOver ? 'failed' : 'queued';
    const changed = this.sql(
        `UPDATE sends SET state = @state, reason = CASE WHEN @state = 'failed' THEN 'not_received' ELSE NULL END,
           sent_at = CASE WHEN @state = 'sent' THEN COALESCE(sending_at, @now) ELSE sent_at END,
           number_id = CASE WHEN @state = 'queued' THEN NULL ELSE number_id END, next_attempt_at = NULL, updated_at = @now
         WHERE id = @id AND state = 'in_doubt'`,
      )
      .run({ state, now, id }).changes;
    return changed === 1 ? state : false;
  }

  /** Rows a crash may have left between `sending` and `sent`, for one number. */
  inFlight(numberId: string): OutboxRow[] {
    return this.sql("SELECT * FROM sends WHERE number_id = ? AND state = 'sending' ORDER BY id").all(numberId) as OutboxRow[];
  }

  /** Times this number sent in the last `ms`, oldest first (all campaigns: the limits are per number). */
  recent(numberId: string, ms: number): number[] {
    return this.sql('SELECT sending_at FROM sends WHERE number_id = ? AND sending_at > ? ORDER BY sending_at')
      .pluck()
      .all(numberId, this.now() - ms) as number[];
  }

  sentBetween(numberId: string, from: number, to: number): number {
    return this.sql("SELECT COUNT(*) FROM sends WHERE number_id = ? AND sending_at >= ? AND sending_at < ? AND state != 'queued'")
      .pluck()
      .get(numberId, from, to) as number;
  }

  /**
   * The messages of a number that went out (sent, delivered or read) between two moments, by when they went: the
   * one per-number-per-day figure every screen shows (campaign page, report, Inicio), never attempts (#30 item 3).
   */
  wentOutBetween(numberId: string, from: number, to: number): number {
    // Read through the (number, send time) index: a message goes out within the minute it was started (an older
    // `sending` is reconciled with the time WhatsApp gives it, never earlier than when it started).
    return this.sql("SELECT COUNT(*) FROM sends WHERE number_id = ? AND sending_at >= ? AND sending_at < ? AND sent_at >= ? AND sent_at < ? AND state IN ('sent', 'delivered', 'read')")
      .pluck()
      .get(numberId, from - WENT_OUT_WITHIN_MS, to, from, to) as number;
  }

  firstSendAt(numberId: string): number | null {
    return this.sql('SELECT MIN(sending_at) FROM sends WHERE number_id = ?').pluck().get(numberId) as number | null;
  }

  /** Whether another send to this phone went out (or is going) since `since`, in any campaign. */
  /** `exceptCampaign`: a follow-up's first campaign, whose message does not count (going N days after it is the point). */
  messagedSince(phone: string, exceptId: number, since: number, exceptCampaign = 0): boolean {
    return (
      // Two ranges of the (phone, sent_at) index: what went out since, and what is going or in doubt (no sent_at).
      // A COALESCE would read every send this phone ever had (166 for a customer of a year of campaigns, #34).
      this.sql(
        `SELECT 1 FROM sends WHERE phone = ? AND id != ? AND sent_at > ? AND state IN ('sent', 'delivered', 'read', 'in_doubt') AND campaign_id != ?
         UNION ALL SELECT 1 FROM sends WHERE phone = ? AND id != ? AND sent_at IS NULL AND state IN ('sending', 'in_doubt') AND sending_at > ? AND campaign_id != ? LIMIT 1`,
      ).get(phone, exceptId, since, exceptCampaign, phone, exceptId, since, exceptCampaign) !== undefined
    );
  }

  /** Opt-outs skip every waiting send to that phone, in every campaign. */
  skipPhone(phone: string, reason: string): number[] {
    const rows = this.sql("SELECT DISTINCT campaign_id FROM sends WHERE phone = ? AND state = 'queued'").pluck().all(phone) as number[];
    this.sql("UPDATE sends SET state = 'skipped', reason = ?, updated_at = ? WHERE phone = ? AND state = 'queued'").run(reason, this.now(), phone);
    return rows;
  }

  counts(campaignId: number): Record<SendState, number> {
    this.flushReceipts();
    const counts: Record<SendState, number> = { queued: 0, sending: 0, sent: 0, delivered: 0, read: 0, failed: 0, skipped: 0, in_doubt: 0 };
    for (const r of this.sql('SELECT state, COUNT(*) AS n FROM sends WHERE campaign_id = ? GROUP BY state').all(campaignId) as { state: SendState; n: number }[]) {
      counts[r.state] = r.n;
    }
    return counts;
  }
}
