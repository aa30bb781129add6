import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { headers: http.IncomingHttpHeaders; body: string; event: { id: string; type: string; data: Record<string, unknown> }; verified: boolean };

/**
 * The user's own system as a webhook receiver on 127.0.0.1: it checks each signature the way docs/API.md tells a
 * user to (HMAC-SHA256 of "<t>.<body>" with the secret), and answers with the statuses it is told to, in turn.
 */
export async function webhookReceiver(answers: number[] = []) {
  const received: Received[] = [];
  let secret = '';
  const waiters: { test: (r: Received) => boolean; resolve: (r: Received) => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = String(req.headers['x-whatzme-signature'] ?? '');
      const t = /t=(\d+)/.exec(header)?.[1] ?? '';
      const v1 = /v1=([0-9a-f]{64})/.exec(header)?.[1] ?? '';
      const expected = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
      const verified = v1.length === 64 && crypto.timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
      if (status >= 300) return;
      const r: Received = { headers: req.headers, body, event: JSON.parse(body) as Received['event'], verified };
      received.push(r);
      for (const w of waiters.splice(0)) {
        if (w.test(r)) w.resolve(r);
        else waiters.push(w);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/whatzme`,
    received,
    setSecret: (s: string) => (secret = s),
    /** The first delivery (already received or still to come) that passes `test`. */
    waitFor(test: (r: Received) => boolean, timeoutMs = 20_000): Promise<Received> {
      const found = received.find(test);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no webhook matched in ${timeoutMs} ms; got ${received.map((r) => (r.event.data.state === undefined ? r.event.type : `${r.event.type}:${String(r.event.data.state)}`)).join(', ')}`)), timeoutMs);
        waiters.push({ test, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
