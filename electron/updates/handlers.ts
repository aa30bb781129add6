import type { HandlerGroup } from '../core/dispatcher';
import type { UpdateService } from './update-service';

export function updatesHandlers(updates: UpdateService) {
  return {
    'updates.status': () => updates.status(),
    'updates.check': () => updates.check(),
    'updates.restart': () => {
      updates.restart();
      return updates.status();
    },
  } satisfies HandlerGroup;
}
