import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/core/clock';

describe('ManualClock', () => {
  it('wakes sleepers in time order, ties in the order they slept, each at its own time', async () => {
    const clock = new ManualClock(1000);
    const woke: string[] = [];
    const sleep = (name: string, ms: number) => void clock.sleep(ms).then(() => woke.push(`${name}@${clock.now()}`));
    sleep('c', 300);
    sleep('a', 100);
    sleep('b1', 200);
    sleep('b2', 200);
    sleep('late', 5000);
    await clock.advance(1000);
    expect(woke).toEqual(['a@1100', 'b1@1200', 'b2@1200', 'c@1300']);
    expect(clock.now()).toBe(2000);
  });
});
