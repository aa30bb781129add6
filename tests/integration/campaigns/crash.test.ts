import { describe, expect, it } from 'vitest';
import type { DeliveryRecord } from '../../../electron/whatsapp';
import { crashCampaign, type CrashRow } from './crash-campaign';
import { KILL_POINTS } from './kill-points';

/** As crash-child.ts answers: the first contacts, from a chat. */
const ANSWERS = 20;

const CONTACTS = 400;
const LIVES = 30;

/** A delivery's chat and what it was (the campaign's message or an answer from the chat): each goes once. */
const slotOf = (chatId: string, answer: boolean) => `${chatId}|${answer ? 'answer' : 'campaign'}`;

/** Every row against WhatsApp's side: a row that says it went out names the one delivery it was; nothing else went out. */
function checkRowsAgainstRecord(rows: CrashRow[], delivered: DeliveryRecord[]): void {
  const byId = new Map(delivered.map((d) => [d.messageId, d]));
  expect(byId.size, 'two deliveries share an id').toBe(delivered.length);
  const perChat = new Map<string, number>();
  for (const d of delivered) perChat.set(slotOf(d.chatId, d.text.startsWith('Respuesta para')), (perChat.get(slotOf(d.chatId, d.text.startsWith('Respuesta para'))) ?? 0) + 1);
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
      expect(row.chat_id ? perChat.get(slotOf(row.chat_id, row.kind === 'chat')) : undefined, `row ${row.id} is ${row.state} (${row.reason}) but its chat got a message`).toBeUndefined();
    }
  }
  expect(delivered.filter((d) => !claimed.has(d.messageId)), 'deliveries no row knows of').toEqual([]);
}

describe('crash safety', () => {
  it(`a campaign of ${CONTACTS} contacts and ${ANSWERS} answers from chats, each of ${LIVES} lives killed inside the send window: every row matches WhatsApp's record`, async () => {
    const result = await crashCampaign({ kills: LIVES, contacts: CONTACTS, seed: 42, factor: 20, mode: 'points' });
    // Each kill point was really hit, more than once: the process died there by itself (not while starting up, and
    // not stopped from outside for never reaching it).
    for (const point of KILL_POINTS) expect(result.lives.filter((l) => l.point === point && l.atPoint).length, `${point}: ${JSON.stringify(result.lives)}`).toBeGreaterThanOrEqual(2);
    expect(result.finished, JSON.stringify(result.states)).toBe(true);
    expect(result.campaign).toBe('completed');
    // The campaign's rows and the answers queued once, however many lives asked for them again.
    expect(result.rows.filter((r) => r.kind === 'campaign')).toHaveLength(CONTACTS);
    expect(result.rows.filter((r) => r.kind === 'chat')).toHaveLength(ANSWERS);
    expect(result.answers).toBe(ANSWERS);
    expect(result.delivered.filter((d) => d.text.startsWith('Respuesta para')).length).toBe(result.rows.filter((r) => r.kind === 'chat' && ['sent', 'delivered', 'read'].includes(r.state)).length);
    expect(result.rows.filter((r) => ['queued', 'sending', 'in_doubt'].includes(r.state))).toEqual([]);
    checkRowsAgainstRecord(result.rows, result.delivered);
    // Failures are the simulator's ack ERRORs or three failed attempts, never a delivered message.
    expect(result.rows.filter((r) => r.state === 'failed').every((r) => r.reason === 'whatsapp_error' || r.reason === 'send_failed')).toBe(true);
    expect(result.delivered.length).toBe(result.rows.filter((r) => ['sent', 'delivered', 'read'].includes(r.state)).length);
  }, 300_000);
});
