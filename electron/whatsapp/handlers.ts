import type { HandlerGroup } from '../core/dispatcher';
import { AppError } from '../core/app-error';
import { normalizePhone } from '../phones';
import type { SessionManager } from './sessions';

export function numbersHandlers(sessions: SessionManager) {
  return {
    'numbers.list': () => sessions.list(),
    'numbers.add': ({ kind, label }) => sessions.add(kind, label),
    'numbers.rename': ({ id, label }) => sessions.rename(id, label),
    'numbers.reconnect': ({ id }) => sessions.reconnect(id),
    'numbers.showWindow': ({ id }) => sessions.showWindow(id),
    'numbers.remove': async ({ id }) => {
      await sessions.remove(id);
      return { id };
    },
    'numbers.simulateScan': ({ id }) => sessions.simulateScan(id),
    'numbers.simulateFault': ({ id, fault }) => {
      sessions.simulateFault(id, fault);
      return { id };
    },
    'numbers.requestPairingCode': async ({ id, phone }) => {
      const normalized = normalizePhone(phone, 'MX');
      if (!normalized.ok) throw new AppError('invalid_input', `phone: ${normalized.reason}`, 'phone');
      return { code: await sessions.requestPairingCode(id, normalized.e164) };
    },
    'numbers.simulateReply': async ({ id, phone, body, media }) => {
      const normalized = normalizePhone(phone, 'MX');
      if (!normalized.ok) throw new AppError('invalid_input', `phone: ${normalized.reason}`, 'phone');
      return { chatId: await sessions.simulateReply(id, normalized.e164, body, media) };
    },
  } satisfies HandlerGroup;
}
