import type { Clock } from '../core/clock';
import type { Logger } from '../core/logger';
import type { Db } from '../db';
import { DriverError, type DriverEvents, type WhatsAppDriver } from '../whatsapp';
import type { Outbox } from './outbox';

/** How far back a first catch-up looks for replies (a number with none stored yet). */
const REPLIES_LOOKBACK_MS = 3 * 86_400_000;
/** Receipts are re-read for sends still `sent` from the last two days, newest first, at most this many. */
const RECEIPTS_LOOKBACK_MS = 2 * 86_400_000;
const RECEIPTS_AT_ONCE = 500;
/** WhatsApp timestamps are whole seconds, and the phone's clock drifts: a little overlap, deduped by id. */
const SLACK_MS = 60_000;

export type CatchUpDeps = { db: Db; outbox: Outbox; clock: Clock; logger: Logger };

/**
 * What WhatsApp holds that the app missed while it was closed or offline, read before the number sends again:
 * replies since the last one stored (an overnight CANCELAR is honoured before the next message), and the receipts
 * of recent sends still `sent` (delivered, read, or refused). A failure to read is logged, not fatal: sending goes
 * on, and the next reconnection tries again; only a lost connection stops it (the lane waits for it).
 */
export async function catchUp(
  deps: CatchUpDeps,
  numberId: string,
  driver: WhatsAppDriver,
  on: { incoming(message: DriverEvents['incoming']): Promise<void>; ack(ack: DriverEvents['ack']): void },
): Promise<void> {
  const { db, outbox, clock, logger } = deps;
  const now = clock.now();
  const lastReply = db.prepare('SELECT MAX(at) FROM incoming WHERE number_id = ?').pluck().get(numberId) as number | null;
  const since = Math.max(now - REPLIES_LOOKBACK_MS, (lastReply ?? 0) - SLACK_MS);
  await tolerate(logger, numberId, 'replies', async () => {
    for (const message of await driver.recentIncoming(since)) await on.incoming(message);
  });
  const rows = db
    .prepare("SELECT chat_id AS chatId, message_id AS messageId FROM sends WHERE number_id = ? AND state = 'sent' AND message_id IS NOT NULL AND sent_at > ? ORDER BY sent_at DESC LIMIT ?")
    .all(numberId, now - RECEIPTS_LOOKBACK_MS, RECEIPTS_AT_ONCE) as { chatId: string; messageId: string }[];
  if (rows.length === 0) return;
  await tolerate(logger, numberId, 'receipts', async () => {
    const states = await driver.ackStates(rows);
    // As if each receipt had arrived live: the same path moves rows forward or fails a refused one.
    for (const [messageId, ack] of states) on.ack({ messageId, ack, at: clock.now() });
    outbox.flushReceipts();
  });
}

async function tolerate(logger: Logger, numberId: string, what: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof DriverError && error.code === 'not_connected') throw error;
    logger.warn({ err: error, numberId, what }, 'catch-up failed; sending goes on');
  }
}
