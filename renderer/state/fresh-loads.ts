/**
 * A list loaded by a request and kept live by pushed changes. A change pushed while any load is on its way may be
 * older or newer than that load's answer, which carries no version to tell: then the list is asked for again, after
 * it. Loads overlap (the first one and the one after the live connection opens): an answer older than one already
 * shown is dropped, and every answer is checked against the changes pushed since its own request left.
 * (The numbers page once showed "Conectando…" for a number that had connected meanwhile: CI's numbers e2e.)
 */
export function freshLoads<T>(fetch: () => Promise<T>, show: (value: T) => void, fail: (error: unknown) => void): { load(): Promise<void>; changed(): void } {
  let changes = 0;
  let started = 0;
  let shown = 0;
  const load = async (): Promise<void> => {
    const seen = changes;
    const id = ++started;
    let value: T;
    try {
      value = await fetch();
    } catch (error) {
      fail(error);
      return;
    }
    if (id < shown) return; // a later request's answer is already on screen
    shown = id;
    show(value);
    if (changes !== seen) return load();
  };
  return { load, changed: () => void changes++ };
}
