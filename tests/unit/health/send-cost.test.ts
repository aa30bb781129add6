import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/db';
import { baselineHealth, campaignHealth, CAMPAIGN_HEALTH_SENDS } from '../../../electron/health/health';
import { UnansweredCounter } from '../../../electron/health/unanswered';
import { dailyCap, PRESETS } from '../../../electron/campaigns/pacer';
import { tempDir } from '../../helpers/temp-dir';

/**
 * What keeps a send's cost flat however long the number has sent (#34): the month's count of unanswered messages
 * kept for the month the pacer looks ahead to, the campaign's health judged on its last sends through an index,
 * and the warm-up's history read only by a pace that has a warm-up.
 */
const ZONE = 'America/Mexico_City';
const NOV30 = Date.parse('2026-11-30T20:00:00-06:00');
const DEC1 = Date.parse('2026-12-01T00:00:00-06:00');
let db: Db | undefined;
afterEach(() => db?.close());

function open(): Db {
  const d = openDatabase(path.join(tempDir(), 'whatzme.db'));
  d.prepare("INSERT INTO campaigns (id, name, state, body, seed, settings, created_at, updated_at) VALUES (1, 'x', 'running', 'Hola', 1, '{}', 0, 0)").run();
  return d;
}

function send(d: Db, contact: number, at: number, state = 'delivered'): string {
  const phone = `+5255${String(10_000_000 + contact)}`;
  d.prepare("INSERT INTO sends (campaign_id, contact_id, phone, number_id, text, state, sending_at, sent_at, updated_at) VALUES (1, ?, ?, 'n1', 'Hola', ?, ?, ?, ?)").run(contact, phone, state, at, at, at);
  return phone;
}

describe('a send costs the same at the millionth as at the first', () => {
  it('keeps the month the pacer looks ahead to, counting its sends and a first reply, without reading it again', () => {
    db = open();
    const counter = new UnansweredCounter(db, () => ZONE);
    send(db, 1, NOV30 - 3600_000);
    expect(counter.count('n1', NOV30)).toBe(1);
    expect(counter.count('n1', DEC1)).toBe(0);
    // Sends made in December from now on are counted by the counter, not read again: rows written behind its back
    // (as no send is) do not show — proof that it kept the month instead of querying it before every send.
    const phone = send(db, 2, DEC1 + 1000);
    counter.onSend('n1', phone, DEC1 + 1000);
    send(db, 3, DEC1 + 2000);
    expect(counter.count('n1', DEC1 + 5000)).toBe(1);
    expect(counter.count('n1', NOV30)).toBe(1);
    // The person answers: their December message no longer counts.
    db.prepare("INSERT INTO incoming (number_id, chat_id, phone, message_id, body, type, at) VALUES ('n1', 'c', ?, 'IN1', 'Sí', 'chat', ?)").run(phone, DEC1 + 3000);
    counter.onFirstReply('n1', phone);
    expect(counter.count('n1', DEC1 + 5000)).toBe(0);
    // Read afresh after forget: what the table holds.
    counter.forget('n1');
    expect(counter.count('n1', DEC1 + 5000)).toBe(1);
  });

  it("judges a campaign's health on its last sends, read through the campaign's send-time index", () => {
    db = open();
    // 600 old sends nobody answered, then the last 500 all answered: the window holds only the last.
    for (let i = 0; i < 600; i++) send(db, i, NOV30 - 5 * 3600_000 + i * 1000);
    for (let i = 600; i < 600 + CAMPAIGN_HEALTH_SENDS; i++) {
      const phone = send(db, i, NOV30 - 3 * 3600_000 + i * 1000);
      db.prepare("INSERT INTO incoming (number_id, chat_id, phone, message_id, body, type, at) VALUES ('n1', 'c', ?, ?, 'Sí', 'chat', ?)").run(phone, `IN${i}`, NOV30 - 3600_000);
    }
    const { counts } = campaignHealth(db, 1, NOV30);
    expect(counts.sent).toBe(CAMPAIGN_HEALTH_SENDS);
    expect(counts.replied).toBe(CAMPAIGN_HEALTH_SENDS);
    expect(baselineHealth(db, ['n1'], NOV30 + 2 * 3600_000).score).not.toBeNull();
    const plan = (db.prepare("EXPLAIN QUERY PLAN SELECT phone FROM sends WHERE campaign_id = 1 AND sending_at >= 0 ORDER BY sending_at DESC LIMIT 200").all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan).toContain('sends_campaign_time');
  });

  it('asks for the warm-up step only when the pace has a warm-up', () => {
    let asked = 0;
    const step = () => {
      asked += 1;
      return 0;
    };
    expect(dailyCap(PRESETS.standard, step)).toBe(PRESETS.standard.dailyCap);
    expect(asked).toBe(0);
    expect(dailyCap(PRESETS.new_number, step)).toBe(30);
    expect(asked).toBe(1);
  });
});
