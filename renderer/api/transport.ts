import type { Result } from '../../shared/errors';

/** How the client reaches the main process: Electron IPC or loopback HTTP + WebSocket. */
export type Transport = {
  call(command: string, input: unknown): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Called when the event stream (re)connects, so views can refetch what they may have missed. */
  onConnection(listener: (connected: boolean) => void): () => void;
  /** Called when the app answers but no longer accepts this tab (web mode: its token was renewed). */
  onAccessLost(listener: () => void): () => void;
};
