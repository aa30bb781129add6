import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../../electron/core/event-bus';
import { silentLogger } from '../../../electron/core/logger';
import { LOW_SPACE_BYTES, RESUME_SPACE_BYTES, StorageGuard } from '../../../electron/core/storage-guard';

afterEach(() => vi.useRealTimers());

describe('StorageGuard', () => {
  it('says the disk is full on a failed write, and clears it by itself when room returns though nothing is sending', () => {
    vi.useFakeTimers();
    let free = LOW_SPACE_BYTES - 1;
    const bus = new EventBus();
    const seen: boolean[] = [];
    bus.subscribe((envelope) => envelope.event === 'app.storage' && seen.push(envelope.payload.full));
    const guard = new StorageGuard({ dataDir: '/datos', bus, logger: silentLogger(), freeBytes: () => free });
    const recovered = vi.fn();
    guard.onRecovered(recovered);

    expect(guard.report(Object.assign(new Error('disk full'), { code: 'ENOSPC' }))).toBe(true);
    expect(guard.status()).toEqual({ full: true, freeBytes: LOW_SPACE_BYTES - 1 });
    // Freed, but not past the margin: still full (it must not flap at the edge).
    free = RESUME_SPACE_BYTES - 1;
    vi.advanceTimersByTime(2000);
    expect(guard.status().full).toBe(true);
    free = RESUME_SPACE_BYTES;
    vi.advanceTimersByTime(2000);
    expect(guard.status()).toEqual({ full: false, freeBytes: RESUME_SPACE_BYTES });
    expect(seen).toEqual([true, false]);
    expect(recovered).toHaveBeenCalledTimes(1);
    // Not full: nothing looks at the disk any more until a write or a send asks.
    free = 0;
    vi.advanceTimersByTime(10_000);
    expect(guard.status().full).toBe(false);
  });

  it('stops looking at the disk when the app closes', () => {
    vi.useFakeTimers();
    const freeBytes = vi.fn(() => 0);
    const guard = new StorageGuard({ dataDir: '/datos', bus: new EventBus(), logger: silentLogger(), freeBytes });
    guard.report(Object.assign(new Error('full'), { code: 'SQLITE_FULL' }));
    guard.stop();
    const calls = freeBytes.mock.calls.length;
    vi.advanceTimersByTime(10_000);
    expect(freeBytes.mock.calls.length).toBe(calls);
  });

  it('ignores errors that are not about room', () => {
    const guard = new StorageGuard({ dataDir: '/datos', bus: new EventBus(), logger: silentLogger(), freeBytes: () => 0 });
    expect(guard.report(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe(false);
    expect(guard.status().full).toBe(false);
  });
});
