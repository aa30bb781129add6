import type { Statement } from 'better-sqlite3';
import type { TestSend } from '../../shared/messages';
import { AppError } from '../core/app-error';
import type { Clock } from '../core/clock';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { Db } from '../db';
import { normalizePhone } from '../phones';
import { DriverError, SimulatedDriver, type AckState, type OutgoingMessage, type SessionManager } from '../whatsapp';
import type { MediaStore } from './media';

const RANK: Record<TestSend['status'], number> = { failed: -1, sending: 0, sent: 1, delivered: 2, read: 3 };
const ACK_STATUS: Partial<Record<AckState, TestSend['status']>> = { sent: 'sent', delivered: 'delivered', read: 'read', played: 'read' };

type DbTestSend = { id: number; number_id: string; phone: string; text: string; status: TestSend['status']; error: string | null };

/** "Envíame una prueba": one message to the user's own spare number, with its receipts shown live. */
export class TestSender {
  /** Acks that arrive before `send()` has returned the message id (whatsapp-web.js does that). */
  private early = new Map<string, TestSend['status']>();
  private byMessage: Statement | undefined;
  /** Message ids of test sends still waiting for a receipt: every ack of every campaign is checked against this set. */
  private watching: Set<string>;

  constructor(
    private readonly deps: { db: Db; bus: EventBus; sessions: SessionManager; media: MediaStore; clock: Clock; logger: Logger },
  ) {
    this.watching = new Set(
      deps.db.prepare("SELECT message_id FROM test_sends WHERE message_id IS NOT NULL AND status IN ('sent', 'delivered')").pluck().all() as string[],
    );
    deps.sessions.onDriverEvent((_numberId, event, payload) => {
      if (event !== 'ack') return;
      const ack = payload as { messageId: string; ack: AckState };
      const status = ack.ack === 'error' ? 'failed' : ACK_STATUS[ack.ack];
      if (status) this.advance(ack.messageId, status);
    });
  }

  async send(input: { numberId: string; to: string; text: string; mediaId: string | null; template?: OutgoingMessage['template'] }): Promise<TestSend> {
    const phone = normalizePhone(input.to, 'MX');
    if (!phone.ok) throw new AppError('invalid_input', `to: ${phone.reason}`, 'to');
    const driver = this.deps.sessions.connected(input.numberId)?.driver;
    if (!driver) throw new AppError('no_connected_number', 'that number is not connected', 'numberId');
    const media = input.mediaId ? this.deps.media.file(input.mediaId) : undefined;
    if (input.mediaId && !media) throw new AppError('not_found', 'no such attachment', 'mediaId');

    const now = this.deps.clock.now();
    this.inFlight += 1;
    const id = Number(
      this.deps.db
        .prepare("INSERT INTO test_sends (number_id, phone, text, media_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'sending', ?, ?)")
        .run(input.numberId, phone.e164, input.text, input.mediaId, now, now).lastInsertRowid,
    );
    try {
      const chatId = await driver.resolve(phone.e164);
      if (!chatId) return this.fail(id, 'not_on_whatsapp');
      // The spare phone of a test send is in the user's hand: in the simulator, it reads what arrives.
      if (driver instanceof SimulatedDriver) driver.attend(chatId);
      const stored = input.mediaId ? this.deps.media.get(input.mediaId) : undefined;
      const base: OutgoingMessage = input.template ? { text: input.text, template: input.template } : { text: input.text };
      const content: OutgoingMessage = media && stored ? { ...base, media: { path: media.path, mimeType: media.mime, fileName: stored.fileName, kind: stored.kind } } : base;
      const { messageId } = await driver.send(chatId, content);
      this.deps.db.prepare("UPDATE test_sends SET message_id = ?, status = 'sent', updated_at = ? WHERE id = ? AND status = 'sending'").run(messageId, this.deps.clock.now(), id);
      this.watching.add(messageId);
      const early = this.early.get(messageId);
      this.early.delete(messageId);
      if (early) this.advance(messageId, early);
      return this.publish(id);
    } catch (error) {
      this.deps.logger.warn({ err: error, id }, 'test send failed');
      return this.fail(id, error instanceof DriverError ? error.code : 'send_failed');
    } finally {
      this.inFlight -= 1;
    }
  }

  private inFlight = 0;

  private advance(messageId: string, status: TestSend['status']): void {
    // Every ack of every campaign passes here: a set lookup is the way out for all but test sends.
    if (!this.watching.has(messageId) && this.inFlight === 0) return;
    if (status === 'read' || status === 'failed') this.watching.delete(messageId);
    this.byMessage ??= this.deps.db.prepare('SELECT id, status FROM test_sends WHERE message_id = ?');
    const row = this.byMessage.get(messageId) as { id: number; status: TestSend['status'] } | undefined;
    if (!row) {
      if (this.inFlight > 0 && RANK[status] > RANK[this.early.get(messageId) ?? 'sending']) this.early.set(messageId, status);
      return;
    }
    if (status !== 'failed' && RANK[status] <= RANK[row.status]) return;
    this.deps.db.prepare('UPDATE test_sends SET status = ?, updated_at = ? WHERE id = ?').run(status, this.deps.clock.now(), row.id);
    this.publish(row.id);
  }

  private fail(id: number, reason: string): TestSend {
    this.deps.db.prepare("UPDATE test_sends SET status = 'failed', error = ?, updated_at = ? WHERE id = ?").run(reason, this.deps.clock.now(), id);
    return this.publish(id);
  }

  private publish(id: number): TestSend {
    const row = this.deps.db.prepare('SELECT id, number_id, phone, text, status, error FROM test_sends WHERE id = ?').get(id) as DbTestSend;
    const view: TestSend = { id: row.id, numberId: row.number_id, phone: row.phone, text: row.text, status: row.status, error: row.error };
    this.deps.bus.emit('messages.testStatus', view);
    return view;
  }
}
