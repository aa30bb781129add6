import { useCallback, useEffect, useRef, useState } from 'react';
import type { Contact, ContactFilter } from '../../shared/contacts';
import { api } from '../api/client';

const BLOCK = 200;

/**
 * Contacts for a virtual table: the total, and rows fetched block by block as they scroll into view, so 100k
 * contacts never travel at once. Refetches when the filter changes or contacts change elsewhere.
 */
export function useContactPages(filter: ContactFilter) {
  const [total, setTotal] = useState<number>();
  const [version, setVersion] = useState(0);
  const blocks = useRef(new Map<number, Contact[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const key = JSON.stringify(filter);

  const reset = useCallback(() => {
    generation.current += 1;
    blocks.current = new Map();
    pending.current = new Set();
    const mine = generation.current;
    api.call('contacts.query', { ...(JSON.parse(key) as ContactFilter), offset: 0, limit: BLOCK }).then(
      (page) => {
        if (mine !== generation.current) return;
        blocks.current.set(0, page.rows);
        setTotal(page.total ?? 0);
        setVersion((v) => v + 1);
      },
      () => undefined,
    );
  }, [key]);

  useEffect(() => {
    reset();
    return api.on('contacts.changed', () => reset());
  }, [reset]);

  /** Makes sure the rows from `start` to `end` are loaded (or loading). */
  const ensure = useCallback(
    (start: number, end: number) => {
      const mine = generation.current;
      for (let block = Math.floor(start / BLOCK); block <= Math.floor(end / BLOCK); block++) {
        if (blocks.current.has(block) || pending.current.has(block)) continue;
        pending.current.add(block);
        // The total came with the first block: later blocks are rows only.
        api.call('contacts.query', { ...(JSON.parse(key) as ContactFilter), offset: block * BLOCK, limit: BLOCK, withTotal: false }).then(
          (page) => {
            if (mine !== generation.current) return;
            blocks.current.set(block, page.rows);
            pending.current.delete(block);
            setVersion((v) => v + 1);
          },
          () => pending.current.delete(block),
        );
      }
    },
    [key],
  );

  const row = useCallback((index: number): Contact | undefined => blocks.current.get(Math.floor(index / BLOCK))?.[index % BLOCK], []);

  return { total, row, ensure, version, reload: reset };
}
