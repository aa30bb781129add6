import { setImmediate as tick } from 'node:timers/promises';
import type { ManualClock } from '../../electron/core/clock';

/**
 * Waits for a promise whose work sleeps on a manual clock, moving the clock in small steps. Needed when the work
 * starts later than the call (it crosses HTTP first), so one advance before it would be too early.
 */
export async function settle<T>(clock: ManualClock, promise: Promise<T>, stepMs = 50, maxMs = 600_000): Promise<T> {
  let done = false;
  let value: T | undefined;
  let failure: unknown;
  let failed = false;
  promise.then(
    (v) => {
      done = true;
      value = v;
    },
    (e: unknown) => {
      done = true;
      failed = true;
      failure = e;
    },
  );
  for (let waited = 0; !done && waited <= maxMs; waited += stepMs) {
    await tick();
    await clock.advance(stepMs);
  }
  if (!done) throw new Error('never settled');
  if (failed) throw failure;
  return value as T;
}
