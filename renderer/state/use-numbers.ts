import { useEffect, useState } from 'react';
import type { NumberView } from '../../shared/numbers';
import { api } from '../api/client';
import { freshLoads } from './fresh-loads';

/** The linked numbers, kept live by `numbers.changed` / `numbers.removed` and refetched after a reconnection. */
export function useNumbers(): { numbers: NumberView[] | undefined; error: unknown } {
  const [numbers, setNumbers] = useState<NumberView[]>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const { load, changed } = freshLoads(() => api.call('numbers.list', {}), setNumbers, setError);
    load().catch(() => undefined);
    const offChanged = api.on('numbers.changed', (view) => {
      changed();
      setNumbers((current) => {
        if (!current) return current;
        const index = current.findIndex((n) => n.id === view.id);
        return index === -1 ? [...current, view] : current.map((n) => (n.id === view.id ? view : n));
      });
    });
    const offRemoved = api.on('numbers.removed', ({ id }) => {
      changed();
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
