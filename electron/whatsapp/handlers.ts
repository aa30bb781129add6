import type { HandlerGroup } from '../core/dispatcher';
import type { SessionManager } from './sessions';

export function numbersHandlers(sessions: SessionManager) {
  return {
    'numbers.list': () => sessions.list(),
    'numbers.add': ({ kind, label }) => sessions.add(kind, label),
    'numbers.rename': ({ id, label }) => sessions.rename(id, label),
    'numbers.reconnect': ({ id }) => sessions.reconnect(id),
    'numbers.remove': async ({ id }) => {
      await sessions.remove(id);
      return { id };
    },
    'numbers.simulateScan': ({ id }) => sessions.simulateScan(id),
  } satisfies HandlerGroup;
}
