import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import type { Transport } from './transport';
import { LostAnswers, RETRY_DELAYS_MS } from './request-ids';

/** A failed command, carrying the contract's error so the UI can translate its code. */
export class ApiCallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export type Client = {
  call<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandOutput<K>>;
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
  onConnection(listener: (connected: boolean) => void): () => void;
  onAccessLost(listener: () => void): () => void;
};

export function createClient(transport: Transport, wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))): Client {
  const lost = new LostAnswers();
  return {
    async call(name, input) {
      // One id for the call and its retries: a command whose answer was lost is answered, not run again.
      const requestId = lost.idFor(name, input);
      let result = await transport.call(name, input, requestId);
      for (const delay of RETRY_DELAYS_MS) {
        if (result.ok || result.error.code !== 'connection_lost') break;
        await wait(delay);
        result = await transport.call(name, input, requestId);
      }
      lost.settle(name, input, requestId, result.ok || result.error.code !== 'connection_lost');
      if (!result.ok) throw new ApiCallError(result.error);
      return result.value as CommandOutput<typeof name>;
    },
    on: (event, listener) => transport.on(event, listener as (payload: unknown) => void),
    onConnection: (listener) => transport.onConnection(listener),
    onAccessLost: (listener) => transport.onAccessLost(listener),
  };
}
