import { describe, expect, it } from 'vitest';
import { meanSendMs, projectFinish } from '../../../electron/campaigns/eta';
import { PRESETS, type PacerSettings } from '../../../electron/campaigns/pacer';

const ZONE = 'America/Mexico_City';
const at = (local: string) => Date.parse(`${local}-06:00`);
const settings = (over: Partial<PacerSettings> = {}): PacerSettings => ({ pace: PRESETS.standard, window: null, timeZone: ZONE, startAt: null, ...over });
const MON_TO_SAT_9_TO_20 = { days: [1, 2, 3, 4, 5, 6], startMinute: 9 * 60, endMinute: 20 * 60 };

describe('the live view\'s finish', () => {
  it('is the pace\'s average rate, pauses included, never over 100 a minute', () => {
    // Standard: 1.1 s spacing and a 27.5 s pause every 75 sends on average.
    expect(meanSendMs(PRESETS.standard)).toBeCloseTo(1100 + 27_500 / 75, 5);
    expect(meanSendMs({ ...PRESETS.standard, gapMs: [10, 10], pauseMs: [0, 0] })).toBe(1000); // its 60 a minute
    expect(meanSendMs({ ...PRESETS.standard, perMinute: 500, gapMs: [10, 10], pauseMs: [0, 0] })).toBe(600); // the hard 100
    const finish = projectFinish({ now: at('2026-11-30T10:00:00'), count: 600, settings: settings(), sentToday: 0, warmupDay: () => 30 });
    expect(finish).toBe(at('2026-11-30T10:00:00') + 600 * meanSendMs(PRESETS.standard));
  });

  it('waits for the sending window: Saturday 19:55 with 600 to go ends on Monday morning', () => {
    const finish = projectFinish({ now: at('2026-12-05T19:55:00'), count: 600, settings: settings({ window: MON_TO_SAT_9_TO_20 }), sentToday: 0, warmupDay: () => 30 });
    const fitsBefore20 = Math.floor((5 * 60_000) / meanSendMs(PRESETS.standard));
    expect(finish).toBe(at('2026-12-07T09:00:00') + (600 - fitsBefore20) * meanSendMs(PRESETS.standard));
  });

  it('spills over the daily cap into the next days, and a new number\'s warm-up caps it lower', () => {
    const now = at('2026-11-30T09:00:00');
    const capped = projectFinish({ now, count: 7000, settings: settings(), sentToday: 0, warmupDay: () => 30 });
    expect(capped).toBe(at('2026-12-01T00:00:00') + 1000 * meanSendMs(PRESETS.standard));
    // Warm-up: 30 on its first day (already sent 25), then 40: 5 today, 40 tomorrow, 5 the day after.
    const young = projectFinish({ now, count: 50, settings: settings({ pace: PRESETS.new_number }), sentToday: 25, warmupDay: (t) => Math.round((t - at('2026-11-30T00:00:00')) / 86_400_000) });
    expect(young).toBe(at('2026-12-02T00:00:00') + 5 * meanSendMs(PRESETS.new_number));
  });

  it('has no finish when the window never opens, and starts counting at a scheduled start', () => {
    expect(projectFinish({ now: at('2026-11-30T09:00:00'), count: 5, settings: settings({ window: { days: [], startMinute: 540, endMinute: 1200 } }), sentToday: 0, warmupDay: () => 30 })).toBeNull();
    const startAt = at('2026-12-01T08:00:00');
    expect(projectFinish({ now: at('2026-11-30T09:00:00'), count: 10, settings: settings({ startAt }), sentToday: 0, warmupDay: () => 30 })).toBe(startAt + 10 * meanSendMs(PRESETS.standard));
  });
});
