import { useCallback, useEffect, useState } from 'react';
import type { ContactList } from '../../shared/contacts';
import { api } from '../api/client';

/** Every list with its count, refreshed whenever contacts or lists change. */
export function useLists(): { lists: ContactList[]; refresh(): void } {
  const [lists, setLists] = useState<ContactList[]>([]);
  const refresh = useCallback(() => {
    api.call('lists.list', {}).then(setLists, () => undefined);
  }, []);
  useEffect(() => {
    api.call('lists.list', {}).then(setLists, () => undefined);
    return api.on('contacts.changed', () => refresh());
  }, [refresh]);
  return { lists, refresh };
}
