import type { Result } from '../../shared/errors';
import { CONNECTION_LOST, type Transport } from './transport';

const RETRY_MS = [500, 1000, 2000, 5000];

/** Web mode: commands as `POST /api/<name>` (the session cookie carries the token), events over one WebSocket. */
export function webTransport(): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  const accessListeners = new Set<() => void>();
  let connected = false;
  let attempt = 0;

  const setConnected = (value: boolean) => {
    if (connected === value) return;
    connected = value;
    for (const listener of connectionListeners) listener(value);
  };

  const connect = () => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`);
    socket.onmessage = (message: MessageEvent<string>) => {
      const data = JSON.parse(message.data) as { type?: string; event?: string; payload?: unknown };
      if (data.type === 'ready') {
        attempt = 0;
        setConnected(true);
        return;
      }
      if (data.event) for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
    };
    socket.onclose = (event: CloseEvent) => {
      setConnected(false);
      // 4401: the app is there but refuses this tab's token (renewed with --new-token): retrying cannot help.
      if (event.code === 4401) {
        for (const listener of accessListeners) listener();
        return;
      }
      const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)] ?? 5000;
      attempt += 1;
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    async call(command, input, requestId) {
      try {
        const response = await fetch(`/api/${encodeURIComponent(command)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Request-Id': requestId },
          body: JSON.stringify(input ?? {}),
          credentials: 'same-origin',
        });
        const body: unknown = await response.json();
        if (body && typeof body === 'object' && 'ok' in body) return body as Result<unknown>;
      } catch {
        // No answer, or not the app's (a dropped connection, an empty reply): the client asks again with the same id.
      }
      return CONNECTION_LOST;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connected);
      return () => connectionListeners.delete(listener);
    },
    onAccessLost(listener) {
      accessListeners.add(listener);
      return () => accessListeners.delete(listener);
    },
  };
}
