import { describe, expect, it } from 'vitest';
import { freshLoads } from '../../../renderer/state/fresh-loads';

/** A server whose list answers the caller holds back, each answer being the state when its request arrived. */
function heldServer() {
  let state = 'connecting';
  const waiting: { answer: string; release: () => void }[] = [];
  const fetch = () =>
    new Promise<string>((resolve) => {
      const answer = state;
      waiting.push({ answer, release: () => resolve(answer) });
    });
  return {
    fetch,
    set: (value: string) => (state = value),
    release: async (index: number) => {
      waiting[index]?.release();
      await new Promise((r) => setTimeout(r, 0));
    },
    requests: () => waiting.length,
  };
}

describe('a live list loaded while changes are pushed', () => {
  it('two loads in flight (the first and the one on connecting), a change between their answers: the screen ends on the change', async () => {
    const server = heldServer();
    let shown: string | undefined;
    const { load, changed } = freshLoads(server.fetch, (v) => (shown = v), () => undefined);
    void load(); // the page's own load
    void load(); // the live connection's, which answers at once when already connected
    await server.release(0);
    expect(shown).toBe('connecting');
    // The number connects: pushed, and shown at once.
    server.set('connected');
    changed();
    shown = 'connected';
    // The second load's answer left before the change: shown, then asked again (not left on "connecting").
    await server.release(1);
    expect(server.requests()).toBe(3);
    await server.release(2);
    expect(shown).toBe('connected');
  });

  it('an answer older than one already shown is dropped', async () => {
    const server = heldServer();
    let shown: string | undefined;
    const { load } = freshLoads(server.fetch, (v) => (shown = v), () => undefined);
    void load();
    server.set('connected');
    void load();
    await server.release(1);
    await server.release(0);
    expect(shown).toBe('connected');
    expect(server.requests()).toBe(2);
  });
});
