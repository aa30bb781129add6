import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventBus } from '../core/event-bus';
import { isAllowedHost, isAllowedOrigin, presentedToken, tokensMatch } from './security';

const AUTH_TIMEOUT_MS = 5000;

/**
 * `GET /api/events` upgraded to a WebSocket that carries every pushed event as `{ event, payload }`.
 * The token comes with the upgrade (cookie or header) or as the first message `{ "token": "…" }`.
 */
export function attachEventsSocket(server: http.Server, bus: EventBus, opts: { token: string; port: () => number; onError?: (error: Error) => void }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  // A socket's error with no listener ends the process: any client, even without a token, could send one bad frame.
  const onError = (error: Error) => opts.onError?.(error);
  wss.on('error', onError);
  const authed = new Set<WebSocket>();

  // Sockets between the upgrade request and an answer: closed at shutdown like every other connection.
  const pending = new Set<Duplex>();
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    pending.add(socket);
    socket.once('close', () => pending.delete(socket));
    try {
      upgrade(req, socket, head);
    } catch (error) {
      // Whatever the request held, it is answered: a socket left unanswered stays open until the process ends.
      onError(error instanceof Error ? error : new Error(String(error)));
      socket.destroy();
    }
  });

  function upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const port = opts.port();
    const url = new URL(req.url ?? '/', 'http://localhost');
    socket.on('error', onError);
    const refuse = (status: number, text: string) => {
      socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (!isAllowedHost(req.headers.host, port)) return refuse(403, 'Forbidden');
    if (!isAllowedOrigin(req.headers.origin, port)) return refuse(403, 'Forbidden');
    if (url.pathname !== '/api/events') return refuse(404, 'Not Found');
    const presented = presentedToken(req, port);
    const preAuthed = tokensMatch(opts.token, presented);
    wss.handleUpgrade(req, socket, head, (ws) => {
      pending.delete(socket);
      // A bad frame (too long, not UTF-8, unknown opcode, unmasked) is an error on this socket; ws then closes it.
      ws.on('error', onError);
      if (preAuthed) {
        admit(ws);
        return;
      }
      // A token came with the upgrade and it is not this run's (a tab of before --new-token): said at once, so the
      // tab shows where the new address is without waiting for a first message that will never come.
      if (presented !== undefined) {
        ws.close(4401, 'unauthorized');
        return;
      }
      const timer = setTimeout(() => ws.close(4401, 'unauthorized'), AUTH_TIMEOUT_MS);
      ws.once('message', (data: Buffer) => {
        clearTimeout(timer);
        if (tokensMatch(opts.token, tokenFromMessage(data))) admit(ws);
        else ws.close(4401, 'unauthorized');
      });
    });
  }

  function admit(ws: WebSocket): void {
    authed.add(ws);
    ws.on('close', () => authed.delete(ws));
    ws.send(JSON.stringify({ type: 'ready' }));
  }

  const unsubscribe = bus.subscribe((envelope) => {
    const frame = JSON.stringify(envelope);
    for (const ws of authed) if (ws.readyState === ws.OPEN) ws.send(frame);
  });

  return {
    close() {
      unsubscribe();
      for (const socket of pending) socket.destroy();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

function tokenFromMessage(data: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    if (parsed && typeof parsed === 'object' && 'token' in parsed && typeof parsed.token === 'string') return parsed.token;
  } catch {
    // Not JSON: treated as no token.
  }
  return undefined;
}
