import type { HandlerGroup } from '../core/dispatcher';
import { AppError } from '../core/app-error';
import type { ApiKeys } from './api-keys';
import type { ApiSends } from './api-sends';
import type { Webhooks } from './webhooks';

/** The automation API: sends from the user's systems, their statuses, the keys and the webhooks. */
export function apiHandlers(deps: { sends: ApiSends; keys: ApiKeys; webhooks: Webhooks }) {
  const { sends, keys, webhooks } = deps;
  return {
    'messages.send': (input, context) => sends.send(input, context.keyId),
    'messages.sendBatch': async ({ messages }, context) => {
      const items = [];
      // One after another: two items with the same key must meet as a replay, not race.
      for (const [index, message] of messages.entries()) {
        try {
          items.push({ index, ok: true, message: await sends.send(message, context.keyId) });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          items.push({ index, ok: false, error: error.toApi() });
        }
      }
      return { items };
    },
    'messages.status': ({ id, idempotencyKey }) => (id !== undefined ? sends.get(id) : sends.byKey(idempotencyKey!)),
    'messages.list': (filter) => sends.list(filter),
    'apiKeys.list': () => keys.list(),
    'apiKeys.create': ({ name, scope }, context) => {
      // A key never makes keys: only the user, in the app, does.
      if (context.keyId !== null) throw new AppError('forbidden', 'API keys are made in the app, not with another key');
      return keys.create(name, scope);
    },
    'apiKeys.revoke': ({ id }) => keys.revoke(id),
    'apiKeys.log': ({ limit }) => keys.recentLog(limit),
    'webhooks.list': () => webhooks.list(),
    'webhooks.create': (input) => webhooks.create(input),
    'webhooks.setActive': ({ id, active }) => webhooks.setActive(id, active),
    'webhooks.remove': ({ id }) => {
      webhooks.remove(id);
      return { id };
    },
    'webhooks.ping': ({ id }) => ({ deliveryId: webhooks.ping(id) }),
    'webhooks.deliveries': (filter) => webhooks.deliveries(filter),
  } satisfies HandlerGroup;
}
