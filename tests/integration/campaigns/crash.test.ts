import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../../electron/whatsapp';
import { crashCampaign, type CrashRow } from './crash-campaign';
import { KILL_POINTS } from './kill-points';

const CONTACTS = 400;
const LIVES = 30;

/** Every row against WhatsApp's side: a row that says it went out names the one delivery it was; nothing else went out. */
function checkRowsAgainstRecord(rows: CrashRow[], delivered: DeliveryRecord[]): void {
  const byId = new Map(delivered.map((d) => [d.messageId, d]));
  expect(byId.size, 'two deliveries share an id').toBe(delivered.length);
  const perChat = new Map<string, number>();
  for (const d of delivered) perChat.set(d.chatId, (perChat.get(d.chatId) ?? 0) + 1);
  expect([...perChat.entries()].filter(([, n]) => n > 1), 'contacts messaged twice').toEqual([]);
  const claimed = new Set<string>();
  for (const row of rows) {
    const delivery = row.message_id ? byId.get(row.message_id) : undefined;
    if (['sent', 'delivered', 'read'].includes(row.state)) {
      expect(delivery, `row ${row.id} is ${row.state} with ${row.message_id}, which WhatsApp never delivered`).toBeDefined();
      expect(delivery?.chatId, `row ${row.id}`).toBe(row.chat_id);
      claimed.add(row.message_id ?? '');
    } else {
      // failed or skipped: WhatsApp delivered nothing to that chat.
      expect(row.chat_id ? perChat.get(row.chat_id) : undefined, `row ${row.id} is ${row.state} (${row.reason}) but its chat got a message`).toBeUndefined();
    }
  }
  expect(delivered.filter((d) => !claimed.has(d.messageId)), 'deliveries no row knows of').toEqual([]);
}

describe('crash safety', () => {
  it(`a campaign of ${CONTACTS} contacts, each of ${LIVES} lives killed inside the send window: every row matches WhatsApp's record`, async () => {
    const result = await crashCampaign({ kills: LIVES, contacts: CONTACTS, seed: 42, factor: 20, mode: 'points' });
    // Each kill point was really hit, more than once: the process died there by itself (not while starting up, and
    // not stopped from outside for never reaching it).
    for (const point of KILL_POINTS) expect(result.lives.filter((l) => l.point === point && l.atPoint).length, `${point}: ${JSON.stringify(result.lives)}`).toBeGreaterThanOrEqual(2);
    expect(result.finished, JSON.stringify(result.states)).toBe(true);
    expect(result.campaign).toBe('completed');
    expect(result.rows).toHaveLength(CONTACTS);
    expect(result.rows.filter((r) => ['queued', 'sending', 'in_doubt'].includes(r.state))).toEqual([]);
    checkRowsAgainstRecord(result.rows, result.delivered);
    // Failures are the simulator's ack ERRORs or three failed attempts, never a delivered message.
    expect(result.rows.filter((r) => r.state === 'failed').every((r) => r.reason === 'whatsapp_error' || r.reason === 'send_failed')).toBe(true);
    expect(result.delivered.length).toBe(result.rows.filter((r) => ['sent', 'delivered', 'read'].includes(r.state)).length);
  }, 300_000);
});
