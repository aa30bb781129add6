/** Time, injected so the pacer, the simulator and the tests are deterministic. */
export type Clock = {
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
};

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock that only moves when told to: `advance` runs due sleepers in time order. */
export class ManualClock implements Clock {
  private sleepers: { at: number; resolve: () => void }[] = [];
  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const at = this.current + Math.max(0, ms);
      // Kept in time order (ties in call order) by inserting after the last sleeper due no later.
      let low = 0;
      let high = this.sleepers.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((this.sleepers[mid]?.at ?? 0) <= at) low = mid + 1;
        else high = mid;
      }
      this.sleepers.splice(low, 0, { at, resolve });
    });
  }

  /** Moves time forward by `ms`, waking each sleeper at its own time and letting its continuation run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.current = next.at;
      next.resolve();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/**
 * Wall time sped up by `factor` from a fixed origin, so that separate processes (a crash test's restarts) share
 * one continuous, faster timeline.
 */
export class ScaledClock implements Clock {
  constructor(
    private readonly origin: number,
    private readonly factor: number,
  ) {}

  now(): number {
    return this.origin + Math.floor((Date.now() - this.origin) * this.factor);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms) / this.factor));
  }
}
