import type { Result } from './errors';

/** What the Electron preload exposes as `window.api`: nothing but these two functions. */
export type WhatzMeBridge = {
  /** `requestId`: the same id again gets the first answer instead of running the command twice. */
  call(command: string, input: unknown, requestId?: string): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
};

/** IPC channel names shared by preload and main. */
export const IPC_CALL = 'whatzme:call';
export const IPC_EVENT = 'whatzme:event';
