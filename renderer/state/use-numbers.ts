import { useEffect, useState } from 'react';
import type { NumberView } from '../../shared/numbers';
import { api } from '../api/client';

/** The linked numbers, kept live by `numbers.changed` / `numbers.removed` and refetched after a reconnection. */
export function useNumbers(): { numbers: NumberView[] | undefined; error: unknown } {
  const [numbers, setNumbers] = useState<NumberView[]>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    // A change pushed while the list is on its way may be older or newer than the list's answer, which has no
    // version to tell: then the list is asked for again, after it. (A number's QR pushed while the first list was in
    // flight was lost, and the card said "Conectando…" until the next change: seen as a flaky e2e under load.)
    let loading = false;
    let changedMeanwhile = false;
    const load = async (): Promise<void> => {
      loading = true;
      changedMeanwhile = false;
      try {
        setNumbers(await api.call('numbers.list', {}));
      } catch (e) {
        setError(e);
      } finally {
        loading = false;
      }
      if (changedMeanwhile) return load();
    };
    load().catch(() => undefined);
    const offChanged = api.on('numbers.changed', (view) => {
      if (loading) changedMeanwhile = true;
      setNumbers((current) => {
        if (!current) return current;
        const index = current.findIndex((n) => n.id === view.id);
        return index === -1 ? [...current, view] : current.map((n) => (n.id === view.id ? view : n));
      });
    });
    const offRemoved = api.on('numbers.removed', ({ id }) => {
      if (loading) changedMeanwhile = true;
      setNumbers((current) => current?.filter((n) => n.id !== id));
    });
    const offConnection = api.onConnection((connected) => {
      if (connected) load().catch(() => undefined);
    });
    return () => {
      offChanged();
      offRemoved();
      offConnection();
    };
  }, []);

  return { numbers, error };
}
