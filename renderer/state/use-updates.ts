import { useEffect, useState } from 'react';
import type { UpdateStatus } from '../../shared/types';
import { api } from '../api/client';

/** The app's own updates, live: asked once, then told by `updates.changed`. */
export function useUpdates(): UpdateStatus | undefined {
  const [status, setStatus] = useState<UpdateStatus>();
  useEffect(() => {
    api.call('updates.status', {}).then(setStatus, () => undefined);
    return api.on('updates.changed', setStatus);
  }, []);
  return status;
}
