import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload } from '../../shared/contract';
import type { WhatzMeBridge } from '../../shared/bridge';
import type { ApiError } from '../../shared/errors';
import type { Transport } from './transport';
import { electronTransport } from './transport.electron';
import { webTransport } from './transport.web';

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

export function createClient(transport: Transport): Client {
  return {
    async call(name, input) {
      const result = await transport.call(name, input);
      if (!result.ok) throw new ApiCallError(result.error);
      return result.value as CommandOutput<typeof name>;
    },
    on: (event, listener) => transport.on(event, listener as (payload: unknown) => void),
    onConnection: (listener) => transport.onConnection(listener),
    onAccessLost: (listener) => transport.onAccessLost(listener),
  };
}

declare global {
  interface Window {
    api?: WhatzMeBridge;
  }
}

/** The one client of the app: IPC inside Electron, HTTP in a browser. */
export const api: Client = createClient(window.api ? electronTransport(window.api) : webTransport());
