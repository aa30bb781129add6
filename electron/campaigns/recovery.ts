import { DriverError, type FoundMessage, type WhatsAppDriver } from '../whatsapp';
import { catchUp } from './catch-up';
import { FINAL_REASONS } from '../cloud/cloud-errors';
import type { EngineContext } from './engine-context';
import type { OutboxRow } from './outbox';
import type { Receipts } from './receipts';
import type { Replies } from './replies';

export const MAX_ATTEMPTS = 3;
export const RETRY_BACKOFF_MS = [30_000, 120_000, 600_000];

/** Never twice: what a failed or interrupted send really did is asked of WhatsApp before anything is retried. */
export class Recovery {
  constructor(
    private readonly ctx: EngineContext,
    private readonly receipts: Receipts,
    private readonly replies: Replies,
  ) {}

  /**
   * A row of a campaign restored from a backup: the backup cannot know what went out after it was taken (from the
   * other computer too: the number's chats are the same), so WhatsApp is asked before it is sent. `send` when it
   * surely is not there; found, it becomes sent (`done`); a history that cannot be read leaves it in doubt, for the
   * user (`done`); `later` when the number is not connected.
   */
  async askRestored(numberId: string, driver: WhatsAppDriver, row: OutboxRow, chatId: string): Promise<'send' | 'done' | 'later'> {
    const { outbox } = this.ctx.repo;
    let found: FoundMessage | null;
    try {
      found = await driver.findSent(chatId, { text: row.text, after: (this.ctx.repo.row(row.campaign_id).started_at ?? 0) - 5000, sendId: row.id });
    } catch (error) {
      if (error instanceof DriverError && error.code === 'not_connected') return 'later';
      outbox.finish(row.id, 'in_doubt', 'restored', numberId);
      this.ctx.events.note(row, 'in_doubt', 'restored');
      return 'done';
    }
    if (!found) {
      outbox.clearRestored(row.id);
      return 'send';
    }
    outbox.markFoundSent(row.id, found.messageId, this.ctx.clock.now(), found.chatId ?? chatId);
    this.receipts.applyEarly(found.messageId);
    this.ctx.events.note(row, 'sent', null);
    return 'done';
  }

  /** Retries only what surely did not go out; anything else is first asked of WhatsApp. */
  async afterFailure(numberId: string, driver: WhatsAppDriver, row: OutboxRow, error: unknown): Promise<void> {
    const { outbox } = this.ctx.repo;
    this.ctx.logger.warn({ err: error, sendId: row.id, numberId }, 'send failed');
    if (error instanceof DriverError && !error.maybeSent) {
      if (error.code === 'not_connected') return outbox.requeue(row.id, null, null, true);
      if (error.code === 'media_too_large' || FINAL_REASONS.has(error.code) || row.attempts >= MAX_ATTEMPTS) {
        outbox.finish(row.id, 'failed', error.code);
        return this.ctx.events.note(row, 'failed', error.code);
      }
      return outbox.requeue(row.id, this.ctx.clock.now() + backoff(row.attempts), error.code);
    }
    await this.reconcileRow(driver, row, true);
  }

  /**
   * found → sent; surely not sent → queued again; cannot tell → in doubt. Only a driver error counts as an attempt
   * (after the last one: failed); a crash that interrupted the send does not.
   */
  async reconcileRow(driver: WhatsAppDriver, row: OutboxRow, afterDriverError: boolean): Promise<void> {
    const { outbox } = this.ctx.repo;
    if (!row.chat_id) return outbox.requeue(row.id, null, null, true);
    let found: FoundMessage | null;
    try {
      found = await driver.findSent(row.chat_id, { text: row.text, after: (row.sending_at ?? 0) - 5000, sendId: row.id });
    } catch (error) {
      if (error instanceof DriverError && error.code === 'not_connected') return; // still `sending`: reconciled on reconnect
      outbox.finish(row.id, 'in_doubt', 'unknown');
      return this.ctx.events.note(row, 'in_doubt', null);
    }
    if (found) {
      outbox.markSent(row.id, found.messageId, this.ctx.clock.now(), found.chatId ?? null);
      this.receipts.applyEarly(found.messageId);
      return this.ctx.events.note(row, 'sent', null);
    }
    if (!afterDriverError) return outbox.requeue(row.id, null, null, true);
    if (row.attempts >= MAX_ATTEMPTS) {
      outbox.finish(row.id, 'failed', 'send_failed');
      return this.ctx.events.note(row, 'failed', 'send_failed');
    }
    outbox.requeue(row.id, this.ctx.clock.now() + backoff(row.attempts), 'send_failed');
  }

  /**
   * At start-up and on every reconnection, before anything else goes: what a crash left `sending` is settled, and
   * what WhatsApp holds that the app missed while away is caught up (replies and opt-outs, receipts).
   */
  /** Returns the chats (and phones) the catch-up could not read: nothing is sent to them until a later one does. */
  async reconcile(numberId: string, driver: WhatsAppDriver): Promise<string[]> {
    for (const row of this.ctx.repo.outbox.inFlight(numberId)) {
      await this.reconcileRow(driver, row, false);
      this.ctx.markDirty(row.campaign_id);
    }
    await catchUp({ db: this.ctx.db, outbox: this.ctx.repo.outbox, clock: this.ctx.clock, logger: this.ctx.logger }, numberId, driver, {
      incoming: (message) => this.replies.onIncoming(numberId, message),
      ack: (ack) => this.receipts.onAck(ack),
    });
    return driver.unreadChats?.() ?? [];
  }
}

function backoff(attempts: number): number {
  return RETRY_BACKOFF_MS[attempts - 1] ?? 600_000;
}
