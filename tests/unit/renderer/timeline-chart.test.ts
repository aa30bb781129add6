import { describe, expect, it } from 'vitest';
import { cumulative, timeStep } from '../../../renderer/components/reports/chart-axis';

describe('the report chart', () => {
  it('draws running totals, which never go down', () => {
    expect(cumulative([3, 0, 2, 0, 0, 5])).toEqual([3, 3, 5, 5, 5, 10]);
  });

  it('puts a tick every round interval, at most eight, so no two labels read the same', () => {
    expect(timeStep(40_000)).toBe(10_000); // a test campaign of 40 s: every 10 s (labels with seconds)
    expect(timeStep(6 * 60_000)).toBe(60_000);
    expect(timeStep(3 * 3_600_000)).toBe(30 * 60_000);
    expect(timeStep(5 * 86_400_000)).toBe(86_400_000);
  });
});
