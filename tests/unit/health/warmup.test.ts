import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../electron/db';
import { warmupStep } from '../../../electron/health/warmup';
import { dailyCap, PRESETS } from '../../../electron/campaigns/pacer';
import { tempDir } from '../../helpers/temp-dir';

const ZONE = 'America/Mexico_City';
const DAY = 86_400_000;
const FIRST = Date.parse('2026-11-02T10:00:00-06:00');
let db: Db | undefined;
afterEach(() => db?.close());

/** One day of a new number's sends as the outbox keeps them: `state` for each, and `replied` of them answered. */
function day(d: Db, dayIndex: number, count: number, state: 'delivered' | 'sent', replied: number): void {
  const at = FIRST + dayIndex * DAY;
  const send = d.prepare("INSERT INTO sends (campaign_id, contact_id, phone, number_id, text, state, sending_at, sent_at, updated_at) VALUES (1, ?, ?, 'n1', 'Hola', ?, ?, ?, ?)");
  const reply = d.prepare("INSERT INTO incoming (number_id, chat_id, phone, message_id, body, type, at) VALUES ('n1', ?, ?, ?, 'Gracias', 'chat', ?)");
  for (let i = 0; i < count; i++) {
    const contact = dayIndex * 1000 + i;
    const phone = `+5255${String(10_000_000 + contact)}`;
    send.run(contact, phone, state, at + i * 60_000, at + i * 60_000, at + i * 60_000);
    if (i < replied) reply.run(`${phone}@c.us`, phone, `IN_${contact}`, at + i * 60_000 + 30_000);
  }
}

describe('the warm-up of a new number follows its health, not its age', () => {
  it('advances a step per good day of sending, holds on a day off, and steps back after a bad one', () => {
    db = openDatabase(path.join(tempDir(), 'whatzme.db'));
    db.prepare("INSERT INTO campaigns (id, name, state, body, seed, settings, created_at, updated_at) VALUES (1, 'x', 'running', 'Hola', 1, '{}', 0, 0)").run();
    const stepOn = (dayIndex: number) => warmupStep(db as Db, 'n1', FIRST, FIRST + dayIndex * DAY, ZONE);
    expect(stepOn(0)).toBe(0);
    day(db, 0, 30, 'delivered', 6); // 20 % answer: a good day
    expect(stepOn(1)).toBe(1);
    day(db, 1, 40, 'delivered', 8);
    expect(stepOn(2)).toBe(2);
    // Day 2: no sending. Age alone would say day 3; the history says it is still on step 2.
    expect(stepOn(3)).toBe(2);
    // Day 3: half of the messages stay at one tick and nobody answers: people are blocking it.
    day(db, 3, 25, 'sent', 0);
    day(db, 3.5, 25, 'delivered', 0);
    expect(stepOn(4)).toBe(0);
    // What the new-number pace then lets it send: the first day's cap again, not day 4's.
    expect(dailyCap(PRESETS.new_number, stepOn(4))).toBe(30);
    expect(dailyCap(PRESETS.new_number, 4)).toBe(90);
  });
});
