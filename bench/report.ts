import { performance } from 'node:perf_hooks';

export function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** One figure per line, aligned, so a run can be read and compared at a glance. */
export function report(name: string, value: number, unit: string, target?: string): void {
  const figure = value >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(2);
  process.stdout.write(`${name.padEnd(52)} ${figure.padStart(12)} ${unit}${target ? `   (target ${target})` : ''}\n`);
}

/** The middle value of a few runs (the upper middle of an even count). */
export const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
