import type { Result } from '../../shared/errors';

/** How the client reaches the main process: Electron IPC or loopback HTTP + WebSocket. */
export type Transport = {
  /** `requestId` names this request: sent again, the app answers with the first answer instead of running it twice. */
  call(command: string, input: unknown, requestId: string): Promise<Result<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Called when the event stream (re)connects, so views can refetch what they may have missed. */
  onConnection(listener: (connected: boolean) => void): () => void;
  /** Called when the app answers but no longer accepts this tab (web mode: its token was renewed). */
  onAccessLost(listener: () => void): () => void;
};

/** What a call answers when no answer came back (the connection dropped, the app was closing). */
export const CONNECTION_LOST: Result<never> = { ok: false, error: { code: 'connection_lost', message: 'no answer from the app' } };
