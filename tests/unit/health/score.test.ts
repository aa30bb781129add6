import { describe, expect, it } from 'vitest';
import { healthScore, type HealthCounts } from '../../../electron/health/score';
import { monthBounds } from '../../../shared/time-zone';

const healthy: HealthCounts = { sent: 500, people: 500, replied: 75, optedOut: 1, failed: 2, notOnWhatsApp: 10, settled: 480, oneTick: 4, budgetUsed: 0.3 };

describe('a number\'s health score', () => {
  it('is high for a number whose people answer, and says to keep going', () => {
    const h = healthScore(healthy);
    expect(h.score).toBeGreaterThanOrEqual(90);
    expect(h.advice).toBe('keep_going');
    expect(h.factors.map((f) => f.key)).toEqual(['replies', 'opt_outs', 'failures', 'not_on_whatsapp', 'one_tick', 'budget']);
    expect(h.factors.reduce((sum, f) => sum + f.max, 0)).toBe(100);
  });

  it.each([
    ['people blocking it (one tick only)', { oneTick: 96 }, 'pause_two_days', 'one_tick'],
    ['opt-outs', { optedOut: 20, replied: 20 }, 'review_message', 'opt_outs'],
    ['sends refused by WhatsApp', { failed: 60 }, 'slow_down', 'failures'],
    ['a list of phones not on WhatsApp', { notOnWhatsApp: 200, replied: 40 }, 'clean_list', 'not_on_whatsapp'],
    ['the month\'s budget nearly gone', { budgetUsed: 1, replied: 10 }, 'wait_next_month', 'budget'],
  ] as const)('falls with %s, and names what to do', (_, change, advice, worst) => {
    const h = healthScore({ ...healthy, ...change });
    expect(h.score).toBeLessThan(90);
    expect(h.advice).toBe(advice);
    const factor = h.factors.find((f) => f.key === worst);
    expect(factor?.penalty).toBeGreaterThan(0);
  });

  it('has no score with too few messages to tell, but still its factors', () => {
    const h = healthScore({ ...healthy, sent: 10, people: 10, replied: 0, settled: 10 });
    expect(h).toMatchObject({ score: null, advice: null });
    expect(h.factors.find((f) => f.key === 'replies')?.penalty).toBe(20);
  });

  it('counts months in the user\'s zone (the budget starts again at their midnight)', () => {
    const { start, end } = monthBounds(Date.parse('2026-12-15T12:00:00Z'), 'America/Mexico_City');
    expect(new Date(start).toISOString()).toBe('2026-12-01T06:00:00.000Z');
    expect(new Date(end).toISOString()).toBe('2027-01-01T06:00:00.000Z');
  });
});
