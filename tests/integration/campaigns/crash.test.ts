import { describe, expect, it } from 'vitest';
import { crashCampaign } from './crash-campaign';

const CONTACTS = 300;
const KILLS = 30;

describe('crash safety', () => {
  it(`a campaign of ${CONTACTS} contacts killed ${KILLS} times with SIGKILL: everyone gets exactly one message`, async () => {
    const result = await crashCampaign({ kills: KILLS, contacts: CONTACTS, seed: 42, factor: 20 });
    expect(result.finished).toBe(true);
    expect(result.killedMidway).toBeGreaterThanOrEqual(20);
    const perChat = new Map<string, number>();
    for (const d of result.delivered) perChat.set(d.chatId, (perChat.get(d.chatId) ?? 0) + 1);
    const twice = [...perChat.entries()].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    expect(perChat.size, JSON.stringify(result.states)).toBe(CONTACTS);
    expect(result.campaign).toBe('completed');
    // Every row final: nothing queued or in flight, nothing in doubt.
    expect(result.states.filter((s) => ['queued', 'sending', 'in_doubt'].includes(s.state))).toEqual([]);
    expect(result.states.reduce((sum, s) => sum + s.n, 0)).toBe(CONTACTS);
  }, 240_000);
});
