import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox, type WrittenReceipt } from '../../../electron/campaigns/outbox';
import { openDatabase, type Db } from '../../../electron/db';
import { tempDir } from '../../helpers/temp-dir';

let db: Db | undefined;
afterEach(() => {
  db?.close();
  db = undefined;
});

/** A real database file with one campaign and `n` sends already `sent` as SIM1…SIMn. */
function outboxWithSent(n: number): { db: Db; outbox: Outbox; written: WrittenReceipt[][] } {
  db = openDatabase(path.join(tempDir(), 'whatzme.db'));
  db.prepare("INSERT INTO campaigns (id, name, state, body, seed, settings, created_at, updated_at) VALUES (1, 'c', 'running', 'Hola', 1, '{}', 0, 0)").run();
  const insert = db.prepare("INSERT INTO sends (campaign_id, contact_id, phone, text, state, message_id, sent_at, updated_at) VALUES (1, ?, ?, 'Hola', 'sent', ?, 1, 1)");
  for (let i = 1; i <= n; i++) insert.run(i, `+52553000${String(i).padStart(4, '0')}`, `SIM${i}`);
  const outbox = new Outbox(db, () => 5);
  const written: WrittenReceipt[][] = [];
  outbox.onReceipts = (batch) => written.push(batch);
  return { db, outbox, written };
}

const stateOf = (d: Db, messageId: string) => d.prepare('SELECT state FROM sends WHERE message_id = ?').pluck().get(messageId);

describe('receipts', () => {
  it('are written together at the end of the turn, and moved forward only', async () => {
    const { db, outbox, written } = outboxWithSent(3);
    outbox.receipt({ messageId: 'SIM1', state: 'delivered', at: 2 });
    outbox.receipt({ messageId: 'SIM2', state: 'read', at: 3 });
    outbox.receipt({ messageId: 'SIM2', state: 'delivered', at: 4 });
    expect(stateOf(db, 'SIM1')).toBe('sent');
    await nextTurn();
    expect(stateOf(db, 'SIM1')).toBe('delivered');
    expect(stateOf(db, 'SIM2')).toBe('read');
    expect(db.prepare("SELECT delivered_at, read_at FROM sends WHERE message_id = 'SIM2'").get()).toEqual({ delivered_at: 3, read_at: 3 });
    expect(written).toHaveLength(1);
    expect(written[0]?.map((r) => r.campaignId)).toEqual([1, 1, 1]);
  });

  it('are flushed by whatever counts them, and by a full batch', () => {
    const { db, outbox } = outboxWithSent(300);
    outbox.receipt({ messageId: 'SIM1', state: 'delivered', at: 2 });
    expect(outbox.counts(1)).toMatchObject({ sent: 299, delivered: 1 });
    for (let i = 1; i <= 300; i++) outbox.receipt({ messageId: `SIM${i}`, state: 'read', at: 9 });
    // 256 went in one transaction as soon as they were waiting; the rest wait for the end of the turn.
    expect(db.prepare("SELECT COUNT(*) FROM sends WHERE state = 'read'").pluck().get()).toBe(256);
    outbox.flushReceipts();
    expect(db.prepare("SELECT COUNT(*) FROM sends WHERE state = 'read'").pluck().get()).toBe(300);
  });

  it('for a message id no row has yet are reported as such, to be kept until the row has it', async () => {
    const { outbox, written } = outboxWithSent(1);
    outbox.receipt({ messageId: 'SIM9', state: 'delivered', at: 2 });
    await nextTurn();
    expect(written).toEqual([[{ messageId: 'SIM9', state: 'delivered', at: 2, campaignId: undefined }]]);
  });
});

describe('markSending', () => {
  it('takes a queued row only while its campaign runs: a pause that came while the lane looked the contact up wins', () => {
    const { db, outbox } = outboxWithSent(0);
    const insert = db.prepare("INSERT INTO sends (campaign_id, contact_id, phone, text, state, updated_at) VALUES (1, ?, ?, 'Hola', 'queued', 1)");
    const first = Number(insert.run(1, '+525530000001').lastInsertRowid);
    const second = Number(insert.run(2, '+525530000002').lastInsertRowid);
    expect(outbox.markSending(first, 'n_aaaaaa', '5215530000001@c.us')).toBe(true);
    db.prepare("UPDATE campaigns SET state = 'paused' WHERE id = 1").run();
    expect(outbox.markSending(second, 'n_aaaaaa', '5215530000002@c.us')).toBe(false);
    expect(db.prepare('SELECT state FROM sends WHERE id = ?').pluck().get(second)).toBe('queued');
  });
});
