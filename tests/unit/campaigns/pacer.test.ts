import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../../electron/core/random';
import {
  customPace,
  drawGap,
  HARD_PER_DAY,
  HARD_PER_MINUTE,
  nextAllowed,
  PRESETS,
  warmupCap,
  windowStart,
  type PacerSettings,
} from '../../../electron/campaigns/pacer';
import { dayBounds, localTime, minuteOfDay } from '../../../shared/time-zone';

const ZONES = ['America/Mexico_City', 'America/Tijuana', 'America/Cancun', 'America/Monterrey', 'Europe/Madrid', 'UTC'];

/** Drives one number through `count` sends as the engine would, in virtual time. */
function simulate(settings: PacerSettings, count: number, random: Random, start: number): number[] {
  const sends: number[] = [];
  const perDay = new Map<number, number>();
  let firstDay: number | null = null;
  let now = start;
  let earliest = start;
  let batchLeft = random.int(...settings.pace.batch);
  const history = {
    get recent() {
      return sends.slice(-HARD_PER_MINUTE);
    },
    sentOnDay: (at: number) => perDay.get(dayBounds(at, settings.timeZone).start) ?? 0,
    warmupDay: (at: number) => (firstDay === null ? 0 : Math.floor((dayBounds(at, settings.timeZone).start - firstDay) / 86_400_000)),
  };
  for (let i = 0; i < count; i++) {
    const { at } = nextAllowed({ now, earliest, history, settings });
    if (!Number.isFinite(at)) break;
    sends.push(at);
    const day = dayBounds(at, settings.timeZone).start;
    firstDay ??= day;
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    const gap = drawGap(settings.pace, batchLeft, random);
    batchLeft = gap.batchLeft;
    earliest = at + gap.gapMs;
    // The engine's own time moves on a little before it asks again.
    now = at + random.int(0, 50);
  }
  return sends;
}

function maxInSlidingMinute(sends: number[]): number {
  let max = 0;
  let from = 0;
  for (let to = 0; to < sends.length; to++) {
    while ((sends[to] ?? 0) - (sends[from] ?? 0) >= 60_000) from++;
    max = Math.max(max, to - from + 1);
  }
  return max;
}

function randomSettings(random: Random): PacerSettings {
  const kind = random.int(0, 3);
  const pace =
    kind === 0
      ? PRESETS.standard
      : kind === 1
        ? PRESETS.careful
        : kind === 2
          ? PRESETS.new_number
          : customPace({
              perMinute: random.int(1, 400),
              gapMs: [random.int(0, 3000), random.int(0, 5000)],
              batch: [random.int(0, 80), random.int(1, 200)],
              pauseMs: [random.int(0, 60_000), random.int(0, 300_000)],
              dailyCap: random.int(1, 20_000),
            });
  const withWindow = random.next() < 0.7;
  const startMinute = random.int(0, 20) * 60 + random.pick([0, 30]);
  const window = withWindow
    ? { days: [0, 1, 2, 3, 4, 5, 6].filter(() => random.next() < 0.7).concat([random.int(0, 6)]), startMinute, endMinute: Math.min(1440, startMinute + random.int(1, 10) * 60) }
    : null;
  return { pace, window, timeZone: random.pick(ZONES), startAt: random.next() < 0.3 ? 1_700_000_000_000 + random.int(0, 86_400_000) : null };
}

describe('pacer: properties over random settings (100,000+ sends in virtual time)', () => {
  it('never passes 100 (nor the pace) in any sliding minute, nor the daily cap, nor leaves the window', () => {
    const random = seededRandom(20261125);
    let total = 0;
    for (let run = 0; total < 100_000; run++) {
      const settings = randomSettings(random);
      const start = 1_700_000_000_000 + random.int(0, 7 * 86_400_000);
      const sends = simulate(settings, random.int(500, 4000), random, start);
      total += sends.length;
      const label = `run ${run}: ${JSON.stringify(settings)}`;
      expect(maxInSlidingMinute(sends), label).toBeLessThanOrEqual(Math.min(HARD_PER_MINUTE, settings.pace.perMinute));
      const perDay = new Map<number, number>();
      for (const at of sends) {
        const day = dayBounds(at, settings.timeZone).start;
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
        if (settings.startAt !== null) expect(at, label).toBeGreaterThanOrEqual(settings.startAt);
        if (settings.window) {
          expect(settings.window.days, label).toContain(localTime(at, settings.timeZone).weekday);
          const minute = minuteOfDay(at, settings.timeZone);
          expect(minute, label).toBeGreaterThanOrEqual(settings.window.startMinute);
          expect(minute, label).toBeLessThan(settings.window.endMinute);
        }
      }
      const days = [...perDay.keys()].sort((a, b) => a - b);
      for (const [i, day] of days.entries()) {
        const cap = settings.pace.preset === 'new_number' ? warmupCap(Math.round((day - (days[0] ?? day)) / 86_400_000)) : Math.min(HARD_PER_DAY, settings.pace.dailyCap);
        expect(perDay.get(day), `${label} day ${i}`).toBeLessThanOrEqual(cap);
      }
    }
    expect(total).toBeGreaterThanOrEqual(100_000);
  });
});

describe('pacer: presets', () => {
  it('Estándar sends about 60 a minute with random spacing and pauses after batches, 6,000 a day at most', () => {
    const settings: PacerSettings = { pace: PRESETS.standard, window: null, timeZone: 'America/Mexico_City', startAt: null };
    const sends = simulate(settings, 7000, seededRandom(1), Date.UTC(2026, 10, 25, 6));
    const firstHour = sends.filter((t) => t < (sends[0] ?? 0) + 3_600_000).length;
    expect(firstHour).toBeGreaterThan(2000);
    expect(firstHour).toBeLessThan(3600);
    const gaps = sends.slice(1, 200).map((t, i) => t - (sends[i] ?? 0));
    expect(new Set(gaps).size).toBeGreaterThan(50);
    expect(gaps.some((g) => g >= 15_000)).toBe(true);
    const day = dayBounds(sends[0] ?? 0, settings.timeZone);
    expect(sends.filter((t) => t >= day.start && t < day.end).length).toBeLessThanOrEqual(6000);
  });

  it('Prudente stays near 6–10 a minute with long pauses, 1,000 a day', () => {
    const settings: PacerSettings = { pace: PRESETS.careful, window: null, timeZone: 'America/Mexico_City', startAt: null };
    const sends = simulate(settings, 1100, seededRandom(2), Date.UTC(2026, 10, 25, 6));
    expect(maxInSlidingMinute(sends)).toBeLessThanOrEqual(10);
    const day = dayBounds(sends[0] ?? 0, settings.timeZone);
    expect(sends.filter((t) => t >= day.start && t < day.end).length).toBe(1000);
  });

  it('Número nuevo grows its daily cap over the first weeks', () => {
    const settings: PacerSettings = { pace: PRESETS.new_number, window: null, timeZone: 'America/Mexico_City', startAt: null };
    const sends = simulate(settings, 2000, seededRandom(3), Date.UTC(2026, 10, 25, 6));
    const perDay = new Map<number, number>();
    for (const t of sends) perDay.set(dayBounds(t, settings.timeZone).start, (perDay.get(dayBounds(t, settings.timeZone).start) ?? 0) + 1);
    const counts = [...perDay.values()];
    expect(counts.slice(0, 5)).toEqual([30, 40, 50, 70, 90]);
  });

  it('at the 100-a-minute ceiling, keeps a margin: no 65 s of send starts hold more than 100 (#29 item 8)', () => {
    const pace = customPace({ perMinute: 100, gapMs: [0, 0], batch: [0, 0], pauseMs: [0, 0], dailyCap: 6000 });
    const settings: PacerSettings = { pace, window: null, timeZone: 'UTC', startAt: null };
    const sends = simulate(settings, 3000, seededRandom(8), Date.UTC(2026, 10, 25, 6));
    let max = 0;
    for (let to = 0, from = 0; to < sends.length; to++) {
      while ((sends[to] ?? 0) - (sends[from] ?? 0) >= 65_000) from++;
      max = Math.max(max, to - from + 1);
    }
    expect(max).toBeLessThanOrEqual(100);
    expect(max).toBeGreaterThanOrEqual(95); // still near the ceiling, not a slower pace
  });

  it('a custom pace cannot pass the hard limits', () => {
    const pace = customPace({ perMinute: 1000, gapMs: [0, 0], batch: [0, 0], pauseMs: [0, 0], dailyCap: 99_999 });
    expect(pace).toMatchObject({ perMinute: 100, dailyCap: 6000 });
    expect(pace.gapMs[0]).toBeGreaterThan(0);
  });
});

describe('pacer: the sending window and the schedule', () => {
  const monToSat9to20 = { days: [1, 2, 3, 4, 5, 6], startMinute: 9 * 60, endMinute: 20 * 60 };
  const zone = 'America/Mexico_City';

  it('waits for the window and says until when', () => {
    // Saturday 2026-11-28 21:00 in Mexico City → Monday 09:00.
    const saturdayNight = Date.parse('2026-11-28T21:00:00-06:00');
    const result = nextAllowed({
      now: saturdayNight,
      earliest: 0,
      history: { recent: [], sentOnDay: () => 0, warmupDay: () => 30 },
      settings: { pace: PRESETS.standard, window: monToSat9to20, timeZone: zone, startAt: null },
    });
    expect(result).toEqual({ at: Date.parse('2026-11-30T09:00:00-06:00'), why: 'window' });
    expect(windowStart(Date.parse('2026-11-30T12:00:00-06:00'), monToSat9to20, zone)).toBe(Date.parse('2026-11-30T12:00:00-06:00'));
  });

  it('honours a scheduled start and a full day, moving to the next local midnight', () => {
    const now = Date.parse('2026-11-25T10:00:00-06:00');
    const history = { recent: [], sentOnDay: (at: number) => (at < Date.parse('2026-11-26T00:00:00-06:00') ? 6000 : 0), warmupDay: () => 30 };
    const settings = { pace: PRESETS.standard, window: null, timeZone: zone, startAt: null };
    expect(nextAllowed({ now, earliest: 0, history, settings })).toEqual({ at: Date.parse('2026-11-26T00:00:00-06:00'), why: 'daily_cap' });
    const later = now + 3_600_000;
    expect(nextAllowed({ now, earliest: 0, history: { ...history, sentOnDay: () => 0 }, settings: { ...settings, startAt: later } })).toEqual({ at: later, why: 'scheduled' });
  });
});
