import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLarge, readBody } from '../core/request-body';
import type { CloudWebhooks } from './cloud-webhooks';

/** Meta's deliveries are small (a few KB); anything past this is not Meta. */
const BODY_LIMIT = 1024 * 1024;
/** Where the tunnel the user runs (cloudflared, ngrok) points: the same port every run, so the tunnel keeps working. */
export const WEBHOOK_PORT = 8790;

/**
 * The receiver for Meta's webhooks on 127.0.0.1: only `/webhook`, GET for the verification and POST for
 * deliveries. It has no token (Meta cannot send one): the signature of each delivery is the check, and nothing else
 * of the app is reachable here, whatever the tunnel forwards.
 */
export async function startWebhookServer(webhooks: CloudWebhooks, port = WEBHOOK_PORT): Promise<{ url: string; port: number; close(): Promise<void> }> {
  // Meta sends a few KB at once: a body trickled in (1 byte every 5 s held a socket for minutes) is cut at 15 s.
  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 15_000, connectionsCheckingInterval: 2000 }, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (url.pathname !== '/webhook') return send(404, 'not found');
    if (req.method === 'GET') {
      const answer = webhooks.verify(url.searchParams);
      return send(answer.status, answer.body);
    }
    if (req.method !== 'POST') return send(405, 'method not allowed');
    readBody(req, BODY_LIMIT).then(
      (raw) => {
        const signature = req.headers['x-hub-signature-256'];
        try {
          const answer = webhooks.receive(raw, Array.isArray(signature) ? signature[0] : signature);
          send(answer.status, answer.body);
        } catch {
          // Whatever a delivery holds, it is answered: an unanswered request holds the socket and Meta's retries.
          send(400, 'malformed delivery');
        }
      },
      (error: unknown) => send(error instanceof BodyTooLarge ? 413 : 400, 'bad request'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/webhook`,
    port: actual,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
