/** The report chart's arithmetic, apart from Chart.js so it can be tested on its own. */
const STEPS_MS = [10_000, 30_000, 60_000, 5 * 60_000, 10 * 60_000, 30 * 60_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000];

/** A tick every "round" interval (10 s, 1 min, 5 min, 1 h…) so that no two ticks read the same and there are few. */
export function timeStep(spanMs: number, maxTicks = 8): number {
  return STEPS_MS.find((step) => spanMs / step <= maxTicks) ?? STEPS_MS[STEPS_MS.length - 1]!;
}

/** Running totals: each line only climbs, so a pause reads as a flat stretch, never as a decline. */
export function cumulative(values: readonly number[]): number[] {
  let total = 0;
  return values.map((v) => (total += v));
}
