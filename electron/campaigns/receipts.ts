import type { DriverEvents } from '../whatsapp';
import type { EngineContext } from './engine-context';
import { RANK, type OutboxRow, type Receipt, type WrittenReceipt } from './outbox';

/** Receipts from WhatsApp: they move rows forward, and those that come before send() returned wait for their row. */
export class Receipts {
  private early = new Map<string, Receipt['state']>();

  constructor(private readonly ctx: EngineContext) {}

  onAck(ack: Pick<DriverEvents['ack'], 'messageId' | 'ack' | 'at'> & { reason?: string }): void {
    const { outbox } = this.ctx.repo;
    if (ack.ack === 'error') {
      outbox.flushReceipts();
      const row = this.ctx.db.prepare('SELECT * FROM sends WHERE message_id = ?').get(ack.messageId) as OutboxRow | undefined;
      if (row && (row.state === 'sent' || row.state === 'sending')) {
        const reason = ack.reason ?? 'whatsapp_error';
        // Refused under WhatsApp's limit on new people: not delivered, and no failure of the list or the message.
        outbox.finish(row.id, reason === 'wa_limit' ? 'skipped' : 'failed', reason);
        // The Cloud API tells after the send that a phone is not on WhatsApp (131026): the contact learns it too.
        if (reason === 'not_on_whatsapp') this.ctx.contacts.setWaStatus(row.contact_id, 'not_on_whatsapp');
        this.ctx.events.note(row, reason === 'wa_limit' ? 'skipped' : 'failed', reason);
      }
      return;
    }
    // A row only learns its message id as it becomes `sent`, so a `sent` receipt never moves anything.
    const state = ack.ack === 'played' ? 'read' : ack.ack === 'delivered' || ack.ack === 'read' ? ack.ack : null;
    if (state) outbox.receipt({ messageId: ack.messageId, state, at: ack.at });
  }

  /** Told of the messages first read in each burst of receipts (the automatic tags listen). */
  readonly readListeners: ((reads: { campaignId: number; contactId: number }[]) => void)[] = [];

  onWritten(written: WrittenReceipt[]): void {
    const reads = written.flatMap((r) => (r.campaignId !== undefined && r.readBy !== undefined ? [{ campaignId: r.campaignId, contactId: r.readBy }] : []));
    if (reads.length > 0) {
      for (const listener of this.readListeners) {
        try {
          listener(reads);
        } catch (error) {
          this.ctx.logger.warn({ err: error }, 'read listener failed');
        }
      }
    }
    for (const receipt of written) {
      if (receipt.campaignId !== undefined) {
        this.ctx.markDirty(receipt.campaignId);
        continue;
      }
      // It may arrive before send() returned its id: kept until the row knows its message id.
      const known = this.early.get(receipt.messageId);
      if (!known || RANK[receipt.state] > RANK[known]) this.early.set(receipt.messageId, receipt.state);
      if (this.early.size > 10_000) this.early.delete(this.early.keys().next().value as string);
    }
  }

  /** The row has its message id now: a receipt that came first applies. */
  applyEarly(messageId: string): void {
    const state = this.early.get(messageId);
    if (!state) return;
    this.early.delete(messageId);
    this.ctx.repo.outbox.ack(messageId, state, this.ctx.clock.now());
  }
}
