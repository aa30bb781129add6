import type { Result } from './errors';

/** What the Electron preload exposes as `window.api`: nothing but these two functions. */
export type WhatzMeBridge = {
  call(command: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
};

/** IPC channel names shared by preload and main. */
export const IPC_CALL = 'whatzme:call';
export const IPC_EVENT = 'whatzme:event';
