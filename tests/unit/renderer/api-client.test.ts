import { describe, expect, it } from 'vitest';
import { createClient } from '../../../renderer/api/create-client';
import type { Transport } from '../../../renderer/api/transport';
import { CONNECTION_LOST } from '../../../renderer/api/transport';
import type { Result } from '../../../shared/errors';

/** A transport that loses the first `lost` answers of each call and records every request id it was given. */
function flakyTransport(lost: number) {
  const ids: string[] = [];
  let calls = 0;
  const transport: Transport = {
    call: async (_command, _input, requestId): Promise<Result<unknown>> => {
      ids.push(requestId);
      calls += 1;
      return calls <= lost ? CONNECTION_LOST : { ok: true, value: { done: calls } };
    },
    on: () => () => undefined,
    onConnection: () => () => undefined,
    onAccessLost: () => () => undefined,
  };
  return { transport, ids };
}

const noWait = () => Promise.resolve();

describe('the UI client', () => {
  it('asks again with the same request id when an answer is lost, and the user never sees the lost one', async () => {
    const { transport, ids } = flakyTransport(2);
    const client = createClient(transport, noWait);
    expect(await client.call('lists.create', { name: 'Clientes' })).toEqual({ done: 3 });
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('after every retry failed, the user\'s own repeat of the same command goes with the same id; another command gets a new one', async () => {
    const { transport, ids } = flakyTransport(4);
    const client = createClient(transport, noWait);
    await expect(client.call('lists.create', { name: 'Clientes' })).rejects.toMatchObject({ error: { code: 'connection_lost' } });
    expect(await client.call('lists.create', { name: 'Clientes' })).toEqual({ done: 5 });
    expect(new Set(ids).size).toBe(1);
    await client.call('lists.create', { name: 'Otra' });
    await client.call('lists.create', { name: 'Clientes' }); // answered: a new click is a new request
    expect(new Set(ids).size).toBe(3);
  });

  it('a refusal from the app is not retried', async () => {
    const ids: string[] = [];
    const transport: Transport = {
      call: async (_c, _i, id) => {
        ids.push(id);
        return { ok: false, error: { code: 'list_exists', message: 'taken' } };
      },
      on: () => () => undefined,
      onConnection: () => () => undefined,
      onAccessLost: () => () => undefined,
    };
    await expect(createClient(transport, noWait).call('lists.create', { name: 'x' })).rejects.toMatchObject({ error: { code: 'list_exists' } });
    expect(ids).toHaveLength(1);
  });
});
