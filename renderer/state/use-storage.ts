import { useEffect, useState } from 'react';
import type { StorageStatus } from '../../shared/types';
import { api } from '../api/client';

/** Whether the data folder's disk is full (then sending waits): asked once, then kept live by `app.storage`. */
export function useStorage(): StorageStatus | null {
  const [status, setStatus] = useState<StorageStatus | null>(null);
  useEffect(() => {
    let live = true;
    const fetch = () => api.call('app.storage', {}).then((s) => live && setStatus(s), () => undefined);
    void fetch();
    const offEvent = api.on('app.storage', setStatus);
    const offConnection = api.onConnection((connected) => connected && void fetch());
    return () => {
      live = false;
      offEvent();
      offConnection();
    };
  }, []);
  return status;
}
