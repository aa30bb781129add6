import { describe, expect, it } from 'vitest';
import { daysBetween, fromWallClock, toWallClock } from '../../../shared/time-zone';

describe('wall-clock times of the user\'s time zone (the scheduled start)', () => {
  it('reads and writes a datetime-local value on the clock of the Settings zone, whatever the browser\'s', () => {
    const nineMexico = Date.parse('2026-12-01T09:00:00-06:00');
    expect(toWallClock(nineMexico, 'America/Mexico_City')).toBe('2026-12-01T09:00');
    expect(fromWallClock('2026-12-01T09:00', 'America/Mexico_City')).toBe(nineMexico);
    expect(toWallClock(nineMexico, 'America/Tijuana')).toBe('2026-12-01T07:00');
    expect(fromWallClock('2026-12-01T07:00', 'America/Tijuana')).toBe(nineMexico);
    expect(fromWallClock('mañana', 'America/Mexico_City')).toBeNull();
  });

  it('counts local days across a daylight-saving change as whole days', () => {
    // New York springs forward on 2026-03-08: that local day has 23 hours.
    const before = Date.parse('2026-03-07T12:00:00-05:00');
    const after = Date.parse('2026-03-09T12:00:00-04:00');
    expect(daysBetween(before, after, 'America/New_York')).toBe(2);
    expect(daysBetween(before, after, 'America/Mexico_City')).toBe(2);
  });
});
